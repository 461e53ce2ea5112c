package rest

import (
	"encoding/json"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

func ptr[T any](v T) *T { return &v }

// quickSchemas are schemas compileQuick handles (a model's request bodies,
// arrays, $refs) and the components they reference.
func quickSchemas() (map[string]*openapi.Schema, map[string]*openapi.Schema) {
	str := &openapi.Schema{Type: openapi.Types{"string"}}
	newTodo := &openapi.Schema{
		Title: "NewTodo", Description: "a todo", Type: openapi.Types{"object"},
		Properties: map[string]*openapi.Schema{
			"title": str, "desc": str,
			"isComplete": {Type: openapi.Types{"boolean"}},
			"n":          {Type: openapi.Types{"integer", "null"}, Default: 3.0},
			"score":      {Type: openapi.Types{"number"}},
			"tag":        {},
			"tags":       {Type: openapi.Types{"array"}, Items: str},
			"never":      openapi.BoolSchema(false),
			"meta":       {Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)},
		},
		PropertyOrder:        []string{"title", "desc", "isComplete", "n", "score", "tag", "tags", "never", "meta"},
		Required:             []string{"title"},
		AdditionalProperties: openapi.BoolSchema(false),
		Extensions:           map[string]any{"x-typescript-type": "Omit<Todo, 'id'>"},
	}
	comps := map[string]*openapi.Schema{"NewTodo": newTodo}
	return map[string]*openapi.Schema{
		"NewTodo": newTodo,
		"ref":     {Ref: "#/components/schemas/NewTodo"},
		"list":    {Type: openapi.Types{"array"}, Items: &openapi.Schema{Ref: "#/components/schemas/NewTodo"}},
		"open":    {Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{"a": {Type: openapi.Types{"string"}}}},
		"any":     {},
	}, comps
}

// TestQuickCheck checks which schemas get a quick check, that it accepts
// the common valid values, and that it never accepts a value the full
// validator rejects.
func TestQuickCheck(t *testing.T) {
	schemas, comps := quickSchemas()
	unsupported := map[string]*openapi.Schema{
		"format":    {Type: openapi.Types{"string"}, Format: "date-time"},
		"minLength": {Type: openapi.Types{"string"}, MinLength: ptr(1)},
		"nested":    {Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{"a": {Pattern: "^a"}}},
		"enum":      {Enum: []any{"a"}},
		"oneOf":     {OneOf: []*openapi.Schema{{Type: openapi.Types{"string"}}}},
		"bad ref":   {Ref: "#/components/schemas/Missing"},
		"extension": {Extensions: map[string]any{"nullable": true}},
		"ref+type":  {Ref: "#/components/schemas/NewTodo", Type: openapi.Types{"object"}},
	}
	for name, s := range unsupported {
		if q := compileQuick(s, comps); q != nil {
			t.Errorf("%s: got a quick check; want none", name)
		}
	}
	tests := []struct {
		schema string
		value  string
		quick  bool // the quick check accepts it
	}{
		{"NewTodo", `{"title":"benchmark todo","desc":"created by the benchmark","isComplete":false}`, true},
		{"NewTodo", `{"title":"t","n":1,"score":1.5,"tag":{"x":[1]},"tags":["a"],"meta":{"k":null}}`, true},
		{"NewTodo", `{"title":"t","n":null}`, true},
		{"NewTodo", `{"title":"t","n":1.5}`, false},
		{"NewTodo", `{"desc":"no title"}`, false},
		{"NewTodo", `{"title":1}`, false},
		{"NewTodo", `{"title":"t","extra":1}`, false},
		{"NewTodo", `{"title":"t","never":1}`, false},
		{"NewTodo", `{"title":"t","tags":["a",1]}`, false},
		{"NewTodo", `["title"]`, false},
		{"NewTodo", `null`, false},
		{"ref", `{"title":"t"}`, true},
		{"ref", `{"title":null}`, false},
		{"list", `[{"title":"a"},{"title":"b"}]`, true},
		{"list", `[{"title":"a"},{}]`, false},
		{"open", `{"a":"x","b":[1,2]}`, true},
		{"open", `"just a string"`, false},
		{"any", `[1,"x",null]`, true},
	}
	for _, tt := range tests {
		s := schemas[tt.schema]
		vl, err := compileValidator(s, comps)
		if err != nil {
			t.Fatal(err)
		}
		if vl.quick == nil {
			t.Fatalf("%s: got no quick check", tt.schema)
		}
		var v any
		if err := json.Unmarshal([]byte(tt.value), &v); err != nil {
			t.Fatal(err)
		}
		if got := vl.quick.accepts(v); got != tt.quick {
			t.Errorf("%s %s: quick check got %v; want %v", tt.schema, tt.value, got, tt.quick)
		}
		full := vl.v.Validate(v)
		if vl.quick.accepts(v) && len(full) > 0 {
			t.Errorf("%s %s: quick check accepts what the validator rejects: %v", tt.schema, tt.value, full)
		}
		if got, err := vl.validate(v); err != nil || len(got) != len(full) {
			t.Errorf("%s %s: validate got %v; want %v", tt.schema, tt.value, got, full)
		}
	}
	if (&quickCheck{}).accepts(int64(1)) {
		t.Error("a Go int64 (not decoded JSON): got accepted; want the full validator to decide")
	}
}

// FuzzQuickCheck checks on arbitrary JSON that the quick check never
// accepts a value the full validator rejects.
func FuzzQuickCheck(f *testing.F) {
	schemas, comps := quickSchemas()
	var vls []*validator
	for _, name := range []string{"NewTodo", "ref", "list", "open"} {
		vl, err := compileValidator(schemas[name], comps)
		if err != nil || vl.quick == nil {
			f.Fatalf("%s: %v (quick check %v)", name, err, vl)
		}
		vls = append(vls, vl)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		for _, vl := range vls {
			if vl.quick.accepts(v) {
				if d := vl.v.Validate(v); len(d) > 0 {
					t.Fatalf("%s: quick check accepts what the validator rejects: %v", data, d)
				}
			}
		}
	})
}
