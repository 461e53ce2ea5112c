package tracing_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/tracing"
)

// discardExporter is a span exporter that drops everything: the cost
// measured is that of making the spans.
type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

// opsServer builds the todo-like server of the overhead benchmark: a CRUD
// API over the memory connector with one instance, and the operations
// middleware the level asks for.
func opsServer(b *testing.B, level string) *rest.Server {
	b.Helper()
	srv := rest.New(rest.Config{})
	mem, err := memory.New(memory.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { mem.Close() })
	var conn connector.Connector = mem
	if level == "requestid" || level == "ops" || level == "tracing" {
		srv.Use(rest.RequestID())
	}
	if level == "accesslog" || level == "ops" || level == "tracing" {
		logger := slog.New(rest.LogHandler(slog.NewJSONHandler(io.Discard, nil)))
		srv.Use(rest.AccessLog(rest.AccessLogConfig{Logger: logger}))
	}
	if level == "metrics" || level == "ops" || level == "tracing" {
		m := metrics.Mount(srv, metrics.Config{})
		conn = m.Connector(conn)
	}
	if level == "tracing" {
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discardExporter{}))
		b.Cleanup(func() { tp.Shutdown(context.Background()) })
		tr, err := tracing.Mount(srv, tracing.Config{Provider: tp})
		if err != nil {
			b.Fatal(err)
		}
		conn = tr.Connector(conn)
	}
	notes := repository.MustNew[Note, int64](conn)
	if err := crud.Mount(srv, notes, crud.Options{}); err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/notes", strings.NewReader(`{"title":"benchmark"}`))
	req.Header.Set("Content-Type", "application/json")
	srv.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("seed: got %d %s", rec.Code, rec.Body)
	}
	return srv
}

// BenchmarkOverhead measures the CPU per request (ns/op, one goroutine)
// of GET /notes/1 bare, with request ids + access log + metrics
// ("ops", tracing off), and with tracing on too, exporting to a
// discarding exporter. Compare the three ns/op of one run.
func BenchmarkOverhead(b *testing.B) {
	for _, level := range []string{"bare", "requestid", "accesslog", "metrics", "ops", "tracing"} {
		b.Run(level, func(b *testing.B) {
			srv := opsServer(b, level)
			req := httptest.NewRequest("GET", "/notes/1", nil)
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("GET /notes/1: got %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkOverheadHTTP is BenchmarkOverhead over real HTTP on the
// loopback interface (a keep-alive client in the same process), so ns/op
// includes net/http's own work on both sides, as a deployed server has.
func BenchmarkOverheadHTTP(b *testing.B) {
	for _, level := range []string{"bare", "ops", "tracing"} {
		b.Run(level, func(b *testing.B) {
			ts := httptest.NewServer(opsServer(b, level))
			defer ts.Close()
			client := ts.Client()
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				res, err := client.Get(ts.URL + "/notes/1")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("GET /notes/1: got %d", res.StatusCode)
				}
			}
		})
	}
}

// cpuPerOp reports the process's CPU time (user + system, every thread,
// the garbage collector included) per operation as "cpu-ns/op": on a
// shared machine it varies less than ns/op, which is wall time.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
