package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// parityStep is one request of TestServeTodoListParity.
type parityStep struct{ method, path, body string }

// paritySteps exercise the CRUD, relation and inclusion endpoints of the
// todo-list example (the requests of its acceptance tests), errors
// included, from LoopBack's seed data on.
func paritySteps() []parityStep {
	f := func(json string) string { return "?filter=" + url.QueryEscape(json) }
	w := func(json string) string { return "?where=" + url.QueryEscape(json) }
	return []parityStep{
		{"GET", "/todo-lists", ""},
		{"GET", "/todos", ""},
		{"GET", "/todo-lists/1", ""},
		{"GET", "/todo-lists/99", ""},
		{"GET", "/todo-lists/abc", ""},
		{"GET", "/todo-lists/count", ""},
		{"GET", "/todos" + f(`{"where":{"title":{"like":"%a%"}},"order":["title DESC"],"limit":2,"skip":1}`), ""},
		{"GET", "/todos" + f(`{"fields":{"desc":false}}`), ""},
		{"GET", "/todos" + f(`{"where":{"nope":1}}`), ""},
		{"GET", "/todos" + f(`{not json`), ""},
		{"POST", "/todo-lists", `{"title":"new list","color":"green"}`},
		{"POST", "/todo-lists", `{"color":"green"}`},
		{"POST", "/todo-lists", `{"title":5}`},
		{"POST", "/todo-lists", `{"title":"x","extra":true}`},
		{"POST", "/todo-lists", `not json`},
		{"PATCH", "/todo-lists/3", `{"color":"yellow"}`},
		{"PUT", "/todo-lists/3", `{"title":"replaced"}`},
		{"GET", "/todo-lists/3", ""},
		{"PATCH", "/todo-lists" + w(`{"color":"red"}`), `{"color":"pink"}`},
		{"DELETE", "/todo-lists/3", ""},
		{"DELETE", "/todo-lists/3", ""},
		// Across relations.
		{"GET", "/todos" + f(`{"where":{"todoList.color":"pink"}}`), ""},
		{"GET", "/todos?filter[where][todoList.color]=blue&filter[fields][0]=id", ""},
		{"GET", "/todos" + f(`{"order":["todoList.title ASC","id DESC"],"fields":["id"]}`), ""},
		{"GET", "/todo-lists" + f(`{"where":{"todos.title":{"like":"%alderaan%"}}}`), ""},
		{"GET", "/todos/count" + w(`{"todoList.color":"pink"}`), ""},
		{"GET", "/todos" + f(`{"where":{"todoList.nope":1}}`), ""},
		{"GET", "/todo-lists" + f(`{"order":"todos.title"}`), ""},
		// hasMany.
		{"GET", "/todo-lists/1/todos", ""},
		{"GET", "/todo-lists/1/todos" + f(`{"order":["id DESC"],"limit":2,"fields":["id"]}`), ""},
		{"GET", "/todo-lists/99/todos", ""},
		{"POST", "/todo-lists/2/todos", `{"title":"clean","desc":"the house"}`},
		{"POST", "/todo-lists/2/todos", `{"title":"shop","todoListId":2}`},
		{"POST", "/todo-lists/99/todos", `{"title":"orphan"}`},
		{"POST", "/todo-lists/1/todos", `{"title":"moved","todoListId":2}`},
		{"POST", "/todo-lists/1/todos", `{}`},
		{"PATCH", "/todo-lists/2/todos" + w(`{"id":5}`), `{"isComplete":true}`},
		{"PATCH", "/todo-lists/2/todos", `{"todoListId":1}`},
		{"PATCH", "/todo-lists/2/todos" + w(`{"nope":1}`), `{"isComplete":true}`},
		{"GET", "/todo-lists/2/todos", ""},
		// belongsTo and hasOne.
		{"GET", "/todos/5/todo-list", ""},
		{"GET", "/todos/99/todo-list", ""},
		{"GET", "/todo-lists/1/todo-list-image", ""},
		{"POST", "/todo-lists/1/todo-list-image", `{"value":"sith.png"}`},
		{"POST", "/todo-lists/1/todo-list-image", `{"value":"again.png"}`},
		{"POST", "/todo-lists/99/todo-list-image", `{"value":"x.png"}`},
		{"GET", "/todo-lists/1/todo-list-image", ""},
		{"PATCH", "/todo-lists/1/todo-list-image", `{"value":"vader.png"}`},
		{"PATCH", "/todo-lists/1/todo-list-image", `{"todoListId":2}`},
		{"GET", "/todo-list-images/1/todo-list", ""},
		// Inclusion.
		{"GET", "/todo-lists" + f(`{"include":["todos","image"]}`), ""},
		{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"where":{"isComplete":true},"fields":["id","title"]}}]}`), ""},
		{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"order":["id"],"skip":1,"limit":1}}]}`), ""},
		{"GET", "/todos" + f(`{"where":{"id":{"inq":[3,4]}},"include":[{"relation":"todoList","scope":{"fields":["title"]}}]}`), ""},
		{"GET", "/todo-list-images" + f(`{"include":[{"relation":"todoList","scope":{"include":[{"relation":"todos","scope":{"where":{"id":2}}}]}}]}`), ""},
		{"GET", "/todo-lists/1" + f(`{"include":[{"relation":"image","scope":{"fields":["value"]}}]}`), ""},
		{"GET", "/todo-lists" + f(`{"include":["nothing"]}`), ""},
		{"GET", "/todo-lists" + f(`{"include":[{"relation":"todos","scope":{"where":{"nope":1}}}]}`), ""},
		// Deletes, and the cascade of onDelete.
		{"DELETE", "/todo-lists/1/todo-list-image", ""},
		{"DELETE", "/todo-lists/2/todos" + w(`{"isComplete":true}`), ""},
		{"POST", "/todos", `{"title":"loose"}`},
		{"GET", "/todos/7/todo-list", ""},
		{"PATCH", "/todos/7", `{"todoListId":99}`},
		{"POST", "/todo-lists/1/todo-list-image", `{"value":"again.png"}`},
		{"DELETE", "/todo-lists/1", ""},
		{"GET", "/todos", ""},
		{"GET", "/todo-list-images/count", ""},
		{"GET", "/todo-lists", ""},
		{"GET", "/openapi.json", ""},
	}
}

