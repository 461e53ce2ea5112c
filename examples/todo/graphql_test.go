package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/graphql"
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

// TestGraphQLSubscription follows todoChanged over a graphql-transport-ws
// WebSocket at /graphql while todos are written through the REST API:
// only the changes its where selects arrive, with the fields selected.
func TestGraphQLSubscription(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{graphql.Subprotocol}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	send := func(m string) {
		if err := c.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	msgs := make(chan string, 64)
	send(`{"type":"connection_init"}`)
	send(`{"id":"t","type":"subscribe","payload":{"query":"subscription { todoChanged(where: {isComplete: true}) { kind instance { title isComplete } } }"}}`)
	go func() {
		defer close(msgs)
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			msgs <- string(b)
		}
	}()
	if m := <-msgs; m != `{"type":"connection_ack"}` {
		t.Fatalf("got %s; want the ack", m)
	}
	// The protocol does not say when a subscription has started: write
	// until the first change arrives.
	var first string
	for i := 0; first == ""; i++ {
		if i == 100 {
			t.Fatal("no change arrived")
		}
		do(t, base, step{method: "PATCH", path: "/todos/1", body: `{"title":"try","isComplete":true}`})
		select {
		case first = <-msgs:
		case <-time.After(50 * time.Millisecond):
		}
	}
	if want := `{"id":"t","type":"next","payload":{"data":{"todoChanged":{"kind":"UPDATE","instance":{"title":"try","isComplete":true}}}}}`; first != want {
		t.Fatalf("got %s; want %s", first, want)
	}
	do(t, base, step{method: "PATCH", path: "/todos/2", body: `{"title":"not selected","isComplete":false}`})
	do(t, base, step{method: "PATCH", path: "/todos/1", body: `{"title":"last","isComplete":true}`})
	for m := range msgs {
		if strings.Contains(m, "not selected") {
			t.Fatalf("a change outside the where arrived: %s", m)
		}
		if strings.Contains(m, `"title":"last"`) {
			return
		}
	}
	t.Fatal("the last change never arrived")
}
