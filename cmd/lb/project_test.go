package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeProject writes files (path → content) under a new directory.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	goodModel    = `{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},"title":{"type":"string","required":true}}}`
	goodDS       = `{"name":"db","connector":"memory"}`
	goodEndpoint = `{"model":"Todo","dataSource":"db"}`
)

func TestLoadProject(t *testing.T) {
	p, err := loadProject("testdata/todo-app")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.models) != 3 || p.models["Todo"] == nil || p.models["Note"] == nil || p.models["TodoList"] == nil {
		t.Errorf("models: got %v; want Note, Todo and TodoList", sortedKeys(p.models))
	}
	if ds := p.datasources["db"]; ds == nil || ds.Connector != "memory" || ds.File != "data/db.json" {
		t.Errorf("data source db: got %+v", ds)
	}
	if ds := p.datasources["notes"]; ds == nil || ds.Connector != "sqlite" || ds.File != "data/notes.db" {
		t.Errorf("data source notes (YAML): got %+v", ds)
	}
	got := map[string]string{}
	for _, ep := range p.endpoints {
		got[ep.Model] = ep.BasePath
		if ep.Model == "Note" && !ep.ReadOnly {
			t.Errorf("Note endpoint: got readOnly false; want true")
		}
	}
	if got["Todo"] != "/todos" || got["Note"] != "/notes" || got["TodoList"] != "/todo-lists" {
		t.Errorf("base paths: got %v; want Todo /todos, Note /notes and TodoList /todo-lists (the defaults)", got)
	}
}

func TestLoadProjectErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{"bad property type", map[string]string{
			"models/todo.model.json":                `{"name":"Todo","properties":{"id":{"type":"number","id":true},"title":{"type":"strng"}}}`,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": goodEndpoint,
		}, []string{"models/todo.model.json", "Todo", `"title"`, "strng"}},
		{"model that does not parse", map[string]string{
			"models/todo.model.json":                `{"name":"Todo",`,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": goodEndpoint,
		}, []string{"models/todo.model.json"}},
		{"unknown connector", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        `{"name":"db","connector":"cassandra"}`,
			"model-endpoints/todo.rest-config.json": goodEndpoint,
		}, []string{"datasources/db.datasource.json", "db", `"cassandra"`}},
		{"data source without name", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        `{"connector":"memory"}`,
			"model-endpoints/todo.rest-config.json": goodEndpoint,
		}, []string{"datasources/db.datasource.json", `"name" is required`}},
		{"wrong type in data source", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        `{"name":"db","connector":"memory","port":"x"}`,
			"model-endpoints/todo.rest-config.json": goodEndpoint,
		}, []string{"datasources/db.datasource.json", `"port"`}},
		{"endpoint for an unknown model", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": `{"model":"Tod","dataSource":"db"}`,
		}, []string{"model-endpoints/todo.rest-config.json", "Tod", "defined: Todo"}},
		{"endpoint for an unknown data source", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": `{"model":"Todo","dataSource":"pg"}`,
		}, []string{"model-endpoints/todo.rest-config.json", "Todo", `"pg"`}},
		{"bad base path", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": `{"model":"Todo","dataSource":"db","basePath":"todos/{x}"}`,
		}, []string{"model-endpoints/todo.rest-config.json", "Todo", "todos/{x}"}},
		{"unsupported pattern", map[string]string{
			"models/todo.model.json":                goodModel,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": `{"model":"Todo","dataSource":"db","pattern":"KeyValueRest"}`,
		}, []string{"KeyValueRest"}},
		{"model without id", map[string]string{
			"models/todo.model.json":                `{"name":"Todo","properties":{"title":{"type":"string"}}}`,
			"datasources/db.datasource.json":        goodDS,
			"model-endpoints/todo.rest-config.json": goodEndpoint,
		}, []string{"Todo", "no id property"}},
		{"same base path twice", map[string]string{
			"models/todo.model.json":             goodModel,
			"datasources/db.datasource.json":     goodDS,
			"model-endpoints/a.rest-config.json": goodEndpoint,
			"model-endpoints/b.rest-config.json": goodEndpoint,
		}, []string{"model-endpoints/b.rest-config.json", "/todos", "model-endpoints/a.rest-config.json"}},
		{"no endpoints", map[string]string{
			"models/todo.model.json":         goodModel,
			"datasources/db.datasource.json": goodDS,
		}, []string{"no model endpoints"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadProject(writeProject(t, tt.files))
			if err == nil {
				t.Fatalf("got no error; want one containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q; want it to contain %q", err, w)
				}
			}
		})
	}
	if _, err := loadProject(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing directory: got no error")
	}
}
