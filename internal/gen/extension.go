package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ExtensionPoint returns the file of an extension point named after the
// interface its extensions implement (Greeter): the interface, a function
// returning the di.ExtensionPoint[Greeter] (named "greeters") and one
// listing the extensions bound in a container.
func ExtensionPoint(name string) (File, error) {
	if err := CheckName("extension point", name); err != nil {
		return File{}, err
	}
	d := map[string]any{"Type": Pascal(name), "Point": Camel(name) + "Point", "List": Camel(name) + "s", "Name": Camel(name) + "s"}
	return File{Path: Snake(name) + "_extension_point.go", Data: render("extension-point", extensionPointTmpl, d)}, nil
}

const extensionPointTmpl = `package main

import (
	"context"

	"github.com/loopback-go/lb/di"
)

// {{.Type}} is what the extensions of the {{.Name}} extension point
// implement. Add the methods your extensions provide.
type {{.Type}} interface {
	// Name names the extension.
	Name() string
	// Run does the extension's work.
	Run(ctx context.Context) (string, error)
}

// {{.Point}} is the {{.Name}} extension point: an extension is a binding
// added with di.AddExtension(c, {{.Point}}(), {{.Point}}().Key("NAME")).
func {{.Point}}() di.ExtensionPoint[{{.Type}}] {
	return di.NewExtensionPoint[{{.Type}}]({{printf "%q" .Name}})
}

// {{.List}} returns the extensions of {{.Point}} bound in c (or its
// parents), including those bound after the application started.
func {{.List}}(c *di.Container) ([]{{.Type}}, error) {
	return di.Extensions(c, {{.Point}}())
}
`

// Extension returns the file of an extension of a point made by
// ExtensionPoint, and the line that binds it in app.go.
func Extension(name, point string) (File, string, error) {
	if err := CheckName("extension", name); err != nil {
		return File{}, "", err
	}
	if err := CheckName("extension point", point); err != nil {
		return File{}, "", err
	}
	d := map[string]any{
		"Type": Pascal(name) + Pascal(point), "Iface": Pascal(point), "Point": Camel(point) + "Point",
		"Key": Camel(name), "Name": Camel(point) + "s",
	}
	f := File{Path: Snake(name) + "_" + Snake(point) + ".go", Data: render("extension", extensionTmpl, d)}
	wire := string(render("extension-wire", `di.AddExtension(srv.Container(), {{.Point}}(), {{.Point}}().Key({{printf "%q" .Key}})).To({{.Type}}{})
`, d))
	return f, wire, nil
}

const extensionTmpl = `package main

import "context"

// {{.Type}} is the {{.Key}} extension of the {{.Name}} extension point,
// bound in app.go.
type {{.Type}} struct{}

var _ {{.Iface}} = {{.Type}}{}

// Name names the extension.
func ({{.Type}}) Name() string { return {{printf "%q" .Key}} }

// Run does the extension's work.
func ({{.Type}}) Run(ctx context.Context) (string, error) {
	return "Hello from {{.Type}}", nil
}
`

// AddExtensionPoint writes an extension point.
func (w *Writer) AddExtensionPoint(name string) error {
	if err := w.requireProject(); err != nil {
		return err
	}
	f, err := ExtensionPoint(name)
	if err != nil {
		return err
	}
	if err := w.Check([]File{f}); err != nil {
		return err
	}
	return w.Create(f)
}

// AddExtension writes an extension of an extension point made by lb
// extension-point and binds it in app.go.
func (w *Writer) AddExtension(name, point string) error {
	if err := CheckName("extension point", point); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(w.Dir, Snake(point)+"_extension_point.go")); err != nil {
		return fmt.Errorf("extension point %s not found (%s_extension_point.go): run lb extension-point %s first", Pascal(point), Snake(point), Pascal(point))
	}
	f, wire, err := Extension(name, point)
	if err != nil {
		return err
	}
	if err := w.Check([]File{f}); err != nil {
		return err
	}
	// The marker must be there before app.go gets the import.
	if src, err := w.Read("app.go"); err != nil {
		return err
	} else if _, err := Insert(src, MarkerControllers, wire); err != nil {
		return fmt.Errorf("app.go: %w", err)
	}
	if err := w.addImport("github.com/loopback-go/lb/di"); err != nil {
		return err
	}
	return w.add(f, "app.go", MarkerControllers, wire)
}

// addImport adds an import of path to app.go when it lacks one.
func (w *Writer) addImport(path string) error {
	src, err := w.Read("app.go")
	if err != nil {
		return err
	}
	if strings.Contains(string(src), fmt.Sprintf("%q", path)) {
		return nil
	}
	anchor := "\t\"github.com/loopback-go/lb/rest\"\n"
	if !strings.Contains(string(src), anchor) {
		return fmt.Errorf("app.go: no import of github.com/loopback-go/lb/rest to add %s next to", path)
	}
	src = []byte(strings.Replace(string(src), anchor, anchor+fmt.Sprintf("\t%q\n", path), 1))
	return w.Update(File{Path: "app.go", Data: src})
}
