package main

import (
	"net/url"
	"testing"
)

// TestGraphQL reads and writes todos through /graphql, and serves the
// GraphiQL page to browsers.
func TestGraphQL(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	steps := []step{
		{method: "POST", path: "/graphql", body: `{"query":"{ todos(where: {title: {like: \"^play\"}}) { id title isComplete } }"}`, status: 200,
			want: `{"data":{"todos":[{"id":3,"title":"play space invaders","isComplete":null}]}}`},
		{method: "POST", path: "/graphql", body: `{"query":"mutation($d: NewTodo!) { createTodo(data: $d) { id title } }","variables":{"d":{"title":"from GraphQL"}}}`, status: 200,
			want: `{"data":{"createTodo":{"id":5,"title":"from GraphQL"}}}`},
		{method: "GET", path: "/todos/5", status: 200, contains: []string{`"title":"from GraphQL"`}},
		{method: "GET", path: "/graphql?query=" + url.QueryEscape(`{ todo(id: 5) { title } }`), status: 200,
			want: `{"data":{"todo":{"title":"from GraphQL"}}}`},
		{method: "POST", path: "/graphql", body: `{"query":"{ todos { nope } }"}`, status: 400,
			contains: []string{`"code":"GRAPHQL_VALIDATION_FAILED"`}},
	}
	for _, s := range steps {
		check(t, backend{name: "memory"}, base, s)
	}
	status, h, _ := do(t, base, step{method: "GET", path: "/graphql"})
	if status != 400 || h.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("GET /graphql without a query: %d %s; want a 400 JSON error", status, h.Get("Content-Type"))
	}
}
