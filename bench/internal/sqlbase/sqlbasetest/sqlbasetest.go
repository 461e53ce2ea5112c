// Package sqlbasetest checks a bare baseline's [sqlbase.Store] against a
// real database through [sqlbase.Handler]: what the benchmark relies on
// (the seeded todos, a created todo read back as it was written, deletes).
package sqlbasetest

import (
	"database/sql"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/loopback-go/lb/bench/internal/sqlbase"
)

// Run checks s, which must have been opened on an empty database.
func Run(t *testing.T, s sqlbase.Store) {
	t.Helper()
	h := sqlbase.Handler(s)
	call := func(method, path, body string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	if status, body := call("GET", "/todos", ""); status != 200 || strings.Count(body, `"title"`) != 4 ||
		!strings.HasPrefix(body, `[{"id":1,"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"}`) {
		t.Fatalf("GET /todos on a new table = %d %s; want the 4 seeded todos in id order", status, body)
	}
	const want = `{"id":5,"title":"bench","desc":"d","isComplete":false,"remindAtAddress":"here","tag":{"a":[1,2]}}`
	if status, body := call("POST", "/todos", `{"title":"bench","desc":"d","isComplete":false,"remindAtAddress":"here","tag":{"a":[1,2]}}`); status != 200 || body != want {
		t.Errorf("POST /todos = %d %s; want 200 %s", status, body, want)
	}
	if status, body := call("GET", "/todos/5", ""); status != 200 || body != want {
		t.Errorf("GET /todos/5 = %d %s; want 200 %s", status, body, want)
	}
	if status, body := call("POST", "/todos", `{"desc":"no title"}`); status != 422 {
		t.Errorf("POST /todos without a title = %d %s; want 422", status, body)
	}
	if status, _ := call("DELETE", "/todos/5", ""); status != 204 {
		t.Errorf("DELETE /todos/5 = %d; want 204", status)
	}
	if status, _ := call("GET", "/todos/5", ""); status != 404 {
		t.Errorf("GET /todos/5 after DELETE = %d; want 404", status)
	}
	if status, body := call("GET", "/todos", ""); status != 200 || strings.Count(body, `"title"`) != 4 {
		t.Errorf("GET /todos at the end = %d %s; want the 4 seeded todos", status, body)
	}
}

// Database creates a database of its own on the server of the admin URL
// in the environment variable env (default def), through driver, and
// returns the URL of the new database; it is dropped when the test ends.
// Without a server the test is skipped, or fails under CI=true.
func Database(t *testing.T, env, def, driver string, dsn func(string) (string, error), quote func(string) string, withDB func(string, string) string) string {
	t.Helper()
	admin := os.Getenv(env)
	if admin == "" {
		admin = def
	}
	d, err := dsn(admin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(driver, d)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: no database server (set %s): %v", driver, env, err)
		}
		t.Skipf("%s: no database server at %s (set %s): %v", driver, def, env, err)
	}
	name := fmt.Sprintf("lbbench_test_%d", os.Getpid())
	db.Exec("DROP DATABASE IF EXISTS " + quote(name))
	if _, err := db.Exec("CREATE DATABASE " + quote(name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec("DROP DATABASE IF EXISTS " + quote(name))
		db.Close()
	})
	return withDB(admin, name)
}
