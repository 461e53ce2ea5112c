package gen

import (
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/openapi"
)

// SpecFile is the name of the OpenAPI document lb openapi copies into the
// project and embeds.
const SpecFile = "openapi-spec.json"

// OpenAPI returns the files that serve a spec-first OpenAPI document (3.0
// or 3.1, JSON or YAML) in an application made by lb new, and the line that
// mounts it in app.go:
//
//   - openapi-spec.json (or .yaml): the document, embedded and served with
//     rest.Server.API, so that the application publishes the same paths,
//     operations and schemas;
//   - api_models.go: a Go type per schema of components/schemas;
//   - api.go: the binding of every operationId to a typed handler, whose
//     parameters and body are decoded into a <Operation>Params struct;
//   - api_handlers.go: the typed handler stubs, answering 501 until
//     written.
func OpenAPI(data []byte, yaml bool) ([]File, string, error) {
	doc, err := openapi.Load(data)
	if err != nil {
		return nil, "", fmt.Errorf("OpenAPI document: %w", err)
	}
	specName := SpecFile
	if yaml {
		specName = strings.TrimSuffix(SpecFile, ".json") + ".yaml"
	}
	_, models, ops := collectAPI(doc, specName, "main")
	var api, handlers strings.Builder
	fmt.Fprintf(&api, `package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// apiSpec is the OpenAPI document the application serves, spec first.
//
//go:embed %s
var apiSpec []byte

// mountAPI serves the operations of %s: routing, parameter coercion
// and validation follow the document, and each operation is handled by the
// apiHandlers method named after its operationId.
func mountAPI(srv *rest.Server) error {
	doc, err := openapi.Load(apiSpec)
	if err != nil {
		return fmt.Errorf("%s: %%w", err)
	}
	h := &apiHandlers{}
	return srv.API(doc, map[string]rest.HandlerFunc{
`, specName, specName, specName)
	for _, o := range ops {
		fmt.Fprintf(&api, "\t\t%q: handle(h.%s),\n", o.ID, o.Func)
	}
	api.WriteString(`	})
}

// handle adapts a typed handler: the request's parameters (by name) and its
// body (as "body") are decoded into P, already validated by the document.
func handle[P, R any](fn func(context.Context, *P) (R, error)) rest.HandlerFunc {
	return func(ctx context.Context, req *rest.Request) (any, error) {
		in := make(map[string]any, len(req.Params)+1)
		for k, v := range req.Params {
			in[k] = v
		}
		if req.Body != nil {
			in["body"] = req.Body
		}
		raw, err := json.Marshal(in)
		if err != nil {
			return nil, fault.New(fault.BadRequest, "INVALID_PARAMETERS", "the parameters cannot be read")
		}
		var p P
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fault.New(fault.BadRequest, "INVALID_PARAMETERS", "the parameters do not match the operation's types")
		}
		return fn(ctx, &p)
	}
}
`)
	for _, o := range ops {
		fmt.Fprintf(&api, "\n// %s holds the parameters and body of %s %s (%s).\ntype %s struct {\n", o.Params, o.Method, o.Path, o.ID, o.Params)
		for _, f := range o.Fields {
			api.WriteString("\t" + f + "\n")
		}
		api.WriteString("}\n")
	}

	handlers.WriteString("package main\n")
	if len(ops) > 0 {
		handlers.WriteString("\nimport (\n\t\"context\"\n\n\t\"github.com/loopback-go/lb/fault\"\n)\n")
	}
	handlers.WriteString(`
// apiHandlers implements the operations of ` + specName + `: one method per
// operationId. Write their bodies; until then each answers 501.
type apiHandlers struct{}
`)
	for _, o := range ops {
		doc := fmt.Sprintf("handles %s %s (operationId %s)", o.Method, o.Path, o.ID)
		if o.Summary != "" {
			doc += ": " + strings.ReplaceAll(o.Summary, "\n", " ")
		}
		fmt.Fprintf(&handlers, `
// %s %s.
func (h *apiHandlers) %s(ctx context.Context, p *%s) (%s, error) {
	return nil, fault.New(fault.NotImplemented, "NOT_IMPLEMENTED", %q)
}
`, o.Func, doc, o.Func, o.Params, o.Result, o.ID+" is not implemented")
	}
	files := []File{
		{Path: specName, Data: data},
		{Path: "api_models.go", Data: []byte(models.String())},
		{Path: "api.go", Data: []byte(api.String())},
		{Path: "api_handlers.go", Data: []byte(handlers.String())},
	}
	wire := "if err := mountAPI(srv); err != nil {\n\treturn err\n}\n"
	return files, wire, nil
}

// apiOp is an operation of a document, named for Go.
type apiOp struct {
	Method, Path, ID, Func, Params, Result, Summary string
	Fields                                          []string
	In                                              []apiParam
	Body                                            bool
}

