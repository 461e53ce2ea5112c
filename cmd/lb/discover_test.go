package main

import (
	"context"
	"database/sql"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/rest"
	_ "modernc.org/sqlite"
)

// legacyDB creates a SQLite database with two tables joined by a foreign
// key, and one row in each.
func legacyDB(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "legacy.db")
	db, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`CREATE TABLE legacy_customer (id INTEGER PRIMARY KEY AUTOINCREMENT, full_name VARCHAR(80) NOT NULL, vip BOOLEAN)`,
		`CREATE TABLE legacy_order (id INTEGER PRIMARY KEY AUTOINCREMENT, total REAL NOT NULL, placed_at DATETIME, customer_id INTEGER REFERENCES legacy_customer(id))`,
		`INSERT INTO legacy_customer (full_name, vip) VALUES ('Ada', 1)`,
		`INSERT INTO legacy_order (total, customer_id) VALUES (12.5, 1)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return file
}

// TestDiscoverJSON discovers a SQLite database as LoopBack JSON models,
// parses them, and serves the existing rows with lb serve's project
// loader, relations included.
func TestDiscoverJSON(t *testing.T) {
	file := legacyDB(t)
	dir := t.TempDir()
	out := mustLB(t, "discover", "--url", "sqlite:"+file, "--json", "-C", dir)
	if !strings.Contains(out, "create models/legacy-order.model.json") || !strings.Contains(out, "create models/legacy-customer.model.json") {
		t.Fatalf("lb discover printed %q", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "models", "legacy-order.model.json"))
	if err != nil {
		t.Fatal(err)
	}
	def, err := model.Parse(data)
	if err != nil {
		t.Fatalf("the discovered definition does not parse: %v\n%s", err, data)
	}
	if def.Name != "LegacyOrder" || def.IDName() != "id" || def.Property("placedAt") == nil || !def.Property("total").Required {
		t.Errorf("LegacyOrder: %+v", def)
	}
	if len(def.Relations) != 1 || def.Relations[0].Name != "customer" || def.Relations[0].Target != "LegacyCustomer" {
		t.Errorf("LegacyOrder relations: %+v", def.Relations)
	}
	if _, err := lb(t, "discover", "--url", "sqlite:"+file, "--json", "-C", dir); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second discover: %v; want a refusal to overwrite", err)
	}
	if _, err := lb(t, "discover", "--url", "sqlite:"+file, "--tables", "nope", "-C", t.TempDir()); err == nil || !strings.Contains(err.Error(), `no table "nope"`) {
		t.Errorf("unknown table: %v", err)
	}
	if _, err := lb(t, "discover", "--url", "oracle://u:secret@h/db"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("unknown URL: %v; want an error without the password", err)
	}

	// Serve the discovered models on the same database.
	ds := `{"name":"legacy","connector":"sqlite","file":` + quote(file) + `}`
	os.MkdirAll(filepath.Join(dir, "datasources"), 0o755)
	os.MkdirAll(filepath.Join(dir, "model-endpoints"), 0o755)
	os.WriteFile(filepath.Join(dir, "datasources", "legacy.datasource.json"), []byte(ds), 0o644)
	os.WriteFile(filepath.Join(dir, "model-endpoints", "order.rest-config.json"), []byte(`{"model":"LegacyOrder","dataSource":"legacy","basePath":"/orders"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "model-endpoints", "customer.rest-config.json"), []byte(`{"model":"LegacyCustomer","dataSource":"legacy","basePath":"/customers"}`), 0o644)
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
	for path, want := range map[string]string{
		"/orders/1?filter=%7B%22include%22:[%22customer%22]%7D": `"customer":{"id":1,"fullName":"Ada","vip":true}`,
		"/customers/1/legacy-orders":                            `"total":12.5`,
	} {
		resp, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %s; want %s", path, resp.StatusCode, body, want)
		}
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
