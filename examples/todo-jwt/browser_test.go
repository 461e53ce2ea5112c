package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/loopback-go/lb/explorer/explorertest"
)

// TestExplorerAuthorize drives the API explorer in headless Chromium as a
// user would: GET /todos is refused, log in with POST /users/login, paste
// the token into the Authorize dialog, and GET /todos answers 200.
// Without Chromium it is skipped (it fails under CI=true).
func TestExplorerAuthorize(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: starts a browser")
	}
	a, _ := start(t, config{Secret: lbSecret, DBFile: lbFile(t), Host: "127.0.0.1"})
	if err := a.srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.srv.Stop(t.Context()) }) //nolint:errcheck // test teardown
	ctx := explorertest.NewBrowser(t)
	if _, err := explorertest.Operations(ctx, a.srv.URL()+"/explorer/"); err != nil {
		t.Fatal(err)
	}
	res, err := explorertest.TryOutBody(ctx, "POST", "/users/login", nil, `{"email":"testuser1@abc.com","password":"testuser1"}`)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	if res.Status != 200 || json.Unmarshal([]byte(res.Body), &tok) != nil || tok.Token == "" {
		t.Fatalf("POST /users/login: got %d %.200s; want a token", res.Status, res.Body)
	}
	res, err = explorertest.TryOut(ctx, "GET", "/todos", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 401 || !strings.Contains(res.Body, "Authorization header not found.") {
		t.Fatalf("GET /todos before authorizing: got %d %.200s; want LoopBack's 401", res.Status, res.Body)
	}
	if err := explorertest.Authorize(ctx, "jwt", tok.Token); err != nil {
		t.Fatal(err)
	}
	res, err = explorertest.TryOut(ctx, "GET", "/todos", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || !strings.Contains(res.Body, "Take over the galaxy") {
		t.Errorf("GET /todos after authorizing: got %d %.200s; want 200 with the todos", res.Status, res.Body)
	}
	res, err = explorertest.TryOut(ctx, "GET", "/whoAmI", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || !strings.Contains(res.Body, "4") {
		t.Errorf("GET /whoAmI: got %d %.100s; want 200 with 4", res.Status, res.Body)
	}
}
