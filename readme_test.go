package lb_test

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// quickstartMarker precedes the README's quick start code block.
const quickstartMarker = "<!-- quickstart: testdata/quickstart/main.go"

// TestReadmeQuickstart checks that the README's quick start is the program
// in testdata/quickstart, byte for byte, and that the program builds, so
// that the README never shows code that does not compile.
func TestReadmeQuickstart(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := os.ReadFile(filepath.Join("testdata", "quickstart", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := bytes.Cut(readme, []byte(quickstartMarker))
	if !ok {
		t.Fatalf("README.md has no %q marker", quickstartMarker)
	}
	_, after, ok = bytes.Cut(after, []byte("```go\n"))
	if !ok {
		t.Fatal("README.md: no ```go block after the quick start marker")
	}
	block, _, ok := bytes.Cut(after, []byte("```\n"))
	if !ok {
		t.Fatal("README.md: the quick start block is not closed")
	}
	if !bytes.Equal(block, prog) {
		t.Errorf("README.md's quick start differs from testdata/quickstart/main.go; copy the program into the README\nREADME:\n%s\nprogram:\n%s", block, prog)
	}
	if formatted, err := format.Source(prog); err != nil || !bytes.Equal(formatted, prog) {
		t.Errorf("testdata/quickstart/main.go is not gofmt-formatted (%v)", err)
	}
	if testing.Short() {
		t.Skip("building the quick start (it compiles the SQLite driver) is skipped in -short mode")
	}
	out := filepath.Join(t.TempDir(), "quickstart")
	cmd := exec.Command("go", "build", "-o", out, "./testdata/quickstart")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/quickstart: %v\n%s", err, b)
	}
	if b, err := exec.Command("go", "vet", "./testdata/quickstart").CombinedOutput(); err != nil {
		t.Errorf("go vet ./testdata/quickstart: %v\n%s", err, b)
	}
}

// TestArchitectureNamesEveryPackage checks that docs/architecture.md
// mentions every package of the module (by its path or its name, in
// backquotes), so that a new package is documented there too. Programs
// (examples, the benchmark) and test data are not packages it lists.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		switch name := d.Name(); {
		case path == ".":
			return nil
		case name == "testdata" || strings.HasPrefix(name, ".") || path == "examples" || path == "bench" || path == "docs" ||
			strings.HasPrefix(path, filepath.Join("openapi", "internal")):
			return filepath.SkipDir
		}
		goFiles, _ := filepath.Glob(filepath.Join(path, "*.go"))
		if len(goFiles) == 0 {
			return nil
		}
		slashed := filepath.ToSlash(path)
		if !bytes.Contains(doc, []byte("`"+slashed+"`")) && !bytes.Contains(doc, []byte("`"+filepath.Base(path)+"`")) {
			t.Errorf("docs/architecture.md does not mention package %s", slashed)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
