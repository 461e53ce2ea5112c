package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lb runs one lb command in process and returns its standard output.
func lb(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	err := run(ctx, args, &out, &errOut)
	if err != nil && errOut.Len() > 0 {
		t.Logf("lb %v stderr:\n%s", args, errOut.String())
	}
	return out.String(), err
}

func mustLB(t *testing.T, args ...string) string {
	t.Helper()
	out, err := lb(t, args...)
	if err != nil {
		t.Fatalf("lb %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// goIn runs the go command in dir.
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	c := exec.Command("go", args...)
	c.Dir = dir
	c.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// TestEndToEnd generates an application with lb new, adds two models, a
// SQLite data source, their CRUD REST APIs, relations between them, an
// empty controller, an observer and an interceptor; builds, vets and tests
// it; starts it and does a CRUD round trip over HTTP, relations included;
// exports its OpenAPI document with lb spec, changes a property's type, and
// checks that lb spec diff reports the break and fails.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated application: skipped in short mode")
	}
	t.Parallel() // the builds of the generated applications overlap
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	app := filepath.Join(parent, "shop")
	out := mustLB(t, "new", "shop", "-C", parent, "--replace", root, "--skip-tidy")
	for _, f := range []string{"create go.mod", "create main.go", "create app.go", "create app_test.go", "create README.md", "create ci.sh"} {
		if !strings.Contains(out, f) {
			t.Errorf("lb new printed %q; want %q", out, f)
		}
	}
	steps := [][]string{
		{"model", "TodoList", "-p", "title:string:required", "-p", "color"},
		{"model", "Todo", "-p", "title:string:required", "-p", "isComplete:boolean"},
		{"datasource", "db", "--connector", "sqlite"},
		{"relation", "--type", "hasMany", "--source", "TodoList", "--target", "Todo"},
		{"relation", "--type", "belongsTo", "--source", "Todo", "--target", "TodoList", "--on-delete", "cascade"},
		{"model", "Tag", "-p", "name:string:required"},
		{"model", "TodoTag"},
		{"model", "Label", "-p", "name:string:required"},
		{"relation", "--type", "hasManyThrough", "--source", "Todo", "--target", "Tag", "--through", "TodoTag"},
		{"relation", "--type", "referencesMany", "--source", "Todo", "--target", "Label"},
		{"rest-crud", "Tag", "--datasource", "db"},
		{"rest-crud", "TodoTag", "--datasource", "db"},
		{"rest-crud", "Label", "--datasource", "db"},
		{"rest-crud", "TodoList", "--datasource", "db"},
		{"repository", "Todo", "--datasource", "db"},
		{"controller", "Todo", "--crud"},
		{"controller", "Hello"},
		{"observer", "Audit"},
		{"interceptor", "Timing"},
	}
	// Services: a rest data source (its datasource document written in
	// datasources/) with a typed proxy, and openapi, soap and grpc data
	// sources opened at start (documents copied from the packages' tests;
	// gRPC connects lazily).
	os.MkdirAll(filepath.Join(app, "specs"), 0o755)
	for src, dst := range map[string]string{"service/oasvc/testdata/petstore.yaml": "petstore.yaml", "service/soapsvc/testdata/calculator.wsdl": "calculator.wsdl"} {
		b, err := os.ReadFile(filepath.Join(root, src))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(app, "specs", dst), b, 0o644)
	}
	steps = append(steps,
		[]string{"datasource", "pingsvc", "--connector", "rest", "--base-url", "http://127.0.0.1:9"},
		[]string{"service", "pinger", "--datasource", "pingsvc"},
		[]string{"datasource", "pets", "--connector", "openapi", "--url", filepath.Join(app, "specs", "petstore.yaml"), "--base-url", "http://127.0.0.1:9/v1"},
		[]string{"service", "petstore", "--datasource", "pets"},
		[]string{"datasource", "calc", "--connector", "soap", "--url", filepath.Join(app, "specs", "calculator.wsdl")},
		[]string{"datasource", "greeter", "--connector", "grpc", "--url", "127.0.0.1:9"},
		[]string{"extension-point", "Greeter"},
		[]string{"extension", "Hello", "--extension-point", "Greeter"},
	)
	for _, s := range steps {
		mustLB(t, append(s, "-C", app)...)
	}
	os.WriteFile(filepath.Join(app, "service_test.go"), []byte(serviceTest), 0o644)
	badDoc := filepath.Join(parent, "bad.datasource.json")
	os.WriteFile(badDoc, []byte(`{"name":"x","connector":"rest","operations":[]}`), 0o644)
	// Refusals: an existing model, a bad name, a missing data source.
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"model", "Todo"}, "model Todo already exists"},
		{[]string{"model", "func"}, "Go keyword"},
		{[]string{"repository", "Todo", "--datasource", "nope"}, "lb datasource nope"},
		{[]string{"datasource", "x", "--connector", "oracle"}, "oracle"},
		{[]string{"datasource", "x", "--connector", "openapi"}, "needs --url"},
		{[]string{"datasource", "x", "--connector", "rest", "--url", "http://h"}, "--spec"},
		{[]string{"datasource", "x", "--connector", "sqlite", "--base-url", "http://h"}, "--base-url is for rest and openapi"},
		{[]string{"datasource", "x", "--connector", "rest", "--spec", "/nonexistent.json"}, "nonexistent"},
		{[]string{"datasource", "x", "--connector", "rest", "--spec", badDoc}, "data source x"},
		{[]string{"service", "x", "--datasource", "db"}, "not a rest or openapi data source"},
		{[]string{"service", "x", "--datasource", "nope"}, "lb datasource nope"},
		{[]string{"extension", "Bye", "--extension-point", "Nope"}, "lb extension-point Nope"},
		{[]string{"extension-point", "Greeter"}, "exists"},
	} {
		if _, err := lb(t, append(bad.args, "-C", app)...); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("lb %v: %v; want an error containing %q", bad.args, err, bad.want)
		}
	}

	// Go models discovered from a SQLite database, checked by a test in the
	// generated application: they must compile and describe the tables.
	mustLB(t, "discover", "--url", "sqlite:"+legacyDB(t), "-C", app)
	os.WriteFile(filepath.Join(app, "discovered_test.go"), []byte(discoveredTest), 0o644)

	goIn(t, app, "mod", "tidy")
	goIn(t, app, "vet", "./...")
	testOut := goIn(t, app, "test", "-count=1", "-v", "./...")
	for _, name := range []string{"TestPing", "TestOpenAPI", "TestTodoCRUD", "TestTodoListCRUD", "TestDiscovered", "TestPingerService", "TestGreeters"} {
		if !strings.Contains(testOut, "--- PASS: "+name) {
			t.Errorf("generated tests: %s did not pass:\n%s", name, testOut)
		}
	}
	bin := filepath.Join(parent, "shop-bin")
	goIn(t, app, "build", "-o", bin, ".")
	if fmtOut, _ := exec.Command("gofmt", "-l", app).CombinedOutput(); len(fmtOut) > 0 {
		t.Errorf("generated files need gofmt: %s", fmtOut)
	}

	base := startApp(t, bin, app)
	for _, s := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/todo-lists", `{"title":"home","color":"red"}`, 200, `{"id":1,"title":"home","color":"red"}`},
		{"POST", "/todo-lists/1/todos", `{"title":"dishes"}`, 200, `{"id":1,"title":"dishes","todoListId":1}`},
		{"GET", "/todos/1?filter=%7B%22include%22:[%22todoList%22]%7D", "", 200, `{"id":1,"title":"dishes","todoListId":1,"todoList":{"id":1,"title":"home","color":"red"}}`},
		{"GET", "/todo-lists/1/todos", "", 200, `[{"id":1,"title":"dishes","todoListId":1}]`},
		{"PATCH", "/todos/1", `{"isComplete":true}`, 204, ``},
		{"GET", "/todos/count?where[isComplete]=true", "", 200, `{"count":1}`},
		{"POST", "/todos", `{"title":"orphan","todoListId":99}`, 404, `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: TodoList with id 99","code":"ENTITY_NOT_FOUND"}}`},
		{"POST", "/todos", `{"isComplete":true}`, 422, "~\"missingProperty\":\"title\""},
		{"GET", "/hello", "", 200, `{"message":"Hello from HelloController"}`},
		{"POST", "/tags", `{"name":"urgent"}`, 200, `{"id":1,"name":"urgent"}`},
		{"POST", "/todo-tags", `{"todoId":1,"tagId":1}`, 200, `{"id":1,"todoId":1,"tagId":1}`},
		{"GET", "/todos/1/tags", "", 200, `[{"id":1,"name":"urgent"}]`},
		{"POST", "/labels", `{"name":"red"}`, 200, `{"id":1,"name":"red"}`},
		{"PATCH", "/todos/1", `{"labelIds":[1]}`, 204, ``},
		{"GET", "/todos/1?filter=%7B%22include%22:[%22labels%22,%22tags%22]%7D", "", 200, `~"labelIds":[1],"tags":[{"id":1,"name":"urgent"}],"labels":[{"id":1,"name":"red"}]`},
		// onDelete=cascade: deleting the list deletes its todo.
		{"DELETE", "/todo-lists/1", "", 204, ``},
		{"GET", "/todos/1", "", 404, `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: Todo with id 1","code":"ENTITY_NOT_FOUND"}}`},
	} {
		req, _ := http.NewRequest(s.method, base+s.path, strings.NewReader(s.body))
		if s.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := string(b)
		ok := got == s.want
		if strings.HasPrefix(s.want, "~") {
			ok = strings.Contains(got, s.want[1:])
		}
		if resp.StatusCode != s.status || !ok {
			t.Errorf("%s %s: %d %s; want %d %s", s.method, s.path, resp.StatusCode, got, s.status, s.want)
		}
	}

	// lb spec from the running app and from the project agree on paths.
	fromURL := mustLB(t, "spec", base)
	oldSpec := filepath.Join(parent, "old.json")
	mustLB(t, "spec", app, "-o", oldSpec)
	old, err := os.ReadFile(oldSpec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"/todo-lists/{id}/todos"`, `"/todos/{id}/todo-list"`, `"TodoController.create"`, `"HelloController.hello"`, `"openapi": "3.1`} {
		if !strings.Contains(string(old), want) || !strings.Contains(fromURL, want) {
			t.Errorf("lb spec: the document lacks %s", want)
		}
	}
	if y := mustLB(t, "spec", base, "--yaml", "--openapi", "3.0"); !strings.Contains(y, "openapi: 3.0") {
		t.Errorf("lb spec --yaml --openapi 3.0: %.200s", y)
	}
	if d := mustLB(t, "spec", "diff", oldSpec, oldSpec); !strings.Contains(d, "0 changes") {
		t.Errorf("lb spec diff of a document with itself: %s", d)
	}

	// Change Todo.title from string to number: a breaking change.
	src, err := os.ReadFile(filepath.Join(app, "todo.go"))
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(src), "Title      string", "Title      float64", 1)
	if changed == string(src) {
		t.Fatalf("todo.go has no Title string field:\n%s", src)
	}
	os.WriteFile(filepath.Join(app, "todo.go"), []byte(changed), 0o644)
	newSpec := filepath.Join(parent, "new.json")
	mustLB(t, "spec", app, "-o", newSpec)
	diffOut, err := lb(t, "spec", "diff", oldSpec, newSpec)
	if !errors.Is(err, errBreaking) {
		t.Errorf("lb spec diff after a type change: %v; want errBreaking", err)
	}
	if !strings.Contains(diffOut, "breaking") || !strings.Contains(diffOut, "title") || !strings.Contains(diffOut, "POST /todos") {
		t.Errorf("lb spec diff output lacks the title break on POST /todos:\n%s", diffOut)
	}
	md, _ := lb(t, "spec", "diff", "--format", "markdown", oldSpec, newSpec)
	if !strings.Contains(md, "| **breaking** |") {
		t.Errorf("markdown output:\n%s", md)
	}

	// lb migrate --rebuild empties the tables.
	if out := mustLB(t, "migrate", "--rebuild", "-C", app); !strings.Contains(out, "Migrated") {
		t.Errorf("lb migrate --rebuild printed %q", out)
	}
}