// apiParam is a parameter of an operation.
type apiParam struct {
	Name, In, Field string
	JSON, Required  bool
}

// collectAPI names the schemas and operations of doc for Go and renders the
// model types into package pkg.
func collectAPI(doc *openapi.Document, specName, pkg string) (*apiGen, strings.Builder, []apiOp) {
	g := &apiGen{names: map[string]string{}, used: map[string]bool{"apiHandlers": true, "Client": true, "APIError": true}}
	schemaNames := sortedKeys(doc.Components.Schemas)
	for _, name := range schemaNames {
		g.names[name] = g.unique(goIdent(name, "Schema"))
	}
	var models strings.Builder
	models.WriteString("package " + pkg + "\n\n// The types of the schemas in " + specName + " (components/schemas).\n")
	for _, name := range schemaNames {
		g.writeModel(&models, name, doc.Components.Schemas[name])
	}
	var ops []apiOp
	for _, path := range sortedKeys(doc.Paths) {
		item := doc.Paths[path]
		item.Operations(func(method string, o *openapi.Operation) {
			if o.OperationID == "" {
				return
			}
			fn := g.unique(goIdent(o.OperationID, "Operation"))
			x := apiOp{Method: strings.ToUpper(method), Path: path, ID: o.OperationID, Func: fn, Params: fn + "Params", Summary: o.Summary}
			g.used[x.Params] = true
			params := slices.Clone(item.Parameters)
			params = append(params, o.Parameters...)
			seen := map[string]bool{}
			for _, p := range params {
				if p == nil || p.Ref != "" || p.Name == "" {
					continue
				}
				field := g.fieldName(p.Name, seen)
				schema := p.Schema
				mt := jsonContent(p.Content)
				if schema == nil && mt != nil {
					schema = mt.Schema
				}
				typ := g.goType(schema, p.Required)
				x.Fields = append(x.Fields, fmt.Sprintf("%s %s `json:%q` // %s parameter", field, typ, p.Name+omit(!p.Required), p.In))
				x.In = append(x.In, apiParam{Name: p.Name, In: p.In, Field: field, JSON: mt != nil, Required: p.Required})
			}
			if rb := o.RequestBody; rb != nil {
				if mt := jsonContent(rb.Content); mt != nil {
					x.Fields = append(x.Fields, fmt.Sprintf("Body %s `json:\"body,omitempty\"` // request body", g.goType(mt.Schema, false)))
					x.Body = true
				} else if len(rb.Content) > 0 {
					x.Fields = append(x.Fields, "Body any `json:\"body,omitempty\"` // request body")
				}
			}
			x.Result = "any"
			for _, code := range []string{"200", "201", "2XX", "default"} {
				if r := o.Responses[code]; r != nil {
					if mt := jsonContent(r.Content); mt != nil && mt.Schema != nil {
						x.Result = g.goType(mt.Schema, false)
						if !strings.HasPrefix(x.Result, "*") && !strings.HasPrefix(x.Result, "[]") && !strings.HasPrefix(x.Result, "map[") && x.Result != "any" {
							x.Result = "*" + x.Result
						}
					}
					break
				}
			}
			ops = append(ops, x)
		})
	}
	return g, models, ops
}

// AddOpenAPI writes the files of OpenAPI and mounts the document in app.go.
func (w *Writer) AddOpenAPI(data []byte, yaml bool) error {
	files, wire, err := OpenAPI(data, yaml)
	if err != nil {
		return err
	}
	if err := w.Check(files); err != nil {
		return err
	}
	if err := w.add(files[0], "app.go", MarkerControllers, wire); err != nil {
		return err
	}
	if err := w.Create(files[1:]...); err != nil {
		return err
	}
	return w.setInfo(data)
}

// specConfigLine matches the title and version lb new writes in app.go.
var specConfigLine = regexp.MustCompile(`rest\.SpecConfig\{Title: "(?:[^"\\]|\\.)*", Version: "(?:[^"\\]|\\.)*"\}`)

// setInfo makes the title and version app.go serves those of the document
// (info.title, info.version), leaving app.go alone when its SpecConfig line
// was edited by hand.
func (w *Writer) setInfo(data []byte) error {
	doc, err := openapi.Load(data)
	if err != nil {
		return fmt.Errorf("OpenAPI document: %w", err)
	}
	title, version := strings.Join(strings.Fields(doc.Info.Title), " "), strings.TrimSpace(doc.Info.Version)
	if title == "" || version == "" {
		return nil
	}
	src, err := w.Read("app.go")
	if err != nil {
		return err
	}
	if !specConfigLine.Match(src) {
		return nil
	}
	line := fmt.Sprintf("rest.SpecConfig{Title: %s, Version: %s}", strconv.Quote(title), strconv.Quote(version))
	return w.Update(File{Path: "app.go", Data: specConfigLine.ReplaceAll(src, []byte(strings.ReplaceAll(line, "$", "$$")))})
}

