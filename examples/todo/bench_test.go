package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// recorder is a reusable http.ResponseWriter: the benchmarks measure the
// server, not the allocation of a fresh httptest.ResponseRecorder.
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

func (r *recorder) reset() {
	clear(r.h)
	r.code = 0
	r.body = r.body[:0]
}

// benchApp returns the example app on the memory connector without a
// file, holding ten todos as in the benchmark harness (bench/).
func benchApp(b *testing.B) *todoApp {
	b.Helper()
	a, err := newApp(context.Background(), config{Host: "127.0.0.1", AccessLog: "off", LocalChanges: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.close() })
	for range 6 {
		req := httptest.NewRequest("POST", "/todos", strings.NewReader(`{"title":"benchmark todo","desc":"created by the benchmark","isComplete":false}`))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		a.srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("seed: status %d: %s", w.Code, w.Body)
		}
	}
	return a
}

// BenchmarkFindTodos measures the three scenarios of the benchmark harness
// in process, through the whole stack (routing, parameters, repository,
// memory connector, encoding), without the network.
func BenchmarkFindTodos(b *testing.B) {
	a := benchApp(b)
	for _, tt := range []struct {
		name, path string
		todos      int // todos in the GET /todos response
	}{
		{"list", "/todos", 10},
		{"byID", "/todos/3", 1},
	} {
		b.Run(tt.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", tt.path, nil)
			w := &recorder{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				a.srv.ServeHTTP(w, req)
				if w.code != 200 {
					b.Fatalf("status %d: %s", w.code, w.body)
				}
			}
			if got := strings.Count(string(w.body), `"title"`); got != tt.todos {
				b.Errorf("got %d todos in %s; want %d", got, w.body, tt.todos)
			}
		})
	}
	b.Run("create", func(b *testing.B) {
		body := `{"title":"benchmark todo","desc":"created by the benchmark","isComplete":false}`
		req := httptest.NewRequest("POST", "/todos", nil)
		req.Header.Set("Content-Type", "application/json")
		w := &recorder{h: http.Header{}}
		rd := strings.NewReader(body)
		live := liveHeap()
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			w.reset()
			rd.Reset(body)
			req.Body = readCloser{rd}
			a.srv.ServeHTTP(w, req)
			if w.code != 200 {
				b.Fatalf("status %d: %s", w.code, w.body)
			}
			n++
		}
		// The store keeps every todo created: what each costs in live heap
		// is what the POST scenario of the harness adds to the server's RSS
		// (twice that with the collector's default headroom).
		b.ReportMetric(float64(liveHeap()-live)/float64(n), "heap-B/todo")
	})
}

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