// startApp starts a generated application's binary on a free port in dir
// and returns its base URL.
func startApp(t *testing.T, bin, dir string) string {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORT=0", "HOST=127.0.0.1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	lines := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		url, ok := strings.CutPrefix(line, "Server is running at ")
		if !ok {
			t.Fatalf("first line %q; want Server is running at URL", line)
		}
		return url
	case <-exited:
		t.Fatalf("the application exited:\n%s", stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("the application printed nothing in 60 s\n%s", stderr.String())
	}
	return ""
}

// discoveredTest checks the Go models lb discover wrote, in the generated
// application.
const discoveredTest = `package main

import (
	"testing"

	"github.com/loopback-go/lb/model"
)

func TestDiscovered(t *testing.T) {
	o, err := model.FromStruct[LegacyOrder]()
	if err != nil {
		t.Fatal(err)
	}
	if o.IDName() != "id" || !o.Property("total").Required || o.Property("placedAt") == nil {
		t.Errorf("LegacyOrder: %+v", o)
	}
	if len(o.Relations) != 1 || o.Relations[0].Type != model.BelongsTo || o.Relations[0].Target != "LegacyCustomer" || o.Relations[0].Name != "customer" {
		t.Errorf("LegacyOrder relations: %+v", o.Relations)
	}
	c, err := model.FromStruct[LegacyCustomer]()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Relations) != 1 || c.Relations[0].Type != model.HasMany || c.Relations[0].Target != "LegacyOrder" || c.Relations[0].KeyTo != "customerId" {
		t.Errorf("LegacyCustomer relations: %+v", c.Relations)
	}
}
`

