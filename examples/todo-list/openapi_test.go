package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// lbDocPath is the OpenAPI document LoopBack 4's todo-list example serves.
const lbDocPath = "../../../shared/lb4-todo-list/openapi.json"

// operationShape is what a client of an operation depends on: its id, its
// parameters, its request body and its responses.
type operationShape struct {
	OperationID string
	Params      []string // "in:name"
	Body        string   // the request body schema, as JSON
	Responses   map[string]string
}

func shapes(t *testing.T, doc map[string]any) map[string]operationShape {
	t.Helper()
	out := map[string]operationShape{}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			s := operationShape{Responses: map[string]string{}}
			s.OperationID, _ = op["operationId"].(string)
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				pm := p.(map[string]any)
				s.Params = append(s.Params, fmt.Sprint(pm["in"], ":", pm["name"]))
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				b, _ := json.Marshal(rb["content"].(map[string]any)["application/json"].(map[string]any)["schema"])
				s.Body = string(b)
			}
			for status, r := range op["responses"].(map[string]any) {
				c, _ := r.(map[string]any)["content"].(map[string]any)
				var schema any
				if c != nil {
					schema = c["application/json"].(map[string]any)["schema"]
				}
				b, _ := json.Marshal(schema)
				s.Responses[status] = string(b)
			}
			out[strings.ToUpper(method)+" "+path] = s
		}
	}
	return out
}

func readJSON(t *testing.T, r io.Reader) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestOpenAPIMatchesLoopBack compares every operation of the document the
// example serves with LoopBack's: the same paths and verbs, operation ids,
// parameters, request bodies, statuses and response schemas; and the
// model schemas (properties, required, additionalProperties).
func TestOpenAPIMatchesLoopBack(t *testing.T) {
	f, err := os.Open(lbDocPath)
	if err != nil {
		t.Skipf("LoopBack's document is not here: %v", err)
	}
	defer f.Close()
	lbDoc := readJSON(t, f)
	base := start(t, config{Host: "127.0.0.1"})
	resp, err := http.Get(base + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ours := readJSON(t, resp.Body)

	want, got := shapes(t, lbDoc), shapes(t, ours)
	// LoopBack's example declares an array as the answer of
	// GET /todos/{id}/todo-list (and /todo-list-images/{id}/todo-list)
	// but answers one TodoList, as this example does: the document here
	// says what is sent.
	for _, k := range []string{"GET /todos/{id}/todo-list", "GET /todo-list-images/{id}/todo-list"} {
		if s, ok := want[k]; ok {
			s.Responses["200"] = `{"$ref":"#/components/schemas/TodoList"}`
		}
	}
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: missing", k)
			continue
		}
		w := want[k]
		slices.Sort(w.Params)
		slices.Sort(g.Params)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: served, but LoopBack's example has no such operation", k)
		}
	}

	// The where schema documents conditions across relations.
	countOp := ours["paths"].(map[string]any)["/todos/count"].(map[string]any)["get"].(map[string]any)
	whereSchema := countOp["parameters"].([]any)[0].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	if d, _ := whereSchema["description"].(string); !strings.Contains(d, "todoList.<property>") {
		t.Errorf("Todo.WhereFilter description: got %q; want it to document todoList.<property>", d)
	}

	lbSchemas := lbDoc["components"].(map[string]any)["schemas"].(map[string]any)
	ourSchemas := ours["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"Todo", "NewTodo", "TodoPartial", "TodoList", "NewTodoList", "TodoListPartial",
		"TodoListImage", "NewTodoListImage", "TodoListImagePartial", "NewTodoInTodoList", "NewTodoListImageInTodoList",
		"TodoWithRelations", "TodoListWithRelations", "TodoListImageWithRelations"} {
		w, _ := lbSchemas[name].(map[string]any)
		g, _ := ourSchemas[name].(map[string]any)
		// The ids and foreign keys are Go int64: the document says
		// "integer", a refinement of LoopBack's "number" that every
		// LoopBack client's integer ids satisfy.
		integerAsNumber(g)
		if g == nil {
			t.Errorf("schema %s: missing", name)
			continue
		}
		for _, key := range []string{"properties", "required", "additionalProperties", "title"} {
			if !reflect.DeepEqual(g[key], w[key]) {
				gb, _ := json.Marshal(g[key])
				wb, _ := json.Marshal(w[key])
				t.Errorf("schema %s %s:\ngot  %s\nwant %s", name, key, gb, wb)
			}
		}
	}
}

// integerAsNumber rewrites {"type":"integer"} properties of a schema as
// {"type":"number"}.
func integerAsNumber(s map[string]any) {
	props, _ := s["properties"].(map[string]any)
	for _, p := range props {
		if pm, ok := p.(map[string]any); ok && pm["type"] == "integer" {
			pm["type"] = "number"
		}
	}
}
