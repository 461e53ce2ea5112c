package gen

import (
	"bytes"
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"text/template"
)

//go:embed templates
var templates embed.FS

// Markers in the generated app.go and main.go above which the generators add
// their wiring.
const (
	MarkerDatasources  = "// lb:datasources"
	MarkerRepositories = "// lb:repositories"
	MarkerControllers  = "// lb:controllers"
	MarkerObservers    = "// lb:observers"
)

// AppOptions describe a new application.
type AppOptions struct {
	// Name is the application's name (and directory, and binary).
	Name string
	// Module is the Go module path; "" means Name.
	Module string
	// LBVersion is the version of github.com/loopback-go/lb to require.
	LBVersion string
	// Replace, when set, is a local directory that replaces the lb module
	// (a replace directive in go.mod).
	Replace string
}

// NewApp returns the files of a new application with the shape of the todo
// example: main.go (serve, or migrate), app.go (wiring, with markers the
// other generators insert at), ping.go, app_test.go, README.md, ci.sh.
func NewApp(o AppOptions) ([]File, error) {
	if err := CheckName("application", o.Name); err != nil {
		return nil, err
	}
	if o.Module == "" {
		o.Module = o.Name
	}
	if o.LBVersion == "" {
		o.LBVersion = "v0.0.0"
	}
	names := []struct{ tmpl, out string }{
		{"go.mod.tmpl", "go.mod"}, {"main.go.tmpl", "main.go"}, {"app.go.tmpl", "app.go"},
		{"ping.go.tmpl", "ping.go"}, {"app_test.go.tmpl", "app_test.go"},
		{"README.md.tmpl", "README.md"}, {"ci.sh.tmpl", "ci.sh"}, {"gitignore.tmpl", ".gitignore"},
	}
	var files []File
	for _, n := range names {
		data, err := execTemplate(path.Join("templates/app", n.tmpl), o)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: n.out, Data: data})
	}
	return files, nil
}

func execTemplate(name string, data any) ([]byte, error) {
	src, err := templates.ReadFile(name)
	if err != nil {
		return nil, err
	}
	t, err := template.New(path.Base(name)).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

func render(name, src string, data any) []byte {
	t := template.Must(template.New(name).Funcs(template.FuncMap{
		"pascal": Pascal, "camel": Camel, "kebab": Kebab, "snake": Snake,
	}).Parse(src))
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		panic(fmt.Sprintf("gen: template %s: %v", name, err)) // templates are constants: a bug
	}
	return b.Bytes()
}

// Property is a model property, as given on the command line:
// NAME[:TYPE[:FLAG...]] with TYPE one of LoopBack's (string, number,
// integer, boolean, date, object, array, any, or string[] and the like)
// and flags required, id, generated, hidden, nullable, index, unique.
type Property struct {
	Name      string
	Type      string
	Required  bool
	ID        bool
	Generated bool
	Hidden    bool
	Nullable  bool
	Index     bool
	Unique    bool
	// AsNumber publishes an integer property as "number" in schemas
	// (lb:"type=number"), as LoopBack 4 publishes its numeric ids.
	AsNumber bool
}

// ParseProperty parses NAME[:TYPE[:FLAG...]].
func ParseProperty(s string) (Property, error) {
	parts := strings.Split(s, ":")
	p := Property{Name: parts[0], Type: "string"}
	if err := CheckName("property", p.Name); err != nil {
		return p, err
	}
	if len(parts) > 1 && parts[1] != "" {
		p.Type = parts[1]
	}
	if _, err := goType(p.Type); err != nil {
		return p, fmt.Errorf("property %s: %w", p.Name, err)
	}
	for _, f := range parts[min(2, len(parts)):] {
		switch f {
		case "required":
			p.Required = true
		case "id":
			p.ID = true
		case "generated":
			p.Generated = true
		case "hidden":
			p.Hidden = true
		case "nullable":
			p.Nullable = true
		case "index":
			p.Index = true
		case "unique":
			p.Unique = true
		default:
			return p, fmt.Errorf("property %s: unknown flag %q (want required, id, generated, hidden, nullable, index or unique)", p.Name, f)
		}
	}
	return p, nil
}

