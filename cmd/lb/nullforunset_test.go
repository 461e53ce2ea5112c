package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// TestServeNullForUnset serves one model from a memory data source with
// and without the data source's nullForUnset option: with it, unset
// properties answer null (as LoopBack 4 on a SQL database does) and the
// schema publishes them as nullable; without it, they are left out.
func TestServeNullForUnset(t *testing.T) {
	tests := []struct {
		name, option, created string
		nullable              bool
	}{
		{"off", ``, `{"id":1,"label":"x"}`, false},
		{"on", `,"nullForUnset":true`, `{"id":1,"label":"x","done":null}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeProject(t, map[string]string{
				"models/item.model.json": `{"name":"Item","properties":{"id":{"type":"number","id":true,"generated":true},` +
					`"label":{"type":"string","required":true},"done":{"type":"boolean"}}}`,
				"datasources/db.datasource.json":        `{"name":"db","connector":"memory"` + tt.option + `}`,
				"model-endpoints/item.rest-config.json": `{"model":"Item","dataSource":"db","basePath":"/items"}`,
			})
			p, err := loadProject(dir)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			srv, closeAll, err := p.server(ctx, rest.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer closeAll()
			ts := httptest.NewServer(srv)
			defer ts.Close()
			do := func(method, path, body string) string {
				t.Helper()
				req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				resp, err := ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 {
					t.Fatalf("%s %s: got status %d (%s); want 200", method, path, resp.StatusCode, b)
				}
				return string(b)
			}
			if got := do("POST", "/items", `{"label":"x"}`); got != tt.created {
				t.Errorf("POST /items: got %s; want %s", got, tt.created)
			}
			if got, want := do("GET", "/items", ""), "["+tt.created+"]"; got != want {
				t.Errorf("GET /items: got %s; want %s", got, want)
			}
			if got := do("GET", "/items/1", ""); got != tt.created {
				t.Errorf("GET /items/1: got %s; want %s", got, tt.created)
			}
			spec := do("GET", "/openapi.json", "")
			if got := strings.Contains(spec, `"null"`); got != tt.nullable {
				t.Errorf("openapi.json allows null somewhere: got %v; want %v", got, tt.nullable)
			}
		})
	}
}
