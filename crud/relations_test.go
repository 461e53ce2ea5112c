package crud_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

const (
	listDef = `{"name":"TodoList","properties":{"id":{"type":"number","id":true,"generated":true},"title":{"type":"string","required":true}},
		"relations":{"todos":{"type":"hasMany","model":"Todo","foreignKey":"todoListId"}}}`
	todoDef = `{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},"title":{"type":"string","required":true},"todoListId":{"type":"number"}},
		"relations":{"todoList":{"type":"belongsTo","model":"TodoList","foreignKey":"todoListId"}}}`
)

func relationServer(t *testing.T) *httptest.Server {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var reg repository.Registry
	s := rest.New(rest.Config{})
	var repos []*repository.Model
	for _, src := range []string{listDef, todoDef} {
		def, err := model.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		repo, err := repository.NewModel(conn, def)
		if err != nil {
			t.Fatal(err)
		}
		repos = append(repos, repo)
	}
	if err := reg.Add(repos...); err != nil {
		t.Fatal(err)
	}
	for _, repo := range repos {
		if err := crud.MountModel(s, repo, crud.Options{}); err != nil {
			t.Fatalf("Mount %s: %v", repo.Definition().Name, err)
		}
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func TestRelationEndpoints(t *testing.T) {
	ts := relationServer(t)
	steps := []struct {
		method, path, body string
		status             int
		want               string // exact, or a substring after "~"
	}{
		{"POST", "/todo-lists", `{"title":"home"}`, 200, `{"id":1,"title":"home"}`},
		{"POST", "/todo-lists", `{"title":"work"}`, 200, `{"id":2,"title":"work"}`},
		{"POST", "/todo-lists/1/todos", `{"title":"dishes"}`, 200, `{"id":1,"title":"dishes","todoListId":1}`},
		{"POST", "/todo-lists/1/todos", `{"title":"laundry"}`, 200, `{"id":2,"title":"laundry","todoListId":1}`},
		{"POST", "/todo-lists/2/todos", `{"title":"report"}`, 200, `{"id":3,"title":"report","todoListId":2}`},
		{"POST", "/todo-lists/1/todos", `{"title":"x","todoListId":2}`, 400, "~"},
		{"GET", "/todo-lists/1/todos", "", 200, `[{"id":1,"title":"dishes","todoListId":1},{"id":2,"title":"laundry","todoListId":1}]`},
		{"GET", `/todo-lists/1/todos?filter={"where":{"title":"laundry"}}`, "", 200, `[{"id":2,"title":"laundry","todoListId":1}]`},
		{"PATCH", `/todo-lists/1/todos?where={"title":"dishes"}`, `{"title":"the dishes"}`, 200, `{"count":1}`},
		{"GET", "/todos/3/todo-list", "", 200, `{"id":2,"title":"work"}`},
		{"GET", `/todo-lists?filter={"include":["todos"]}`, "", 200,
			`[{"id":1,"title":"home","todos":[{"id":1,"title":"the dishes","todoListId":1},{"id":2,"title":"laundry","todoListId":1}]},{"id":2,"title":"work","todos":[{"id":3,"title":"report","todoListId":2}]}]`},
		{"GET", `/todos/1?filter={"include":["todoList"]}`, "", 200, `{"id":1,"title":"the dishes","todoListId":1,"todoList":{"id":1,"title":"home"}}`},
		{"GET", `/todos?filter={"include":["nothing"]}`, "", 400,
			`{"error":{"statusCode":400,"name":"Error","message":"Invalid \"filter.include\" entries: \"nothing\"","code":"INVALID_INCLUSION_FILTER"}}`},
		{"DELETE", "/todo-lists/1/todos", "", 200, `{"count":2}`},
		{"GET", "/todos/count", "", 200, `{"count":1}`},
		{"GET", "/todos/99/todo-list", "", 404, `~ENTITY_NOT_FOUND`},
		{"GET", "/openapi.json", "", 200, `~"operationId": "TodoListTodoController.find"`},
		{"GET", "/openapi.json", "", 200, `~"operationId": "TodoController.getTodoList"`},
		{"GET", "/openapi.json", "", 200, `~"NewTodoInTodoList"`},
	}
	for _, s := range steps {
		path := strings.NewReplacer(`{`, "%7B", `}`, "%7D", `"`, "%22", ` `, "%20").Replace(s.path)
		if strings.HasPrefix(s.path, "/openapi") {
			path = s.path
		}
		status, body := call(t, ts, s.method, path, s.body)
		switch {
		case status != s.status:
			t.Errorf("%s %s: got %d %s; want %d", s.method, s.path, status, body, s.status)
		case strings.HasPrefix(s.want, "~"):
			if !strings.Contains(body, s.want[1:]) {
				t.Errorf("%s %s: got %.300s; want it to contain %s", s.method, s.path, body, s.want[1:])
			}
		case body != s.want:
			t.Errorf("%s %s: got %s; want %s", s.method, s.path, body, s.want)
		}
	}
}

func TestRelationsNeedRegistry(t *testing.T) {
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	def, err := model.Parse([]byte(listDef))
	if err != nil {
		t.Fatal(err)
	}
	repo, err := repository.NewModel(conn, def)
	if err != nil {
		t.Fatal(err)
	}
	err = crud.MountModel(rest.New(rest.Config{}), repo, crud.Options{})
	if err == nil || !strings.Contains(err.Error(), "todos") {
		t.Errorf("Mount of a model with relations outside a registry: got %v; want an error naming the relation", err)
	}
	s := rest.New(rest.Config{})
	if err := crud.MountModel(s, repo, crud.Options{NoRelations: true}); err != nil {
		t.Fatalf("Mount with NoRelations: %v", err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	if status, body := call(t, ts, "POST", "/todo-lists", `{"title":"x"}`); status != 200 {
		t.Errorf("POST /todo-lists with NoRelations: got %d %s", status, body)
	}
	if status, _ := call(t, ts, "GET", "/todo-lists/1/todos", ""); status != 404 {
		t.Errorf("GET /todo-lists/1/todos with NoRelations: got %d; want 404", status)
	}
}

// TestOnDeleteOverHTTP checks the REST answers of onDelete rules: a
// refused delete is a 409 in LoopBack's error shape and changes nothing;
// setNull clears the children's key.
func TestOnDeleteOverHTTP(t *testing.T) {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var reg repository.Registry
	s := rest.New(rest.Config{})
	var repos []*repository.Model
	for _, src := range []string{
		`{"name":"Rack","properties":{"id":{"type":"number","id":true,"generated":true}}}`,
		`{"name":"Book","properties":{"id":{"type":"number","id":true,"generated":true},"rackId":"number"},
		  "relations":{"rack":{"type":"belongsTo","model":"Rack","onDelete":"restrict"}}}`,
		`{"name":"Note","properties":{"id":{"type":"number","id":true,"generated":true},"rackId":"number"},
		  "relations":{"rack":{"type":"belongsTo","model":"Rack","onDelete":"setNull"}}}`,
	} {
		def, err := model.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		repo, err := repository.NewModel(conn, def)
		if err != nil {
			t.Fatal(err)
		}
		repos = append(repos, repo)
	}
	if err := reg.Add(repos...); err != nil {
		t.Fatal(err)
	}
	for _, repo := range repos {
		if err := crud.MountModel(s, repo, crud.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, st := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/racks", `{}`, 200, `{"id":1}`},
		{"POST", "/racks", `{}`, 200, `{"id":2}`},
		{"POST", "/books", `{"rackId":1}`, 200, `{"id":1,"rackId":1}`},
		{"POST", "/notes", `{"rackId":2}`, 200, `{"id":1,"rackId":2}`},
		{"DELETE", "/racks/1", "", 409, `{"error":{"statusCode":409,"name":"ConflictError","message":"Cannot delete Rack: 1 Book instance(s) refer to it through rackId (onDelete restrict).","code":"FOREIGN_KEY_VIOLATION"}}`},
		{"GET", "/racks/count", "", 200, `{"count":2}`},
		{"DELETE", "/racks/2", "", 204, ""},
		{"GET", "/notes/1", "", 200, `{"id":1}`},
	} {
		status, body := call(t, ts, st.method, st.path, st.body)
		if status != st.status || body != st.want {
			t.Errorf("%s %s: got %d %s; want %d %s", st.method, st.path, status, body, st.status, st.want)
		}
	}
}
