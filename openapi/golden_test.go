package openapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Shape exercises the 3.1-only schema features that Downgrade30 rewrites.
type Shape struct {
	Kind   string   `json:"kind" required:"true" enum:"circle,square"`
	Radius *float64 `json:"radius,omitempty" exclusiveMinimum:"0" example:"2.5"`
	Label  string   `json:"label,omitempty" nullable:"true" maxLength:"40"`
	Blob   []byte   `json:"blob,omitempty" doc:"Raw bytes."`
	Owner  *User    `json:"owner,omitempty" doc:"Who drew it." nullable:"true"`
}

// sampleAPI is a document built from Go types, as the REST layer builds
// one.
func sampleAPI() *Document {
	r := NewRegistry(RegistryConfig{})
	todo := schemaOf[Todo](r)
	shape := schemaOf[Shape](r)
	count, _ := r.Add("loopback.Count", &Schema{
		Title:      "loopback.Count",
		Type:       Types{"object"},
		Properties: map[string]*Schema{"count": {Type: Types{"number"}}},
		Extensions: map[string]any{"x-typescript-type": "@loopback/repository#Count"},
	})
	jsonOf := func(s *Schema) map[string]*MediaType {
		return map[string]*MediaType{"application/json": {Schema: s}}
	}
	d := NewDocument("Sample API", "1.0.0")
	d.Info.Summary = "Todos and shapes"
	d.Info.License = &License{Name: "MIT", Identifier: "MIT"}
	d.Servers = []Server{{URL: "/"}}
	d.Tags = []Tag{{Name: "TodoController", Description: "Todo CRUD"}}
	idParam := &Parameter{Name: "id", In: InPath, Required: true, Schema: schemaOf[int64](r)}
	d.Paths["/todos"] = &PathItem{
		Post: &Operation{
			Tags: []string{"TodoController"}, OperationID: "TodoController.create", Summary: "Create a todo",
			RequestBody: &RequestBody{Required: true, Content: jsonOf(todo)},
			Responses:   map[string]*Response{"200": {Description: "Todo model instance", Content: jsonOf(todo)}},
			Extensions:  map[string]any{"x-controller-name": "TodoController", "x-operation-name": "create"},
		},
		Get: &Operation{
			Tags: []string{"TodoController"}, OperationID: "TodoController.find",
			Parameters: []*Parameter{{
				Name: "filter", In: InQuery,
				Content: jsonOf(&Schema{Type: Types{"object"}, Title: "Todo.Filter", AdditionalProperties: BoolSchema(true)}),
			}},
			Responses: map[string]*Response{"200": {
				Description: "Array of Todo model instances",
				Content:     jsonOf(&Schema{Type: Types{"array"}, Items: todo.Clone()}),
			}},
		},
	}
	d.Paths["/todos/count"] = &PathItem{Get: &Operation{
		Tags: []string{"TodoController"}, OperationID: "TodoController.count",
		Responses: map[string]*Response{"200": {Description: "Todo model count", Content: jsonOf(count)}},
	}}
	d.Paths["/todos/{id}"] = &PathItem{
		Parameters: []*Parameter{idParam},
		Delete: &Operation{
			Tags: []string{"TodoController"}, OperationID: "TodoController.deleteById", Deprecated: true,
			Responses: map[string]*Response{"204": {Description: "Todo DELETE success"}},
			Security:  SecurityRequirements{{"jwt": {}}},
		},
	}
	d.Paths["/shapes"] = &PathItem{Put: &Operation{
		OperationID: "replaceShapes",
		RequestBody: &RequestBody{Content: map[string]*MediaType{
			"application/json":         {Schema: &Schema{Type: Types{"array"}, Items: shape, MinItems: ptr(1)}},
			"application/octet-stream": {Schema: &Schema{Type: Types{"string"}, ContentMediaType: "application/octet-stream"}},
		}},
		Responses: map[string]*Response{
			"204":     {Description: "replaced", Headers: map[string]*Header{"X-Count": {Schema: &Schema{Type: Types{"integer", "null"}, Const: 3}}}},
			"default": {Description: "error"},
		},
	}}
	d.Webhooks = map[string]*PathItem{"todoCreated": {Post: &Operation{
		RequestBody: &RequestBody{Content: jsonOf(todo.Clone())},
		Responses:   map[string]*Response{"200": {Description: "received"}},
	}}}
	d.Components.Schemas = r.Components()
	d.Components.SecuritySchemes = map[string]*SecurityScheme{"jwt": {Type: "http", Scheme: "bearer", BearerFormat: "JWT"}}
	d.Security = SecurityRequirements{}
	return d
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update to accept):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	d := sampleAPI()
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.openapi.json", js)
	y, err := d.YAML()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.openapi.yaml", y)
	js30, err := d.Downgrade30()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.openapi30.json", js30)

	// Deterministic: a second build renders the same bytes.
	again, _ := sampleAPI().JSON()
	if !bytes.Equal(js, again) {
		t.Errorf("two builds of the same document render differently")
	}
	// The YAML and the 3.0 rendering load back to the same 3.1 document
	// (up to what 3.0 cannot say).
	fromYAML, err := Load(y)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := fromYAML.JSON(); !bytes.Equal(b, js) {
		t.Errorf("YAML does not load back to the same document:\n%s", b)
	}
	if _, err := Load(js30); err != nil {
		t.Errorf("Load(3.0 rendering): %v", err)
	}
	// Downgrade30 does not modify the document.
	if b, _ := d.JSON(); !bytes.Equal(b, js) {
		t.Errorf("Downgrade30 modified the document")
	}
}

