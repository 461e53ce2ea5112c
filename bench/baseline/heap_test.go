package main

import (
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkCreate creates todos through the handler, as the POST scenario
// does, and reports the live heap each stored todo costs (heap-B/todo),
// measured like BenchmarkFindTodos/create of examples/todo so that the
// harness can compare the two (go run ./bench runs both with
// -benchtime 100000x).
func BenchmarkCreate(b *testing.B) {
	h := newStore().handler()
	body := `{"title":"benchmark todo","desc":"created by the benchmark","isComplete":false}`
	live := liveHeap()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/todos", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		n++
	}
	b.ReportMetric(float64(liveHeap()-live)/float64(n), "heap-B/todo")
	runtime.KeepAlive(h)
}

// TestCreateKeepsTodos checks what the benchmark relies on: a created todo
// is stored and listed.
func TestCreateKeepsTodos(t *testing.T) {
	h := newStore().handler()
	req := httptest.NewRequest("POST", "/todos", strings.NewReader(`{"title":"x"}`))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id":5`) {
		t.Fatalf("POST /todos = %d %s; want 200 with id 5", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/todos", nil))
	if got := strings.Count(w.Body.String(), `"title"`); got != 5 {
		t.Errorf("GET /todos lists %d todos; want 5", got)
	}
}

func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
