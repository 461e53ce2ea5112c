package graphql_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

func TestMutations(t *testing.T) {
	for cname, open := range connectors {
		t.Run(cname, func(t *testing.T) {
			fx := newFixture(t, open(t))
			ctx := context.Background()

			status, body := fx.post(t, `mutation($d: NewTodo!) { createTodo(data: $d) { id title todoList { title } } }`,
				map[string]any{"d": map[string]any{"title": "new one", "todoListId": 2}})
			if want := `{"data":{"createTodo":{"id":5,"title":"new one","todoList":{"title":"My daily chores"}}}}`; status != 200 || body != want {
				t.Fatalf("create: %d %s; want %s", status, body, want)
			}
			if got, err := fx.todos.FindByID(ctx, 5, nil); err != nil || got.Title != "new one" || got.TodoListID != 2 {
				t.Fatalf("stored %+v, %v; want the new todo", got, err)
			}

			status, body = fx.post(t, `mutation { updateTodo(id: 5, data: {title: "renamed", isComplete: true}) { title isComplete } }`, nil)
			if want := `{"data":{"updateTodo":{"title":"renamed","isComplete":true}}}`; status != 200 || body != want {
				t.Fatalf("update: %d %s; want %s", status, body, want)
			}

			status, body = fx.post(t, `mutation { deleteTodo(id: 5) }`, nil)
			if want := `{"data":{"deleteTodo":true}}`; status != 200 || body != want {
				t.Fatalf("delete: %d %s; want %s", status, body, want)
			}
			if n, _ := fx.todos.Count(ctx, nil); n != 4 {
				t.Fatalf("count after delete %d; want 4", n)
			}

			// Validation as in REST: a blank required title is 422, nothing is stored.
			status, body = fx.post(t, `mutation { createTodo(data: {title: ""}) { id } }`, nil)
			if status != 200 || !strings.Contains(body, `"statusCode":422`) || !strings.Contains(body, `"data":null`) {
				t.Fatalf("blank title: %d %s; want a 422 field error and null data", status, body)
			}
			// A required property missing is refused by the schema.
			status, body = fx.post(t, `mutation { createTodo(data: {desc: "x"}) { id } }`, nil)
			if status != 400 || !strings.Contains(body, "GRAPHQL_VALIDATION_FAILED") {
				t.Fatalf("missing title: %d %s; want 400 GRAPHQL_VALIDATION_FAILED", status, body)
			}
			// Unknown ids are 404 field errors.
			status, body = fx.post(t, `mutation { updateTodo(id: 99, data: {title: "x"}) { id } }`, nil)
			if status != 200 || !strings.Contains(body, `"code":"ENTITY_NOT_FOUND"`) {
				t.Fatalf("update unknown: %d %s; want ENTITY_NOT_FOUND", status, body)
			}
			status, body = fx.post(t, `mutation { updateTodo(id: 1, data: {}) { id } }`, nil)
			if status != 200 || !strings.Contains(body, `"code":"INVALID_BODY_DEFINITION"`) {
				t.Fatalf("empty update: %d %s; want INVALID_BODY_DEFINITION", status, body)
			}
			if n, _ := fx.todos.Count(ctx, nil); n != 4 {
				t.Fatalf("count after refused writes %d; want 4", n)
			}

			// Mutations are refused over GET.
			res, err := http.Get(fx.srv.URL + "?query=" + `mutation%20%7B%20deleteTodo(id%3A%201)%20%7D`)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMethodNotAllowed {
				t.Fatalf("mutation over GET: %d; want 405", res.StatusCode)
			}
			if ok, _ := fx.todos.Exists(ctx, 1); !ok {
				t.Fatal("todo 1 deleted by a GET")
			}
		})
	}
}

// failing is a connector whose finds fail with a driver's text.
type failing struct{ connector.Connector }

func (failing) Find(context.Context, *model.Definition, *filter.Filter) ([]connector.Record, error) {
	return nil, errors.New(`pq: relation "secret_table" does not exist`)
}

func TestDriverErrorsStayOnServer(t *testing.T) {
	fx := newFixture(t, memoryConn(t))
	fx.conn.Connector = failing{fx.conn.Connector}
	status, body := fx.post(t, `{ todos { id } }`, nil)
	if status != 200 || strings.Contains(body, "secret_table") || !strings.Contains(body, `"message":"Internal Server Error"`) ||
		!strings.Contains(body, `"data":null`) {
		t.Fatalf("got %d %s; want a generic error without the driver's text", status, body)
	}
}

func TestQueryCountMatchesRESTInclusion(t *testing.T) {
	for cname, open := range connectors {
		t.Run(cname, func(t *testing.T) {
			fx := newFixture(t, open(t))
			// GraphQL: lists, their todos, each todo's list: three levels.
			fx.conn.finds.Store(0)
			status, body := fx.post(t, `{ todoLists { id todos { id todoList { id todos { id } } } } }`, nil)
			if status != 200 || strings.Contains(body, "errors") {
				t.Fatalf("got %d %s", status, body)
			}
			gql := fx.conn.finds.Load()
			// The same data through the repository's inclusion, as REST's
			// ?filter[include] reads it.
			f, err := filter.ParseJSON([]byte(`{"include":[{"relation":"todos","scope":{"include":[{"relation":"todoList","scope":{"include":["todos"]}}]}}]}`))
			if err != nil {
				t.Fatal(err)
			}
			fx.conn.finds.Store(0)
			if _, err := fx.lists.Model().Find(context.Background(), f); err != nil {
				t.Fatal(err)
			}
			rest := fx.conn.finds.Load()
			if gql != rest || gql != 4 {
				t.Fatalf("GraphQL ran %d finds, REST inclusion %d; want 4 each (one per level)", gql, rest)
			}
		})
	}
}

func TestGraphiQL(t *testing.T) {
	fx := newFixture(t, memoryConn(t))
	req, _ := http.NewRequest(http.MethodGet, fx.srv.URL, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, res.Body)
	page := b.String()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(page, "<title>GraphiQL</title>") || strings.Contains(page, "https://") {
		t.Fatalf("got %d %q; want the self-contained page", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// A GET with a query runs it.
	res2, err := http.Get(fx.srv.URL + "?query=%7Btodo(id%3A1)%7Btitle%7D%7D")
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	b.Reset()
	_, _ = io.Copy(&b, res2.Body)
	if want := `{"data":{"todo":{"title":"Take over the galaxy"}}}`; b.String() != want {
		t.Fatalf("GET query: %s; want %s", b.String(), want)
	}
}
