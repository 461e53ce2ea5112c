package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildCLI builds the lb command into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lb")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// copyDir copies the project at src into a temporary directory, so that
// the data the server writes never lands in testdata.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestServe(t *testing.T) {
	bin := buildCLI(t)
	dir := copyDir(t, "testdata/todo-app")
	cmd := exec.Command(bin, "serve", "-port", "0", dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base string
	select {
	case line := <-lines:
		_, url, ok := strings.Cut(line, " at ")
		if !strings.HasPrefix(line, "Serving ") || !ok {
			t.Fatalf("first line %q; want Serving DIR at URL", line)
		}
		base = url
	case <-exited:
		t.Fatalf("lb serve exited: %v\n%s", waitErr, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("lb serve printed nothing in 60 s\n%s", stderr.String())
	}

	tests := []struct {
		method, path, body string
		status             int
		want               string // exact body, or a substring when it starts with "~"
	}{
		{"POST", "/todos", `{"title":"zero code","isComplete":false}`, 200, `{"id":1,"title":"zero code","isComplete":false}`},
		{"GET", "/todos", "", 200, `[{"id":1,"title":"zero code","isComplete":false}]`},
		{"GET", "/todos?filter[where][isComplete]=false", "", 200, `[{"id":1,"title":"zero code","isComplete":false}]`},
		{"PATCH", "/todos/1", `{"isComplete":true}`, 204, ""},
		{"GET", "/todos/count?where[isComplete]=true", "", 200, `{"count":1}`},
		{"GET", "/todos/2", "", 404, `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: Todo with id 2","code":"ENTITY_NOT_FOUND"}}`},
		{"POST", "/todos", `{"desc":"x"}`, 422, `~"missingProperty":"title"`},
		{"POST", "/todo-lists", `{"title":"chores"}`, 200, `{"id":1,"title":"chores"}`},
		{"POST", "/todo-lists/1/todos", `{"title":"dishes"}`, 200, `{"id":2,"title":"dishes","todoListId":1}`},
		{"GET", "/todo-lists/1/todos", "", 200, `[{"id":2,"title":"dishes","todoListId":1}]`},
		{"GET", "/todos/2/todo-list", "", 200, `{"id":1,"title":"chores"}`},
		{"GET", "/notes", "", 200, `[]`},
		{"POST", "/notes", `{"text":"read only"}`, 404, `~Endpoint \"POST /notes\" not found.`},
		{"GET", "/openapi.json", "", 200, `~"operationId": "NoteController.findById"`},
		{"GET", "/explorer/", "", 200, `~<title>LoopBack API Explorer</title>`},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got := string(b)
		switch {
		case resp.StatusCode != tt.status:
			t.Errorf("%s %s: got status %d; want %d (%s)", tt.method, tt.path, resp.StatusCode, tt.status, got)
		case strings.HasPrefix(tt.want, "~"):
			if !strings.Contains(got, tt.want[1:]) {
				t.Errorf("%s %s: got %.300s; want it to contain %s", tt.method, tt.path, got, tt.want[1:])
			}
		case got != tt.want:
			t.Errorf("%s %s: got %s; want %s", tt.method, tt.path, got, tt.want)
		}
	}

	// The memory data source persists to data/db.json in the project.
	data, err := os.ReadFile(filepath.Join(dir, "data", "db.json"))
	if err != nil || !strings.Contains(string(data), "zero code") {
		t.Errorf("data/db.json: got %q, %v; want the created todo", data, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "notes.db")); err != nil {
		t.Errorf("the SQLite data source's file: %v", err)
	}

	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("lb serve after SIGINT: %v\n%s", waitErr, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Error("lb serve did not stop within 30 s of SIGINT")
	}
}

func TestServeErrors(t *testing.T) {
	bin := buildCLI(t)
	bad := writeProject(t, map[string]string{
		"models/todo.model.json":                `{"name":"Todo","properties":{"id":{"type":"number","id":true},"title":{"type":"strng"}}}`,
		"datasources/db.datasource.json":        goodDS,
		"model-endpoints/todo.rest-config.json": goodEndpoint,
	})
	badPattern := writeProject(t, map[string]string{
		"models/todo.model.json":                `{"name":"Todo","properties":{"id":{"type":"number","id":true},"title":{"type":"string","jsonSchema":{"$ref":"#/components/schemas/Nowhere"}}}}`,
		"datasources/db.datasource.json":        goodDS,
		"model-endpoints/todo.rest-config.json": goodEndpoint,
	})
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"bad model", []string{"serve", "-port", "0", bad}, []string{"models/todo.model.json", "model Todo", `property "title"`, "strng"}},
		{"schema that does not compile", []string{"serve", "-port", "0", badPattern}, []string{"a model's schema does not compile", "POST /todos", "Nowhere"}},
		{"no directory", []string{"serve"}, []string{"want one project directory"}},
		{"unknown command", []string{"frobnicate"}, []string{`unknown command "frobnicate"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, tt.args...).CombinedOutput()
			if err == nil {
				t.Fatalf("lb %v: exit status 0; want failure\n%s", tt.args, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("lb %v: output %q; want it to contain %q", tt.args, out, w)
				}
			}
		})
	}
}