var scalarTypes = map[string]string{
	"string": "string", "number": "float64", "integer": "int64", "boolean": "bool",
	"date": "time.Time", "object": "map[string]any", "any": "any", "buffer": "[]byte", "geopoint": "any",
}

// goType maps a LoopBack property type to a Go type.
func goType(t string) (string, error) {
	if elem, ok := strings.CutSuffix(t, "[]"); ok {
		g, err := goType(elem)
		return "[]" + g, err
	}
	if t == "array" {
		return "[]any", nil
	}
	if g, ok := scalarTypes[t]; ok {
		return g, nil
	}
	return "", fmt.Errorf("unknown type %q (want string, number, integer, boolean, date, object, array, any, buffer or TYPE[])", t)
}

// ModelOptions describe a model.
type ModelOptions struct {
	Name        string
	Description string
	Properties  []Property
}

// modelField is a property rendered as a struct field.
type modelField struct {
	Name, Type, Tag string
}

// ModelFile is the path of a model's file.
func ModelFile(name string) string { return Snake(name) + ".go" }

// Model returns the Go file of a model: a struct whose tags describe it
// (see package model). Without an id property it gets "id", a generated
// number (int64), as lb4 offers by default.
func Model(o ModelOptions) (File, error) {
	if err := CheckName("model", o.Name); err != nil {
		return File{}, err
	}
	props := slices.Clone(o.Properties)
	if !slices.ContainsFunc(props, func(p Property) bool { return p.ID }) {
		props = append([]Property{{Name: "id", Type: "integer", ID: true, Generated: true}}, props...)
	}
	seen := map[string]bool{}
	var fields []modelField
	usesTime := false
	for _, p := range props {
		field := Pascal(p.Name)
		if seen[field] {
			return File{}, fmt.Errorf("model %s: property %s is given twice", o.Name, p.Name)
		}
		seen[field] = true
		gt, err := goType(p.Type)
		if err != nil {
			return File{}, fmt.Errorf("model %s: property %s: %w", o.Name, p.Name, err)
		}
		usesTime = usesTime || strings.Contains(gt, "time.Time")
		optional := !p.Required && !p.ID
		if optional && (gt == "bool" || gt == "float64" || gt == "int64" || gt == "time.Time") {
			gt = "*" + gt
		}
		jsonName := p.Name
		if optional || (p.ID && p.Generated) {
			jsonName += ",omitempty"
		}
		tag := fmt.Sprintf("json:%q", jsonName)
		var lbOpts []string
		if p.ID {
			lbOpts = append(lbOpts, "id")
			if p.Generated {
				lbOpts = append(lbOpts, "generated")
			}
		}
		for _, f := range []struct {
			on   bool
			name string
		}{{p.Hidden, "hidden"}, {p.Index, "index"}, {p.Unique, "unique"}, {p.AsNumber && p.Type == "integer", "type=number"}} {
			if f.on {
				lbOpts = append(lbOpts, f.name)
			}
		}
		if len(lbOpts) > 0 {
			tag += fmt.Sprintf(" lb:%q", strings.Join(lbOpts, ","))
		}
		if p.Required && !p.ID {
			tag += ` required:"true"`
		}
		if p.Nullable {
			tag += ` nullable:"true"`
		}
		fields = append(fields, modelField{Name: field, Type: gt, Tag: tag})
	}
	desc := o.Description
	if desc == "" {
		desc = "is a model generated by lb model."
	}
	data := render("model", modelTmpl, map[string]any{
		"Name": Pascal(o.Name), "Desc": desc, "Fields": fields, "Time": usesTime,
	})
	return File{Path: ModelFile(o.Name), Data: data}, nil
}

