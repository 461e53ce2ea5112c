package repository_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// benchLists returns the repositories of 100 lists with 10 todos each on
// the memory connector, in a registry.
func benchLists(b *testing.B) (lists, todos *repository.Model) {
	b.Helper()
	ctx := context.Background()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	var reg repository.Registry
	var ms []*repository.Model
	for _, src := range []string{
		`{"name":"TodoList","properties":{"id":{"type":"number","id":true,"generated":true},"title":"string"},
		  "relations":{"todos":{"type":"hasMany","model":"Todo","foreignKey":"todoListId"}}}`,
		`{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},"title":"string","todoListId":"number"},
		  "relations":{"todoList":{"type":"belongsTo","model":"TodoList","foreignKey":"todoListId"}}}`,
	} {
		def, err := model.Parse([]byte(src))
		if err != nil {
			b.Fatal(err)
		}
		m, err := repository.NewModel(conn, def)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
	}
	if err := reg.Add(ms...); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		l, err := ms[0].Create(ctx, connector.Record{"title": fmt.Sprint("list ", i)})
		if err != nil {
			b.Fatal(err)
		}
		for j := range 10 {
			if _, err := ms[1].Create(ctx, connector.Record{"title": fmt.Sprint("todo ", j), "todoListId": l["id"]}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return ms[0], ms[1]
}

// BenchmarkIncludeMemory lists 100 lists with their 10 todos each.
func BenchmarkIncludeMemory(b *testing.B) {
	lists, _ := benchLists(b)
	f := &filter.Filter{Include: []filter.Inclusion{{Relation: "todos"}}}
	b.ReportAllocs()
	for b.Loop() {
		if got, err := lists.Find(context.Background(), f); err != nil || len(got) != 100 {
			b.Fatal(len(got), err)
		}
	}
}

// BenchmarkFindInRegistry finds 10 todos by their own properties in a
// repository that is in a registry (the validation that resolves
// relation paths runs, finds none).
func BenchmarkFindInRegistry(b *testing.B) {
	_, todos := benchLists(b)
	f := &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "todoListId", Op: filter.Eq, Value: 7}}}, Order: []filter.Order{{Property: "title"}}}
	b.ReportAllocs()
	for b.Loop() {
		if got, err := todos.Find(context.Background(), f); err != nil || len(got) != 10 {
			b.Fatal(len(got), err)
		}
	}
}
