package graphql_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/loopback-go/lb/graphql"
)

// introspectionQuery is the query GraphQL tools (GraphiQL, code
// generators) send, as graphql-js's getIntrospectionQuery writes it.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

func TestIntrospection(t *testing.T) {
	fx := newFixture(t, memoryConn(t))
	resp := fx.h.Do(context.Background(), graphql.Request{Query: introspectionQuery}, false)
	b, err := resp.AppendJSON(nil)
	if err != nil || resp.Status != 200 || len(resp.Errors) > 0 {
		t.Fatalf("got %d %s, %v", resp.Status, b, err)
	}
	var got struct {
		Data struct {
			Schema struct {
				QueryType    struct{ Name string }
				MutationType struct{ Name string }
				Types        []struct {
					Kind, Name string
					Fields     []struct {
						Name string
						Args []struct{ Name string }
						Type struct {
							Kind   string
							OfType struct {
								Kind   string
								OfType struct{ Kind, Name string }
							}
						}
					}
					InputFields []struct{ Name string }
				}
			} `json:"__schema"`
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	s := got.Data.Schema
	if s.QueryType.Name != "Query" || s.MutationType.Name != "Mutation" {
		t.Fatalf("root types %q, %q; want Query, Mutation", s.QueryType.Name, s.MutationType.Name)
	}
	found := map[string]bool{}
	for _, ty := range s.Types {
		for _, f := range ty.Fields {
			switch {
			case ty.Name == "TodoList" && f.Name == "todos":
				// [Todo!]! with the filter arguments
				ok := f.Type.Kind == "NON_NULL" && f.Type.OfType.Kind == "LIST" && f.Type.OfType.OfType.Kind == "NON_NULL" && len(f.Args) == 4
				found["TodoList.todos"] = ok
			case ty.Name == "Query" && f.Name == "todos":
				found["Query.todos"] = len(f.Args) == 4
			}
		}
		if ty.Name == "NewTodo" && ty.Kind == "INPUT_OBJECT" {
			found["NewTodo"] = len(ty.InputFields) == 4 // title, desc, isComplete, todoListId
		}
	}
	for _, k := range []string{"TodoList.todos", "Query.todos", "NewTodo"} {
		if !found[k] {
			t.Errorf("%s missing or wrong in %s", k, b)
		}
	}
	resp = fx.h.Do(context.Background(), graphql.Request{Query: `{ __type(name: "Todo") { name kind fields { name } } nope: __type(name: "Nope") { name } }`}, false)
	b, _ = resp.AppendJSON(nil)
	if want := `{"data":{"__type":{"name":"Todo","kind":"OBJECT","fields":[{"name":"id"},{"name":"title"},{"name":"desc"},{"name":"isComplete"},{"name":"todoListId"},{"name":"todoList"}]},"nope":null}}`; string(b) != want {
		t.Errorf("__type: got %s; want %s", b, want)
	}
}