const modelTmpl = `package main
{{if .Time}}
import "time"
{{end}}
// {{.Name}} {{.Desc}}
type {{.Name}} struct {
{{- range .Fields}}
	{{.Name}} {{.Type}} ` + "`{{.Tag}}`" + `
{{- end}}
}
`

// Connectors are the data source connectors lb datasource generates: the
// database connectors, then the key-value and document stores and the
// services (see ServiceConnectors).
var Connectors = []string{"memory", "sqlite", "postgresql", "mysql", "mongodb", "redis", "rest", "openapi", "soap", "grpc"}

// DatasourceOptions describe a data source.
type DatasourceOptions struct {
	Name      string
	Connector string // one of Connectors
	// URL is the default connection URL (SQL) or file (memory, sqlite);
	// the environment variable <NAME>_URL overrides it at run time.
	URL string
	// Spec is, for a rest data source, its LoopBack datasource JSON
	// document (templates and functions); nil means a sample with one
	// function, ping, on BaseURL.
	Spec []byte
	// BaseURL is the sample rest document's baseURL.
	BaseURL string
}

// Datasource returns the file of a data source (a function opening its
// connector) and the line that wires it into app.go.
func Datasource(o DatasourceOptions) (File, string, error) {
	if err := CheckName("data source", o.Name); err != nil {
		return File{}, "", err
	}
	conn := o.Connector
	switch conn {
	case "postgres":
		conn = "postgresql"
	case "sqlite3":
		conn = "sqlite"
	case "mongo":
		conn = "mongodb"
	case "kv-redis":
		conn = "redis"
	}
	if !slices.Contains(Connectors, conn) {
		return File{}, "", fmt.Errorf("data source %s: connector %q is not one lb datasource generates (want %s)", o.Name, o.Connector, strings.Join(Connectors, ", "))
	}
	if conn != "memory" && conn != "sqlite" && conn != "postgresql" && conn != "mysql" {
		return otherDatasource(o, conn)
	}
	if o.URL == "" {
		switch conn {
		case "memory":
			o.URL = "data/" + Kebab(o.Name) + ".json"
		case "sqlite":
			o.URL = "data/" + Kebab(o.Name) + ".sqlite"
		case "postgresql":
			o.URL = "postgres://postgres@127.0.0.1:5432/" + Snake(o.Name) + "?sslmode=disable"
		case "mysql":
			o.URL = "mysql://root@127.0.0.1:3306/" + Snake(o.Name)
		}
	}
	d := map[string]any{
		"Name": o.Name, "Func": "open" + Pascal(o.Name) + "DataSource", "Env": strings.ToUpper(Snake(o.Name)) + "_URL",
		"URL": o.URL, "Connector": conn, "Var": Camel(o.Name) + "DS",
	}
	file := File{Path: Snake(o.Name) + "_datasource.go", Data: render("datasource", datasourceTmpl, d)}
	wire := string(render("datasource-wire", `{{.Var}}, err := {{.Func}}(ctx)
if err != nil {
	return err
}
a.closers = append(a.closers, {{.Var}}.Close)
_ = {{.Var}}
`, d))
	return file, wire, nil
}

