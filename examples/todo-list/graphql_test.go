package main

import (
	"encoding/json"
	"testing"
)

// TestGraphQL queries the relations of the example's data as GraphQL
// fields, and writes through a mutation, on every backend.
func TestGraphQL(t *testing.T) {
	gql := func(query string) string {
		b, _ := json.Marshal(map[string]string{"query": query})
		return string(b)
	}
	steps := []step{
		{"POST", "/graphql", gql(`{ todoLists(where: {color: "blue"}) { title todos(order: ["id DESC"], limit: 2) { id todoList { color } } image { value } } }`), 200,
			`{"data":{"todoLists":[{"title":"Sith lord's check list","todos":[{"id":4,"todoList":{"color":"blue"}},{"id":2,"todoList":{"color":"blue"}}],"image":null}]}}`},
		{"POST", "/graphql", gql(`mutation { createTodoListImage(data: {value: "jpeg", todoListId: 2}) { id todoList { title image { value } } } }`), 200,
			`{"data":{"createTodoListImage":{"id":1,"todoList":{"title":"My daily chores","image":{"value":"jpeg"}}}}}`},
		{"POST", "/graphql", gql(`mutation { createTodo(data: {title: "x", todoListId: 99}) { id } }`), 200,
			`{"errors":[{"message":"Entity not found: TodoList with id 99","locations":[{"line":1,"column":12}],"path":["createTodo"],"extensions":{"code":"ENTITY_NOT_FOUND","statusCode":404}}],"data":null}`},
		{"GET", "/graphql?query=" + `%7BtodosCount%7D`, "", 200, `{"data":{"todosCount":4}}`},
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			run1(t, start(t, b.config(t)), steps)
		})
	}
}