// serviceTest checks, in the generated application, the typed proxy lb
// service wrote: bound as services.pinger at start, and calling its
// function ping through the rest data source's template.
const serviceTest = `package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/service"
)

func TestPingerService(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ping" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(` + "`" + `{"greeting":"pong"}` + "`" + `))
	}))
	defer up.Close()
	doc := filepath.Join(t.TempDir(), "pingsvc.json")
	os.WriteFile(doc, []byte(` + "`" + `{"name":"pingsvc","connector":"rest","baseURL":"` + "`" + `+up.URL+` + "`" + `","operations":[{"template":{"method":"GET","url":"/ping"},"functions":{"ping":[]}}]}` + "`" + `), 0o644)
	t.Setenv("PINGSVC_URL", doc)
	t.Chdir(t.TempDir())
	a, err := newApp(context.Background(), config{Host: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	svc, err := di.Get(a.srv.Container(), service.Key[*PingerService]("pinger"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Ping(context.Background(), PingerPingArgs{})
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := got.(map[string]any); !ok || m["greeting"] != "pong" {
		t.Errorf("Ping: %#v; want the upstream's answer", got)
	}
	pets, err := di.Get(a.srv.Container(), service.Key[*PetstoreService]("petstore"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pets.GetPetByID(context.Background(), map[string]any{"petId": "x"}); err == nil {
		t.Error("GetPetById with a bad petId: no error")
	}
}

func TestGreeters(t *testing.T) {
	t.Chdir(t.TempDir())
	a, err := newApp(context.Background(), config{Host: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	all, err := greeters(a.srv.Container())
	if err != nil || len(all) != 1 || all[0].Name() != "hello" {
		t.Fatalf("greeters: %v, %v; want the hello extension", all, err)
	}
	if s, err := all[0].Run(context.Background()); err != nil || s != "Hello from HelloGreeter" {
		t.Errorf("Run: %q, %v", s, err)
	}
}
`