const datasourceTmpl = `package main

import (
	"context"
	"fmt"
{{- if eq .Connector "memory"}}
	"os"
	"path/filepath"
{{- else}}
	"os"
{{- end}}

	"github.com/loopback-go/lb/connector"
{{- if eq .Connector "memory"}}
	"github.com/loopback-go/lb/connector/memory"
{{- else if eq .Connector "sqlite"}}
	"github.com/loopback-go/lb/connector/sqlite"
{{- else if eq .Connector "postgresql"}}
	"github.com/loopback-go/lb/connector/postgres"
{{- else}}
	"github.com/loopback-go/lb/connector/mysql"
{{- end}}
)

// {{.Func}} opens the {{.Name}} data source ({{.Connector}}). The
// environment variable {{.Env}} overrides its default location,
// {{printf "%q" .URL}}.
func {{.Func}}(ctx context.Context) (connector.Connector, error) {
	url := {{printf "%q" .URL}}
	if v := os.Getenv({{printf "%q" .Env}}); v != "" {
		url = v
	}
{{- if eq .Connector "memory"}}
	if err := os.MkdirAll(filepath.Dir(url), 0o755); err != nil {
		return nil, fmt.Errorf("data source {{.Name}}: %w", err)
	}
	c, err := memory.New(memory.Config{File: url})
{{- else if eq .Connector "sqlite"}}
	c, err := sqlite.New(sqlite.Config{Name: {{printf "%q" .Name}}, URL: url})
{{- else if eq .Connector "postgresql"}}
	c, err := postgres.New(postgres.Config{Name: {{printf "%q" .Name}}, URL: url})
{{- else}}
	c, err := mysql.New(mysql.Config{Name: {{printf "%q" .Name}}, URL: url})
{{- end}}
	if err != nil {
		return nil, fmt.Errorf("data source {{.Name}}: %w", err)
	}
	return c, nil
}
`

// RepositoryOptions describe a model's repository.
type RepositoryOptions struct {
	Model      string
	Datasource string
	// IDType is the Go type of the model's id ("" means int64).
	IDType string
}

// Repository returns the file of a model's repository on a data source
// (created or updated tables at start; dropped and recreated with
// migrate -rebuild) and the lines that wire it into app.go.
func Repository(o RepositoryOptions) (File, string, error) {
	if err := CheckName("model", o.Model); err != nil {
		return File{}, "", err
	}
	if err := CheckName("data source", o.Datasource); err != nil {
		return File{}, "", err
	}
	if o.IDType == "" {
		o.IDType = "int64"
	}
	d := map[string]any{
		"Model": Pascal(o.Model), "ID": o.IDType, "Func": "new" + Pascal(o.Model) + "Repository",
		"Var": Camel(o.Model) + "Repo", "DS": Camel(o.Datasource) + "DS",
	}
	file := File{Path: Snake(o.Model) + "_repository.go", Data: render("repository", repositoryTmpl, d)}
	wire := string(render("repository-wire", `{{.Var}}, err := {{.Func}}(ctx, {{.DS}}, cfg.Rebuild)
if err != nil {
	return err
}
if err := a.repos.Add({{.Var}}.Model()); err != nil {
	return err
}
`, d))
	return file, wire, nil
}

const repositoryTmpl = `package main

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// {{.Func}} returns the repository of {{.Model}} on conn, after creating or
// updating its table (dropping and recreating it when rebuild is set) on a
// data source that has a schema.
func {{.Func}}(ctx context.Context, conn connector.Connector, rebuild bool) (*repository.CRUD[{{.Model}}, {{.ID}}], error) {
	repo, err := repository.New[{{.Model}}, {{.ID}}](conn)
	if err != nil {
		return nil, fmt.Errorf("{{.Model}} repository: %w", err)
	}
	if m, ok := conn.(connector.Migrator); ok {
		defs := []*model.Definition{repo.Definition()}
		if rebuild {
			err = m.Automigrate(ctx, defs)
		} else {
			err = m.Autoupdate(ctx, defs)
		}
		if err != nil {
			return nil, fmt.Errorf("{{.Model}} repository: migrate: %w", err)
		}
	}
	return repo, nil
}
`

// ControllerOptions describe a controller.
type ControllerOptions struct {
	// Name is the controller's name without "Controller" (Todo gives
	// TodoController); for a CRUD controller, the model's name.
	Name string
	// CRUD serves the model Name's repository as LoopBack's CRUD REST API.
	CRUD bool
	// BasePath is the CRUD base path; "" means LoopBack's (/todo-lists).
	BasePath string
	// ReadOnly serves only the CRUD GETs.
	ReadOnly bool
}

