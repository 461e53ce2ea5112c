package crud_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/rest"
)

// The client generators the document is checked with, pinned.
const (
	oapiCodegen       = "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2"
	oapiRuntime       = "github.com/oapi-codegen/runtime@v1.8.0"
	openapiTypescript = "openapi-typescript@7.13.0"
)

// unavailable skips the test with why, or fails it under CI=true, where
// the tools must be reachable.
func unavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and %s", why)
	}
	t.Skip(why)
}

// todoDocument writes the todo API's OpenAPI document (3.1, or 3.0 when
// version is "3.0") to a file and returns its path.
func todoDocument(t *testing.T, version string) string {
	t.Helper()
	s := rest.New(rest.Config{OpenAPI: rest.SpecConfig{Title: "todo", Version: "1.0.0"}})
	if err := crud.Mount(s, newRepo[Todo](t), crud.Options{}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	path := "/openapi.json"
	if version != "" {
		path += "?openapi=" + version
	}
	status, body := call(t, ts, "GET", path, "")
	if status != 200 {
		t.Fatalf("GET %s: status %d", path, status)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func runIn(t *testing.T, dir string, timeout time.Duration, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestOapiCodegen generates a Go client from the document with oapi-codegen
// into a temporary module and builds it. LoopBack's own document fails
// there (duplicate type name TodoFilterFields1).
func TestOapiCodegen(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: downloads and builds oapi-codegen")
	}
	dir := t.TempDir()
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	if out, err := runIn(t, dir, 3*time.Minute, env, "go", "mod", "download", "-json", strings.Replace(oapiCodegen, "/cmd/oapi-codegen", "", 1)); err != nil {
		unavailable(t, "the Go module proxy is not reachable: "+firstLine(out))
	}
	for _, version := range []string{"3.1", "3.0"} {
		t.Run(version, func(t *testing.T) {
			doc := todoDocument(t, version)
			mod := t.TempDir()
			cfg := "package: todoclient\ngenerate:\n  client: true\n  models: true\noutput: client.gen.go\n"
			files := map[string]string{"cfg.yaml": cfg, "go.mod": "module example.com/todoclient\n\ngo 1.22\n"}
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(mod, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if out, err := runIn(t, mod, 5*time.Minute, env, "go", "run", oapiCodegen, "-config", "cfg.yaml", doc); err != nil {
				t.Fatalf("oapi-codegen failed: %v\n%s", err, out)
			}
			gen, err := os.ReadFile(filepath.Join(mod, "client.gen.go"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"type NewTodo struct", "type TodoFilter1 struct", "func (c *Client) TodoControllerCreate(", "func (c *Client) TodoControllerFindById("} {
				if !strings.Contains(string(gen), want) {
					t.Errorf("generated client lacks %q", want)
				}
			}
			if out, err := runIn(t, mod, 3*time.Minute, env, "go", "get", oapiRuntime); err != nil {
				t.Fatalf("go get %s: %v\n%s", oapiRuntime, err, out)
			}
			if out, err := runIn(t, mod, 3*time.Minute, env, "go", "mod", "tidy"); err != nil {
				t.Fatalf("go mod tidy (in the temporary module): %v\n%s", err, out)
			}
			if out, err := runIn(t, mod, 3*time.Minute, env, "go", "build", "./..."); err != nil {
				t.Fatalf("the generated client does not build: %v\n%s", err, out)
			}
		})
	}
}

// TestOpenAPITypeScript generates TypeScript types from the document with
// openapi-typescript (when node is installed).
func TestOpenAPITypeScript(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("-short: downloads openapi-typescript")
	}
	if _, err := exec.LookPath("npx"); err != nil {
		unavailable(t, "npx (Node.js) is not installed")
	}
	dir := t.TempDir()
	if out, err := runIn(t, dir, time.Minute, nil, "npm", "view", openapiTypescript, "version"); err != nil {
		unavailable(t, "the npm registry is not reachable: "+firstLine(out))
	}
	for _, version := range []string{"3.1", "3.0"} {
		t.Run(version, func(t *testing.T) {
			doc := todoDocument(t, version)
			out := filepath.Join(t.TempDir(), "todo.d.ts")
			if msg, err := runIn(t, dir, 5*time.Minute, []string{"npm_config_yes=true"}, "npx", "--yes", openapiTypescript, doc, "-o", out); err != nil {
				t.Fatalf("openapi-typescript failed: %v\n%s", err, msg)
			}
			ts, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{`"TodoController.create"`, "NewTodo:", `"Todo.Filter1":`, `"/todos/{id}":`} {
				if !strings.Contains(string(ts), want) {
					t.Errorf("generated types lack %s", want)
				}
			}
		})
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