// TestServeTodoListParity serves the todo-list example's models as
// LoopBack JSON definitions (testdata/todo-list-app) with lb serve's
// machinery and runs the example's requests against it and against the
// typed example itself (examples/todo-list, built and started), on the
// memory connector and on SQLite: every answer, the OpenAPI document
// included, has the same status, content type and bytes.
func TestServeTodoListParity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts examples/todo-list")
	}
	bin := buildTodoListExample(t)
	for _, b := range []struct {
		name, env, datasource string
	}{
		{"memory", "DB_FILE=", `{"name":"db","connector":"memory"}`},
		{"sqlite", "DB_URL=sqlite:" + filepath.Join(t.TempDir(), "typed.db"), `{"name":"db","connector":"sqlite","file":"data/db.sqlite"}`},
	} {
		t.Run(b.name, func(t *testing.T) {
			typed := startTodoListExample(t, bin, b.env)
			files := map[string]string{"datasources/db.datasource.json": b.datasource}
			for _, dir := range []string{"models", "model-endpoints"} {
				entries, err := os.ReadDir(filepath.Join("testdata/todo-list-app", dir))
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					data, err := os.ReadFile(filepath.Join("testdata/todo-list-app", dir, e.Name()))
					if err != nil {
						t.Fatal(err)
					}
					files[dir+"/"+e.Name()] = string(data)
				}
			}
			p, err := loadProject(writeProject(t, files))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			srv, closeAll, err := p.server(ctx, rest.Config{OpenAPI: rest.SpecConfig{Title: "@loopback/example-todo-list", Version: "1.0.0"}})
			if err != nil {
				t.Fatal(err)
			}
			defer closeAll()
			ts := httptest.NewServer(srv)
			defer ts.Close()
			// LoopBack's seed data, as the example creates it.
			for _, s := range []parityStep{
				{"POST", "/todo-lists", `{"title":"Sith lord's check list","color":"blue"}`},
				{"POST", "/todo-lists", `{"title":"My daily chores","color":"red"}`},
				{"POST", "/todos", `{"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA","todoListId":1}`},
				{"POST", "/todos", `{"title":"destroy alderaan","desc":"Make sure there are no survivors left!","todoListId":1}`},
				{"POST", "/todos", `{"title":"play space invaders","desc":"Become the very best!","todoListId":2}`},
				{"POST", "/todos", `{"title":"crush rebel scum","desc":"Every.Last.One.","todoListId":1}`},
			} {
				if a := parityCall(t, ts.URL, s); a.status != 200 {
					t.Fatalf("seed %s %s: %d %s", s.method, s.path, a.status, a.body)
				}
			}
			for i, s := range paritySteps() {
				want, got := parityCall(t, typed, s), parityCall(t, ts.URL, s)
				if got != want {
					t.Errorf("step %d: %s %s %s:\nJSON models: %d %s %s\ntyped app:   %d %s %s", i, s.method, s.path, s.body,
						got.status, got.contentType, got.body, want.status, want.contentType, want.body)
				}
			}
		})
	}
}

// parityAnswer is what TestServeTodoListParity compares.
type parityAnswer struct {
	status      int
	contentType string
	body        string
}

func parityCall(t *testing.T, base string, s parityStep) parityAnswer {
	t.Helper()
	var body io.Reader
	if s.body != "" {
		body = strings.NewReader(s.body)
	}
	req, err := http.NewRequest(s.method, base+s.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if s.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", s.method, s.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return parityAnswer{res.StatusCode, res.Header.Get("Content-Type"), string(b)}
}

// buildTodoListExample builds examples/todo-list and returns the binary.
func buildTodoListExample(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH: cannot build examples/todo-list")
	}
	bin := filepath.Join(t.TempDir(), "todo-list")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/loopback-go/lb/examples/todo-list")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build examples/todo-list: %v\n%s", err, out)
	}
	return bin
}

// startTodoListExample starts the example's binary on a free port with
// env (its store, seeded) and returns its base URL; the process is killed
// when the test ends.
func startTodoListExample(t *testing.T, bin, env string) string {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT=0", env)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("examples/todo-list's log:\n%s", logs.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Todo-list API: "); ok {
				found <- strings.TrimSuffix(u, "/todo-lists")
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatal("examples/todo-list ended without printing its URL")
		}
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("examples/todo-list did not print its URL within 30s")
	}
	return ""
}
