package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportLB4 generates the Go application of LoopBack's todo-list
// example from its OpenAPI document and db.json, builds and tests it, and
// checks that it serves LoopBack's data at LoopBack's paths, with the same
// model schemas.
func TestImportLB4(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated application: skipped in short mode")
	}
	t.Parallel() // the builds of the generated applications overlap
	lb4 := "/work/shared/lb4-todo-list"
	if v := os.Getenv("LB4_TODO_LIST_DIR"); v != "" {
		lb4 = v
	}
	if _, err := os.Stat(filepath.Join(lb4, "openapi.json")); err != nil {
		t.Skipf("LoopBack's todo-list export is not here: %v", err)
	}
	root, _ := filepath.Abs("../..")
	parent := t.TempDir()
	out := mustLB(t, "import-lb4", lb4, "todolist", "-C", parent, "--replace", root, "--skip-tidy")
	for _, f := range []string{"create todo.go", "create todo_list_image.go", "create data/db.json", "create todo_list_controller_test.go"} {
		if !strings.Contains(out, f) {
			t.Errorf("lb import-lb4 printed %q; want %q", out, f)
		}
	}
	app := filepath.Join(parent, "todolist")
	// A typed client of LoopBack's document, used by a test in the app
	// against the app itself.
	if out := mustLB(t, "openapi", filepath.Join(lb4, "openapi.json"), "--client", "-o", "todoclient", "-C", app); !strings.Contains(out, "create todoclient/client.go") {
		t.Errorf("lb openapi --client printed %q", out)
	}
	os.WriteFile(filepath.Join(app, "client_test.go"), []byte(clientTest), 0o644)
	goIn(t, app, "mod", "tidy")
	goIn(t, app, "vet", "./...")
	if out := goIn(t, app, "test", "-count=1", "-v", "./..."); !strings.Contains(out, "--- PASS: TestClient") {
		t.Errorf("the client test did not pass:\n%s", out)
	}
	bin := filepath.Join(parent, "todolist-bin")
	goIn(t, app, "build", "-o", bin, ".")
	base := startApp(t, bin, app)

	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("/todos")
	var todos []map[string]any
	if err := json.Unmarshal([]byte(body), &todos); status != 200 || err != nil || len(todos) != 4 || todos[0]["title"] != "Take over the galaxy" {
		t.Errorf("GET /todos: %d %.300s; want LoopBack's four todos from db.json", status, body)
	}
	if status, body := get("/todo-lists/1/todos"); status != 200 || strings.Count(body, `"todoListId":1`) != 3 {
		t.Errorf("GET /todo-lists/1/todos: %d %s; want the three todos of list 1", status, body)
	}
	if status, body := get("/todos/1/todo-list"); status != 200 || !strings.Contains(body, `"id":1`) {
		t.Errorf("GET /todos/1/todo-list: %d %s", status, body)
	}

	// The model schemas are LoopBack's, byte for byte in OpenAPI 3.0.
	status, spec := get("/openapi.json?openapi=3.0")
	in, _ := os.ReadFile(filepath.Join(lb4, "openapi.json"))
	type doc struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct{ Schemas map[string]json.RawMessage }
	}
	var a, b doc
	if err := json.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(spec), &b); status != 200 || err != nil {
		t.Fatalf("GET /openapi.json: %d %v", status, err)
	}
	for _, name := range []string{"Todo", "TodoList", "TodoListImage", "NewTodo", "TodoPartial", "TodoWithRelations", "TodoListWithRelations"} {
		if !jsonEqual(a.Components.Schemas[name], b.Components.Schemas[name]) {
			t.Errorf("schema %s:\nLoopBack %s\nserved   %s", name, a.Components.Schemas[name], b.Components.Schemas[name])
		}
	}
	for path, ops := range a.Paths {
		if strings.HasPrefix(path, "/todo-lists/{id}/todo-list-image") {
			continue // hasOne endpoints are named after the relation here (/image)
		}
		for method := range ops {
			if _, ok := b.Paths[path][method]; !ok {
				t.Errorf("%s %s is not served", method, path)
			}
		}
	}
}

// clientTest drives the generated application through the generated
// client.
const clientTest = `package main

import (
	"context"
	"errors"
	"testing"

	"todolist/todoclient"
)

func TestClient(t *testing.T) {
	ts := newTestServer(t)
	c := &todoclient.Client{BaseURL: ts.URL, HTTP: ts.Client()}
	ctx := context.Background()
	list, err := c.TodoListControllerCreate(ctx, &todoclient.TodoListControllerCreateParams{Body: &todoclient.NewTodoList{Title: "home"}})
	if err != nil || list.Title != "home" || list.ID == nil {
		t.Fatalf("create list: %+v, %v", list, err)
	}
	todo, err := c.TodoListTodoControllerCreate(ctx, &todoclient.TodoListTodoControllerCreateParams{ID: *list.ID, Body: &todoclient.NewTodoInTodoList{Title: "dishes"}})
	if err != nil || todo.Title != "dishes" || todo.TodoListID == nil || *todo.TodoListID != *list.ID {
		t.Fatalf("create todo in list: %+v, %v", todo, err)
	}
	todos, err := c.TodoControllerFind(ctx, &todoclient.TodoControllerFindParams{Filter: &todoclient.TodoFilter1{Include: []any{"todoList"}}})
	if err != nil || len(todos) != 1 || todos[0].TodoList == nil || todos[0].TodoList.Title != "home" {
		t.Fatalf("find todos with their list: %+v, %v", todos, err)
	}
	count, err := c.TodoControllerCount(ctx, nil)
	if err != nil || count.Count == nil || *count.Count != 1 {
		t.Errorf("count: %+v, %v", count, err)
	}
	_, err = c.TodoControllerFindByID(ctx, &todoclient.TodoControllerFindByIDParams{ID: 99})
	var apiErr *todoclient.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("find a missing todo: %v; want an APIError 404", err)
	}
}
`
