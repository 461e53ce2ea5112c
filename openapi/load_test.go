package openapi

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not an object", `[1]`, `document must be a JSON or YAML object`},
		{"no version", `{"info":{"title":"x","version":"1"}}`, `openapi: openapi: missing version field`},
		{"swagger", `{"swagger":"2.0"}`, `swagger 2.0 documents are not supported`},
		{"bad version", `{"openapi":"4.0.0"}`, `unsupported version "4.0.0"`},
		{"version type", `{"openapi":3}`, `openapi: openapi: must be a string`},
		{"response description", `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/todos":{"get":{"responses":{"200":{"description":5}}}}}}`,
			`openapi: paths./todos.get.responses.200.description: cannot use number as a string`},
		{"parameters not array", `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/todos":{"get":{"parameters":{}}}}}`,
			`openapi: paths./todos.get.parameters: must be an array`},
		{"schema keyword", `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"components":{"schemas":{"Todo":{"properties":{"id":{"minimum":"one"}}}}}}`,
			`openapi: components.schemas.Todo: properties: id: minimum: json: cannot unmarshal string`},
		{"bad yaml", "openapi: 3.1.0\ninfo: [", `parse yaml`},
		{"yaml duplicate key", "openapi: 3.1.0\nopenapi: 3.0.0\n", `duplicate key "openapi"`},
		{"empty", "", `empty document`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestLoad30(t *testing.T) {
	doc := `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /todos/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer, minimum: 0, exclusiveMinimum: true, example: 3}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                nullable: true
                allOf: [{$ref: "#/components/schemas/Todo"}]
components:
  schemas:
    Todo:
      type: object
      properties:
        title: {type: string, nullable: true, enum: [a, b]}
        big: {type: integer, maximum: 9007199254740993}
      x-typescript-type: Todo
`
	d, err := Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if d.OpenAPI != Version {
		t.Errorf("got version %q; want %q", d.OpenAPI, Version)
	}
	got, _ := marshal(d.Paths["/todos/{id}"].Get.Parameters[0].Schema)
	if want := `{"type":"integer","examples":[3],"exclusiveMinimum":0}`; string(got) != want {
		t.Errorf("parameter schema:\n got %s\nwant %s", got, want)
	}
	got, _ = marshal(d.Components.Schemas["Todo"])
	if want := `{"type":"object","properties":{"title":{"type":["string","null"],"enum":["a","b",null]},"big":{"type":"integer","maximum":9007199254740992}},"x-typescript-type":"Todo"}`; string(got) != want {
		t.Errorf("Todo:\n got %s\nwant %s", got, want)
	}
	got, _ = marshal(d.Paths["/todos/{id}"].Get.Responses["200"].Content["application/json"].Schema)
	if want := `{"anyOf":[{"allOf":[{"$ref":"#/components/schemas/Todo"}]},{"type":"null"}]}`; string(got) != want {
		t.Errorf("response schema:\n got %s\nwant %s", got, want)
	}
}

func TestLoadLoopBackTodo(t *testing.T) {
	data, err := os.ReadFile("../../shared/lb4-todo/openapi.json")
	if err != nil {
		t.Skipf("LoopBack todo document not available: %v", err)
	}
	d, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	op := d.Paths["/todos/{id}"].Get
	if op == nil || op.OperationID != "TodoController.findById" || op.Extensions["x-controller-name"] != "TodoController" {
		t.Fatalf("GET /todos/{id} not loaded as expected: %+v", op)
	}
	todo := d.Components.Schemas["Todo"]
	if got := strings.Join(todo.PropertyOrder, ","); got != "id,title,desc,isComplete,remindAtAddress,remindAtGeo,tag" {
		t.Errorf("got property order %s", got)
	}
	// Every schema, operation and extension survives a JSON round trip.
	var orig, back any
	_ = json.Unmarshal(data, &orig)
	out, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(out, &back)
	o, b := orig.(map[string]any), back.(map[string]any)
	o["openapi"], b["openapi"] = nil, nil
	// 3.0 → 3.1 turns "example" into "examples": compare after undoing it.
	ob, _ := json.Marshal(o)
	bb, _ := json.Marshal(b)
	bs := strings.ReplaceAll(string(bb), `"examples":[100]`, `"example":100`)
	bs = strings.ReplaceAll(bs, `"examples":["id"]`, `"example":"id"`)
	if canon(t, string(ob)) != canon(t, bs) {
		t.Errorf("round trip changed the document:\n got %s\nwant %s", bs, ob)
	}
}

func canon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
