package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestOpenLoop(t *testing.T) {
	var n, posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		if r.Method == http.MethodPost {
			if b, _ := io.ReadAll(r.Body); string(b) == `{"title":"x"}` && r.Header.Get("Content-Type") == "application/json" {
				posts.Add(1)
			}
		}
		time.Sleep(2 * time.Millisecond)
		if i%10 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()

	res, err := openLoop(context.Background(), srv.URL, scenario{Method: "POST", Body: `{"title":"x"}`}, 400, time.Second, 8)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 400 || n.Load() != 400 || posts.Load() != 400 {
		t.Errorf("requests: %d measured, %d served, %d POSTs with the body; want 400 of each", res.Requests, n.Load(), posts.Load())
	}
	if res.Non2xx != 40 || res.Errors != 0 {
		t.Errorf("non-2xx %d, errors %d; want 40 and 0", res.Non2xx, res.Errors)
	}
	if res.P50 < 2*time.Millisecond || res.P99 < res.P50 || res.P999 < res.P99 {
		t.Errorf("p50 %s, p99 %s, p99.9 %s: want p50 ≥ the handler's 2 ms and the percentiles in order", res.P50, res.P99, res.P999)
	}
	if res.Achieved < 300 || res.Achieved > 420 {
		t.Errorf("achieved %.0f/s; want about the 400/s offered", res.Achieved)
	}
}

// A server slower than the rate offered: the open loop counts the time a
// request waited for a free connection, so the tail grows with the queue.
func TestOpenLoopCountsQueueing(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
	}))
	defer srv.Close()
	// One connection serves at most 100/s; 200/s are offered for 0.5 s,
	// so the last requests wait about 0.5 s.
	res, err := openLoop(context.Background(), srv.URL, scenario{Method: "GET"}, 200, 500*time.Millisecond, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.P99 < 300*time.Millisecond {
		t.Errorf("p99 %s; want the queueing counted (≥ 300 ms)", res.P99)
	}
}

func TestPercentileAndRate(t *testing.T) {
	var v []time.Duration
	for i := 1; i <= 1000; i++ {
		v = append(v, time.Duration(i))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500}, {0.99, 990}, {0.999, 999}, {1, 1000}, {0, 1}} {
		if got := percentile(v, c.q); got != c.want {
			t.Errorf("percentile(%v) = %d; want %d", c.q, got, c.want)
		}
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile of nothing = %d; want 0", got)
	}
	for _, c := range []struct {
		bare, frac float64
		limit      int
		want       float64
	}{{120000, 0.4, 20000, 20000}, {33023, 0.4, 20000, 13200}, {100, 0.4, 0, 100}, {14910, 0.5, 0, 7400}} {
		if got := fixedRate(c.bare, c.frac, c.limit); got != c.want {
			t.Errorf("fixedRate(%v, %v, %d) = %v; want %v", c.bare, c.frac, c.limit, got, c.want)
		}
	}
	if _, err := openLoop(context.Background(), "http://127.0.0.1:1", scenario{Method: "GET"}, 0, time.Second, 1); err == nil {
		t.Error("a rate of 0: want an error")
	}
}

func TestParseInittrace(t *testing.T) {
	in := "init internal/bytealg @0.006 ms, 0 ms clock, 0 bytes, 0 allocs\n" +
		"init github.com/santhosh-tekuri/jsonschema/v6 @3.1 ms, 5.1 ms clock, 3041232 bytes, 40213 allocs\n" +
		"listening on 127.0.0.1:3000\n" +
		"init runtime @0.071 ms, 0.063 ms clock, 0 bytes, 0 allocs\n" +
		"init broken @x ms, zz ms clock, 0 bytes, 0 allocs\n"
	total, per := parseInittrace(in)
	if want := 5163 * time.Microsecond; total != want {
		t.Errorf("total %s; want %s", total, want)
	}
	if len(per) != 3 || per["github.com/santhosh-tekuri/jsonschema/v6"] != 5100*time.Microsecond {
		t.Errorf("per package %v; want three packages, jsonschema/v6 at 5.1 ms", per)
	}
}
