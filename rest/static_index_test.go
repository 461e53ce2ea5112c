package rest_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/loopback-go/lb/rest"
)

// TestStaticIndexHTML checks that a directory's index.html is served both
// at the directory and under its own name, as LoopBack's static files
// (serve-static) are, not redirected as net/http's file server does.
func TestStaticIndexHTML(t *testing.T) {
	s := rest.New(rest.Config{})
	s.Static("/", fstest.MapFS{
		"index.html":      {Data: []byte("<h1>home</h1>")},
		"docs/index.html": {Data: []byte("<h1>docs</h1>")},
		"app.js":          {Data: []byte("1")},
	})
	tests := []struct {
		path        string
		status      int
		body, ctype string
	}{
		{"/", 200, "<h1>home</h1>", "text/html; charset=utf-8"},
		{"/index.html", 200, "<h1>home</h1>", "text/html; charset=utf-8"},
		{"/docs/", 200, "<h1>docs</h1>", "text/html; charset=utf-8"},
		{"/docs/index.html", 200, "<h1>docs</h1>", "text/html; charset=utf-8"},
		{"/app.js", 200, "1", "text/javascript; charset=utf-8"},
		{"/missing.html", 404, `"statusCode":404`, "application/json; charset=utf-8"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) || w.Header().Get("Content-Type") != tt.ctype {
			t.Errorf("GET %s: got %d %q %q; want %d %q containing %q", tt.path, w.Code, w.Header().Get("Content-Type"), w.Body, tt.status, tt.ctype, tt.body)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("HEAD", "/index.html", nil))
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD /index.html: got %d with %d bytes; want 200 without a body", w.Code, w.Body.Len())
	}
}