// apiGen names the Go types and functions of a document.
type apiGen struct {
	names map[string]string // schema name → Go type name
	used  map[string]bool
}

func (g *apiGen) unique(name string) string {
	n := name
	for i := 2; g.used[n]; i++ {
		n = name + strconv.Itoa(i)
	}
	g.used[n] = true
	return n
}

func (g *apiGen) fieldName(prop string, seen map[string]bool) string {
	n := goIdent(prop, "Field")
	base := n
	for i := 2; seen[n]; i++ {
		n = base + strconv.Itoa(i)
	}
	seen[n] = true
	return n
}

// goIdent turns an OpenAPI name into an exported Go identifier.
func goIdent(name, prefix string) string {
	var clean strings.Builder
	for _, r := range name {
		if r < 128 && (r == '_' || r == '-' || r == '.' || r == ' ' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')) {
			clean.WriteRune(r)
		} else {
			clean.WriteByte('-')
		}
	}
	n := Pascal(clean.String())
	if n == "" || !token.IsIdentifier(n) || !('A' <= n[0] && n[0] <= 'Z') {
		n = prefix + n
	}
	if !token.IsIdentifier(n) {
		n = prefix
	}
	return n
}

func (g *apiGen) writeModel(b *strings.Builder, name string, s *openapi.Schema) {
	typ := g.names[name]
	desc := "is the schema " + strconv.Quote(name) + "."
	if s != nil && s.Description != "" {
		desc += " " + strings.Join(strings.Fields(s.Description), " ")
	}
	if s == nil || s.Ref != "" || len(s.Properties) == 0 {
		fmt.Fprintf(b, "\n// %s %s\ntype %s = %s\n", typ, desc, typ, g.goType(s, true))
		return
	}
	fmt.Fprintf(b, "\n// %s %s\ntype %s struct {\n", typ, desc, typ)
	seen := map[string]bool{}
	order := slices.Clone(s.PropertyOrder)
	for _, k := range sortedKeys(s.Properties) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	for _, prop := range order {
		ps, ok := s.Properties[prop]
		if !ok {
			continue
		}
		req := slices.Contains(s.Required, prop)
		fmt.Fprintf(b, "\t%s %s `json:%q`\n", g.fieldName(prop, seen), g.goType(ps, req), prop+omit(!req))
	}
	b.WriteString("}\n")
}

func omit(optional bool) string {
	if optional {
		return ",omitempty"
	}
	return ""
}

// goType maps a schema to a Go type: refs to the schema's type (a pointer
// in a field), scalars to Go scalars (pointers when optional, for numbers
// and booleans), arrays to slices, free-form objects to maps, and
// compositions (anyOf, oneOf, allOf) to any.
func (g *apiGen) goType(s *openapi.Schema, required bool) string {
	if s == nil {
		return "any"
	}
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		if t, found := g.names[name]; ok && found {
			return "*" + t
		}
		return "any"
	}
	var types []string
	for _, t := range s.Type {
		if t != "null" {
			types = append(types, t)
		}
	}
	if len(types) != 1 {
		return "any"
	}
	var t string
	switch types[0] {
	case "string":
		t = "string"
	case "integer":
		t = "int64"
	case "number":
		t = "float64"
	case "boolean":
		t = "bool"
	case "array":
		elem := g.goType(s.Items, true)
		return "[]" + elem
	case "object":
		if s.AdditionalProperties != nil && len(s.Properties) == 0 {
			return "map[string]" + g.goType(s.AdditionalProperties, true)
		}
		return "map[string]any"
	default:
		return "any"
	}
	if (!required || len(s.Type) > 1) && t != "string" {
		return "*" + t
	}
	return t
}