// The official OpenAPI JSON schemas ship in this pinned module; the test
// reads them from the module cache (go mod download), nothing is copied.
const (
	schemaModule = "github.com/pb33f/libopenapi@v0.42.4"
	schema31File = "datamodel/schemas/oas31-schema.json" // $id https://spec.openapis.org/oas/3.1/schema/2022-10-07
	schema30File = "datamodel/schemas/oas3-schema.json"  // id https://spec.openapis.org/oas/3.0/schema/2021-09-28
)

func moduleDir(t *testing.T, mod string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		msg := "cannot download " + mod + " for the OpenAPI JSON schemas: " + info.Error
		if err != nil {
			msg += " (" + err.Error() + ")"
		}
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return info.Dir
}

func compileFile(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	url := "file:///" + filepath.Base(path)
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOfficialSchemas(t *testing.T) {
	dir := moduleDir(t, schemaModule)
	s31 := compileFile(t, filepath.Join(dir, schema31File))
	s30 := compileFile(t, filepath.Join(dir, schema30File))
	d := sampleAPI()
	js, _ := d.JSON()
	js30, err := d.Downgrade30()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, s *jsonschema.Schema, doc []byte, wantValid bool) {
		t.Helper()
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate(v)
		if wantValid && err != nil {
			t.Errorf("%s does not validate: %v", name, err)
		}
		if !wantValid && err == nil {
			t.Errorf("%s validates; want it rejected", name)
		}
	}
	check("3.1 JSON against the 3.1 schema", s31, js, true)
	check("3.0 JSON against the 3.0 schema", s30, js30, true)
	// The schemas do reject what they should: the 3.1 document (with
	// webhooks, type arrays, numeric exclusiveMinimum) is not valid 3.0.
	check("3.1 JSON against the 3.0 schema", s30, js, false)
	if lb, err := os.ReadFile("../../shared/lb4-todo/openapi.json"); err == nil {
		check("LoopBack todo document against the 3.0 schema", s30, lb, true)
		d, err := Load(lb)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := d.JSON()
		check("LoopBack todo document loaded as 3.1", s31, b, true)
		b30, _ := d.Downgrade30()
		check("LoopBack todo document downgraded again", s30, b30, true)
	}
}
