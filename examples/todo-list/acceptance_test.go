package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
)

// The seed data as the API returns it.
const (
	list1 = `{"id":1,"title":"Sith lord's check list","color":"blue"}`
	list2 = `{"id":2,"title":"My daily chores","color":"red"}`
	todo1 = `{"id":1,"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA","todoListId":1}`
	todo2 = `{"id":2,"title":"destroy alderaan","desc":"Make sure there are no survivors left!","todoListId":1}`
	todo3 = `{"id":3,"title":"play space invaders","desc":"Become the very best!","todoListId":2}`
	todo4 = `{"id":4,"title":"crush rebel scum","desc":"Every.Last.One.","todoListId":1}`
)

func arr(items ...string) string { return "[" + strings.Join(items, ",") + "]" }

// with adds a property (raw JSON) to an object's JSON.
func with(obj, key, value string) string {
	return strings.TrimSuffix(obj, "}") + `,"` + key + `":` + value + "}"
}

// backend is a store the acceptance tests run against.
type backend struct {
	name   string
	config func(t *testing.T) config // a fresh store
}

// backends returns memory (with and without a file), SQLite, and
// PostgreSQL and MySQL when they answer: outside CI an absent server is
// skipped with a message, under CI=true it fails the test. The SQL
// databases get their own schema (PostgreSQL) and database (MySQL), so that
// these tests do not race other packages' for a "Todo" table.
func backends(t *testing.T) []backend {
	bs := []backend{
		{"memory", func(t *testing.T) config { return config{Host: "127.0.0.1"} }},
		{"memory-file", func(t *testing.T) config {
			return config{Host: "127.0.0.1", DBFile: filepath.Join(t.TempDir(), "data", "db.json")}
		}},
		{"sqlite", func(t *testing.T) config {
			return config{Host: "127.0.0.1", DBURL: "sqlite:" + filepath.Join(t.TempDir(), "todo-list.db")}
		}},
	}
	sqlBackend := func(name, u, setup string) {
		if err := execSQL(u, setup); err != nil {
			if os.Getenv("CI") == "true" {
				t.Errorf("%s at %s is not usable: %v", name, redact(u), err)
			} else {
				t.Logf("skipping the %s backend: %s is not usable: %v", name, redact(u), err)
			}
			return
		}
		bs = append(bs, backend{name, func(t *testing.T) config {
			for _, table := range []string{"TodoListImage", "Todo", "TodoList"} {
				q := `DROP TABLE IF EXISTS "` + table + `"`
				if name == "mysql" {
					q = "DROP TABLE IF EXISTS `" + table + "`"
				}
				if err := execSQL(u, q); err != nil {
					t.Fatalf("reset %s: %v", table, err)
				}
			}
			return config{Host: "127.0.0.1", DBURL: u}
		}})
	}
	pgURL := os.Getenv("TODO_LIST_POSTGRES_URL")
	if pgURL == "" {
		pgURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=todo_list_example"
	}
	sqlBackend("postgres", pgURL, "CREATE SCHEMA IF NOT EXISTS todo_list_example")
	myURL := os.Getenv("TODO_LIST_MYSQL_URL")
	if myURL == "" {
		if err := execSQL("mysql://root@127.0.0.1:3306/test", "CREATE DATABASE IF NOT EXISTS todo_list_example"); err != nil {
			t.Logf("create the MySQL database todo_list_example: %v", err)
		}
		myURL = "mysql://root@127.0.0.1:3306/todo_list_example"
	}
	sqlBackend("mysql", myURL, "SELECT 1")
	return bs
}

