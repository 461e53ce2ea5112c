package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
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
	"github.com/loopback-go/lb/connector/mongodb"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/model"
)

// The four todos every store starts with, as the API returns them.
const (
	todo1 = `{"id":1,"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"}`
	todo2 = `{"id":2,"title":"destroy alderaan","desc":"Make sure there are no survivors left!"}`
	todo3 = `{"id":3,"title":"play space invaders","desc":"Become the very best!"}`
	todo4 = `{"id":4,"title":"crush rebel scum","desc":"Every.Last.One."}`
)

func list(todos ...string) string { return "[" + strings.Join(todos, ",") + "]" }

// backend is a store the acceptance tests run against.
type backend struct {
	name string
	// config returns the configuration of a fresh, empty store.
	config func(t *testing.T) config
}

// backends returns the memory connector (with and without a file), SQLite,
// and PostgreSQL and MySQL when they answer. Outside CI an absent server is
// skipped with a message; under CI=true it fails the test.
func backends(t *testing.T) []backend {
	bs := []backend{
		{"memory", func(t *testing.T) config { return config{Host: "127.0.0.1", DBFile: ""} }},
		{"memory-file", func(t *testing.T) config {
			return config{Host: "127.0.0.1", DBFile: filepath.Join(t.TempDir(), "data", "db.json")}
		}},
		{"sqlite", func(t *testing.T) config {
			return config{Host: "127.0.0.1", DBURL: "sqlite:" + filepath.Join(t.TempDir(), "todo.db")}
		}},
	}
	sqlBackend := func(name, url string, open func(string) (connector.Connector, error)) {
		c, err := open(url)
		if err == nil {
			if p, ok := c.(connector.Pinger); ok {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err = p.Ping(ctx)
				cancel()
			}
			c.Close()
		}
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Errorf("%s at %s is not reachable: %v", name, redact(url), err)
			} else {
				t.Logf("skipping the %s backend: %s is not reachable: %v", name, redact(url), err)
			}
			return
		}
		bs = append(bs, backend{name, func(t *testing.T) config {
			resetTodos(t, url, open)
			return config{Host: "127.0.0.1", DBURL: url}
		}})
	}
	// The tests get their own schema (PostgreSQL) and database (MySQL), so
	// that they do not race other packages' tests for a "Todo" table.
	pgURL := os.Getenv("TODO_POSTGRES_URL")
	if pgURL == "" {
		pgURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		if err := execSQL(pgURL, "CREATE SCHEMA IF NOT EXISTS todo_example", func(u string) (connector.Connector, error) { return postgres.Open(u) }); err == nil {
			pgURL += "&search_path=todo_example"
		}
	}
	sqlBackend("postgres", pgURL, func(u string) (connector.Connector, error) { return postgres.Open(u) })
	myURL := os.Getenv("TODO_MYSQL_URL")
	if myURL == "" {
		myURL = "mysql://root@127.0.0.1:3306/test"
		if err := execSQL(myURL, "CREATE DATABASE IF NOT EXISTS todo_example", func(u string) (connector.Connector, error) { return mysql.Open(u) }); err == nil {
			myURL = "mysql://root@127.0.0.1:3306/todo_example"
		}
	}
	sqlBackend("mysql", myURL, func(u string) (connector.Connector, error) { return mysql.Open(u) })
	mgURL := os.Getenv("TODO_MONGODB_URL") // MONGODB_URL's server, database todo_example
	if u, err := url.Parse(cmp.Or(os.Getenv("MONGODB_URL"), "mongodb://127.0.0.1:27017/")); mgURL == "" && err == nil {
		q := u.Query()
		q.Set("serverSelectionTimeoutMS", "2000")
		u.Path, u.RawQuery = "/todo_example", q.Encode()
		mgURL = u.String()
	}
	sqlBackend("mongodb", mgURL, func(u string) (connector.Connector, error) { return mongodb.Open(u) })
	return bs
}

