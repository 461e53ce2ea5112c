package explorer_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/explorer/explorertest"
	"github.com/loopback-go/lb/rest"
)

type pong struct {
	Greeting string `json:"greeting"`
}

// startRESTApp runs an lb.App with a rest.Server under BasePath /api that
// serves GET /ping and the explorer at /explorer, as an app would mount it.
func startRESTApp(t *testing.T) string {
	t.Helper()
	srv := rest.New(rest.Config{Host: "127.0.0.1", BasePath: "/api"})
	rest.Get(srv, "/ping", func(context.Context, *struct{}) (*pong, error) {
		return &pong{Greeting: "Hello from LoopBack"}, nil
	})
	srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{SpecURL: "../openapi.json"})))

	app := lb.New(lb.Config{})
	app.AddServer("rest", srv)
	if err := app.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { app.Stop(context.Background()) })
	return srv.URL() + "/api"
}

// TestOnRESTServer mounts the explorer on the REST server under a base path
// and checks the LoopBack contract over real HTTP.
func TestOnRESTServer(t *testing.T) {
	base := startRESTApp(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path       string
		status     int
		location   string
		bodyPrefix string
	}{
		{"/explorer", http.StatusMovedPermanently, "./explorer/", ""},
		{"/explorer/", http.StatusOK, "", "<!DOCTYPE html>"},
		{"/explorer/swagger-ui.css", http.StatusOK, "", ".swagger-ui"},
		{"/openapi.json", http.StatusOK, "", "{"},
	}
	for _, tt := range tests {
		res, err := client.Get(base + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status || res.Header.Get("Location") != tt.location || !strings.HasPrefix(string(b), tt.bodyPrefix) {
			t.Errorf("GET %s: got %d Location %q body %.40q; want %d Location %q body starting %q",
				tt.path, res.StatusCode, res.Header.Get("Location"), b, tt.status, tt.location, tt.bodyPrefix)
		}
	}
}

// TestOnRESTServerInBrowser runs GET /ping from the explorer of a REST
// server under a base path, in headless Chromium.
func TestOnRESTServerInBrowser(t *testing.T) {
	ctx := explorertest.NewBrowser(t)
	base := startRESTApp(t)
	ops, err := explorertest.Operations(ctx, base+"/explorer")
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0] != "GET /ping" {
		t.Fatalf("operations: got %q; want [GET /ping]", ops)
	}
	res, err := explorertest.TryOut(ctx, "GET", "/ping", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "Hello from LoopBack") {
		t.Errorf("Try it out: got %d %q; want 200 with the greeting", res.Status, res.Body)
	}
}