// execSQL runs one statement on the database at u.
func execSQL(u, stmt string) error {
	var (
		c   connector.Connector
		err error
	)
	if strings.HasPrefix(u, "mysql://") {
		c, err = mysql.Open(u)
	} else {
		c, err = postgres.Open(u)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	ex, ok := c.(connector.Executor)
	if !ok {
		return fmt.Errorf("%T cannot execute statements", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = ex.Execute(ctx, stmt)
	return err
}

// start serves the example on a free port and returns its base URL.
func start(t *testing.T, cfg config) string {
	t.Helper()
	ctx := context.Background()
	a, err := newApp(ctx, cfg)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	if err := a.srv.Start(ctx); err != nil {
		a.close()
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.srv.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		if err := a.close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return a.srv.URL()
}

// step is one request and the exact response body it must get; a want
// starting with "~" is a substring of the body instead.
type step struct {
	method, path, body string
	status             int
	want               string
}

// call sends a request and returns the status and body.
func call(t *testing.T, base, method, path, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func run1(t *testing.T, base string, steps []step) {
	t.Helper()
	for i, s := range steps {
		status, got := call(t, base, s.method, s.path, s.body)
		switch {
		case status != s.status:
			t.Errorf("step %d: %s %s: got %d %s; want %d", i, s.method, s.path, status, got, s.status)
		case strings.HasPrefix(s.want, "~"):
			if !strings.Contains(got, s.want[1:]) {
				t.Errorf("step %d: %s %s:\ngot  %s\nwant it to contain %s", i, s.method, s.path, got, s.want[1:])
			}
		case got != s.want:
			t.Errorf("step %d: %s %s:\ngot  %s\nwant %s", i, s.method, s.path, got, s.want)
		}
	}
}

// f is ?filter=<json>, w ?where=<json>.
func f(json string) string { return "?filter=" + url.QueryEscape(json) }
func w(json string) string { return "?where=" + url.QueryEscape(json) }

func notFound(model string, id any) string {
	return fmt.Sprintf(`{"error":{"statusCode":404,"name":"Error","message":"Entity not found: %s with id %v","code":"ENTITY_NOT_FOUND"}}`, model, id)
}

// relationSteps exercise every relation endpoint and inclusion form of the
// example, from the seed data on.
var relationSteps = []step{
	{"GET", "/todo-lists", "", 200, arr(list1, list2)},
	{"GET", "/todos", "", 200, arr(todo1, todo2, todo3, todo4)},
	// Where and order across relations.
	{"GET", "/todos" + f(`{"where":{"todoList.color":"red"}}`), "", 200, arr(todo3)},
	{"GET", "/todos?filter[where][todoList.color]=blue&filter[fields][0]=id", "", 200, `[{"id":1},{"id":2},{"id":4}]`},
	{"GET", "/todos" + f(`{"order":["todoList.title ASC","id DESC"],"fields":["id"]}`), "", 200, `[{"id":3},{"id":4},{"id":2},{"id":1}]`},
	{"GET", "/todo-lists" + f(`{"where":{"todos.title":{"like":"%alderaan%"}}}`), "", 200, arr(list1)},
	{"GET", "/todos/count" + w(`{"todoList.color":"red"}`), "", 200, `{"count":1}`},
	{"GET", "/todos" + f(`{"where":{"todoList.nope":1}}`), "", 400, `~"code":"INVALID_PARAMETER_VALUE"`},
	{"GET", "/todo-lists" + f(`{"order":"todos.title"}`), "", 400, `~"statusCode":400`},
	// hasMany: GET with filter, POST, PATCH and DELETE with where.
	{"GET", "/todo-lists/1/todos", "", 200, arr(todo1, todo2, todo4)},
	{"GET", "/todo-lists/1/todos" + f(`{"where":{"title":"destroy alderaan"}}`), "", 200, arr(todo2)},
	{"GET", "/todo-lists/1/todos" + f(`{"order":["id DESC"],"limit":2,"fields":["id"]}`), "", 200, `[{"id":4},{"id":2}]`},
	{"GET", "/todo-lists/99/todos", "", 200, `[]`},
	{"POST", "/todo-lists/2/todos", `{"title":"clean","desc":"the house"}`, 200, `{"id":5,"title":"clean","desc":"the house","todoListId":2}`},
	{"POST", "/todo-lists/2/todos", `{"title":"shop","todoListId":2}`, 200, `{"id":6,"title":"shop","todoListId":2}`},
	{"POST", "/todo-lists/99/todos", `{"title":"orphan"}`, 404, notFound("TodoList", 99)},
	{"POST", "/todo-lists/1/todos", `{"title":"moved","todoListId":2}`, 400, `~"statusCode":400`},
	{"POST", "/todo-lists/1/todos", `{}`, 422, `~"missingProperty":"title"`},
	{"PATCH", "/todo-lists/2/todos" + w(`{"id":5}`), `{"isComplete":true}`, 200, `{"count":1}`},
	{"PATCH", "/todo-lists/2/todos", `{"todoListId":1}`, 400, `~"statusCode":400`},
	{"PATCH", "/todo-lists/2/todos" + w(`{"nope":1}`), `{"isComplete":true}`, 400, `~"statusCode":400`},
	{"GET", "/todo-lists/2/todos", "", 200, arr(todo3, `{"id":5,"title":"clean","desc":"the house","isComplete":true,"todoListId":2}`, `{"id":6,"title":"shop","todoListId":2}`)},
	// belongsTo
	{"GET", "/todos/5/todo-list", "", 200, list2},
	{"GET", "/todos/99/todo-list", "", 404, notFound("Todo", 99)},
	// hasOne
	{"GET", "/todo-lists/1/todo-list-image", "", 404, `~"code":"ENTITY_NOT_FOUND"`},
	{"POST", "/todo-lists/1/todo-list-image", `{"value":"sith.png"}`, 200, `{"id":1,"value":"sith.png","todoListId":1}`},
	{"POST", "/todo-lists/1/todo-list-image", `{"value":"again.png"}`, 409, `~"statusCode":409`},
	{"POST", "/todo-lists/99/todo-list-image", `{"value":"x.png"}`, 404, notFound("TodoList", 99)},
	{"GET", "/todo-lists/1/todo-list-image", "", 200, `{"id":1,"value":"sith.png","todoListId":1}`},
	{"PATCH", "/todo-lists/1/todo-list-image", `{"value":"vader.png"}`, 200, `{"count":1}`},
	{"PATCH", "/todo-lists/1/todo-list-image", `{"todoListId":2}`, 400, `~"statusCode":400`},
	{"GET", "/todo-list-images/1/todo-list", "", 200, list1},
	{"GET", "/todo-list-images", "", 200, `[{"id":1,"value":"vader.png","todoListId":1}]`},
	// Inclusion.
	{"GET", "/todo-lists" + f(`{"include":["todos","image"]}`), "", 200, arr(
		with(with(list1, "todos", arr(todo1, todo2, todo4)), "image", `{"id":1,"value":"vader.png","todoListId":1}`),
		with(list2, "todos", arr(todo3, `{"id":5,"title":"clean","desc":"the house","isComplete":true,"todoListId":2}`, `{"id":6,"title":"shop","todoListId":2}`)))},
	{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"where":{"isComplete":true},"fields":["id","title"]}}]}`), "", 200,
		arr(list1, with(list2, "todos", `[{"id":5,"title":"clean"}]`))},
	{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"order":["id DESC"],"limit":1}}]}`), "", 200,
		arr(with(list1, "todos", arr(todo4)), with(list2, "todos", `[{"id":6,"title":"shop","todoListId":2}]`))},
	{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"order":["id"],"skip":1,"limit":1}}]}`), "", 200,
		arr(with(list1, "todos", arr(todo2)), with(list2, "todos", `[{"id":5,"title":"clean","desc":"the house","isComplete":true,"todoListId":2}]`))},
	{"GET", "/todos" + f(`{"where":{"id":{"inq":[3,4]}},"include":[{"relation":"todoList","scope":{"fields":["title"]}}]}`), "", 200,
		arr(with(todo3, "todoList", `{"title":"My daily chores"}`), with(todo4, "todoList", `{"title":"Sith lord's check list"}`))},
	{"GET", "/todos/1" + f(`{"include":["todoList"]}`), "", 200, with(todo1, "todoList", list1)},
	{"GET", "/todo-list-images" + f(`{"include":[{"relation":"todoList","scope":{"include":[{"relation":"todos","scope":{"where":{"id":2}}}]}}]}`), "", 200,
		`[{"id":1,"value":"vader.png","todoListId":1,"todoList":` + with(list1, "todos", arr(todo2)) + `}]`},
	{"GET", "/todo-lists/1" + f(`{"include":[{"relation":"image","scope":{"fields":["value"]}}]}`), "", 200, with(list1, "image", `{"value":"vader.png"}`)},
	{"GET", "/todo-lists/1/todos" + f(`{"include":["todoList"],"where":{"id":1}}`), "", 200, arr(with(todo1, "todoList", list1))},
	{"GET", "/todo-lists" + f(`{"include":["nothing"]}`), "", 400,
		`{"error":{"statusCode":400,"name":"Error","message":"Invalid \"filter.include\" entries: \"nothing\"","code":"INVALID_INCLUSION_FILTER"}}`},
	{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"where":{"nope":1}}}]}`), "", 400, `~"code":"INVALID_PARAMETER_VALUE"`},
	{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"order":"nope"}}]}`), "", 400, `~"statusCode":400`},
	{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"include":["nothing"]}}]}`), "", 400, `~"code":"INVALID_INCLUSION_FILTER"`},
	// DELETE with where → count.
	{"DELETE", "/todo-lists/1/todo-list-image", "", 200, `{"count":1}`},
	{"GET", "/todo-list-images/count", "", 200, `{"count":0}`},
	{"DELETE", "/todo-lists/2/todos" + w(`{"isComplete":true}`), "", 200, `{"count":1}`},
	{"DELETE", "/todo-lists/2/todos", "", 200, `{"count":2}`},
	{"GET", "/todos/count", "", 200, `{"count":3}`},
	{"GET", "/todo-lists/2/todos", "", 200, `[]`},
	// A todo in no list: its belongsTo answers 204, as LoopBack's.
	{"POST", "/todos", `{"title":"loose"}`, 200, `{"id":7,"title":"loose"}`},
	{"GET", "/todos/7/todo-list", "", 204, ""},
	{"PATCH", "/todos/7", `{"todoListId":99}`, 404, notFound("TodoList", 99)},
	// Deleting a list deletes its todos and image (onDelete cascade), on
	// every store.
	{"POST", "/todo-lists/1/todo-list-image", `{"value":"again.png"}`, 200, `{"id":2,"value":"again.png","todoListId":1}`},
	{"DELETE", "/todo-lists/1", "", 204, ""},
	{"GET", "/todos", "", 200, `[{"id":7,"title":"loose"}]`},
	{"GET", "/todo-list-images/count", "", 200, `{"count":0}`},
	{"GET", "/todo-lists", "", 200, arr(list2)},
}

// TestRelations runs every relation endpoint and inclusion form over real
// HTTP on every backend; each answers the same bytes.
func TestRelations(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			run1(t, start(t, b.config(t)), relationSteps)
		})
	}
}
