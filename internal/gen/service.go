package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/service/restsvc"
)

// ServiceConnectors are the connectors whose data sources are services
// (calls to other APIs) rather than stores.
var ServiceConnectors = []string{"rest", "openapi", "soap", "grpc"}

// RestDatasourcePath is where lb datasource writes a rest data source's
// LoopBack datasource JSON document (its templates and functions), embedded
// in the generated binary.
func RestDatasourcePath(name string) string {
	return "datasources/" + Kebab(name) + ".datasource.json"
}

// SampleRestDatasource is the LoopBack datasource JSON document lb datasource
// writes for a rest data source without --spec: one function, ping, that
// GETs baseURL + /ping.
func SampleRestDatasource(name, baseURL string) []byte {
	doc := map[string]any{
		"name": name, "connector": "rest", "baseURL": baseURL,
		"operations": []any{map[string]any{
			"template":  map[string]any{"method": "GET", "url": "/ping"},
			"functions": map[string]any{"ping": []string{}},
		}},
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n')
}

// otherDatasource is Datasource for the document and key-value stores and
// the services.
func otherDatasource(o DatasourceOptions, conn string) (File, string, error) {
	if o.URL == "" {
		switch conn {
		case "mongodb":
			o.URL = "mongodb://127.0.0.1:27017/" + Snake(o.Name)
		case "redis":
			o.URL = "redis://127.0.0.1:6379/0"
		case "rest":
			o.URL = RestDatasourcePath(o.Name)
		case "grpc":
			o.URL = "127.0.0.1:50051"
		default:
			return File{}, "", fmt.Errorf("data source %s: a %s data source needs --url (the %s document: a file or an http(s) URL)", o.Name, conn, map[string]string{"openapi": "OpenAPI", "soap": "WSDL"}[conn])
		}
	}
	types := map[string]string{
		"mongodb": "*mongodb.Connector", "redis": "*redis.Connector", "rest": "*restsvc.Service",
		"openapi": "*oasvc.Service", "soap": "*soapsvc.Service", "grpc": "*grpcsvc.Service",
	}
	d := map[string]any{
		"Name": o.Name, "Func": "open" + Pascal(o.Name) + "DataSource", "Env": strings.ToUpper(Snake(o.Name)) + "_URL",
		"URL": o.URL, "Connector": conn, "Var": Camel(o.Name) + "DS", "Type": types[conn],
		"Embed": RestDatasourcePath(o.Name), "BaseURL": o.BaseURL,
		"Import": map[string]string{
			"mongodb": "connector/mongodb", "redis": "connector/redis", "rest": "service/restsvc",
			"openapi": "service/oasvc", "soap": "service/soapsvc", "grpc": "service/grpcsvc",
		}[conn], "EmbedVar": Camel(o.Name) + "DatasourceJSON",
	}
	file := File{Path: Snake(o.Name) + "_datasource.go", Data: render("datasource-"+conn, otherDatasourceTmpl, d)}
	wire := `{{.Var}}, err := {{.Func}}(ctx)
if err != nil {
	return err
}
`
	if conn == "mongodb" || conn == "redis" || conn == "grpc" {
		wire += "a.closers = append(a.closers, {{.Var}}.Close)\n"
	}
	wire += "_ = {{.Var}}\n"
	return file, string(render("datasource-wire", wire, d)), nil
}

const otherDatasourceTmpl = `package main

import (
	"context"
{{- if eq .Connector "rest"}}
	_ "embed"
{{- end}}
	"fmt"
	"os"

	"github.com/loopback-go/lb/{{.Import}}"
)
{{if eq .Connector "rest"}}
// {{.EmbedVar}} is the {{.Name}} data source's LoopBack datasource document
// (templates and functions), built into the binary.
//
//go:embed {{.Embed}}
var {{.EmbedVar}} []byte

// {{.Func}} builds the {{.Name}} REST service from its datasource
// document, {{.Embed}}. The environment variable {{.Env}}
// names another document to read instead.
func {{.Func}}(ctx context.Context) ({{.Type}}, error) {
	doc := {{.EmbedVar}}
	if v := os.Getenv({{printf "%q" .Env}}); v != "" {
		b, err := os.ReadFile(v)
		if err != nil {
			return nil, fmt.Errorf("data source {{.Name}}: %w", err)
		}
		doc = b
	}
	s, err := restsvc.Load(doc)
{{- else}}
// {{.Func}} opens the {{.Name}} data source ({{.Connector}}). The
// environment variable {{.Env}} overrides its default location,
// {{printf "%q" .URL}}.
func {{.Func}}(ctx context.Context) ({{.Type}}, error) {
	url := {{printf "%q" .URL}}
	if v := os.Getenv({{printf "%q" .Env}}); v != "" {
		url = v
	}
{{- if eq .Connector "mongodb"}}
	s, err := mongodb.New(mongodb.Config{Name: {{printf "%q" .Name}}, URL: url})
{{- else if eq .Connector "redis"}}
	s, err := redis.Open(ctx, redis.Config{Name: {{printf "%q" .Name}}, URL: url})
{{- else if eq .Connector "openapi"}}
	s, err := oasvc.Open(ctx, url, oasvc.Config{Name: {{printf "%q" .Name}}{{if .BaseURL}}, BaseURL: {{printf "%q" .BaseURL}}{{end}}})
{{- else if eq .Connector "soap"}}
	s, err := soapsvc.Open(ctx, url, soapsvc.Config{Name: {{printf "%q" .Name}}})
{{- else}}
	_ = ctx
	s, err := grpcsvc.New(grpcsvc.Config{Name: {{printf "%q" .Name}}, Target: url})
{{- end}}
{{- end}}
	if err != nil {
		return nil, fmt.Errorf("data source {{.Name}}: %w", err)
	}
	return s, nil
}
`

// ServiceOptions describe a service proxy on a rest data source.
type ServiceOptions struct {
	Name       string
	Datasource string
	// Doc is the data source's LoopBack datasource JSON document.
	Doc []byte
}

// Service returns the file of a typed service proxy over a rest data
// source — a struct with one typed function per function of the data
// source's document, arguments in a struct per function — and the lines
// that build it and bind it in the server's container as services.<name>.
func Service(o ServiceOptions) (File, string, error) {
	if err := CheckName("service", o.Name); err != nil {
		return File{}, "", err
	}
	if err := CheckName("data source", o.Datasource); err != nil {
		return File{}, "", err
	}
	cfg, err := restsvc.Parse(o.Doc)
	if err != nil {
		return File{}, "", fmt.Errorf("data source %s: %w", o.Datasource, err)
	}
	type arg struct{ Field, JSON string }
	type fn struct {
		Name, Method, Args string
		Params             []arg
	}
	var fns []fn
	methods := map[string]string{}
	for _, op := range cfg.Operations {
		for name, params := range op.Functions {
			if err := CheckName("function", name); err != nil {
				return File{}, "", fmt.Errorf("data source %s: %w", o.Datasource, err)
			}
			f := fn{Name: name, Method: Pascal(name), Args: Pascal(o.Name) + Pascal(name) + "Args"}
			if other, dup := methods[f.Method]; dup {
				return File{}, "", fmt.Errorf("data source %s: functions %s and %s would both be the Go method %s", o.Datasource, other, name, f.Method)
			}
			methods[f.Method] = name
			fields := map[string]bool{}
			for _, p := range params {
				if err := CheckName("argument", p); err != nil {
					return File{}, "", fmt.Errorf("data source %s, function %s: %w", o.Datasource, name, err)
				}
				if fields[Pascal(p)] {
					return File{}, "", fmt.Errorf("data source %s, function %s: two arguments would both be the Go field %s", o.Datasource, name, Pascal(p))
				}
				fields[Pascal(p)] = true
				f.Params = append(f.Params, arg{Field: Pascal(p), JSON: p})
			}
			fns = append(fns, f)
		}
	}
	if len(fns) == 0 {
		return File{}, "", fmt.Errorf("data source %s has no functions", o.Datasource)
	}
	slices.SortFunc(fns, func(a, b fn) int { return strings.Compare(a.Name, b.Name) })
	d := map[string]any{
		"Name": o.Name, "Type": Pascal(o.Name) + "Service", "Func": "new" + Pascal(o.Name) + "Service",
		"DS": o.Datasource, "DSVar": Camel(o.Datasource) + "DS", "Var": Camel(o.Name) + "Svc", "Fns": fns,
	}
	file := File{Path: Snake(o.Name) + "_service.go", Data: render("service", serviceTmpl, d)}
	wire := string(render("service-wire", `{{.Var}}, err := {{.Func}}({{.DSVar}})
if err != nil {
	return err
}
service.Bind(srv.Container(), {{printf "%q" .Name}}, {{.Var}})
`, d))
	return file, wire, nil
}

const serviceTmpl = `package main

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/service/restsvc"
)
{{range .Fns}}
// {{.Args}} are the arguments of {{$.Name}}'s function {{.Name}}; a nil
// argument is left out, so that its template default applies.
type {{.Args}} struct {
{{- range .Params}}
	{{.Field}} any ` + "`json:\"{{.JSON}},omitempty\"`" + `
{{- end}}
}
{{end}}
// {{.Type}} is the typed proxy of the {{.DS}} REST data source's
// functions, bound in the server's container as services.{{.Name}}:
//
//	svc, err := di.Get(c, service.Key[*{{.Type}}]({{printf "%q" .Name}}))
type {{.Type}} struct {
{{- range .Fns}}
	// {{.Method}} calls the function {{.Name}}.
	{{.Method}} func(ctx context.Context, in {{.Args}}) (any, error)
{{- end}}
}

// {{.Func}} binds the functions of the {{.DS}} data source.
func {{.Func}}(ds *restsvc.Service) (*{{.Type}}, error) {
	var s {{.Type}}
{{- range .Fns}}
	fn{{.Method}}, err := restsvc.Bind[{{.Args}}, any](ds, {{printf "%q" .Name}})
	if err != nil {
		return nil, fmt.Errorf("service {{$.Name}}: %w", err)
	}
	s.{{.Method}} = fn{{.Method}}
{{- end}}
	return &s, nil
}
`

// AddService writes a typed service proxy over a rest data source and binds
// it in app.go.
func (w *Writer) AddService(o ServiceOptions) error {
	if err := w.requireDatasource(o.Datasource); err != nil {
		return err
	}
	var f File
	var wire string
	doc, err := os.ReadFile(filepath.Join(w.Dir, RestDatasourcePath(o.Datasource)))
	if err == nil {
		o.Doc = doc
		f, wire, err = Service(o)
	} else if spec, ok, oaErr := w.openAPIDatasourceDoc(o.Datasource); oaErr != nil {
		return oaErr
	} else if ok {
		f, wire, err = OpenAPIService(o.Name, o.Datasource, spec)
	} else {
		return fmt.Errorf("data source %s is not a rest or openapi data source (%s not found): lb service generates proxies of rest and openapi data sources; bind the operations of a soap or grpc data source with the Bind function of its package", o.Datasource, RestDatasourcePath(o.Datasource))
	}
	if err != nil {
		return err
	}
	if err := w.Check([]File{f}); err != nil {
		return err
	}
	// The marker must be there before app.go gets the import.
	if src, err := w.Read("app.go"); err != nil {
		return err
	} else if _, err := Insert(src, MarkerRepositories, wire); err != nil {
		return fmt.Errorf("app.go: %w", err)
	}
	if err := w.addImport("github.com/loopback-go/lb/service"); err != nil {
		return err
	}
	return w.add(f, "app.go", MarkerRepositories, wire)
}

// OpenAPIService returns the file of a typed proxy over an openapi data
// source — a struct with one function per operationId of its document,
// arguments by parameter name (the body under "requestBody") — and the
// lines that build it and bind it as services.<name>.
func OpenAPIService(name, datasource string, spec []byte) (File, string, error) {
	if err := CheckName("service", name); err != nil {
		return File{}, "", err
	}
	if err := CheckName("data source", datasource); err != nil {
		return File{}, "", err
	}
	doc, err := openapi.Load(spec)
	if err != nil {
		return File{}, "", fmt.Errorf("data source %s: OpenAPI document: %w", datasource, err)
	}
	_, _, ops := collectAPI(doc, "", "main")
	if len(ops) == 0 {
		return File{}, "", fmt.Errorf("data source %s: the document has no operation with an operationId", datasource)
	}
	d := map[string]any{
		"Name": name, "Type": Pascal(name) + "Service", "Func": "new" + Pascal(name) + "Service",
		"DS": datasource, "DSVar": Camel(datasource) + "DS", "Var": Camel(name) + "Svc", "Ops": ops,
	}
	file := File{Path: Snake(name) + "_service.go", Data: render("oa-service", openAPIServiceTmpl, d)}
	wire := string(render("service-wire", `{{.Var}}, err := {{.Func}}({{.DSVar}})
if err != nil {
	return err
}
service.Bind(srv.Container(), {{printf "%q" .Name}}, {{.Var}})
`, d))
	return file, wire, nil
}

const openAPIServiceTmpl = `package main

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/service/oasvc"
)

// {{.Type}} is the typed proxy of the {{.DS}} OpenAPI data source's
// operations, bound in the server's container as services.{{.Name}}. Each
// function takes the operation's arguments by parameter name, the body
// under "requestBody".
type {{.Type}} struct {
{{- range .Ops}}
	// {{.Func}} calls {{.ID}} ({{.Method}} {{.Path}}).
	{{.Func}} func(ctx context.Context, args map[string]any) (any, error)
{{- end}}
}

// {{.Func}} binds the operations of the {{.DS}} data source.
func {{.Func}}(ds *oasvc.Service) (*{{.Type}}, error) {
	var s {{.Type}}
{{- range .Ops}}
	fn{{.Func}}, err := oasvc.Bind[map[string]any, any](ds, {{printf "%q" .ID}})
	if err != nil {
		return nil, fmt.Errorf("service {{$.Name}}: %w", err)
	}
	s.{{.Func}} = fn{{.Func}}
{{- end}}
	return &s, nil
}
`

// openAPIDocLocation is the document location an openapi data source file
// opens ("url := ..."), or "" for another kind of data source.
var openAPIDocLocation = regexp.MustCompile(`(?m)^\s*url := ("(?:[^"\\]|\\.)*")$`)

// openAPIDatasourceDoc reads the document of an openapi data source made
// by lb datasource (a file; a URL is not fetched at generation time).
func (w *Writer) openAPIDatasourceDoc(ds string) ([]byte, bool, error) {
	src, err := w.Read(Snake(ds) + "_datasource.go")
	if err != nil || !strings.Contains(string(src), "oasvc.Open(") {
		return nil, false, nil
	}
	m := openAPIDocLocation.FindSubmatch(src)
	if m == nil {
		return nil, true, fmt.Errorf("data source %s: no document location in %s_datasource.go", ds, Snake(ds))
	}
	loc, err := strconv.Unquote(string(m[1]))
	if err != nil {
		return nil, true, fmt.Errorf("data source %s: %w", ds, err)
	}
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		return nil, true, fmt.Errorf("data source %s: its document is at %s; lb service reads documents from files: download it and run lb datasource again with --url FILE", ds, loc)
	}
	if !filepath.IsAbs(loc) {
		loc = filepath.Join(w.Dir, loc)
	}
	b, err := os.ReadFile(loc)
	if err != nil {
		return nil, true, fmt.Errorf("data source %s: %w", ds, err)
	}
	return b, true, nil
}
