package lb_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corePackages must stay free of heavy dependencies (docs/architecture.md). Paths are
// relative to the module root; packages that do not exist yet are skipped.
var corePackages = []string{
	".", "di", "openapi", "model", "filter", "repository", "connector",
	"connector/memory", "rest", "crud", "fault",
}

// allowedModules are the modules outside the standard library that core
// packages may import, directly or not.
var allowedModules = []string{
	"github.com/loopback-go/lb",
	"github.com/santhosh-tekuri/jsonschema/v6",
	"go.yaml.in/yaml/v3",
	"github.com/google/uuid",
	"golang.org/x/text", // imported by jsonschema
}

// listedPackage is the part of `go list -json` output the test reads.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Module     *struct{ Path string }
	Imports    []string
	Deps       []string
	Error      *struct{ Err string }
}

// TestCoreDependencies fails when a core package imports, directly or
// through other packages, a package from a module outside the allowlist.
func TestCoreDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping go list in short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go command not found: %v", err)
	}
	var roots []string
	for _, dir := range corePackages {
		if !hasGoFiles(t, dir) {
			t.Logf("skipping %s: no Go package yet", dir)
			continue
		}
		roots = append(roots, "./"+dir)
	}
	cmd := exec.Command(goTool, "list", "-deps", "-e", "-json=ImportPath,Standard,Module,Imports,Deps,Error", "--")
	cmd.Args = append(cmd.Args, roots...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	pkgs, err := decodePackages(out)
	if err != nil {
		t.Fatalf("decode go list output: %v", err)
	}

	for _, root := range roots {
		path := "github.com/loopback-go/lb"
		if root != "./." {
			path += "/" + strings.TrimPrefix(root, "./")
		}
		p, ok := pkgs[path]
		if !ok {
			t.Errorf("go list did not report %s", path)
			continue
		}
		if p.Error != nil {
			t.Errorf("%s: %s", path, p.Error.Err)
			continue
		}
		reported := map[string]bool{} // one error per forbidden module
		for _, dep := range p.Deps {
			d := pkgs[dep]
			if d == nil || allowed(d) || reported[moduleOf(d)] {
				continue
			}
			reported[moduleOf(d)] = true
			t.Errorf("core package %s imports %s (module %s), which is not in the allowlist; import chain: %s",
				path, dep, moduleOf(d), strings.Join(chain(pkgs, path, dep), " -> "))
		}
	}
}

func hasGoFiles(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(entries, func(e os.DirEntry) bool {
		n := e.Name()
		return !e.IsDir() && filepath.Ext(n) == ".go" && !strings.HasSuffix(n, "_test.go")
	})
}

func decodePackages(out []byte) (map[string]*listedPackage, error) {
	pkgs := map[string]*listedPackage{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, err
		}
		pkgs[p.ImportPath] = &p
	}
}

func allowed(p *listedPackage) bool {
	return p.Standard || (p.Module != nil && slices.Contains(allowedModules, p.Module.Path))
}

func moduleOf(p *listedPackage) string {
	if p.Module == nil {
		return "none"
	}
	return p.Module.Path
}

// chain returns the shortest import path from one package to another.
func chain(pkgs map[string]*listedPackage, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var out []string
			for p := to; p != ""; p = prev[p] {
				out = append(out, p)
			}
			slices.Reverse(out)
			return out
		}
		if p := pkgs[cur]; p != nil {
			for _, imp := range p.Imports {
				if _, seen := prev[imp]; !seen {
					prev[imp] = cur
					queue = append(queue, imp)
				}
			}
		}
	}
	return []string{from, "…", to}
}

// TestDependencyCheckCatches makes sure the check above can fail: a
// synthetic package graph with a forbidden module is reported.
func TestDependencyCheckCatches(t *testing.T) {
	pkgs := map[string]*listedPackage{
		"github.com/loopback-go/lb/rest":        {ImportPath: "github.com/loopback-go/lb/rest", Module: &struct{ Path string }{"github.com/loopback-go/lb"}, Imports: []string{"github.com/loopback-go/lb/internal/db"}},
		"github.com/loopback-go/lb/internal/db": {ImportPath: "github.com/loopback-go/lb/internal/db", Module: &struct{ Path string }{"github.com/loopback-go/lb"}, Imports: []string{"github.com/jackc/pgx/v5"}},
		"github.com/jackc/pgx/v5":               {ImportPath: "github.com/jackc/pgx/v5", Module: &struct{ Path string }{"github.com/jackc/pgx/v5"}},
		"net/http":                              {ImportPath: "net/http", Standard: true},
		"golang.org/x/text/unicode/norm":        {ImportPath: "golang.org/x/text/unicode/norm", Module: &struct{ Path string }{"golang.org/x/text"}},
	}
	for path, want := range map[string]bool{"github.com/jackc/pgx/v5": false, "net/http": true, "golang.org/x/text/unicode/norm": true, "github.com/loopback-go/lb/internal/db": true} {
		if got := allowed(pkgs[path]); got != want {
			t.Errorf("allowed(%s): got %v; want %v", path, got, want)
		}
	}
	got := strings.Join(chain(pkgs, "github.com/loopback-go/lb/rest", "github.com/jackc/pgx/v5"), " -> ")
	if want := "github.com/loopback-go/lb/rest -> github.com/loopback-go/lb/internal/db -> github.com/jackc/pgx/v5"; got != want {
		t.Errorf("chain: got %s; want %s", got, want)
	}
}
