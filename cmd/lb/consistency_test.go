package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// TestServeSameAnswer serves a todo list model and its todos from a memory
// and from a SQLite data source, with and without the data source's
// nullForUnset option, and checks that both answer the same bytes: unset
// properties left out (or null with nullForUnset, also published as
// nullable), included instances in their model's declared property order
// (not sorted), and a todo under a missing list refused with the 404 that
// names the list.
func TestServeSameAnswer(t *testing.T) {
	const (
		list = `{"name":"TodoList","properties":{"id":{"type":"number","id":true,"generated":true},` +
			`"title":{"type":"string","required":true},"color":{"type":"string"}},` +
			`"relations":{"todos":{"type":"hasMany","model":"Todo","foreignKey":"todoListId"}}}`
		todo = `{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},` +
			`"title":{"type":"string","required":true},"isComplete":{"type":"boolean"},"desc":{"type":"string"},"todoListId":{"type":"number"}},` +
			`"relations":{"todoList":{"type":"belongsTo","model":"TodoList","foreignKey":"todoListId"}}}`
		notFound = `{"error":{"statusCode":404,"name":"Error","message":"Entity not found: TodoList with id 99","code":"ENTITY_NOT_FOUND"}}`
	)
	// Expected bodies; with nullForUnset, unset properties are null.
	type answers struct{ list, todo, included, withList string }
	off := answers{
		list:     `{"id":1,"title":"home","color":"red"}`,
		todo:     `{"id":1,"title":"dishes","isComplete":false,"todoListId":1}`,
		included: `[{"id":1,"title":"home","color":"red","todos":[{"id":1,"title":"dishes","isComplete":false,"todoListId":1}]}]`,
		withList: `{"id":1,"title":"dishes","isComplete":false,"todoListId":1,"todoList":{"id":1,"title":"home","color":"red"}}`,
	}
	on := answers{
		list:     off.list,
		todo:     `{"id":1,"title":"dishes","isComplete":false,"desc":null,"todoListId":1}`,
		included: `[{"id":1,"title":"home","color":"red","todos":[{"id":1,"title":"dishes","isComplete":false,"desc":null,"todoListId":1}]}]`,
		withList: `{"id":1,"title":"dishes","isComplete":false,"desc":null,"todoListId":1,"todoList":{"id":1,"title":"home","color":"red"}}`,
	}
	for _, conn := range []string{`"connector":"memory"`, `"connector":"sqlite","file":"data/db.sqlite"`} {
		for _, mode := range []struct {
			name, option string
			want         answers
		}{{"absent", ``, off}, {"nullForUnset", `,"nullForUnset":true`, on}} {
			name := strings.Split(conn, `"`)[3] + "/" + mode.name
			t.Run(name, func(t *testing.T) {
				dir := writeProject(t, map[string]string{
					"models/todo-list.model.json":                list,
					"models/todo.model.json":                     todo,
					"datasources/db.datasource.json":             `{"name":"db",` + conn + mode.option + `}`,
					"model-endpoints/todo-list.rest-config.json": `{"model":"TodoList","dataSource":"db","basePath":"/todo-lists"}`,
					"model-endpoints/todo.rest-config.json":      `{"model":"Todo","dataSource":"db","basePath":"/todos"}`,
				})
				p, err := loadProject(dir)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				srv, closeAll, err := p.server(ctx, rest.Config{})
				if err != nil {
					t.Fatal(err)
				}
				defer closeAll()
				ts := httptest.NewServer(srv)
				defer ts.Close()

				steps := []struct {
					method, path, body string
					status             int
					want               string
				}{
					{"POST", "/todo-lists", `{"title":"home","color":"red"}`, 200, mode.want.list},
					{"POST", "/todo-lists/1/todos", `{"title":"dishes","isComplete":false}`, 200, mode.want.todo},
					{"POST", "/todo-lists/99/todos", `{"title":"orphan"}`, 404, notFound},
					{"POST", "/todos", `{"title":"orphan","todoListId":99}`, 404, notFound},
					{"PATCH", "/todos/1", `{"todoListId":99}`, 404, notFound},
					{"GET", "/todos/count", "", 200, `{"count":1}`},
					{"GET", "/todos", "", 200, "[" + mode.want.todo + "]"},
					{"GET", "/todos/1", "", 200, mode.want.todo},
					{"GET", "/todo-lists?filter=%7B%22include%22:[%22todos%22]%7D", "", 200, mode.want.included},
					{"GET", "/todos/1?filter=%7B%22include%22:[%22todoList%22]%7D", "", 200, mode.want.withList},
				}
				for _, s := range steps {
					req, _ := http.NewRequest(s.method, ts.URL+s.path, strings.NewReader(s.body))
					if s.body != "" {
						req.Header.Set("Content-Type", "application/json")
					}
					resp, err := ts.Client().Do(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != s.status || string(b) != s.want {
						t.Errorf("%s %s: got %d %s; want %d %s", s.method, s.path, resp.StatusCode, b, s.status, s.want)
					}
				}

				resp, err := ts.Client().Get(ts.URL + "/openapi.json")
				if err != nil {
					t.Fatal(err)
				}
				spec, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if got, want := strings.Contains(string(spec), `"null"`), mode.option != ""; got != want {
					t.Errorf("openapi.json allows null somewhere: got %v; want %v", got, want)
				}
			})
		}
	}
}
