package tracing_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/tracing"
)

func Example() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	srv := rest.New(rest.Config{})
	if _, err := tracing.Mount(srv, tracing.Config{Provider: tp}); err != nil {
		panic(err)
	}
	rest.Get(srv, "/hello/{name}", func(ctx context.Context, in *struct {
		Name string `path:"name"`
	}) (*struct{}, error) {
		return nil, nil
	})
	req := httptest.NewRequest("GET", "/hello/ann", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	srv.ServeHTTP(httptest.NewRecorder(), req)
	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name, s.SpanContext.TraceID())
	}
	// Output:
	// GET /hello/{name} 4bf92f3577b34da6a3ce929d0e0e4736
}
