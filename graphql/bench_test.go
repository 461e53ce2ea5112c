package graphql_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// BenchmarkListWithRelations compares a GraphQL list with a relation
// field to the REST API's filter[include] of the same data (20 lists of
// 10 todos, every property), in process through each HTTP handler:
//
//	go test ./graphql -run XXX -bench ListWithRelations -benchtime 2s
func BenchmarkListWithRelations(b *testing.B) {
	ctx := context.Background()
	conn := memoryConn(b)
	lists := repository.MustNew[TodoList, int64](conn)
	todos := repository.MustNew[Todo, int64](conn)
	var reg repository.Registry
	if err := reg.Add(lists.Model(), todos.Model()); err != nil {
		b.Fatal(err)
	}
	for i := range 20 {
		l, err := lists.Create(ctx, &TodoList{Title: "list", Color: "blue"})
		if err != nil {
			b.Fatal(err)
		}
		for j := range 10 {
			done := (i+j)%2 == 0
			if _, err := todos.Create(ctx, &Todo{Title: "a thing to do", Desc: "with a description", IsComplete: &done, TodoListID: l.ID}); err != nil {
				b.Fatal(err)
			}
		}
	}
	srv := rest.New(rest.Config{})
	for _, m := range []*repository.Model{lists.Model(), todos.Model()} {
		if err := crud.MountModel(srv, m, crud.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	h, err := graphql.New(graphql.Config{Models: []*repository.Model{lists.Model(), todos.Model()}})
	if err != nil {
		b.Fatal(err)
	}
	restURL := "/todo-lists?filter=" + url.QueryEscape(`{"include":["todos"]}`)
	gqlBody := `{"query":"{ todoLists { id title color todos { id title desc isComplete todoListId } } }"}`
	run := func(b *testing.B, h http.Handler, req func() *http.Request) {
		b.Helper()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req())
		if w.Code != 200 || w.Body.Len() < 20*10*60 {
			b.Fatalf("got %d %.200s", w.Code, w.Body.String())
		}
		b.SetBytes(int64(w.Body.Len()))
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req())
		}
	}
	b.Run("rest", func(b *testing.B) {
		run(b, srv, func() *http.Request { return httptest.NewRequest(http.MethodGet, restURL, nil) })
	})
	b.Run("graphql", func(b *testing.B) {
		run(b, h, func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(gqlBody))
			r.Header.Set("Content-Type", "application/json")
			return r
		})
	})
}
