package explorer_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/explorer/explorertest"
)

// browserSpec is a small API with two operations; servers is relative, so
// "Execute" calls the test server itself.
const browserSpec = `{
  "openapi": "3.0.3",
  "info": {"title": "Ping API", "version": "1.0.0"},
  "servers": [{"url": "/api"}],
  "paths": {
    "/ping": {
      "get": {
        "operationId": "PingController.ping",
        "tags": ["PingController"],
        "responses": {"200": {"description": "pong", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    },
    "/greet/{name}": {
      "get": {
        "operationId": "PingController.greet",
        "tags": ["PingController"],
        "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "greeting"}}
      }
    }
  }
}`

// TestBrowser loads the explorer in headless Chromium from an app mounted
// under a base path, and runs an operation through "Try it out".
func TestBrowser(t *testing.T) {
	ctx := explorertest.NewBrowser(t)

	mux := http.NewServeMux()
	explorer.Mount(mux, "/api/explorer", explorer.Config{
		Spec: func(*http.Request) ([]byte, error) { return []byte(browserSpec), nil },
	})
	mux.HandleFunc("GET /api/ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"greeting": "pong"})
	})
	mux.HandleFunc("GET /api/greet/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"hello": r.PathValue("name")})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	// Through the redirect, as a user typing the URL would.
	ops, err := explorertest.Operations(ctx, srv.URL+"/api/explorer")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"GET /ping", "GET /greet/{name}"}; !slices.Equal(ops, want) {
		t.Fatalf("operations: got %q; want %q", ops, want)
	}
	title, err := explorertest.Title(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if title != "LoopBack API Explorer" {
		t.Errorf("title: got %q; want LoopBack API Explorer", title)
	}

	res, err := explorertest.TryOut(ctx, "GET", "/ping", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK {
		t.Errorf("GET /ping status: got %d; want 200", res.Status)
	}
	if !strings.Contains(res.Body, `"pong"`) {
		t.Errorf("GET /ping body: got %q; want it to contain \"pong\"", res.Body)
	}

	res, err = explorertest.TryOut(ctx, "GET", "/greet/{name}", map[string]string{"name": "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `"ada"`) {
		t.Errorf("GET /greet/ada: got %d %q; want 200 with \"ada\"", res.Status, res.Body)
	}
}