// Controller returns a controller's file and the line that wires it into
// app.go. An empty controller is a struct with one example operation; a
// CRUD controller mounts the model's repository (made by Repository).
func Controller(o ControllerOptions) (File, string, error) {
	if err := CheckName("controller", o.Name); err != nil {
		return File{}, "", err
	}
	name := strings.TrimSuffix(Pascal(o.Name), "Controller")
	d := map[string]any{
		"Name": name, "Type": name + "Controller", "Path": "/" + Kebab(name),
		"Repo": Camel(name) + "Repo", "BasePath": o.BasePath, "ReadOnly": o.ReadOnly, "Func": "mount" + name + "Controller",
	}
	if o.CRUD {
		file := File{Path: Snake(name) + "_controller.go", Data: render("crud-controller", crudControllerTmpl, d)}
		wire := string(render("crud-wire", `if err := {{.Func}}(srv, {{.Repo}}); err != nil {
	return err
}
`, d))
		return file, wire, nil
	}
	file := File{Path: Snake(name) + "_controller.go", Data: render("controller", controllerTmpl, d)}
	return file, string(render("controller-wire", "srv.Controller(&{{.Type}}{})\n", d)), nil
}

const crudControllerTmpl = `package main

import (
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// {{.Func}} serves {{.Name}} as LoopBack's CRUD REST API ({{.Name}}Controller:
// create, find, findById, count, updateAll, updateById, replaceById and
// deleteById{{if .ReadOnly}}; read-only: the GETs only{{end}}).
func {{.Func}}[ID comparable](srv *rest.Server, repo *repository.CRUD[{{.Name}}, ID]) error {
	return crud.Mount(srv, repo, crud.Options{ {{- if .BasePath}}BasePath: {{printf "%q" .BasePath}},{{end}}{{if .ReadOnly}} ReadOnly: true{{end -}} })
}
`

const controllerTmpl = `package main

import (
	"context"

	"github.com/loopback-go/lb/rest"
)

// {{.Type}} groups the {{.Name}} operations; each operationId is
// "{{.Type}}.<name>" and each is tagged {{.Type}}.
type {{.Type}} struct{}

// Routes registers the controller's operations.
func (c *{{.Type}}) Routes(r *rest.ControllerRoutes) {
	rest.Get(r, {{printf "%q" .Path}}, c.Hello, rest.OperationID("hello"))
}

// {{.Name}}Hello is the body of GET {{.Path}}.
type {{.Name}}Hello struct {
	Message string ` + "`json:\"message\"`" + `
}

// Hello answers GET {{.Path}}.
func (c *{{.Type}}) Hello(ctx context.Context, _ *struct{}) (*{{.Name}}Hello, error) {
	return &{{.Name}}Hello{Message: "Hello from {{.Type}}"}, nil
}
`

// Observer returns a lifecycle observer's file and the line that
// registers it in main.go.
func Observer(name, group string) (File, string, error) {
	if err := CheckName("observer", name); err != nil {
		return File{}, "", err
	}
	n := strings.TrimSuffix(Pascal(name), "Observer")
	d := map[string]any{"Name": n, "Kebab": Kebab(n), "Group": group, "Func": "new" + n + "Observer"}
	file := File{Path: Snake(n) + "_observer.go", Data: render("observer", `package main

import (
	"context"

	"github.com/loopback-go/lb"
)

// {{.Func}} returns the {{.Kebab}} lifecycle observer: its hooks run when the
// application initializes, starts and stops.
func {{.Func}}(a *app) lb.Observer {
	return lb.Observer{
		Name:  {{printf "%q" .Kebab}},
		Group: {{printf "%q" .Group}},
		Start: func(ctx context.Context) error {
			// Add code to run when the application starts.
			return nil
		},
		Stop: func(ctx context.Context) error {
			// Add code to run when the application stops.
			return nil
		},
	}
}
`, d)}
	return file, string(render("observer-wire", "application.Observe({{.Func}}(a))\n", d)), nil
}