// execSQL runs one statement on the database at url.
func execSQL(url, stmt string, open func(string) (connector.Connector, error)) error {
	c, err := open(url)
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

// resetTodos drops and recreates the Todo table, so that the app seeds it.
func resetTodos(t *testing.T, url string, open func(string) (connector.Connector, error)) {
	t.Helper()
	c, err := open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m, ok := c.(connector.Migrator)
	if !ok {
		t.Fatalf("%T is not a connector.Migrator", c)
	}
	if err := m.Automigrate(context.Background(), []*model.Definition{model.MustFromStruct[Todo]()}); err != nil {
		t.Fatalf("reset Todo table: %v", err)
	}
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

// step is one request and the response it must get.
type step struct {
	// knownIssue, when set, skips the step with this explanation: a
	// behaviour of another package that is reported and not fixed yet.
	knownIssue string

	method, path, body string
	contentType        string // default application/json when body is set
	status             int
	want               string // the exact JSON body; "" means an empty body
	// contains, when set, replaces want: the body must contain each string.
	contains []string
}

// do sends a request and returns the status, headers and body.
func do(t *testing.T, base string, s step) (int, http.Header, []byte) {
	t.Helper()
	var body io.Reader
	if s.body != "" {
		body = strings.NewReader(s.body)
	}
	req, err := http.NewRequest(s.method, base+s.path, body)
	if err != nil {
		t.Fatal(err)
	}
	ct := s.contentType
	if ct == "" && s.body != "" {
		ct = "application/json"
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
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
	return resp.StatusCode, resp.Header, b
}

// check runs a step and compares the response.
func check(t *testing.T, b backend, base string, s step) {
	t.Helper()
	if s.knownIssue != "" {
		t.Skipf("%s %s: known issue: %s", s.method, s.path, s.knownIssue)
	}
	status, _, got := do(t, base, s)
	if status != s.status {
		t.Errorf("%s %s: got status %d; want %d (body %s)", s.method, s.path, status, s.status, got)
		return
	}
	if s.contains != nil {
		for _, c := range s.contains {
			if !bytes.Contains(got, []byte(c)) {
				t.Errorf("%s %s: got body %s; want it to contain %s", s.method, s.path, got, c)
			}
		}
		return
	}
	if s.want == "" {
		if len(got) != 0 {
			t.Errorf("%s %s: got body %s; want none", s.method, s.path, got)
		}
		return
	}
	// Every backend answers the same bytes (a SQL NULL is an absent
	// property, as on the memory connector).
	if string(got) != s.want {
		t.Errorf("%s %s:\ngot  %s\nwant %s", s.method, s.path, got, s.want)
	}
}

// q builds a query string from key/value pairs, escaping the values.
func q(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[i+1]))
	}
	return "?" + b.String()
}

// filterJSON is ?filter=<json>.
func filterJSON(f string) string { return q("filter", f) }

const (
	validationMessage = "The request body is invalid. See error object `details` property for more info."
	notFound99        = `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: Todo with id 99","code":"ENTITY_NOT_FOUND"}}`
)

func validationFailed(details string) string {
	return `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"` + validationMessage + `","code":"VALIDATION_FAILED","details":` + details + `}}`
}

