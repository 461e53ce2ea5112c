package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func getBody(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// TestOperations: the example serves health, metrics and request ids,
// none of them in its OpenAPI document.
func TestOperations(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1", AccessLog: "off"})
	res, body := getBody(t, base+"/todos/1")
	if res.StatusCode != 200 || len(res.Header.Get("X-Request-Id")) != 32 {
		t.Errorf("GET /todos/1: got %d, X-Request-Id %q; want 200 and a 32-digit id", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	res, body = getBody(t, base+"/health")
	if want := `{"status":"UP","checks":[{"name":"datasources.db","state":"UP","data":{"reason":""}}]}`; res.StatusCode != 200 || body != want {
		t.Errorf("GET /health: got %d %s; want 200 %s", res.StatusCode, body, want)
	}
	for _, p := range []string{"/live", "/ready"} {
		if res, _ := getBody(t, base+p); res.StatusCode != 200 {
			t.Errorf("GET %s: got %d; want 200", p, res.StatusCode)
		}
	}
	_, body = getBody(t, base+"/metrics")
	for _, want := range []string{
		`http_requests_total{method="GET",path="/todos/{id}",status="2xx"} 1`,
		`lb_connector_call_duration_seconds_count{method="Find",model="Todo",outcome="ok"}`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	_, doc := getBody(t, base+"/openapi.json")
	for _, p := range []string{`"/health"`, `"/metrics"`, `"/live"`, `"/ready"`} {
		if strings.Contains(doc, p) {
			t.Errorf("the OpenAPI document has %s", p)
		}
	}
}

func TestAccessLogConfig(t *testing.T) {
	env := map[string]string{"ACCESS_LOG": "fancy"}
	if _, err := configFromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err == nil || !strings.Contains(err.Error(), "ACCESS_LOG") {
		t.Errorf("ACCESS_LOG=fancy: got %v; want an error naming ACCESS_LOG", err)
	}
	env["ACCESS_LOG"] = "combined"
	if cfg, err := configFromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil || cfg.AccessLog != "combined" {
		t.Errorf("ACCESS_LOG=combined: got %q, %v", cfg.AccessLog, err)
	}
}

// TestTracingByConfiguration: with OTLP_ENDPOINT set, the example exports
// its spans over OTLP/HTTP, continuing the caller's trace.
func TestTracingByConfiguration(t *testing.T) {
	got := make(chan []byte, 10)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" {
			got <- b
		}
	}))
	defer collector.Close()
	ctx := context.Background()
	a, err := newApp(ctx, config{Host: "127.0.0.1", AccessLog: "off", OTLPEndpoint: collector.URL + "/v1/traces"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if a.tracing == nil {
		t.Fatal("OTLP_ENDPOINT set but tracing is off")
	}
	if err := a.srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer a.srv.Stop(ctx)
	req, _ := http.NewRequest("GET", a.srv.URL()+"/todos/1", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := a.tracing.Stop(ctx); err != nil { // flushes the batch
		t.Fatal(err)
	}
	traceID, _ := hex.DecodeString("4bf92f3577b34da6a3ce929d0e0e4736")
	select {
	case b := <-got:
		if !bytes.Contains(b, traceID) || !bytes.Contains(b, []byte("GET /todos/{id}")) || !bytes.Contains(b, []byte("Todo.Find")) {
			t.Errorf("exported spans lack the trace id, the operation or the repository call: %q", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no spans exported")
	}
}
