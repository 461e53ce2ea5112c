package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoopBackDBFile starts the example on the db.json LoopBack's
// todo-list example writes: it loads as is, serves the same data as a
// seeded store, and what it writes back is in LoopBack's format (ids and
// models, instances as JSON strings), so LoopBack could read it again.
func TestLoopBackDBFile(t *testing.T) {
	src, err := os.ReadFile("testdata/lb4-db.json")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	base := start(t, config{Host: "127.0.0.1", DBFile: file})
	run1(t, base, []step{
		{"GET", "/todo-lists" + f(`{"include":["todos"]}`), "", 200,
			arr(with(list1, "todos", arr(todo1, todo2, todo4)), with(list2, "todos", arr(todo3)))},
		{"POST", "/todo-lists/2/todos", `{"title":"clean"}`, 200, `{"id":5,"title":"clean","todoListId":2}`},
		{"POST", "/todo-lists/2/todo-list-image", `{"value":"chores.png"}`, 200, `{"id":1,"value":"chores.png","todoListId":2}`},
	})
	var db struct {
		IDs    map[string]int               `json:"ids"`
		Models map[string]map[string]string `json:"models"`
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &db); err != nil {
		t.Fatalf("the file is not in LoopBack's format: %v\n%s", err, b)
	}
	if db.IDs["Todo"] != 6 || db.IDs["TodoList"] != 3 || db.IDs["TodoListImage"] != 2 {
		t.Errorf("ids: got %v; want Todo 6, TodoList 3, TodoListImage 2", db.IDs)
	}
	var todo5 map[string]any
	if err := json.Unmarshal([]byte(db.Models["Todo"]["5"]), &todo5); err != nil {
		t.Fatalf("Todo 5 in the file: %v (%q)", err, db.Models["Todo"]["5"])
	}
	if todo5["title"] != "clean" || todo5["todoListId"] != 2.0 {
		t.Errorf("Todo 5 in the file: got %v; want title clean, todoListId 2", todo5)
	}
}

// TestSeed checks that a new data file is seeded with LoopBack's example
// data, and that a restart keeps what was written.
func TestSeed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data", "db.json")
	base := start(t, config{Host: "127.0.0.1", DBFile: file})
	run1(t, base, []step{
		{"GET", "/todo-lists/1/todos", "", 200, arr(todo1, todo2, todo4)},
		{"PATCH", "/todo-lists/1", `{"color":"black"}`, 204, ""},
	})
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("data file: %v", err)
	}
	base = start(t, config{Host: "127.0.0.1", DBFile: file})
	run1(t, base, []step{
		{"GET", "/todo-lists/1", "", 200, `{"id":1,"title":"Sith lord's check list","color":"black"}`},
		{"GET", "/todos/count", "", 200, `{"count":4}`},
	})
}

func TestConfigFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	cfg, err := configFromEnv(env())
	if err != nil || cfg != (config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json"}) {
		t.Errorf("defaults: got %+v, %v", cfg, err)
	}
	cfg, err = configFromEnv(env("HOST", "0.0.0.0", "PORT", "8080", "DB_FILE", "", "DB_URL", "sqlite::memory:"))
	if err != nil || cfg != (config{Host: "0.0.0.0", Port: 8080, DBURL: "sqlite::memory:"}) {
		t.Errorf("from env: got %+v, %v", cfg, err)
	}
	if _, err := configFromEnv(env("PORT", "70000")); err == nil {
		t.Error("PORT=70000: got no error")
	}
	if _, _, _, err := openStore(t.Context(), config{DBURL: "oracle://u:secret@h/db"}); err == nil || !strings.Contains(err.Error(), "xxxxx") || strings.Contains(err.Error(), "secret") {
		t.Errorf("unsupported DB_URL: got %v; want an error with the password redacted", err)
	}
}
