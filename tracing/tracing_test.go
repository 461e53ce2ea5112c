package tracing_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/tracing"
)

type Note struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
}

func attr(s tracetest.SpanStub, k string) attribute.Value {
	for _, a := range s.Attributes {
		if string(a.Key) == k {
			return a.Value
		}
	}
	return attribute.Value{}
}

func TestSpans(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())

	// A downstream service that records the traceparent it receives.
	gotParent := make(chan string, 1)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotParent <- r.Header.Get("traceparent")
	}))
	defer backend.Close()

	srv := rest.New(rest.Config{})
	tr, err := tracing.Mount(srv, tracing.Config{Provider: tp})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	notes := repository.MustNew[Note, int64](tr.Connector(conn))
	if err := crud.Mount(srv, notes, crud.Options{}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: tr.Transport("geo", nil)}
	rest.Get(srv, "/call", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", backend.URL, nil)
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		res.Body.Close()
		return nil, nil
	})
	ts := httptest.NewServer(srv)
	defer ts.Close()

	// An incoming W3C trace context is continued.
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	req, _ := http.NewRequest("POST", ts.URL+"/notes", strings.NewReader(`{"title":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()

	spans := exp.GetSpans()
	var server, call *tracetest.SpanStub
	for i := range spans {
		switch spans[i].Name {
		case "POST /notes":
			server = &spans[i]
		case "Note.CreateOwned", "Note.Create":
			call = &spans[i]
		}
	}
	if server == nil || call == nil {
		t.Fatalf("spans: got %v; want POST /notes and Note.Create*", names(spans))
	}
	if server.SpanKind != trace.SpanKindServer || server.SpanContext.TraceID().String() != traceID ||
		server.Parent.SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("server span: kind %v trace %s parent %s; want server, %s, 00f067aa0ba902b7",
			server.SpanKind, server.SpanContext.TraceID(), server.Parent.SpanID(), traceID)
	}
	if attr(*server, "http.route").AsString() != "/notes" || attr(*server, "http.response.status_code").AsInt64() != 200 {
		t.Errorf("server span attributes: got %v", server.Attributes)
	}
	if call.Parent.SpanID() != server.SpanContext.SpanID() || attr(*call, "db.collection.name").AsString() != "Note" {
		t.Errorf("connector span: parent %s, attributes %v; want child of the server span, db.collection.name=Note", call.Parent.SpanID(), call.Attributes)
	}
	for _, a := range call.Attributes {
		if strings.Contains(a.Value.Emit(), `"x"`) || a.Value.Emit() == "x" {
			t.Errorf("connector span carries a value: %v", a)
		}
	}

	// Outgoing calls carry the trace context.
	exp.Reset()
	res, err = http.Get(ts.URL + "/call")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	tp2 := <-gotParent
	spans = exp.GetSpans()
	var out *tracetest.SpanStub
	for i := range spans {
		if spans[i].Name == "geo GET" {
			out = &spans[i]
		}
	}
	if out == nil {
		t.Fatalf("spans: got %v; want geo GET", names(spans))
	}
	if want := "00-" + out.SpanContext.TraceID().String() + "-" + out.SpanContext.SpanID().String() + "-01"; tp2 != want {
		t.Errorf("traceparent sent: got %q; want %q", tp2, want)
	}

	// A 404 has a span named by its method only (no raw path), and a 5xx is
	// an error.
	exp.Reset()
	res, _ = http.Get(ts.URL + "/no/such/42")
	res.Body.Close()
	spans = exp.GetSpans()
	if len(spans) != 1 || spans[0].Name != "GET" || spans[0].Status.Code == codes.Error {
		t.Errorf("404 span: got %v", names(spans))
	}
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

func TestExecuteCarriesCommandNotArgs(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	tr, err := tracing.New(tracing.Config{Provider: tp})
	if err != nil {
		t.Fatal(err)
	}
	ctx, end := tr.ObserveCall(context.Background(), connector.Call{Method: "Execute", Command: "SELECT * FROM note WHERE id = $1"})
	if !trace.SpanFromContext(ctx).SpanContext().IsValid() {
		t.Errorf("the call's context has no span")
	}
	end(nil)
	s := exp.GetSpans()
	if len(s) != 1 || attr(s[0], "db.query.text").AsString() != "SELECT * FROM note WHERE id = $1" {
		t.Errorf("Execute span: got %v", s)
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := tracing.New(tracing.Config{}); err == nil || !strings.Contains(err.Error(), "otlpEndpoint") {
		t.Errorf("no provider and no endpoint: got %v; want an error naming otlpEndpoint", err)
	}
	tr, err := tracing.New(tracing.Config{OTLPEndpoint: "http://127.0.0.1:1/v1/traces", ServiceName: "todo"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Stop(context.Background()); err != nil {
		t.Errorf("Stop with nothing exported: %v", err)
	}
}

// When the sampler drops a request, nothing is recorded but the trace
// context still reaches the handler and the repository calls.
func TestSamplerDrops(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithSampler(sdktrace.NeverSample()))
	defer tp.Shutdown(context.Background())
	srv := rest.New(rest.Config{})
	tr, err := tracing.Mount(srv, tracing.Config{Provider: tp})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	notes := repository.MustNew[Note, int64](tr.Connector(conn))
	got := make(chan trace.SpanContext, 1)
	rest.Get(srv, "/probe", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		if _, err := notes.Count(ctx, nil); err != nil {
			return nil, err
		}
		got <- trace.SpanContextFromContext(ctx)
		return nil, nil
	})
	req := httptest.NewRequest("GET", "/probe", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != 204 && rec.Code != 200 {
		t.Fatalf("GET /probe: %d %s", rec.Code, rec.Body)
	}
	if sc := <-got; sc.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || sc.IsSampled() {
		t.Errorf("handler's span context = %v; want the caller's trace, not sampled", sc)
	}
	if n := len(exp.GetSpans()); n != 0 {
		t.Errorf("%d spans exported; want none when the sampler drops", n)
	}
}
