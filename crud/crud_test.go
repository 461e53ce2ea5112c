package crud_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Todo is the model of LoopBack's todo example.
type Todo struct {
	ID              int64  `json:"id" lb:"id,generated"`
	Title           string `json:"title" required:"true"`
	Desc            string `json:"desc,omitempty"`
	IsComplete      *bool  `json:"isComplete,omitempty"`
	RemindAtAddress string `json:"remindAtAddress,omitempty"`
	RemindAtGeo     string `json:"remindAtGeo,omitempty"`
	Tag             any    `json:"tag,omitempty"`
}

// Account has a hidden property.
type Account struct {
	ID       int64  `json:"id" lb:"id,generated"`
	Name     string `json:"name" required:"true"`
	Password string `json:"password,omitempty" lb:"hidden"`
}

// TodoList checks the default base path of a two-word model.
type TodoList struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title"`
}

func newRepo[T any](t testing.TB) *repository.CRUD[T, int64] {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	repo, err := repository.New[T, int64](conn)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// serve mounts repo and returns an HTTP test server for it.
func serve[T any](t testing.TB, repo *repository.CRUD[T, int64], opts crud.Options) (*rest.Server, *httptest.Server) {
	t.Helper()
	return serveModel(t, repo.Model(), opts)
}

// serveModel mounts a record-level repository and returns an HTTP test
// server for it.
func serveModel(t testing.TB, repo *repository.Model, opts crud.Options) (*rest.Server, *httptest.Server) {
	t.Helper()
	s := rest.New(rest.Config{})
	if err := crud.MountModel(s, repo, opts); err != nil {
		t.Fatalf("Mount: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func call(t testing.TB, ts *httptest.Server, method, path, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ts.Client().Do(req)
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

// docOf returns the served OpenAPI document as decoded JSON.
func docOf(t *testing.T, ts *httptest.Server) map[string]any {
	t.Helper()
	status, body := call(t, ts, "GET", "/openapi.json", "")
	if status != 200 {
		t.Fatalf("GET /openapi.json: status %d", status)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// get walks a decoded JSON document.
func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// TestSpecShape checks the operations against LoopBack's todo example
// document (operation ids, statuses, response descriptions, schemas).
func TestSpecShape(t *testing.T) {
	_, ts := serve(t, newRepo[Todo](t), crud.Options{})
	doc := docOf(t, ts)
	tests := []struct {
		path, method, opID, status, desc string
		params                           []string // name:in[:$ref]
		reqRef, respRef                  string
	}{
		{"/todos", "post", "TodoController.create", "200", "Todo model instance", nil, "NewTodo", "Todo"},
		{"/todos/count", "get", "TodoController.count", "200", "Todo model count", []string{"where:query"}, "", "loopback.Count"},
		{"/todos", "get", "TodoController.find", "200", "Array of Todo model instances", []string{"filter:query:Todo.Filter1"}, "", "[]TodoWithRelations"},
		{"/todos", "patch", "TodoController.updateAll", "200", "Todo PATCH success count", []string{"where:query"}, "TodoPartial", "loopback.Count"},
		{"/todos/{id}", "get", "TodoController.findById", "200", "Todo model instance", []string{"id:path", "filter:query:Todo.Filter"}, "", "TodoWithRelations"},
		{"/todos/{id}", "patch", "TodoController.updateById", "204", "Todo PATCH success", []string{"id:path"}, "TodoPartial", ""},
		{"/todos/{id}", "put", "TodoController.replaceById", "204", "Todo PUT success", []string{"id:path"}, "Todo", ""},
		{"/todos/{id}", "delete", "TodoController.deleteById", "204", "Todo DELETE success", []string{"id:path"}, "", ""},
	}
	refName := func(s any) string {
		if items := get(s, "items"); items != nil {
			return "[]" + strings.TrimPrefix(get(items, "$ref").(string), "#/components/schemas/")
		}
		r, _ := get(s, "$ref").(string)
		return strings.TrimPrefix(r, "#/components/schemas/")
	}
	for _, tt := range tests {
		t.Run(tt.opID, func(t *testing.T) {
			op := get(doc, "paths", tt.path, tt.method)
			if op == nil {
				t.Fatalf("no %s %s in the document", tt.method, tt.path)
			}
			if got := get(op, "operationId"); got != tt.opID {
				t.Errorf("operationId: got %v; want %s", got, tt.opID)
			}
			if got := get(op, "tags"); !slices.Equal(toStrings(got), []string{"TodoController"}) {
				t.Errorf("tags: got %v; want [TodoController]", got)
			}
			resp := get(op, "responses", tt.status)
			if resp == nil {
				t.Fatalf("no %s response", tt.status)
			}
			if got := get(resp, "description"); got != tt.desc {
				t.Errorf("description: got %v; want %q", got, tt.desc)
			}
			if got := refName(get(resp, "content", "application/json", "schema")); got != tt.respRef {
				t.Errorf("response schema: got %q; want %q", got, tt.respRef)
			}
			if got := refName(get(op, "requestBody", "content", "application/json", "schema")); got != tt.reqRef {
				t.Errorf("request schema: got %q; want %q", got, tt.reqRef)
			}
			var params []string
			ps, _ := get(op, "parameters").([]any)
			for _, p := range ps {
				s := get(p, "name").(string) + ":" + get(p, "in").(string)
				if r := refName(get(p, "content", "application/json", "schema")); r != "" {
					s += ":" + r
				}
				params = append(params, s)
			}
			if !slices.Equal(params, tt.params) {
				t.Errorf("parameters: got %v; want %v", params, tt.params)
			}
		})
	}
	if got := get(doc, "paths", "/todos", "delete"); got != nil {
		t.Errorf("DELETE /todos is documented; LoopBack has no such operation")
	}
	schemas := get(doc, "components", "schemas").(map[string]any)
	for _, name := range []string{"Todo", "NewTodo", "TodoPartial", "TodoWithRelations", "loopback.Count", "Todo.Filter", "Todo.Filter1"} {
		if schemas[name] == nil {
			t.Errorf("components/schemas has no %s", name)
		}
	}
	if _, ok := get(schemas, "NewTodo", "properties").(map[string]any)["id"]; ok {
		t.Errorf("NewTodo has the generated id property")
	}
	if _, ok := get(schemas, "Todo.Filter", "properties").(map[string]any)["where"]; ok {
		t.Errorf("Todo.Filter (findById) has where")
	}
	if _, ok := get(schemas, "Todo.Filter1", "properties").(map[string]any)["where"]; !ok {
		t.Errorf("Todo.Filter1 (find) has no where")
	}
}

func toStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

func TestReadOnly(t *testing.T) {
	_, ts := serve(t, newRepo[Todo](t), crud.Options{ReadOnly: true})
	doc := docOf(t, ts)
	var ops []string
	for path, item := range get(doc, "paths").(map[string]any) {
		for method := range item.(map[string]any) {
			ops = append(ops, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(ops)
	want := []string{"GET /todos", "GET /todos/count", "GET /todos/{id}"}
	if !slices.Equal(ops, want) {
		t.Errorf("operations: got %v; want %v", ops, want)
	}
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/todos", `{"title":"x"}`}, {"PATCH", "/todos", `{"title":"x"}`},
		{"PATCH", "/todos/1", `{"title":"x"}`}, {"PUT", "/todos/1", `{"title":"x"}`}, {"DELETE", "/todos/1", ""},
	} {
		if status, body := call(t, ts, r.method, r.path, r.body); status != 404 || !strings.Contains(body, "Endpoint") {
			t.Errorf("%s %s: got %d %s; want 404 endpoint not found", r.method, r.path, status, body)
		}
	}
	schemas := get(doc, "components", "schemas").(map[string]any)
	for _, name := range []string{"NewTodo", "TodoPartial"} {
		if schemas[name] != nil {
			t.Errorf("read-only API documents the request schema %s", name)
		}
	}
	if schemas["TodoWithRelations"] == nil {
		t.Errorf("read-only API lacks TodoWithRelations")
	}
	if status, body := call(t, ts, "GET", "/todos", ""); status != 200 || body != "[]" {
		t.Errorf("GET /todos: got %d %s; want 200 []", status, body)
	}
}

func TestBasePath(t *testing.T) {
	_, ts := serve(t, newRepo[TodoList](t), crud.Options{})
	if status, body := call(t, ts, "POST", "/todo-lists", `{"title":"groceries"}`); status != 200 || body != `{"id":1,"title":"groceries"}` {
		t.Errorf("POST /todo-lists: got %d %s", status, body)
	}
	_, ts = serve(t, newRepo[TodoList](t), crud.Options{BasePath: "/lists", Controller: "ListController"})
	if status, _ := call(t, ts, "GET", "/lists/count", ""); status != 200 {
		t.Errorf("GET /lists/count: got %d; want 200", status)
	}
	if got := get(docOf(t, ts), "paths", "/lists", "get", "operationId"); got != "ListController.find" {
		t.Errorf("operationId: got %v; want ListController.find", got)
	}
}

// TestHidden checks that a hidden property is stored but never sent.
func TestHidden(t *testing.T) {
	repo := newRepo[Account](t)
	_, ts := serve(t, repo, crud.Options{})
	status, body := call(t, ts, "POST", "/accounts", `{"name":"ann","password":"s3cret"}`)
	if status != 200 || body != `{"id":1,"name":"ann"}` {
		t.Errorf("POST: got %d %s; want 200 without the password", status, body)
	}
	for _, path := range []string{"/accounts", "/accounts/1", `/accounts?filter={"fields":["password"]}`} {
		if _, body := call(t, ts, "GET", path, ""); strings.Contains(body, "s3cret") {
			t.Errorf("GET %s leaks the hidden property: %s", path, body)
		}
	}
	acc, err := repo.FindByID(context.Background(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Password != "" {
		t.Errorf("FindByID: got password %q; want it stripped by the repository too", acc.Password)
	}
	recs, err := repo.Model().Connector().Find(context.Background(), repo.Definition(), &filter.Filter{})
	if err != nil || len(recs) != 1 || recs[0]["password"] != "s3cret" {
		t.Errorf("stored records: got %v, %v; want the password kept", recs, err)
	}
}

func TestMountErrors(t *testing.T) {
	tests := []struct {
		name string
		opts crud.Options
		want string
	}{
		{"relative base path", crud.Options{BasePath: "todos"}, "must start with /"},
		{"trailing slash", crud.Options{BasePath: "/todos/"}, "must start with /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := rest.New(rest.Config{})
			err := crud.Mount(s, newRepo[Todo](t), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want an error containing %q", err, tt.want)
			}
			if n := len(s.Routes()); n != 0 {
				t.Errorf("got %d routes registered; want none", n)
			}
		})
	}
	t.Run("nil repository", func(t *testing.T) {
		if err := crud.Mount[Todo, int64](rest.New(rest.Config{}), nil, crud.Options{}); err == nil {
			t.Error("got no error mounting a nil repository")
		}
		if err := crud.MountModel(rest.New(rest.Config{}), nil, crud.Options{}); err == nil {
			t.Error("got no error mounting a nil record-level repository")
		}
	})
	t.Run("same path twice", func(t *testing.T) {
		s := rest.New(rest.Config{})
		if err := crud.Mount(s, newRepo[Todo](t), crud.Options{}); err != nil {
			t.Fatal(err)
		}
		err := crud.Mount(s, newRepo[Todo](t), crud.Options{})
		if err == nil || !strings.Contains(err.Error(), "POST /todos is taken") {
			t.Errorf("mounting /todos twice: got %v; want POST /todos is taken", err)
		}
		if n := len(s.Routes()); n != 8 {
			t.Errorf("got %d routes after the failed mount; want the first mount's 8", n)
		}
	})
	t.Run("a path taken with a trailing slash", func(t *testing.T) {
		s := rest.New(rest.Config{})
		s.Route("GET", "/todos/count/", nil, func(context.Context, *rest.Request) (any, error) { return nil, nil })
		err := crud.Mount(s, newRepo[Todo](t), crud.Options{})
		if err == nil || !strings.Contains(err.Error(), "GET /todos/count is taken") {
			t.Errorf("got %v; want GET /todos/count is taken", err)
		}
		if n := len(s.Routes()); n != 1 {
			t.Errorf("got %d routes after the failed mount; want 1", n)
		}
	})
	t.Run("one path taken", func(t *testing.T) {
		s := rest.New(rest.Config{})
		s.Route("DELETE", "/todos/{key}", nil, func(context.Context, *rest.Request) (any, error) { return nil, nil })
		err := crud.Mount(s, newRepo[Todo](t), crud.Options{})
		if err == nil || !strings.Contains(err.Error(), "DELETE /todos/{id} is taken by DELETE /todos/{key}") {
			t.Errorf("got %v; want DELETE /todos/{id} is taken", err)
		}
		if n := len(s.Routes()); n != 1 {
			t.Errorf("got %d routes after the failed mount; want 1 (nothing of the mount)", n)
		}
	})
}

// BenchmarkFind measures GET /todos with ten todos through the whole
// stack (routing, filter parsing, repository, memory connector, encoding).
func BenchmarkFind(b *testing.B) {
	repo := newRepo[Todo](b)
	for i := range 10 {
		if _, err := repo.Create(context.Background(), &Todo{Title: "todo", Desc: strings.Repeat("x", i)}); err != nil {
			b.Fatal(err)
		}
	}
	s := rest.New(rest.Config{})
	if err := crud.Mount(s, repo, crud.Options{}); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/todos", "/todos/3"} {
		b.Run(path, func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}

// Mixed has a property of each kind, one of them hidden, and accepts other
// keys (its model is not strict).
type Mixed struct {
	ID     int64          `json:"id" lb:"id,generated"`
	Title  string         `json:"title,omitempty"`
	N      float64        `json:"n,omitempty"`
	When   time.Time      `json:"when,omitzero"`
	Tags   []string       `json:"tags,omitempty"`
	Meta   map[string]any `json:"meta,omitempty"`
	Done   bool           `json:"done,omitempty"`
	Secret string         `json:"secret,omitempty" lb:"hidden"`
}

// recordsOnly hides the capabilities of a connector (a connector.JSONFinder
// among them): GETs encode records.
type recordsOnly struct{ connector.Connector }

// TestJSONPathMatchesRecords checks that the GET endpoints answer the same
// bytes whether the memory connector writes its rows as JSON or the
// records are encoded, for values of every kind and filters of every
// shape.
func TestJSONPathMatchesRecords(t *testing.T) {
	def := model.MustFromStruct[Mixed]()
	def.Settings.Strict = model.StrictFalse
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	repo, err := repository.NewModel(conn, def)
	if err != nil {
		t.Fatal(err)
	}
	// The fast side really writes rows: the memory connector is a JSON finder.
	if _, ok, err := repo.FindJSON(context.Background(), nil); !ok || err != nil {
		t.Fatalf("FindJSON on the memory connector: ok %v, %v; want rows", ok, err)
	}
	slowRepo, err := repository.NewModel(recordsOnly{conn}, def)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := slowRepo.FindJSON(context.Background(), nil); ok || err != nil {
		t.Fatalf("FindJSON without the capability: ok %v, %v; want not ok", ok, err)
	}
	_, fast := serveModel(t, repo, crud.Options{})
	_, slow := serveModel(t, slowRepo, crud.Options{})
	for _, body := range []string{
		`{"title":"plain"}`,
		`{"title":"a<b>&\u2028\"q\"","n":1e21,"done":true,"secret":"s"}`,
		`{"n":-0.000001,"when":"2026-11-23T22:50:01.5Z","tags":["x","<y>"],"meta":{"b":[1,2.5,null],"a":{"z":true}}}`,
		`{"title":"extra keys","zeta":1,"alpha":"a","nested":{"k":"v"},"arr":[{"x":1}]}`,
		`{"title":"é ☃ \ud83d\ude00","n":0.1}`,
	} {
		if status, got := call(t, fast, "POST", "/mixeds", body); status != 200 {
			t.Fatalf("POST %s: %d %s", body, status, got)
		}
	}
	for _, path := range []string{
		"/mixeds", "/mixeds/1", "/mixeds/2", "/mixeds/3", "/mixeds/4", "/mixeds/5", "/mixeds/99",
		`/mixeds?filter={"where":{"n":{"gt":0}}}`, `/mixeds?filter={"order":"title DESC","limit":3}`,
		`/mixeds?filter={"skip":2}`, `/mixeds?filter[where][title]=plain`, `/mixeds?filter={"fields":["title"]}`,
		`/mixeds/3?filter={"fields":{"meta":false}}`,
	} {
		fs, fb := call(t, fast, "GET", path, "")
		ss, sb := call(t, slow, "GET", path, "")
		if fs != ss || fb != sb {
			t.Errorf("GET %s:\n rows as JSON: %d %s\n records:      %d %s", path, fs, fb, ss, sb)
		}
		if path == "/mixeds/2" && !strings.Contains(fb, `"n":1e+21`) {
			t.Errorf("GET %s: got %s; want the instance", path, fb)
		}
		if strings.Contains(fb, `"secret"`) {
			t.Errorf("GET %s leaks the hidden property: %s", path, fb)
		}
	}
}

// TestIDInBody pins what LoopBack 4 answers when the body of PATCH or PUT
// /todos/{id} carries another id: PATCH ignores it (LoopBack's connectors
// leave ids out of a partial update) and PUT is juggler's 400 named
// "Error", without a code; neither changes the stored instances.
func TestIDInBody(t *testing.T) {
	_, ts := serve(t, newRepo[Todo](t), crud.Options{})
	for _, title := range []string{"one", "two"} {
		if status, body := call(t, ts, "POST", "/todos", `{"title":"`+title+`"}`); status != 200 {
			t.Fatalf("POST: %d %s", status, body)
		}
	}
	tests := []struct {
		method, path, body string
		status             int
		want               string
		todo1, todo2       string // GET /todos/1 and /todos/2 afterwards
	}{
		{"PATCH", "/todos/1", `{"id":2,"title":"patched"}`, 204, ``,
			`{"id":1,"title":"patched"}`, `{"id":2,"title":"two"}`},
		{"PATCH", "/todos/1", `{"id":1,"desc":"same id"}`, 204, ``,
			`{"id":1,"title":"patched","desc":"same id"}`, `{"id":2,"title":"two"}`},
		{"PATCH", "/todos/1", `{"id":7}`, 204, ``,
			`{"id":1,"title":"patched","desc":"same id"}`, `{"id":2,"title":"two"}`},
		{"PATCH", "/todos/99", `{"id":1}`, 404,
			`{"error":{"statusCode":404,"name":"Error","message":"Entity not found: Todo with id 99","code":"ENTITY_NOT_FOUND"}}`,
			`{"id":1,"title":"patched","desc":"same id"}`, `{"id":2,"title":"two"}`},
		{"PUT", "/todos/1", `{"id":2,"title":"replaced"}`, 400,
			`{"error":{"statusCode":400,"name":"Error","message":"id property (id) cannot be updated from 1 to 2"}}`,
			`{"id":1,"title":"patched","desc":"same id"}`, `{"id":2,"title":"two"}`},
		{"PUT", "/todos/1", `{"id":1,"title":"replaced"}`, 204, ``,
			`{"id":1,"title":"replaced"}`, `{"id":2,"title":"two"}`},
		{"PUT", "/todos/2", `{"title":"no id"}`, 204, ``,
			`{"id":1,"title":"replaced"}`, `{"id":2,"title":"no id"}`},
		{"PATCH", "/todos", `{"id":5,"desc":"all"}`, 200, `{"count":2}`,
			`{"id":1,"title":"replaced","desc":"all"}`, `{"id":2,"title":"no id","desc":"all"}`},
	}
	for _, tt := range tests {
		status, body := call(t, ts, tt.method, tt.path, tt.body)
		if status != tt.status || body != tt.want {
			t.Errorf("%s %s %s: got %d %s; want %d %s", tt.method, tt.path, tt.body, status, body, tt.status, tt.want)
		}
		for path, want := range map[string]string{"/todos/1": tt.todo1, "/todos/2": tt.todo2} {
			if _, got := call(t, ts, "GET", path, ""); got != want {
				t.Errorf("after %s %s %s: GET %s = %s; want %s", tt.method, tt.path, tt.body, path, got, want)
			}
		}
	}
	if _, body := call(t, ts, "GET", "/todos/count", ""); body != `{"count":2}` {
		t.Errorf("count: got %s; want 2", body)
	}
}

// TestLazyValidatorsAnswerAsEagerOnes: the todo API with validators
// compiled on first use (the default) answers valid and invalid requests
// exactly as with validators compiled by crud.Mount (EagerValidators), and
// Validate finds every schema of the mount compiles.
func TestLazyValidatorsAnswerAsEagerOnes(t *testing.T) {
	servers := map[bool]*rest.Server{}
	for _, eager := range []bool{false, true} {
		s := rest.New(rest.Config{EagerValidators: eager, Logger: slog.New(slog.DiscardHandler)})
		if err := crud.Mount(s, newRepo[Todo](t), crud.Options{}); err != nil {
			t.Fatal(err)
		}
		servers[eager] = s
	}
	requests := []struct{ method, target, body string }{
		{"POST", "/todos", `{"title":"a"}`},
		{"POST", "/todos", `{}`},
		{"POST", "/todos", `{"title":1,"isComplete":"yes","extra":true}`},
		{"POST", "/todos", `{"id":9,"title":"a"}`},
		{"PATCH", "/todos/1", `{"title":null}`},
		{"PATCH", "/todos/1", `{"desc":"b"}`},
		{"PUT", "/todos/1", `{"desc":"no title"}`},
		{"GET", "/todos?filter=%7B%22limit%22%3A-1%7D", ""},
		{"GET", "/todos?filter=%7B%22where%22%3A%5B1%5D%7D", ""},
		{"GET", "/todos?filter[limit]=x", ""},
		{"GET", "/todos?filter[fields][title]=true", ""},
		{"GET", "/todos/count?where=%7B%22title%22%3A%22a%22%7D", ""},
		{"GET", "/todos/1?filter=%7B%22include%22%3A3%7D", ""},
		{"PATCH", "/todos?where=%7B%22id%22%3A1%7D", `{"isComplete":1}`},
	}
	statuses := map[int]bool{}
	for _, r := range requests {
		var got [2]*httptest.ResponseRecorder
		for i, eager := range []bool{false, true} {
			req := httptest.NewRequest(r.method, r.target, strings.NewReader(r.body))
			if r.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			got[i] = httptest.NewRecorder()
			servers[eager].ServeHTTP(got[i], req)
		}
		if got[0].Code != got[1].Code || got[0].Body.String() != got[1].Body.String() {
			t.Errorf("%s %s %s:\n lazy  %d %s\n eager %d %s", r.method, r.target, r.body,
				got[0].Code, got[0].Body, got[1].Code, got[1].Body)
		}
		statuses[got[1].Code] = true
	}
	if !statuses[200] || !statuses[422] || !statuses[400] {
		t.Errorf("statuses %v: want 200, 400 and 422 among the answers", statuses)
	}
	if err := servers[false].Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// BenchmarkMount measures what a process pays at start for the todo
// model's REST API: a new server and crud.Mount (the routes, their
// parameters and bodies, the document); "first GET" adds the first GET
// /todos, "first POST" the first POST /todos (which validates a body).
func BenchmarkMount(b *testing.B) {
	repo := newRepo[Todo](b)
	mount := func(b *testing.B) *rest.Server {
		s := rest.New(rest.Config{})
		if err := crud.Mount(s, repo, crud.Options{}); err != nil {
			b.Fatal(err)
		}
		return s
	}
	b.Run("mount", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mount(b)
		}
	})
	for _, r := range []struct{ name, method, body string }{
		{"first GET", "GET", ""},
		{"first POST", "POST", `{"title":"a"}`},
	} {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s := mount(b)
				w := httptest.NewRecorder()
				req := httptest.NewRequest(r.method, "/todos", strings.NewReader(r.body))
				req.Header.Set("Content-Type", "application/json")
				s.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
