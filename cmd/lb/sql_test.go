package main

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// TestServeSQL serves a model on PostgreSQL, MySQL (MariaDB) and MongoDB from
// data source files with host, port, user and database keys. An absent
// server skips its case with a message, or fails it under CI=true.
func TestServeSQL(t *testing.T) {
	tests := []struct {
		name, ds string
	}{
		{"postgresql", `{"name":"db","connector":"postgresql","host":"127.0.0.1","port":5432,"user":"postgres","database":"test"}`},
		{"mysql", `{"name":"db","connector":"mysql","host":"127.0.0.1","port":3306,"user":"root","database":"test"}`},
		{"mongodb", `{"name":"db","connector":"mongodb","url":"` + cmp.Or(os.Getenv("MONGODB_URL"), "mongodb://127.0.0.1:27017/?serverSelectionTimeoutMS=2000") +
			`","database":"lb_serve_test"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeProject(t, map[string]string{
				"models/item.model.json": `{"name":"LbServeItem","properties":{"id":{"type":"number","id":true,"generated":true},` +
					`"label":{"type":"string","required":true},"done":{"type":"boolean"}}}`,
				"datasources/db.datasource.json":        tt.ds,
				"model-endpoints/item.rest-config.json": `{"model":"LbServeItem","dataSource":"db","basePath":"/items"}`,
			})
			p, err := loadProject(dir)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			srv, closeAll, err := p.server(ctx, rest.Config{})
			if err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("%s is not reachable: %v", tt.name, err)
				}
				t.Skipf("%s is not reachable: %v", tt.name, err)
			}
			defer closeAll()
			ts := httptest.NewServer(srv)
			defer ts.Close()

			resp, err := ts.Client().Post(ts.URL+"/items", "application/json", strings.NewReader(`{"label":"from `+tt.name+`","done":true}`))
			if err != nil {
				t.Fatal(err)
			}
			var created map[string]any
			err = json.NewDecoder(resp.Body).Decode(&created)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 || created["label"] != "from "+tt.name || created["done"] != true {
				t.Fatalf("POST /items: got %d %v, %v", resp.StatusCode, created, err)
			}
			id, _ := created["id"].(float64)
			resp, err = ts.Client().Get(ts.URL + "/items/" + strconv.FormatFloat(id, 'f', -1, 64))
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			err = json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 || got["label"] != "from "+tt.name {
				t.Errorf("GET /items/%v: got %d %v, %v", id, resp.StatusCode, got, err)
			}
		})
	}
}
