package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/explorer/explorertest"
	"github.com/loopback-go/lb/rest"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return res, string(b)
}

func TestPing(t *testing.T) {
	ctx := context.Background()
	app, srv := newApp(rest.Config{Host: "127.0.0.1", Logger: slog.New(slog.DiscardHandler)})
	if err := app.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	base := srv.URL()

	res, body := get(t, base+"/ping?x=1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status: got %d; want 200", res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type: got %q; want application/json (as LoopBack)", got)
	}
	var pong struct {
		Greeting string            `json:"greeting"`
		Date     time.Time         `json:"date"`
		URL      string            `json:"url"`
		Headers  map[string]string `json:"headers"`
	}
	if err := json.Unmarshal([]byte(body), &pong); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	if pong.Greeting != "Hello from LoopBack" || pong.URL != "/ping?x=1" || pong.Date.IsZero() || pong.Headers["User-Agent"] == "" {
		t.Errorf("body: got %+v; want the greeting, url /ping?x=1, a date and the request headers", pong)
	}

	if res, _ := get(t, base+"/nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope: got %d; want 404", res.StatusCode)
	}
	if err := app.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := http.Get(base + "/ping"); err == nil {
		t.Error("GET /ping after Stop succeeded; want a connection error")
	}

	// The server can be started again.
	if err := app.Start(ctx); err != nil {
		t.Fatalf("restart: %v", err)
	}
	defer app.Stop(ctx)
	if res, _ := get(t, srv.URL()+"/ping"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /ping after restart: got %d; want 200", res.StatusCode)
	}
}

// TestRun runs the program as main does, reads the URL it prints, and
// stops it through the context.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	env := map[string]string{"PORT": "0"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, pw)
		pw.Close()
	}()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("read output: %v (run: %v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`msg="server listening" url=(http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line: got %q; want server listening url=http://127.0.0.1:<port>", line)
	}
	base := m[1]

	tests := []struct {
		path, wantType, wantBody string
	}{
		{"/ping", "application/json", `"greeting":"Hello from LoopBack"`},
		{"/openapi.json", "application/json; charset=utf-8", `"operationId": "PingController.ping"`},
		{"/explorer/", "text/html; charset=utf-8", "<title>LoopBack API Explorer</title>"},
		{"/explorer/openapi.json", "application/json; charset=utf-8", `"title": "hello"`},
	}
	for _, tt := range tests {
		res, body := get(t, base+tt.path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != tt.wantType || !strings.Contains(body, tt.wantBody) {
			t.Errorf("GET %s: got %d %s %.100q; want 200 %s containing %s", tt.path, res.StatusCode, res.Header.Get("Content-Type"), body, tt.wantType, tt.wantBody)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: got %v; want nil", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not return after cancel")
	}
}

func TestServerConfig(t *testing.T) {
	tests := []struct {
		env      map[string]string
		wantHost string
		wantPort int
		wantErr  bool
	}{
		{env: nil, wantHost: "127.0.0.1", wantPort: 3000},
		{env: map[string]string{"PORT": "8080"}, wantHost: "127.0.0.1", wantPort: 8080},
		{env: map[string]string{"HOST": "0.0.0.0", "PORT": "0"}, wantHost: "0.0.0.0", wantPort: 0},
		{env: map[string]string{"HOST": "::1"}, wantHost: "::1", wantPort: 3000},
		{env: map[string]string{"PORT": "http"}, wantErr: true},
		{env: map[string]string{"PORT": "70000"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := serverConfig(func(k string) string { return tt.env[k] })
		if (err != nil) != tt.wantErr || !tt.wantErr && (got.Host != tt.wantHost || got.Port != tt.wantPort) {
			t.Errorf("serverConfig(%v): got %s:%d, %v; want %s:%d (error %v)", tt.env, got.Host, got.Port, err, tt.wantHost, tt.wantPort, tt.wantErr)
		}
	}
	if err := run(context.Background(), func(k string) string { return map[string]string{"PORT": "x"}[k] }, io.Discard); err == nil || !strings.Contains(err.Error(), `invalid PORT "x"`) {
		t.Errorf("run with a bad PORT: got %v; want invalid PORT \"x\"", err)
	}
}

// TestExplorerInBrowser runs GET /ping from the explorer in headless
// Chromium (skipped without Chromium, unless CI=true).
func TestExplorerInBrowser(t *testing.T) {
	browser := explorertest.NewBrowser(t)
	ctx := context.Background()
	app, srv := newApp(rest.Config{Host: "127.0.0.1", Logger: slog.New(slog.DiscardHandler)})
	if err := app.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer app.Stop(ctx)

	ops, err := explorertest.Operations(browser, srv.URL()+"/explorer")
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0] != "GET /ping" {
		t.Fatalf("operations: got %q; want [GET /ping]", ops)
	}
	res, err := explorertest.TryOut(browser, "GET", "/ping", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "Hello from LoopBack") {
		t.Errorf("Try it out: got %d %q; want 200 with the greeting", res.Status, res.Body)
	}
}
