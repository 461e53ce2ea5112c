package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestOpenAPIImport generates an application from LoopBack's todo
// document with lb openapi, builds it, and checks that the document it
// serves has the same paths, operations (byte for byte in OpenAPI 3.0) and
// schemas as the input, plus lb new's /ping; that lb spec diff finds no
// breaking change between them; and that the stubs answer 501 while the
// document's validation already applies.
func TestOpenAPIImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated application: skipped in short mode")
	}
	t.Parallel() // the builds of the generated applications overlap
	input := envOr("LB4_TODO_OPENAPI", "../../../shared/lb4-todo/openapi.json")
	if _, err := os.Stat(input); err != nil {
		input = "/work/shared/lb4-todo/openapi.json"
	}
	in, err := os.ReadFile(input)
	if err != nil {
		t.Skipf("LoopBack's todo document is not here: %v", err)
	}
	root, _ := filepath.Abs("../..")
	parent := t.TempDir()
	app := filepath.Join(parent, "todo")
	mustLB(t, "new", "todo", "-C", parent, "--replace", root, "--skip-tidy")
	out := mustLB(t, "openapi", input, "-C", app)
	for _, f := range []string{"create openapi-spec.json", "create api.go", "create api_models.go", "create api_handlers.go", "update app.go"} {
		if !strings.Contains(out, f) {
			t.Errorf("lb openapi printed %q; want %q", out, f)
		}
	}
	if _, err := lb(t, "openapi", input, "-C", app); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second lb openapi: %v; want a refusal to overwrite", err)
	}
	goIn(t, app, "mod", "tidy")
	goIn(t, app, "vet", "./...")
	bin := filepath.Join(parent, "todo-bin")
	goIn(t, app, "build", "-o", bin, ".")

	exported := filepath.Join(parent, "exported.json")
	mustLB(t, "spec", app, "--openapi", "3.0", "-o", exported)
	outDoc, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	type doc struct {
		Info       struct{ Title, Version string }
		Paths      map[string]map[string]json.RawMessage
		Components struct{ Schemas map[string]json.RawMessage }
	}
	var a, b doc
	if err := json.Unmarshal(in, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(outDoc, &b); err != nil {
		t.Fatal(err)
	}
	if a.Info.Title == "" || b.Info != a.Info {
		t.Errorf("served info %+v; want the input's %+v", b.Info, a.Info)
	}
	for path, ops := range a.Paths {
		for method, op := range ops {
			if !jsonEqual(op, b.Paths[path][method]) {
				t.Errorf("%s %s differs:\ninput  %s\nserved %s", method, path, op, b.Paths[path][method])
			}
		}
	}
	for path := range b.Paths {
		if _, ok := a.Paths[path]; !ok && path != "/ping" {
			t.Errorf("served path %s is not in the input", path)
		}
	}
	for name, s := range a.Components.Schemas {
		if !jsonEqual(s, b.Components.Schemas[name]) {
			t.Errorf("schema %s differs:\ninput  %s\nserved %s", name, s, b.Components.Schemas[name])
		}
	}
	if len(b.Components.Schemas) != len(a.Components.Schemas)+1 {
		t.Errorf("served %d schemas; want the input's %d and PingResponse", len(b.Components.Schemas), len(a.Components.Schemas))
	}
	if d, err := lb(t, "spec", "diff", input, exported); err != nil || !strings.Contains(d, "0 breaking") {
		t.Errorf("lb spec diff input served: %v\n%s", err, d)
	}

	base := startApp(t, bin, app)
	for _, s := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		// 5xx bodies carry only the reason phrase (rest.Config.Debug shows more).
		{"GET", "/todos", "", 501, `{"error":{"statusCode":501,"message":"Not Implemented"}}`},
		{"POST", "/todos", `{"desc":"no title"}`, 422, `"missingProperty":"title"`},
		{"GET", "/todos/abc", "", 400, `"statusCode":400`},
	} {
		req, _ := http.NewRequest(s.method, base+s.path, strings.NewReader(s.body))
		if s.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != s.status || !strings.Contains(string(got), s.want) {
			t.Errorf("%s %s: %d %s; want %d with %s", s.method, s.path, resp.StatusCode, got, s.status, s.want)
		}
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
