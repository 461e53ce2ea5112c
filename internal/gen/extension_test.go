package gen

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExtension(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{Dir: dir}
	app := "package main\n\nimport (\n\t\"github.com/loopback-go/lb/rest\"\n)\n\nfunc build(srv *rest.Server) {\n\t// lb:controllers\n}\n"
	os.WriteFile(filepath.Join(dir, "app.go"), []byte(app), 0o644)
	if err := w.AddExtension("Hello", "Greeter"); err == nil || !strings.Contains(err.Error(), "lb extension-point Greeter") {
		t.Errorf("extension before its point: %v", err)
	}
	if err := w.AddExtensionPoint("Greeter"); err != nil {
		t.Fatal(err)
	}
	if err := w.AddExtension("Hello", "Greeter"); err != nil {
		t.Fatal(err)
	}
	for file, wants := range map[string][]string{
		"greeter_extension_point.go": {"type Greeter interface", `return di.NewExtensionPoint[Greeter]("greeters")`, "func greeters(c *di.Container) ([]Greeter, error)"},
		"hello_greeter.go":           {"type HelloGreeter struct{}", "var _ Greeter = HelloGreeter{}", `return "hello"`},
		"app.go":                     {`"github.com/loopback-go/lb/di"`, `di.AddExtension(srv.Container(), greeterPoint(), greeterPoint().Key("hello")).To(HelloGreeter{})`},
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), file, b, 0); err != nil {
			t.Errorf("%s does not parse: %v", file, err)
		}
		for _, want := range wants {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %s:\n%s", file, want, b)
			}
		}
	}
	if err := w.AddExtension("Hello", "Greeter"); err == nil {
		t.Error("a second Hello extension overwrote the first")
	}
	if err := w.AddExtensionPoint("type"); err == nil {
		t.Error("extension point named after a Go keyword")
	}
}
