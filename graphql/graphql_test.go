package graphql_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type TodoList struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
	Color string `json:"color,omitempty"`
	Todos []Todo `json:"todos,omitempty" lb:"hasMany"`
}

type Todo struct {
	ID         int64     `json:"id" lb:"id,generated"`
	Title      string    `json:"title" required:"true"`
	Desc       string    `json:"desc,omitempty"`
	IsComplete *bool     `json:"isComplete,omitempty"`
	TodoListID int64     `json:"todoListId,omitempty" lb:"belongsTo,target=TodoList"`
	TodoList   *TodoList `json:"todoList,omitempty" lb:"belongsTo"`
}

// counting counts the connector's Find calls.
type counting struct {
	connector.Connector
	finds atomic.Int64
}

func (c *counting) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	c.finds.Add(1)
	return c.Connector.Find(ctx, def, f)
}

type fixture struct {
	conn  *counting
	lists *repository.CRUD[TodoList, int64]
	todos *repository.CRUD[Todo, int64]
	srv   *httptest.Server
	h     *graphql.Handler
}

// newFixture serves the two models over conn, seeded with LoopBack's
// todo-list example data.
func newFixture(t testing.TB, conn connector.Connector) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{conn: &counting{Connector: conn}}
	var err error
	if fx.lists, err = repository.New[TodoList, int64](fx.conn); err != nil {
		t.Fatal(err)
	}
	if fx.todos, err = repository.New[Todo, int64](fx.conn); err != nil {
		t.Fatal(err)
	}
	var reg repository.Registry
	if err := reg.Add(fx.lists.Model(), fx.todos.Model()); err != nil {
		t.Fatal(err)
	}
	if m, ok := conn.(connector.Migrator); ok {
		if err := m.Autoupdate(ctx, []*model.Definition{fx.lists.Definition(), fx.todos.Definition()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []TodoList{{Title: "Sith lord's check list", Color: "blue"}, {Title: "My daily chores", Color: "red"}} {
		if _, err := fx.lists.Create(ctx, &l); err != nil {
			t.Fatal(err)
		}
	}
	for _, td := range []Todo{
		{Title: "Take over the galaxy", TodoListID: 1},
		{Title: "destroy alderaan", TodoListID: 1},
		{Title: "play space invaders", TodoListID: 2},
		{Title: "crush rebel scum", TodoListID: 1},
	} {
		if _, err := fx.todos.Create(ctx, &td); err != nil {
			t.Fatal(err)
		}
	}
	if fx.h, err = graphql.New(graphql.Config{Models: []*repository.Model{fx.lists.Model(), fx.todos.Model()}}); err != nil {
		t.Fatal(err)
	}
	fx.srv = httptest.NewServer(fx.h)
	t.Cleanup(fx.srv.Close)
	return fx
}

func memoryConn(t testing.TB) connector.Connector {
	t.Helper()
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func sqliteConn(t testing.TB) connector.Connector {
	t.Helper()
	c, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// post sends a GraphQL request and returns the status and body.
func (fx *fixture) post(t testing.TB, query string, vars map[string]any) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := http.Post(fx.srv.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var connectors = map[string]func(testing.TB) connector.Connector{"memory": memoryConn, "sqlite": sqliteConn}

func TestQueries(t *testing.T) {
	cases := []struct {
		name, query string
		vars        map[string]any
		status      int
		want        string
	}{
		{"list with filter", `{ todos(where: {todoListId: 1}, order: ["title DESC"], limit: 2, skip: 1) { id title } }`, nil, 200,
			`{"data":{"todos":[{"id":4,"title":"crush rebel scum"},{"id":1,"title":"Take over the galaxy"}]}}`},
		{"where as JSON text", `query($w: JSON) { todos(where: $w) { id } }`, map[string]any{"w": `{"title":"play space invaders"}`}, 200,
			`{"data":{"todos":[{"id":3}]}}`},
		{"where as variable object", `query($w: JSON) { todos(where: $w) { id } }`, map[string]any{"w": map[string]any{"id": map[string]any{"inq": []any{2, 4}}}}, 200,
			`{"data":{"todos":[{"id":2},{"id":4}]}}`},
		{"nested relations", `{ todoLists(order: ["id ASC"]) { title todos(order: ["id DESC"], limit: 2) { id todoList { color } } } }`, nil, 200,
			`{"data":{"todoLists":[{"title":"Sith lord's check list","todos":[{"id":4,"todoList":{"color":"blue"}},{"id":2,"todoList":{"color":"blue"}}]},{"title":"My daily chores","todos":[{"id":3,"todoList":{"color":"red"}}]}]}}`},
		{"by id with alias and typename", `{ t: todo(id: 3) { __typename id list: todoList { title } } }`, nil, 200,
			`{"data":{"t":{"__typename":"Todo","id":3,"list":{"title":"My daily chores"}}}}`},
		{"unknown id is null", `{ todo(id: 99) { id } }`, nil, 200, `{"data":{"todo":null}}`},
		{"64-bit id", `{ todo(id: 3000000000) { id } }`, nil, 200, `{"data":{"todo":null}}`},
		{"count", `{ todosCount(where: {todoListId: 1}) }`, nil, 200, `{"data":{"todosCount":3}}`},
		{"fragments", `query { todoList(id: 2) { ...L } } fragment L on TodoList { id ... on TodoList { color } }`, nil, 200,
			`{"data":{"todoList":{"id":2,"color":"red"}}}`},
		{"skip directive", `query($s: Boolean!) { todo(id: 1) { id title @skip(if: $s) } }`, map[string]any{"s": true}, 200,
			`{"data":{"todo":{"id":1}}}`},
		{"bad where", `{ todos(where: {nope: 1}) { id } }`, nil, 200, `"statusCode":400`},
		{"unknown field", `{ todos { nope } }`, nil, 400, `Cannot query field \"nope\" on type \"Todo\".`},
		{"syntax error", `{ todos { id }`, nil, 400, `"code":"GRAPHQL_PARSE_FAILED"`},
		{"bad variable", `query($id: Int!) { todo(id: $id) { id } }`, map[string]any{"id": "x"}, 400, `"code":"BAD_USER_INPUT"`},
		{"relation twice with different arguments", `{ todoLists { a: todos(limit: 1) { id } b: todos { id } } }`, nil, 200, `selected twice with different arguments`},
	}
	for cname, open := range connectors {
		t.Run(cname, func(t *testing.T) {
			fx := newFixture(t, open(t))
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					status, body := fx.post(t, c.query, c.vars)
					if status != c.status {
						t.Fatalf("status %d; want %d (%s)", status, c.status, body)
					}
					if c.want[0] == '{' && body != c.want || c.want[0] != '{' && !strings.Contains(body, c.want) {
						t.Fatalf("got %s; want %s", body, c.want)
					}
				})
			}
		})
	}
}

// TestConcurrentRequests runs the same cached query from several
// goroutines (the document cache and the buffer pool are shared).
func TestConcurrentRequests(t *testing.T) {
	fx := newFixture(t, memoryConn(t))
	const want = `{"data":{"todoLists":[{"id":1,"todos":[{"id":1},{"id":2},{"id":4}]},{"id":2,"todos":[{"id":3}]}]}}`
	errs := make(chan string, 8)
	for range 8 {
		go func() {
			for range 20 {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ todoLists { id todos { id } } }"}`))
				r.Header.Set("Content-Type", "application/json")
				fx.h.ServeHTTP(w, r)
				if got := w.Body.String(); got != want {
					errs <- got
					return
				}
			}
			errs <- ""
		}()
	}
	for range 8 {
		if got := <-errs; got != "" {
			t.Fatalf("got %s; want %s", got, want)
		}
	}
}
