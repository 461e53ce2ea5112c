package sqlite_test

import (
	"context"
	"slices"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// TestRelationsAcrossDataSources keeps todos on SQLite and their lists on
// the memory connector: inclusion works in both directions, and where and
// order across the relation are resolved by the repository (no join is
// possible), answering as on one data source.
func TestRelationsAcrossDataSources(t *testing.T) {
	ctx := context.Background()
	sql := openTemp(t)
	mem, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	listDef, err := model.Parse([]byte(`{"name":"TodoList","properties":{"id":{"type":"integer","id":true,"generated":true},"color":"string"},
		"relations":{"todos":{"type":"hasMany","model":"Todo"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	todoDef, err := model.Parse([]byte(`{"name":"Todo","properties":{"id":{"type":"integer","id":true,"generated":true},"title":"string","todoListId":"integer"},
		"relations":{"todoList":{"type":"belongsTo","model":"TodoList"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := sql.Automigrate(ctx, []*model.Definition{todoDef}); err != nil {
		t.Fatal(err)
	}
	lists, err := repository.NewModel(mem, listDef)
	if err != nil {
		t.Fatal(err)
	}
	todos, err := repository.NewModel(sql, todoDef)
	if err != nil {
		t.Fatal(err)
	}
	var reg repository.Registry
	if err := reg.Add(lists, todos); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"red", "blue"} {
		if _, err := lists.Create(ctx, connector.Record{"color": c}); err != nil {
			t.Fatal(err)
		}
	}
	for i, title := range []string{"a", "b", "c"} {
		if _, err := todos.Create(ctx, connector.Record{"title": title, "todoListId": int64(1 + i%2)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := todos.Create(ctx, connector.Record{"title": "x", "todoListId": int64(9)}); err == nil {
		t.Error("a todo in a list that does not exist on the other data source: got no error")
	}
	titles := func(m *repository.Model, js string) []string {
		t.Helper()
		f, err := filter.ParseJSON([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := m.Find(ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		out := []string{}
		for _, r := range recs {
			s, _ := r["title"].(string)
			if s == "" {
				s, _ = r["color"].(string)
			}
			out = append(out, s)
		}
		return out
	}
	for _, tt := range []struct {
		m      *repository.Model
		filter string
		want   []string
	}{
		{todos, `{"where":{"todoList.color":"red"}}`, []string{"a", "c"}},
		{todos, `{"order":["todoList.color","title DESC"]}`, []string{"b", "c", "a"}},
		{lists, `{"where":{"todos.title":"b"}}`, []string{"blue"}},
	} {
		if got := titles(tt.m, tt.filter); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v; want %v", tt.filter, got, tt.want)
		}
	}
	got, err := lists.Find(ctx, &filter.Filter{Include: []filter.Inclusion{{Relation: "todos"}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got[0]["todos"].([]any)); n != 2 {
		t.Errorf("list 1 includes %d todos from SQLite; want 2", n)
	}
	withList, err := todos.FindByID(ctx, int64(2), &filter.Filter{Include: []filter.Inclusion{{Relation: "todoList"}}})
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := withList["todoList"].(map[string]any); l == nil || l["color"] != "blue" {
		t.Errorf("todo 2 includes %v from memory; want the blue list", withList["todoList"])
	}
}
