package repository_test

import (
	"context"
	"testing"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

type BenchTodo struct {
	ID         int64  `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	Desc       string `json:"desc,omitempty"`
	IsComplete bool   `json:"isComplete,omitempty"`
	Group      int64  `json:"group"`
}

// benchTodos returns a repository holding 1000 todos in 100 groups of 10.
func benchTodos(b *testing.B) *repository.CRUD[BenchTodo, int64] {
	b.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		b.Fatal(err)
	}
	r := repository.MustNew[BenchTodo, int64](conn)
	batch := make([]BenchTodo, 1000)
	for i := range batch {
		batch[i] = BenchTodo{Title: "todo", Desc: "something to do", Group: int64(i % 100)}
	}
	if _, err := r.CreateAll(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	return r
}

func BenchmarkFindByID(b *testing.B) {
	r := benchTodos(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		i = i%1000 + 1
		if _, err := r.FindByID(ctx, i, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFind10of1000 finds the 10 todos of one group among 1000.
func BenchmarkFind10of1000(b *testing.B) {
	r := benchTodos(b)
	ctx := context.Background()
	f := &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "group", Op: filter.Eq, Value: int64(42)}}}}
	b.ReportAllocs()
	for b.Loop() {
		got, err := r.Find(ctx, f)
		if err != nil || len(got) != 10 {
			b.Fatalf("got %d, %v; want 10 todos", len(got), err)
		}
	}
}

// BenchmarkFindLimit10 pages the first 10 of 1000 todos.
func BenchmarkFindLimit10(b *testing.B) {
	r := benchTodos(b)
	ctx := context.Background()
	f := &filter.Filter{Limit: 10}
	b.ReportAllocs()
	for b.Loop() {
		got, err := r.Find(ctx, f)
		if err != nil || len(got) != 10 {
			b.Fatalf("got %d, %v; want 10 todos", len(got), err)
		}
	}
}

func BenchmarkCreate(b *testing.B) {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		b.Fatal(err)
	}
	r := repository.MustNew[BenchTodo, int64](conn)
	ctx := context.Background()
	todo := &BenchTodo{Title: "todo", Desc: "something to do"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Create(ctx, todo); err != nil {
			b.Fatal(err)
		}
	}
}
