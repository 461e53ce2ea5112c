package sqlbase_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/bench/internal/sqlbase"
)

// memStore is a Store in memory, as a test double for a database.
type memStore struct {
	mu    sync.Mutex
	todos []sqlbase.Todo
	fail  error // returned by every call when set
}

func (m *memStore) List(ctx context.Context) ([]sqlbase.Todo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.todos), m.fail
}

func (m *memStore) Get(ctx context.Context, id int64) (sqlbase.Todo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return sqlbase.Todo{}, m.fail
	}
	for _, t := range m.todos {
		if t.ID == id {
			return t, nil
		}
	}
	return sqlbase.Todo{}, sqlbase.ErrNotFound
}

func (m *memStore) Create(ctx context.Context, t sqlbase.NewTodo) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return 0, m.fail
	}
	id := int64(len(m.todos) + 1)
	m.todos = append(m.todos, sqlbase.Todo{ID: id, Title: *t.Title, Desc: t.Desc, IsComplete: t.IsComplete, Tag: t.Tag})
	return id, nil
}

func (m *memStore) Delete(ctx context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for i, t := range m.todos {
		if t.ID == id {
			m.todos = slices.Delete(m.todos, i, i+1)
			return nil
		}
	}
	return sqlbase.ErrNotFound
}

func call(t *testing.T, h http.Handler, method, path, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func TestHandler(t *testing.T) {
	s := &memStore{}
	h := sqlbase.Handler(s)
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/todos", `{"title":"a","desc":"d","isComplete":false,"tag":{"x":1}}`, 200, `{"id":1,"title":"a","desc":"d","isComplete":false,"tag":{"x":1}}`},
		{"POST", "/todos", `{"title":"b"}`, 200, `{"id":2,"title":"b"}`},
		{"POST", "/todos", `{"desc":"no title"}`, 422, `"name":"UnprocessableEntityError"`},
		{"POST", "/todos", `{"title":"x","unknown":1}`, 422, `"statusCode":422`},
		{"POST", "/todos", `{`, 422, `The request body is invalid.`},
		{"GET", "/todos/1", "", 200, `{"id":1,"title":"a","desc":"d","isComplete":false,"tag":{"x":1}}`},
		{"GET", "/todos/9", "", 404, `Entity not found: Todo with id 9`},
		{"GET", "/todos/x", "", 400, `"name":"BadRequestError"`},
		{"GET", "/todos", "", 200, `[{"id":1,"title":"a","desc":"d","isComplete":false,"tag":{"x":1}},{"id":2,"title":"b"}]`},
		{"DELETE", "/todos/2", "", 204, ``},
		{"DELETE", "/todos/2", "", 404, `Entity not found`},
		{"GET", "/todos", "", 200, `[{"id":1,"title":"a","desc":"d","isComplete":false,"tag":{"x":1}}]`},
	} {
		status, body := call(t, h, c.method, c.path, c.body)
		if status != c.status || !strings.Contains(body, c.want) || (c.want == "" && body != "") {
			t.Errorf("%s %s %s = %d %s; want %d containing %s", c.method, c.path, c.body, status, body, c.status, c.want)
		}
	}
	if len(s.todos) != 1 {
		t.Errorf("store holds %d todos after the calls; want 1 (the bad POSTs changed nothing)", len(s.todos))
	}
}

func TestDriverErrorsStayInside(t *testing.T) {
	s := &memStore{fail: errors.New(`pq: password authentication failed for user "secret"`)}
	h := sqlbase.Handler(s)
	for _, c := range [][3]string{{"GET", "/todos", ""}, {"GET", "/todos/1", ""}, {"POST", "/todos", `{"title":"a"}`}, {"DELETE", "/todos/1", ""}} {
		status, body := call(t, h, c[0], c[1], c[2])
		if status != 500 || strings.Contains(body, "secret") || !strings.Contains(body, `"statusCode":500`) {
			t.Errorf("%s %s = %d %s; want a 500 without the driver's text", c[0], c[1], status, body)
		}
	}
}

func ExampleHandler() {
	s := &memStore{}
	srv := httptest.NewServer(sqlbase.Handler(s))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/todos", "application/json", strings.NewReader(`{"title":"write the benchmark"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(b))
	// Output: 200 {"id":1,"title":"write the benchmark"}
}