// jsonContent returns the JSON media type of content, if any.
func jsonContent(content map[string]*openapi.MediaType) *openapi.MediaType {
	for _, k := range sortedKeys(content) {
		if k == "application/json" || strings.HasSuffix(k, "+json") {
			return content[k]
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Client returns a typed Go client of a document (3.0 or 3.1) in package
// pkg: the schema types, a <Operation>Params struct per operation and a
// Client method per operationId that sends the request and decodes the
// JSON result, or returns an *APIError for a status of 400 or more.
func Client(data []byte, pkg string) (File, error) {
	if err := CheckName("package", pkg); err != nil {
		return File{}, err
	}
	doc, err := openapi.Load(data)
	if err != nil {
		return File{}, fmt.Errorf("OpenAPI document: %w", err)
	}
	_, models, ops := collectAPI(doc, "the document", pkg)
	var b strings.Builder
	b.WriteString(strings.Replace(models.String(), "package "+pkg+"\n", "", 1))
	var c strings.Builder
	title := strings.Join(strings.Fields(doc.Info.Title), " ")
	fmt.Fprintf(&c, `// Package %s is a typed client of the API %q, generated by lb openapi --client.
package %s

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Client calls the API at BaseURL ("http://127.0.0.1:3000") with HTTP
// (http.DefaultClient when nil).
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// APIError is an answer with a status of 400 or more; Body is the error
// body as sent (LoopBack's {"error": {...}}).
type APIError struct {
	StatusCode int
	Body       []byte
}

// Error reports the status and the body.
func (e *APIError) Error() string {
	return fmt.Sprintf("status %%d: %%s", e.StatusCode, bytes.TrimSpace(e.Body))
}

// param formats a parameter value: JSON for objects, text otherwise.
func param(v any, asJSON bool) (string, error) {
	if !asJSON {
		switch x := v.(type) {
		case string:
			return x, nil
		case *string:
			return *x, nil
		}
		if b, err := json.Marshal(v); err == nil && !bytes.HasPrefix(b, []byte("{")) && !bytes.HasPrefix(b, []byte("[")) {
			return strings.Trim(string(b), "\""), nil
		}
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// do sends a request and decodes a JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, header http.Header, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	u := strings.TrimSuffix(c.BaseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		return &APIError{StatusCode: resp.StatusCode, Body: data}
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%%s %%s: decode the answer: %%w", method, path, err)
	}
	return nil
}
`, pkg, title, pkg)
	for _, o := range ops {
		fmt.Fprintf(&c, "\n// %s holds the parameters and body of %s %s (%s).\ntype %s struct {\n", o.Params, o.Method, o.Path, o.ID, o.Params)
		for _, f := range o.Fields {
			c.WriteString("\t" + f + "\n")
		}
		c.WriteString("}\n")
		doc := fmt.Sprintf("calls %s %s (operationId %s)", o.Method, o.Path, o.ID)
		if o.Summary != "" {
			doc += ": " + strings.Join(strings.Fields(o.Summary), " ")
		}
		fmt.Fprintf(&c, "\n// %s %s.\nfunc (c *Client) %s(ctx context.Context, p *%s) (%s, error) {\n", o.Func, doc, o.Func, o.Params, o.Result)
		c.WriteString("\tif p == nil {\n\t\tp = &" + o.Params + "{}\n\t}\n")
		c.WriteString("\tpath := " + strconv.Quote(o.Path) + "\n\tquery := url.Values{}\n\theader := http.Header{}\n")
		for _, p := range o.In {
			val := "p." + p.Field
			c.WriteString("\t{\n\t\tv := any(" + val + ")\n")
			c.WriteString("\t\tif v != nil && !isZero(" + val + ") {\n")
			fmt.Fprintf(&c, "\t\t\ts, err := param(v, %v)\n\t\t\tif err != nil {\n\t\t\t\treturn %s, err\n\t\t\t}\n", p.JSON, zeroOf(o.Result))
			switch p.In {
			case "path":
				fmt.Fprintf(&c, "\t\t\tpath = strings.ReplaceAll(path, %q, url.PathEscape(s))\n", "{"+p.Name+"}")
			case "query":
				fmt.Fprintf(&c, "\t\t\tquery.Set(%q, s)\n", p.Name)
			case "header":
				fmt.Fprintf(&c, "\t\t\theader.Set(%q, s)\n", p.Name)
			default:
				fmt.Fprintf(&c, "\t\t\t_ = s // %s parameters are not sent by this client\n", p.In)
			}
			c.WriteString("\t\t}\n\t}\n")
		}
		body := "nil"
		if o.Body {
			body = "p.Body"
		}
		if o.Result == "any" {
			fmt.Fprintf(&c, "\tvar out any\n\terr := c.do(ctx, %q, path, query, header, %s, &out)\n\treturn out, err\n}\n", o.Method, body)
		} else {
			fmt.Fprintf(&c, "\tvar out %s\n\tif err := c.do(ctx, %q, path, query, header, %s, &out); err != nil {\n\t\treturn nil, err\n\t}\n\treturn out, nil\n}\n", o.Result, o.Method, body)
		}
	}
	c.WriteString(`
// isZero reports a value that is not sent: nil pointers, empty strings,
// nil maps and slices.
func isZero(v any) bool {
	b, err := json.Marshal(v)
	return err != nil || string(b) == "null" || string(b) == "\"\""
}
`)
	return File{Path: "client.go", Data: []byte(c.String() + b.String())}, nil
}

func zeroOf(result string) string {
	if result == "any" || strings.HasPrefix(result, "*") || strings.HasPrefix(result, "[]") || strings.HasPrefix(result, "map[") {
		return "nil"
	}
	return result + "{}"
}