// crudCases covers every row of the CRUD table of LB4-CONTRACT.md.
var crudCases = []struct {
	name  string
	steps []step
}{
	{"find all", []step{{method: "GET", path: "/todos", status: 200, want: list(todo1, todo2, todo3, todo4)}}},
	{"find with trailing slash", []step{{method: "GET", path: "/todos/", status: 200, want: list(todo1, todo2, todo3, todo4)}}},
	{"find by id", []step{{method: "GET", path: "/todos/2", status: 200, want: todo2}}},
	{"find by id not found", []step{{method: "GET", path: "/todos/99", status: 404, want: notFound99}}},
	{"find by id not a number", []step{{method: "GET", path: "/todos/abc", status: 400,
		want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"abc\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`}}},
	{"count", []step{{method: "GET", path: "/todos/count", status: 200, want: `{"count":4}`}}},
	{"create", []step{
		{method: "POST", path: "/todos", body: `{"title":"new todo","desc":"a new one","isComplete":false}`, status: 200,
			want: `{"id":5,"title":"new todo","desc":"a new one","isComplete":false}`},
		{method: "GET", path: "/todos/5", status: 200, want: `{"id":5,"title":"new todo","desc":"a new one","isComplete":false}`},
		{method: "GET", path: "/todos/count", status: 200, want: `{"count":5}`},
	}},
	{"create with any-typed tag", []step{
		{method: "POST", path: "/todos", body: `{"title":"tagged","tag":{"color":"red","n":[1,2]}}`, status: 200,
			want: `{"id":5,"title":"tagged","tag":{"color":"red","n":[1,2]}}`},
	}},
	{"create with id", []step{
		{method: "POST", path: "/todos", body: `{"id":9,"title":"mine"}`, status: 422,
			want: validationFailed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}}]`)},
		{method: "GET", path: "/todos/count", status: 200, want: `{"count":4}`},
	}},
	{"create without title", []step{{method: "POST", path: "/todos", body: `{"desc":"no title"}`, status: 422,
		want: validationFailed(`[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]`)}}},
	{"create with wrong type", []step{{method: "POST", path: "/todos", body: `{"title":1}`, status: 422,
		want: validationFailed(`[{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}]`)}}},
	{"create with unknown property", []step{{method: "POST", path: "/todos", body: `{"title":"x","foo":1}`, status: 422,
		want: validationFailed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"foo"}}]`)}}},
	{"create with blank title", []step{{method: "POST", path: "/todos", body: `{"title":""}`, status: 422,
		want: `{"error":{"statusCode":422,"name":"ValidationError","message":"The ` + "`Todo`" + ` instance is not valid. Details: ` + "`title`" + ` can't be blank (value: \"\").","details":{"context":"Todo","codes":{"title":["presence"]},"messages":{"title":["can't be blank"]}}}}`}}},
	{"create with empty body", []step{
		{method: "POST", path: "/todos", contentType: "application/json", status: 422,
			want: validationFailed(`[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`)},
		{method: "GET", path: "/todos/count", status: 200, want: `{"count":4}`},
	}},
	{"create with null", []step{{method: "POST", path: "/todos", body: `null`, status: 422,
		want: validationFailed(`[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`)}}},
	{"create with malformed JSON", []step{{method: "POST", path: "/todos", body: `{"title":`, status: 400,
		contains: []string{`"statusCode":400`, `"name":"SyntaxError"`}}}},
	{"create with text/plain", []step{{method: "POST", path: "/todos", body: `title`, contentType: "text/plain", status: 415,
		want: `{"error":{"statusCode":415,"name":"UnsupportedMediaTypeError","message":"Content-type text/plain does not match [application/json].","code":"UNSUPPORTED_MEDIA_TYPE"}}`}}},
	{"update all", []step{
		{method: "PATCH", path: "/todos" + q("where", `{"id":{"lte":2}}`), body: `{"isComplete":true}`, status: 200, want: `{"count":2}`},
		{method: "GET", path: "/todos" + filterJSON(`{"where":{"isComplete":true}}`), status: 200, want: list(
			`{"id":1,"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA","isComplete":true}`,
			`{"id":2,"title":"destroy alderaan","desc":"Make sure there are no survivors left!","isComplete":true}`)},
	}},
	{"update all without where", []step{
		{method: "PATCH", path: "/todos", body: `{"desc":"same"}`, status: 200, want: `{"count":4}`},
		{method: "GET", path: "/todos/4", status: 200, want: `{"id":4,"title":"crush rebel scum","desc":"same"}`},
	}},
	{"update all with query-string where", []step{
		{method: "PATCH", path: "/todos?where[title]=" + url.QueryEscape("play space invaders"), body: `{"isComplete":false}`, status: 200, want: `{"count":1}`},
	}},
	{"update all with bad body", []step{{method: "PATCH", path: "/todos", body: `{"title":7}`, status: 422,
		want: validationFailed(`[{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}]`)}}},
	{"update by id", []step{
		{method: "PATCH", path: "/todos/3", body: `{"isComplete":true}`, status: 204},
		{method: "GET", path: "/todos/3", status: 200, want: `{"id":3,"title":"play space invaders","desc":"Become the very best!","isComplete":true}`},
	}},
	{"update by id with empty object", []step{{method: "PATCH", path: "/todos/3", body: `{}`, status: 400,
		want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Data is required for the patch request","code":"INVALID_BODY_DEFINITION"}}`}}},
	{"update by id not found", []step{{method: "PATCH", path: "/todos/99", body: `{"title":"x"}`, status: 404, want: notFound99}}},
	{"update by id with another id in the body", []step{
		{method: "PATCH", path: "/todos/3", body: `{"id":4,"isComplete":true}`, status: 204},
		{method: "GET", path: "/todos/3", status: 200, want: `{"id":3,"title":"play space invaders","desc":"Become the very best!","isComplete":true}`},
		{method: "GET", path: "/todos/4", status: 200, want: todo4},
	}},
	{"replace by id with another id in the body", []step{
		{method: "PUT", path: "/todos/2", body: `{"id":3,"title":"replaced"}`, status: 400,
			want: `{"error":{"statusCode":400,"name":"Error","message":"id property (id) cannot be updated from 2 to 3"}}`},
		{method: "GET", path: "/todos/2", status: 200, want: todo2},
		{method: "GET", path: "/todos/3", status: 200, want: todo3},
	}},
	{"update by id with unknown property", []step{{method: "PATCH", path: "/todos/1", body: `{"foo":1}`, status: 422,
		want: validationFailed(`[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"foo"}}]`)}}},
	{"replace by id", []step{
		{method: "PUT", path: "/todos/2", body: `{"title":"replaced","isComplete":true}`, status: 204},
		{method: "GET", path: "/todos/2", status: 200, want: `{"id":2,"title":"replaced","isComplete":true}`},
	}},
	{"replace by id without title", []step{{method: "PUT", path: "/todos/2", body: `{"desc":"x"}`, status: 422,
		want: validationFailed(`[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]`)}}},
	{"replace by id not found", []step{{method: "PUT", path: "/todos/99", body: `{"title":"x"}`, status: 404, want: notFound99}}},
	{"delete by id", []step{
		{method: "DELETE", path: "/todos/3", status: 204},
		{method: "GET", path: "/todos/3", status: 404,
			want: `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: Todo with id 3","code":"ENTITY_NOT_FOUND"}}`},
		{method: "GET", path: "/todos/count", status: 200, want: `{"count":3}`},
	}},
	{"delete by id not found", []step{{method: "DELETE", path: "/todos/99", status: 404, want: notFound99}}},
	{"no delete all", []step{
		{method: "DELETE", path: "/todos", status: 404,
			want: `{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"DELETE /todos\" not found."}}`},
		{method: "GET", path: "/todos/count", status: 200, want: `{"count":4}`},
	}},
}

// filterCases covers the filter section of LB4-CONTRACT.md, in both
// query-string forms.
var filterCases = []struct {
	name string
	step step
}{
	{"where eq", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":"destroy alderaan"}}`), status: 200, want: list(todo2)}},
	{"where eq, nested form", step{method: "GET", path: "/todos?filter[where][title]=" + url.QueryEscape("destroy alderaan"), status: 200, want: list(todo2)}},
	{"where eq on id coerced from the query string", step{method: "GET", path: "/todos?filter[where][id]=1", status: 200, want: list(todo1)}},
	{"where neq", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"neq":"destroy alderaan"}}}`), status: 200, want: list(todo1, todo3, todo4)}},
	{"where gt", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"gt":2}}}`), status: 200, want: list(todo3, todo4)}},
	{"where gt, nested form", step{method: "GET", path: "/todos?filter[where][id][gt]=2", status: 200, want: list(todo3, todo4)}},
	{"where gte", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"gte":2}}}`), status: 200, want: list(todo2, todo3, todo4)}},
	{"where lt", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"lt":2}}}`), status: 200, want: list(todo1)}},
	{"where lte", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"lte":2}}}`), status: 200, want: list(todo1, todo2)}},
	{"where inq", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"inq":[1,3]}}}`), status: 200, want: list(todo1, todo3)}},
	{"where inq, nested form", step{method: "GET", path: "/todos?filter[where][id][inq][0]=1&filter[where][id][inq][1]=3", status: 200, want: list(todo1, todo3)}},
	{"where nin", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"nin":[1,3]}}}`), status: 200, want: list(todo2, todo4)}},
	{"where between", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"between":[2,3]}}}`), status: 200, want: list(todo2, todo3)}},
	{"where exists false", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"isComplete":{"exists":false}}}`), status: 200, want: list(todo1, todo2, todo3, todo4)}},
	{"where exists true", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"desc":{"exists":true}}}`), status: 200, want: list(todo1, todo2, todo3, todo4)}},
	{"where like", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"like":"%galaxy%"}}}`), status: 200, want: list(todo1)}},
	{"where nlike", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"nlike":"%galaxy%"}}}`), status: 200, want: list(todo2, todo3, todo4)}},
	{"where ilike", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"ilike":"TAKE%"}}}`), status: 200, want: list(todo1)}},
	{"where nilike", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"nilike":"TAKE%"}}}`), status: 200, want: list(todo2, todo3, todo4)}},
	{"where regexp", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"regexp":"^play"}}}`), status: 200, want: list(todo3)}},
	{"where regexp with flags", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"title":{"regexp":"/^PLAY/i"}}}`), status: 200, want: list(todo3)}},
	{"where and", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"and":[{"id":{"gt":1}},{"id":{"lt":4}}]}}`), status: 200, want: list(todo2, todo3)}},
	{"where or", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"or":[{"id":1},{"id":4}]}}`), status: 200, want: list(todo1, todo4)}},
	{"where or, nested form", step{method: "GET", path: "/todos?filter[where][or][0][id]=1&filter[where][or][1][id]=4", status: 200, want: list(todo1, todo4)}},
	{"fields inclusion", step{method: "GET", path: "/todos" + filterJSON(`{"fields":{"title":true}}`), status: 200,
		want: list(`{"title":"Take over the galaxy"}`, `{"title":"destroy alderaan"}`, `{"title":"play space invaders"}`, `{"title":"crush rebel scum"}`)}},
	{"fields exclusion", step{method: "GET", path: "/todos" + filterJSON(`{"fields":{"desc":false}}`), status: 200,
		want: list(`{"id":1,"title":"Take over the galaxy"}`, `{"id":2,"title":"destroy alderaan"}`, `{"id":3,"title":"play space invaders"}`, `{"id":4,"title":"crush rebel scum"}`)}},
	{"fields array", step{method: "GET", path: "/todos" + filterJSON(`{"fields":["id"]}`), status: 200, want: `[{"id":1},{"id":2},{"id":3},{"id":4}]`}},
	{"fields, nested form", step{method: "GET", path: "/todos?filter[fields][id]=true", status: 200, want: `[{"id":1},{"id":2},{"id":3},{"id":4}]`}},
	{"fields array, nested form", step{method: "GET", path: "/todos?filter[fields][0]=id", status: 200, want: `[{"id":1},{"id":2},{"id":3},{"id":4}]`}},
	{"order string", step{method: "GET", path: "/todos" + filterJSON(`{"order":"id DESC"}`), status: 200, want: list(todo4, todo3, todo2, todo1)}},
	{"order array", step{method: "GET", path: "/todos" + filterJSON(`{"order":["id DESC","title ASC"]}`), status: 200, want: list(todo4, todo3, todo2, todo1)}},
	{"order, nested form", step{method: "GET", path: "/todos?filter[order][0]=" + url.QueryEscape("id DESC"), status: 200, want: list(todo4, todo3, todo2, todo1)}},
	{"limit", step{method: "GET", path: "/todos" + filterJSON(`{"limit":2}`), status: 200, want: list(todo1, todo2)}},
	{"limit, nested form", step{method: "GET", path: "/todos?filter[limit]=2", status: 200, want: list(todo1, todo2)}},
	{"skip", step{method: "GET", path: "/todos" + filterJSON(`{"skip":1,"limit":2}`), status: 200, want: list(todo2, todo3)}},
	{"offset", step{method: "GET", path: "/todos" + filterJSON(`{"offset":3}`), status: 200, want: list(todo4)}},
	{"count with where", step{method: "GET", path: "/todos/count" + q("where", `{"id":{"gt":1}}`), status: 200, want: `{"count":3}`}},
	{"count with where, nested form", step{method: "GET", path: "/todos/count?where[title]=" + url.QueryEscape("crush rebel scum"), status: 200, want: `{"count":1}`}},
	{"find by id with fields", step{method: "GET", path: "/todos/1" + filterJSON(`{"fields":{"title":true}}`), status: 200, want: `{"title":"Take over the galaxy"}`}},

	// Bad filters.
	{"find by id with where", step{method: "GET", path: "/todos/1" + filterJSON(`{"where":{"id":2}}`), status: 400,
		contains: []string{`"statusCode":400`, `"code":"INVALID_PARAMETER_VALUE"`, `"additionalProperty":"where"`}}},
	{"unknown where property", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"colour":"red"}}`), status: 400,
		contains: []string{`"statusCode":400`, `"code":"INVALID_PARAMETER_VALUE"`, `colour`}}},
	{"unknown where property in count", step{method: "GET", path: "/todos/count" + q("where", `{"colour":"red"}`), status: 400,
		contains: []string{`"code":"INVALID_PARAMETER_VALUE"`, `colour`}}},
	{"unknown where property in update all", step{method: "PATCH", path: "/todos" + q("where", `{"colour":"red"}`), body: `{"desc":"x"}`, status: 400,
		contains: []string{`"code":"INVALID_PARAMETER_VALUE"`, `colour`}}},
	{"unknown filter key", step{method: "GET", path: "/todos" + filterJSON(`{"wher":{"id":1}}`), status: 400,
		contains: []string{`"code":"INVALID_PARAMETER_VALUE"`, `"additionalProperty":"wher"`}}},
	{"limit zero", step{method: "GET", path: "/todos" + filterJSON(`{"limit":0}`), status: 400,
		contains: []string{`"code":"INVALID_PARAMETER_VALUE"`, `"limit":1`}}},
	{"negative skip", step{method: "GET", path: "/todos" + filterJSON(`{"skip":-1}`), status: 400,
		contains: []string{`"code":"INVALID_PARAMETER_VALUE"`}}},
	{"malformed filter JSON", step{method: "GET", path: "/todos" + filterJSON(`{"where":`), status: 400,
		contains: []string{`"code":"INVALID_PARAMETER_VALUE"`, `"syntaxError"`}}},
	{"prohibited key", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"__proto__":{"id":1}}}`), status: 400,
		contains: []string{`"statusCode":400`, `JSON string cannot contain \"__proto__\" key.`}}},
	{"prohibited key in body", step{method: "POST", path: "/todos", body: `{"title":"x","__proto__":{"y":1}}`, status: 400,
		contains: []string{`"statusCode":400`, `JSON string cannot contain \"__proto__\" key.`}}},
	// LoopBack's repository throws a plain Error with code and statusCode
	// 400, which strong-error-handler writes with name "Error".
	{"include on a model without relations", step{method: "GET", path: "/todos" + filterJSON(`{"include":["foo"]}`), status: 400,
		want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data {\"include\":[\"foo\"]} for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"include"}}]}}`}},
	{"include on a model without relations, object form", step{method: "GET", path: "/todos" + filterJSON(`{"include":[{"relation":"foo"}]}`), status: 400,
		want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data {\"include\":[{\"relation\":\"foo\"}]} for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"include"}}]}}`}},
	{"include on a model without relations, nested form", step{method: "GET", path: "/todos?filter[include][0]=foo", status: 400,
		want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data {\"include\":[\"foo\"]} for parameter \"filter\".","code":"INVALID_PARAMETER_VALUE","details":[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"include"}}]}}`}},
	{"unknown operator", step{method: "GET", path: "/todos" + filterJSON(`{"where":{"id":{"near":1}}}`), status: 400,
		contains: []string{`"statusCode":400`}}},
}

func TestAcceptance(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range crudCases {
				t.Run(c.name, func(t *testing.T) {
					base := start(t, b.config(t))
					for _, s := range c.steps {
						check(t, b, base, s)
					}
				})
			}
			// The filter cases only read: one server serves them all.
			base := start(t, b.config(t))
			for _, c := range filterCases {
				t.Run("filter/"+c.name, func(t *testing.T) {
					s := c.step
					if s.method != "GET" {
						base := start(t, b.config(t))
						check(t, b, base, s)
						return
					}
					check(t, b, base, s)
				})
			}
		})
	}
}

// TestNestedWhere reaches into an object property with a dotted key.
func TestNestedWhere(t *testing.T) {
	b := backend{"memory", nil}
	base := start(t, config{Host: "127.0.0.1"})
	check(t, b, base, step{method: "POST", path: "/todos", body: `{"title":"red","tag":{"color":"red"}}`, status: 200,
		want: `{"id":5,"title":"red","tag":{"color":"red"}}`})
	check(t, b, base, step{method: "GET", path: "/todos" + filterJSON(`{"where":{"tag.color":"red"}}`), status: 200,
		want: `[{"id":5,"title":"red","tag":{"color":"red"}}]`})
}

func TestErrorHeaders(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	_, h, _ := do(t, base, step{method: "GET", path: "/todos/99"})
	if got := h.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type: got %q; want application/json; charset=utf-8", got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options: got %q; want nosniff", got)
	}
}

func TestPages(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	tests := []struct {
		path        string
		status      int
		contentType string
		contains    []string
	}{
		{"/", 200, "text/html; charset=utf-8", []string{`href="/explorer/"`, `href="/openapi.json"`, "<title>"}},
		{"/index.html", 200, "text/html; charset=utf-8", []string{`href="/explorer/"`, `href="/openapi.json"`, "<title>"}},
		{"/ping", 200, "application/json", []string{`"greeting":"Hello from LoopBack"`, `"url":"/ping?x=1"`, `"headers":{`, `"host":"127.0.0.1:`}},
		{"/explorer/", 200, "text/html", []string{"<title>LoopBack API Explorer</title>"}},
		{"/openapi.json", 200, "application/json; charset=utf-8", []string{`"operationId": "TodoController.create"`, `"operationId": "PingController.ping"`}},
		{"/explorer/openapi.json", 200, "application/json; charset=utf-8", []string{`"openapi": "3.1.0"`, `"operationId": "TodoController.find"`, `"url": "/"`}},
		{"/nothing-here", 404, "application/json; charset=utf-8", []string{`"name":"NotFoundError"`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			path := tt.path
			if path == "/ping" {
				path += "?x=1"
			}
			status, h, body := do(t, base, step{method: "GET", path: path})
			if status != tt.status {
				t.Fatalf("got status %d; want %d (%s)", status, tt.status, body)
			}
			if got := h.Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("Content-Type: got %q; want %q", got, tt.contentType)
			}
			for _, c := range tt.contains {
				if !strings.Contains(string(body), c) {
					t.Errorf("body %.300s…: want it to contain %s", body, c)
				}
			}
		})
	}
	// /explorer redirects to ./explorer/ like LoopBack.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/explorer")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "./explorer/" {
		t.Errorf("GET /explorer: got %d Location %q; want 301 ./explorer/", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestPersistence restarts the app on the same file and finds its data;
// a file written by LoopBack 4's todo example loads as is.
func TestPersistence(t *testing.T) {
	b := backend{"memory-file", nil}
	file := filepath.Join(t.TempDir(), "data", "db.json")
	{
		base := start(t, config{Host: "127.0.0.1", DBFile: file})
		check(t, b, base, step{method: "POST", path: "/todos", body: `{"title":"persist me"}`, status: 200, want: `{"id":5,"title":"persist me"}`})
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the data file was not written: %v", err)
	}
	var db struct {
		IDs    map[string]int               `json:"ids"`
		Models map[string]map[string]string `json:"models"`
	}
	if err := json.Unmarshal(raw, &db); err != nil {
		t.Fatalf("data file is not in LoopBack's format: %v\n%s", err, raw)
	}
	if db.IDs["Todo"] != 6 || len(db.Models["Todo"]) != 5 {
		t.Errorf("data file: got next id %d and %d todos; want 6 and 5:\n%s", db.IDs["Todo"], len(db.Models["Todo"]), raw)
	}
	base := start(t, config{Host: "127.0.0.1", DBFile: file})
	check(t, b, base, step{method: "GET", path: "/todos/count", status: 200, want: `{"count":5}`})
	check(t, b, base, step{method: "GET", path: "/todos/5", status: 200, want: `{"id":5,"title":"persist me"}`})

	lb4 := filepath.Join(t.TempDir(), "db.json")
	data, err := os.ReadFile("testdata/lb4-db.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lb4, data, 0o644); err != nil {
		t.Fatal(err)
	}
	base = start(t, config{Host: "127.0.0.1", DBFile: lb4})
	check(t, b, base, step{method: "GET", path: "/todos", status: 200,
		want: `[{"id":2,"title":"water the plants","isComplete":true},{"id":6,"title":"buy milk","desc":"semi-skimmed","tag":["shopping"]}]`})
	check(t, b, base, step{method: "POST", path: "/todos", body: `{"title":"next"}`, status: 200, want: `{"id":7,"title":"next"}`})
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want config
		err  bool
	}{
		{"defaults", nil, config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json"}, false},
		{"empty DB_FILE means no file", map[string]string{"DB_FILE": ""}, config{Host: "127.0.0.1", Port: 3000, DBFile: ""}, false},
		{"everything", map[string]string{"HOST": "0.0.0.0", "PORT": "8080", "DB_FILE": "x.json", "DB_URL": "sqlite:x.db"},
			config{Host: "0.0.0.0", Port: 8080, DBFile: "x.json", DBURL: "sqlite:x.db"}, false},
		{"local changes", map[string]string{"CHANGES": "local"}, config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json", LocalChanges: true}, false},
		{"shared changes", map[string]string{"CHANGES": "shared"}, config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json"}, false},
		{"bad CHANGES", map[string]string{"CHANGES": "everywhere"}, config{}, true},
		{"bad port", map[string]string{"PORT": "http"}, config{}, true},
		{"port out of range", map[string]string{"PORT": "70000"}, config{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := configFromEnv(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if (err != nil) != tt.err {
				t.Fatalf("got error %v; want error %v", err, tt.err)
			}
			if !tt.err && got != tt.want {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"postgres://u:secret@h:5432/db": "postgres://u:xxxxx@h:5432/db",
		"mysql://root@h/db":             "mysql://root@h/db",
		"sqlite:todo.db":                "sqlite:todo.db",
	}
	for in, want := range tests {
		if got := redact(in); got != want {
			t.Errorf("redact(%q): got %q; want %q", in, got, want)
		}
	}
}

// TestOpenStoreErrors checks that a bad DB_URL is reported clearly.
func TestOpenStoreErrors(t *testing.T) {
	_, err := newApp(context.Background(), config{Host: "127.0.0.1", DBURL: "redis://localhost"})
	if err == nil || !strings.Contains(err.Error(), "unsupported scheme") {
		t.Errorf("got %v; want an unsupported scheme error", err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "db.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = newApp(context.Background(), config{Host: "127.0.0.1", DBFile: bad})
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("got %v; want an error naming %s", err, bad)
	}
	if got, _ := os.ReadFile(bad); string(got) != "{not json" {
		t.Errorf("the bad data file was changed to %q", got)
	}
}
