package validate

import (
	"os"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

// TestLoopBackTodoDocument compiles every schema of the document LoopBack 4
// serves for its todo example and checks the errors its CRUD endpoints
// report.
func TestLoopBackTodoDocument(t *testing.T) {
	data, err := os.ReadFile("../../../shared/lb4-todo/openapi.json")
	if err != nil {
		t.Skipf("LoopBack todo document not available: %v", err)
	}
	doc, err := openapi.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	comps := doc.Components.Schemas
	for name, s := range comps {
		if _, err := Compile(s, comps); err != nil {
			t.Errorf("Compile(%s): %v", name, err)
		}
	}
	tests := []struct{ schema, body, want string }{
		{"NewTodo", `{"title":"a","id":1}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}}]`},
		{"NewTodo", `{"desc":7}`, `[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}},{"path":"/desc","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{"NewTodo", `null`, `[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`},
		{"TodoPartial", `{}`, `null`},
		{"Todo.Filter", `{"limit":0,"fields":{"nope":true}}`, `[{"path":"/limit","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}},{"path":"/fields","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"nope"}},{"path":"/fields","code":"type","message":"must be array","info":{"type":"array"}},{"path":"/fields","code":"oneOf","message":"must match exactly one schema in oneOf","info":{"passingSchemas":null}}]`},
	}
	for _, tt := range tests {
		v, err := Compile(&openapi.Schema{Ref: openapi.ComponentPrefix + tt.schema}, comps)
		if err != nil {
			t.Fatal(err)
		}
		if got := detailsJSON(t, v.Validate(decode(t, tt.body))); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.schema, tt.body, got, tt.want)
		}
	}
}