// Interceptor returns a global interceptor's file and the line that adds
// it to the REST server in app.go.
func Interceptor(name string) (File, string, error) {
	if err := CheckName("interceptor", name); err != nil {
		return File{}, "", err
	}
	n := strings.TrimSuffix(Pascal(name), "Interceptor")
	d := map[string]any{"Name": n, "Func": Camel(n) + "Interceptor"}
	file := File{Path: Snake(n) + "_interceptor.go", Data: render("interceptor", `package main

import (
	"context"

	"github.com/loopback-go/lb/di"
)

// {{.Func}} runs around every operation of the REST server: inv.Target is
// the operationId ("TodoController.create"), inv.Args its arguments.
func {{.Func}}(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
	// Add code to run before the operation.
	result, err := next(ctx)
	// Add code to run after the operation.
	return result, err
}
`, d)}
	return file, string(render("interceptor-wire", "srv.Intercept({{.Func}})\n", d)), nil
}

// ControllerTest returns the test of a CRUD controller: a round trip over
// HTTP (create with body, find by id, count, delete, then 404), or for a
// read-only controller, an empty list and no POST.
func ControllerTest(o ControllerOptions, body string) File {
	name := strings.TrimSuffix(Pascal(o.Name), "Controller")
	d := map[string]any{"Name": name, "BasePath": o.BasePath, "ReadOnly": o.ReadOnly, "Body": "`" + body + "`"}
	return File{Path: Snake(name) + "_controller_test.go", Data: render("crud-test", crudTestTmpl, d)}
}

const crudTestTmpl = `package main

import (
{{- if not .ReadOnly}}
	"encoding/json"
	"fmt"
	"strings"
{{- end}}
	"testing"
{{- if not .BasePath}}

	"github.com/loopback-go/lb/crud"
{{- end}}
)

// Test{{.Name}}CRUD does a round trip on the {{.Name}} endpoints over HTTP.
func Test{{.Name}}CRUD(t *testing.T) {
	ts := newTestServer(t)
	base := {{if .BasePath}}{{printf "%q" .BasePath}}{{else}}crud.BasePath("{{.Name}}"){{end}}
{{- if .ReadOnly}}
	if status, body := do(t, ts, "GET", base, ""); status != 200 || body != "[]" {
		t.Errorf("GET %s: %d %s; want 200 []", base, status, body)
	}
	if status, _ := do(t, ts, "POST", base, "{}"); status != 404 {
		t.Errorf("POST %s on a read-only controller: %d; want 404", base, status)
	}
{{- else}}
	status, body := do(t, ts, "POST", base, {{.Body}})
	var created map[string]any
	if err := json.Unmarshal([]byte(body), &created); status != 200 || err != nil || created["id"] == nil {
		t.Fatalf("POST %s: %d %s; want 200 and the instance with its id", base, status, body)
	}
	item := base + "/" + fmt.Sprint(created["id"])
	if status, got := do(t, ts, "GET", item, ""); status != 200 || got != body {
		t.Errorf("GET %s: %d %s; want 200 %s", item, status, got, body)
	}
	if status, got := do(t, ts, "GET", base+"/count", ""); status != 200 || got != ` + "`" + `{"count":1}` + "`" + ` {
		t.Errorf("GET %s/count: %d %s; want 200 {\"count\":1}", base, status, got)
	}
	if status, got := do(t, ts, "DELETE", item, ""); status != 204 {
		t.Errorf("DELETE %s: %d %s; want 204", item, status, got)
	}
	if status, got := do(t, ts, "GET", item, ""); status != 404 || !strings.Contains(got, "ENTITY_NOT_FOUND") {
		t.Errorf("GET %s after delete: %d %s; want 404 ENTITY_NOT_FOUND", item, status, got)
	}
{{- end}}
}
`
