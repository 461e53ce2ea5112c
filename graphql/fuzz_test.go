package graphql_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/loopback-go/lb/graphql"
)

// FuzzDo runs arbitrary queries and variables: the handler never panics,
// answers 200, 400 or 405, always with a JSON body, and never writes a
// Go error's text for an internal failure.
func FuzzDo(f *testing.F) {
	f.Add(`{ todos(where: {title: "x"}, order: ["id DESC"], limit: 1) { id todoList { todos { id } } } }`, `{}`)
	f.Add(`query($w: JSON) { todos(where: $w) { id } }`, `{"w": "{\"or\":[{\"id\":1},{\"id\":{\"gt\":2}}]}"}`)
	f.Add(`mutation { createTodo(data: {title: "t"}) { id } }`, `{}`)
	f.Add(`{ todoList(id: 1) { ...F } } fragment F on TodoList { todos(skip: -1) { id } }`, `{}`)
	f.Add(`query($id: Int!) { todo(id: $id) { id } }`, `{"id": 1e99}`)
	f.Fuzz(func(t *testing.T, query, vars string) {
		fx := newFixture(t, memoryConn(t))
		var v map[string]any
		_ = json.Unmarshal([]byte(vars), &v)
		resp := fx.h.Do(context.Background(), graphql.Request{Query: query, Variables: v}, true)
		switch resp.Status {
		case http.StatusOK, http.StatusBadRequest, http.StatusMethodNotAllowed:
		default:
			t.Fatalf("status %d", resp.Status)
		}
		b, err := resp.AppendJSON(nil)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		if !json.Valid(b) {
			t.Fatalf("invalid JSON %s", b)
		}
		for _, e := range resp.Errors {
			if strings.Contains(e.Message, "graphql:") || strings.Contains(e.Message, "memory") {
				t.Fatalf("internal text in %q", e.Message)
			}
		}
	})
}
