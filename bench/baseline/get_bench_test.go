package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder is a reusable http.ResponseWriter, as in the benchmarks of
// examples/todo, so that the two measure the handlers alone.
type recorder struct {
	h    http.Header
	code int
	body []byte
}

func (r *recorder) Header() http.Header { return r.h }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	r.body = append(r.body, b...)
	return len(b), nil
}

// BenchmarkFindTodos serves GET /todos (ten todos) and GET /todos/3 through
// the baseline's handler, the yardstick of BenchmarkFindTodos in
// examples/todo (run both in the same session and compare ns/op and
// allocs/op).
func BenchmarkFindTodos(b *testing.B) {
	s := newStore()
	for range 6 {
		s.create(todo{Title: "benchmark todo", Desc: "created by the benchmark", IsComplete: new(bool)})
	}
	h := s.handler()
	for _, tt := range []struct {
		name, path string
		todos      int
	}{
		{"list", "/todos", 10},
		{"byID", "/todos/3", 1},
	} {
		b.Run(tt.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", tt.path, nil)
			w := &recorder{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code, w.body = 0, w.body[:0]
				h.ServeHTTP(w, req)
				if w.code != 200 {
					b.Fatalf("status %d: %s", w.code, w.body)
				}
			}
			if got := strings.Count(string(w.body), `"title"`); got != tt.todos {
				b.Errorf("got %d todos in %s; want %d", got, w.body, tt.todos)
			}
		})
	}
}
