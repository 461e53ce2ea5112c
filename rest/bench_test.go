package rest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// sinkWriter is a reusable ResponseWriter, so that the benchmarks measure
// the handlers rather than httptest.ResponseRecorder.
type sinkWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *sinkWriter) Header() http.Header         { return w.h }
func (w *sinkWriter) WriteHeader(code int)        { w.status = code }
func (w *sinkWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }
func (w *sinkWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

func benchServe(b *testing.B, h http.Handler, req func() *http.Request, want int) {
	b.Helper()
	w := &sinkWriter{h: http.Header{}}
	r := req()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.reset()
		if r.Method == http.MethodPost {
			r = req()
		}
		h.ServeHTTP(w, r)
	}
	b.StopTimer()
	if w.status != want && !(w.status == 0 && want == 200) {
		b.Fatalf("status: got %d; want %d", w.status, want)
	}
}

// BenchmarkTypedGet is a typed operation with a path parameter and a JSON
// response; compare with BenchmarkBareGet, the same work in plain net/http.
func BenchmarkTypedGet(b *testing.B) {
	s := rest.New(rest.Config{})
	rest.Get(s, "/todos/{id}", func(_ context.Context, in *byID) (*Todo, error) {
		return &Todo{ID: in.ID, Title: "buy milk"}, nil
	})
	benchServe(b, s, func() *http.Request { return httptest.NewRequest("GET", "/todos/42", nil) }, 200)
}

func BenchmarkBareGet(b *testing.B) {
	benchServe(b, bareMux(), func() *http.Request { return httptest.NewRequest("GET", "/todos/42", nil) }, 200)
}

// BenchmarkTypedOverhead alternates blocks of the typed operation and the
// bare handler, so that both see the same machine load, and reports their
// ratio (the target is at most 1.5).
func BenchmarkTypedOverhead(b *testing.B) {
	s := rest.New(rest.Config{})
	rest.Get(s, "/todos/{id}", func(_ context.Context, in *byID) (*Todo, error) {
		return &Todo{ID: in.ID, Title: "buy milk"}, nil
	})
	bare := bareMux()
	r := httptest.NewRequest("GET", "/todos/42", nil)
	w := &sinkWriter{h: http.Header{}}
	const block = 50
	var typed, plain time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		for range block {
			w.reset()
			s.ServeHTTP(w, r)
		}
		mid := time.Now()
		for range block {
			w.reset()
			bare.ServeHTTP(w, r)
		}
		typed += mid.Sub(start)
		plain += time.Since(mid)
	}
	b.ReportMetric(float64(typed.Nanoseconds())/float64(b.N*block), "typed-ns/op")
	b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N*block), "bare-ns/op")
	b.ReportMetric(float64(typed)/float64(plain), "ratio")
}

func bareMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /todos/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		data, err := json.Marshal(&Todo{ID: id, Title: "buy milk"})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(data)
	})
	return mux
}

var postURL, _ = url.Parse("/todos")

// BenchmarkValidatedPost posts a 200-byte JSON body that is parsed,
// checked for prohibited keys, validated against the schema and decoded
// into the input struct.
func BenchmarkValidatedPost(b *testing.B) {
	s := rest.New(rest.Config{})
	rest.Post(s, "/todos", func(_ context.Context, in *createIn) (*Todo, error) {
		return &Todo{ID: 1, Title: in.Body.Title, Desc: in.Body.Desc}, nil
	})
	body := `{"title":"buy milk and bread at the corner shop before it closes","desc":"` +
		strings.Repeat("x", 92) + `","isComplete":false,"priority":3}`
	if len(body) < 195 || len(body) > 205 {
		b.Fatalf("body is %d bytes; want about 200", len(body))
	}
	hdr := http.Header{"Content-Type": {"application/json"}}
	benchServe(b, s, func() *http.Request {
		return &http.Request{Method: "POST", URL: postURL, Header: hdr, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body))}
	}, 200)
}
