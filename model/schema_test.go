package model

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func mustLoad(t *testing.T, path string) *Definition {
	t.Helper()
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// todoSchemas returns the schemas of the LoopBack todo example as named in
// its document.
func todoSchemas(t *testing.T) map[string]*openapi.Schema {
	t.Helper()
	d := mustLoad(t, "testdata/todo.model.json")
	comps, err := Components(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	// LoopBack's todo controller excludes its (not generated) id explicitly.
	comps["NewTodo"] = Schema(d, SchemaOptions{Title: "NewTodo", Exclude: []string{"id"}})
	return comps
}

func TestSchemaGolden(t *testing.T) {
	comps := todoSchemas(t)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(comps); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	golden := filepath.Join("testdata", "todo.schemas.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		t.Errorf("schemas differ from %s (run go test -update after checking):\n%s", golden, got)
	}
}

// TestSchemaMatchesLoopBack compares our todo schemas with those in the
// document LoopBack 4's todo example serves, after resolving our component
// references and writing "examples" as 3.0's "example".
func TestSchemaMatchesLoopBack(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "lb4-todo", "openapi.json"))
	if err != nil {
		t.Skipf("LoopBack's todo document is not beside the repository: %v", err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	comps := todoSchemas(t)
	plainComps := map[string]any{}
	for k, s := range comps {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		plainComps[k] = v
	}
	for _, name := range []string{"Todo", "NewTodo", "TodoWithRelations", "TodoPartial", "Todo.Filter", "Todo.Filter1", "loopback.Count"} {
		t.Run(name, func(t *testing.T) {
			want := doc.Components.Schemas[name]
			got := to30(resolve(plainComps[name], plainComps))
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
}

func resolve(v any, comps map[string]any) any {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			return resolve(comps[strings.TrimPrefix(ref, DefaultRefPrefix)], comps)
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = resolve(e, comps)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolve(e, comps)
		}
		return out
	}
	return v
}

func to30(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if k == "examples" {
				if arr, ok := e.([]any); ok && len(arr) > 0 {
					out["example"] = to30(arr[0])
					continue
				}
			}
			out[k] = to30(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = to30(e)
		}
		return out
	}
	return v
}

func TestSchemaVariants(t *testing.T) {
	d := MustFromStruct[todo]()
	tests := []struct {
		opts        SchemaOptions
		title       string
		required    []string
		has, hasNot []string
		additional  bool
	}{
		{SchemaOptions{}, "Todo", []string{"title"}, []string{"id", "createdAt"}, []string{"secret", "todoList"}, true},
		{SchemaOptions{Title: "NewTodo", Exclude: []string{"id"}}, "NewTodo", []string{"title"}, []string{"title"}, []string{"id"}, true},
		{SchemaOptions{Partial: true}, "TodoPartial", nil, []string{"id"}, nil, true},
		{SchemaOptions{Optional: []string{"title"}}, "TodoOptional_title_", nil, []string{"title"}, nil, true},
		{SchemaOptions{Exclude: []string{"id", "desc"}}, "TodoExcluding_id-desc_", []string{"title"}, nil, []string{"id", "desc"}, true},
		{SchemaOptions{IncludeRelations: true}, "TodoWithRelations", []string{"title"}, []string{"todoList"}, nil, true},
		{SchemaOptions{IncludeHidden: true}, "Todo", []string{"title"}, []string{"secret"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			s := Schema(d, tt.opts)
			if s.Title != tt.title {
				t.Errorf("title = %q; want %q", s.Title, tt.title)
			}
			if !reflect.DeepEqual(s.Required, tt.required) {
				t.Errorf("required = %v; want %v", s.Required, tt.required)
			}
			for _, n := range tt.has {
				if s.Properties[n] == nil {
					t.Errorf("property %q missing", n)
				}
			}
			for _, n := range tt.hasNot {
				if s.Properties[n] != nil {
					t.Errorf("property %q present; want absent", n)
				}
			}
			// todo is strict=false: no additionalProperties: false.
			if s.AdditionalProperties != nil {
				t.Errorf("additionalProperties = %v; want unset for a non-strict model", s.AdditionalProperties)
			}
		})
	}
	s := Schema(d, SchemaOptions{IncludeRelations: true})
	if got := s.Properties["todoList"].Ref; got != "#/components/schemas/TodoListWithRelations" {
		t.Errorf("todoList ref = %q", got)
	}
	b, _ := json.Marshal(s.Properties["title"])
	if got, want := string(b), `{"description":"What to do.","type":"string","minLength":1,"maxLength":100}`; !jsonEqual(got, want) {
		t.Errorf("title schema = %s; want %s", got, want)
	}
	b, _ = json.Marshal(s.Properties["createdAt"])
	if got, want := string(b), `{"type":"string","format":"date-time"}`; !jsonEqual(got, want) {
		t.Errorf("createdAt schema = %s; want %s", got, want)
	}
	b, _ = json.Marshal(s.Properties["address"])
	if got, want := string(b), `{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string"}},"required":["city"]}`; !jsonEqual(got, want) {
		t.Errorf("address schema = %s; want %s", got, want)
	}
}

func TestComponentsWithRegistry(t *testing.T) {
	var reg Registry
	todoDef, listDef := MustFromStruct[todo](), MustFromStruct[todoList]()
	if err := reg.Add(todoDef, listDef); err != nil {
		t.Fatal(err)
	}
	comps, err := Components(listDef, &reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"TodoList", "NewTodoList", "TodoListPartial", "TodoListWithRelations", "TodoWithRelations",
		"TodoList.Filter", "TodoList.Filter1", "TodoList.Fields", "TodoList.IncludeFilter", "TodoList.IncludeFilter.Items", "TodoList.ScopeFilter", "loopback.Count"} {
		if comps[n] == nil {
			t.Errorf("component %q missing", n)
		}
	}
	if _, err := Components(listDef, &Registry{}); err == nil {
		t.Errorf("Components with an empty registry: got no error; want model Todo is not registered")
	}
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// TestFilterSchemasGeneratorFriendly guards against the schema shape that
// makes oapi-codegen fail on LoopBack's own document ("duplicate typename
// TodoFilterFields1"): an enum inlined in a oneOf/anyOf alternative.
func TestFilterSchemasGeneratorFriendly(t *testing.T) {
	d := MustFromStruct[todoList]()
	all := FilterComponents(d, "")
	all["f"] = FilterSchema(d, FilterOptions{})
	all["f1"] = FilterSchema(d, FilterOptions{ExcludeWhere: true})
	var walk func(name string, s *openapi.Schema, inUnion bool)
	walk = func(name string, s *openapi.Schema, inUnion bool) {
		if s == nil {
			return
		}
		if inUnion && (len(s.Enum) > 0 || s.Items != nil && len(s.Items.Enum) > 0) {
			t.Errorf("%s: enum inlined in a oneOf/anyOf alternative", name)
		}
		for _, m := range append(append([]*openapi.Schema{}, s.OneOf...), s.AnyOf...) {
			walk(name, m, true)
		}
		for k, p := range s.Properties {
			walk(name+"."+k, p, false)
		}
		walk(name+"[]", s.Items, inUnion)
	}
	for name, s := range all {
		walk(name, s, false)
	}
}

// TestIncludeFilterSchema checks the include description: a relation
// name, in the string form of an entry or the relation of its object form,
// is any string (no enum), so that an unknown relation passes the schema
// and reaches the filter package, which answers INVALID_INCLUSION_FILTER
// as LoopBack does.
func TestIncludeFilterSchema(t *testing.T) {
	cases := []struct {
		name            string
		def             *Definition
		items, relation string
	}{
		{"with relations", MustFromStruct[todoList](),
			`{"anyOf":[{"$ref":"#/components/schemas/TodoList.IncludeFilter.Items"},{"type":"string"}]}`,
			`{"type":"string","examples":["todos"]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			comps := FilterComponents(c.def, "")
			n := c.def.Name
			for _, opts := range []FilterOptions{{}, {ExcludeWhere: true}} {
				b, _ := json.Marshal(FilterSchema(c.def, opts).Properties["include"])
				if want := `{"$ref":"#/components/schemas/` + n + `.IncludeFilter"}`; string(b) != want {
					t.Errorf("include of %s = %s; want %s", FilterSchemaName(c.def, opts), b, want)
				}
			}
			inc := comps[n+".IncludeFilter"]
			if inc == nil {
				t.Fatalf("component %s.IncludeFilter missing", n)
			}
			if b, _ := json.Marshal(inc.Items); !jsonEqual(string(b), c.items) {
				t.Errorf("include items = %s; want %s", b, c.items)
			}
			b, _ := json.Marshal(comps[n+".IncludeFilter.Items"].Properties["relation"])
			if !jsonEqual(string(b), c.relation) {
				t.Errorf("relation = %s; want %s", b, c.relation)
			}
			for name, cs := range comps {
				if len(cs.Enum) > 0 && name != n+".FieldName" {
					t.Errorf("component %s has an enum %v; want none but FieldName's", name, cs.Enum)
				}
			}
			if comps[n+".ScopeFilter"] == nil {
				t.Errorf("component %s.ScopeFilter missing", n)
			}
		})
	}
}

// TestFilterSchemaWithoutRelations checks that, as in LoopBack, the filter
// schemas of a model without relations have no include, and that the
// include components are left out.
func TestFilterSchemaWithoutRelations(t *testing.T) {
	def := mustLoad(t, "testdata/todo.model.json")
	for _, opts := range []FilterOptions{{}, {ExcludeWhere: true}} {
		s := FilterSchema(def, opts)
		if _, ok := s.Properties["include"]; ok || slices.Contains(s.PropertyOrder, "include") {
			t.Errorf("%s has include; want none", FilterSchemaName(def, opts))
		}
		if b, ok := s.AdditionalProperties.IsBool(); !ok || b {
			t.Errorf("%s: additionalProperties = %v; want false", FilterSchemaName(def, opts), s.AdditionalProperties)
		}
	}
	comps := FilterComponents(def, "")
	if got := slices.Sorted(maps.Keys(comps)); !slices.Equal(got, []string{"Todo.FieldName", "Todo.Fields"}) {
		t.Errorf("components = %v; want [Todo.FieldName Todo.Fields]", got)
	}
}
