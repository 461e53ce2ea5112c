package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/explorer/explorertest"
)

// TestExplorerInBrowser loads the explorer in headless Chromium, checks
// that the todo API's operations are listed and runs GET /todos with "Try
// it out". Without Chromium it is skipped (it fails under CI=true).
func TestExplorerInBrowser(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: starts a browser")
	}
	base := start(t, config{Host: "127.0.0.1"})
	ctx := explorertest.NewBrowser(t)
	ops, err := explorertest.Operations(ctx, base+"/explorer/")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"POST /todos", "GET /todos/count", "GET /todos", "PATCH /todos",
		"GET /todos/{id}", "PATCH /todos/{id}", "PUT /todos/{id}", "DELETE /todos/{id}", "GET /ping",
	} {
		if !slices.Contains(ops, want) {
			t.Errorf("operations listed %v; want %s among them", ops, want)
		}
	}
	if title, err := explorertest.Title(ctx); err != nil || title != "LoopBack API Explorer" {
		t.Errorf("title: got %q, %v; want LoopBack API Explorer", title, err)
	}
	res, err := explorertest.TryOut(ctx, "GET", "/todos", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 {
		t.Errorf("Try it out GET /todos: got status %d; want 200 (body %.200s)", res.Status, res.Body)
	}
	if !containsAll(res.Body, "Take over the galaxy", "crush rebel scum") {
		t.Errorf("Try it out GET /todos: body %.300s; want the seeded todos", res.Body)
	}
	res, err = explorertest.TryOut(ctx, "GET", "/todos/{id}", map[string]string{"id": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || !containsAll(res.Body, "destroy alderaan") {
		t.Errorf("Try it out GET /todos/{id} with id 2: got %d %.200s; want 200 with todo 2", res.Status, res.Body)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
