package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loopback-go/lb/auth/users"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest/resttest"
)

const lbSecret = "myjwts3cr3t" // LoopBack's example secret, as its README says

// loopbackTokens returns the tokens jsonwebtoken signed with LoopBack's
// secret: a valid one and an expired one.
func loopbackTokens(t *testing.T) (valid, expired string) {
	t.Helper()
	data, err := os.ReadFile("testdata/loopback-tokens.txt")
	if err != nil {
		t.Fatal(err)
	}
	var toks []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			toks = append(toks, l)
		}
	}
	return toks[0], toks[1]
}

// lbFile copies LoopBack's todo-jwt db.json into a temporary directory.
func lbFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/lb4-db.json")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func start(t *testing.T, cfg config) (*todoApp, *resttest.Client) {
	t.Helper()
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = 4
	}
	a, err := newApp(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.close() })
	return a, resttest.New(t, a.srv)
}

func body401(msg string) string {
	m, _ := json.Marshal(msg)
	return `{"error":{"statusCode":401,"name":"UnauthorizedError","message":` + string(m) + `}}`
}

func login(t *testing.T, c *resttest.Client, email, password string) string {
	t.Helper()
	var tok users.Token
	c.Post("/users/login", map[string]any{"email": email, "password": password}).Expect(200).JSON(&tok)
	if tok.Token == "" {
		t.Fatalf("login %s: no token", email)
	}
	return tok.Token
}

func TestEveryTodoRouteNeedsAToken(t *testing.T) {
	_, c := start(t, config{Secret: lbSecret})
	valid, expired := loopbackTokens(t)
	routes := []struct{ method, path string }{
		{"GET", "/todos"}, {"POST", "/todos"}, {"PATCH", "/todos"}, {"GET", "/todos/count"},
		{"GET", "/todos/1"}, {"PATCH", "/todos/1"}, {"PUT", "/todos/1"}, {"DELETE", "/todos/1"},
		{"GET", "/whoAmI"},
	}
	bad := []struct{ header, msg string }{
		{"", "Authorization header not found."},
		{"Basic dGVzdHVzZXIxOnRlc3R1c2VyMQ==", "Authorization header is not of type 'Bearer'."},
		{"Bearer a b", "Authorization header value has too many parts. It must follow the pattern: 'Bearer xx.yy.zz' where xx.yy.zz is a valid JWT token."},
		{"Bearer " + expired, "Error verifying token : jwt expired"},
		{"Bearer " + valid[:len(valid)-3] + "AAA", "Error verifying token : invalid signature"},
		{"Bearer " + strings.SplitN(valid, ".", 2)[1], "Error verifying token : jwt malformed"},
		{"Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + strings.Split(valid, ".")[1] + ".", "Error verifying token : invalid algorithm"},
	}
	for _, r := range routes {
		for _, b := range bad {
			cl := c
			if b.header != "" {
				cl = c.WithHeader("Authorization", b.header)
			}
			res := cl.Do(r.method, r.path, map[string]any{"title": "x"}).Expect(401).ExpectBody(body401(b.msg))
			if got := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, `Bearer realm="api"`) {
				t.Errorf("%s %s: WWW-Authenticate %q; want a Bearer challenge", r.method, r.path, got)
			}
		}
	}
}

func TestLoopBackDataAndTokens(t *testing.T) {
	file := lbFile(t)
	_, c := start(t, config{Secret: lbSecret, DBFile: file})
	valid, _ := loopbackTokens(t)

	// A token LoopBack's library signed works as it does on LoopBack.
	lb := c.WithHeader("Authorization", "Bearer "+valid)
	var todos []map[string]any
	lb.Get("/todos").Expect(200).JSON(&todos)
	if len(todos) != 4 || todos[0]["title"] != "Take over the galaxy" {
		t.Errorf("got %v; want LoopBack's four todos", todos)
	}
	lb.Get("/whoAmI").Expect(200).ExpectBody("4")

	// LoopBack's user logs in with the password LoopBack hashed.
	tok := login(t, c, "testuser1@abc.com", "testuser1")
	authed := c.WithHeader("Authorization", "Bearer "+tok)
	authed.Post("/todos", map[string]any{"title": "build the Go port"}).Expect(200).
		ExpectBody(`{"id":5,"title":"build the Go port"}`)
	authed.Get("/todos/count").Expect(200).ExpectBody(`{"count":5}`)
	authed.Get("/whoAmI").Expect(200).ExpectBody("4")
	c.Post("/users/login", map[string]any{"email": "testuser1@abc.com", "password": "testuser2"}).
		Expect(401).ExpectBody(body401("Invalid email or password."))

	// The file keeps working after a restart, with the same token.
	_, c2 := start(t, config{Secret: lbSecret, DBFile: file})
	c2.WithHeader("Authorization", "Bearer "+tok).Get("/todos/5").Expect(200)
	login(t, c2, "testuser1@abc.com", "testuser1")

	// Another secret refuses LoopBack's token.
	_, c3 := start(t, config{Secret: "another secret entirely", DBFile: ""})
	c3.WithHeader("Authorization", "Bearer "+valid).Get("/todos").
		Expect(401).ExpectBody(body401("Error verifying token : invalid signature"))
}

func TestSignUpLoginWhoAmI(t *testing.T) {
	a, c := start(t, config{Secret: "s3cret-for-tests", DBFile: ""})
	var u map[string]any
	c.Post("/signup", map[string]any{"email": "ann@example.com", "password": "correct horse", "username": "ann"}).
		Expect(200).JSON(&u)
	if _, ok := u["password"]; ok || u["email"] != "ann@example.com" {
		t.Errorf("got %v; want the user without its password", u)
	}
	id, _ := u["id"].(string)
	c.Post("/signup", map[string]any{"email": "ann@example.com", "password": "correct horse"}).ExpectError(409, "EMAIL_TAKEN")
	for _, body := range []map[string]any{
		{"email": "ann", "password": "correct horse"},
		{"email": "bob@example.com", "password": "short"},
		{"email": "bob@example.com"},
		{"password": "correct horse"},
	} {
		c.Post("/signup", body).ExpectError(422, "VALIDATION_FAILED")
	}
	tok := login(t, c, "ann@example.com", "correct horse")
	authed := c.WithHeader("Authorization", "Bearer "+tok)
	authed.Get("/whoAmI").Expect(200).ExpectBody(id)
	authed.Get("/todos").Expect(200)

	// A deleted user's token stops working.
	repo := repository.MustNew[users.User, string](a.conn)
	if err := repo.DeleteByID(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	authed.Get("/todos").Expect(401).ExpectBody(body401("Error verifying token : user not found"))
}

func TestOpenAPISecurity(t *testing.T) {
	_, c := start(t, config{Secret: "s"})
	var doc struct {
		Components struct {
			SecuritySchemes map[string]map[string]string `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			OperationID string                 `json:"operationId"`
			Security    *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	c.Get("/openapi.json").Expect(200).JSON(&doc)
	jwt := doc.Components.SecuritySchemes["jwt"]
	if jwt["type"] != "http" || jwt["scheme"] != "bearer" || jwt["bearerFormat"] != "JWT" {
		t.Errorf("securitySchemes.jwt: got %v; want LoopBack's", jwt)
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			open := path == "/signup" || path == "/users/login"
			switch {
			case open && op.Security != nil:
				t.Errorf("%s %s: security %v; want none", method, path, *op.Security)
			case !open && (op.Security == nil || len(*op.Security) != 1 || (*op.Security)[0]["jwt"] == nil):
				t.Errorf("%s %s: security %v; want [{jwt: []}]", method, path, op.Security)
			}
		}
	}
	if doc.Paths["/whoAmI"]["get"].OperationID != "UserController.whoAmI" || doc.Paths["/users/login"]["post"].OperationID != "UserController.login" {
		t.Errorf("got operationIds %v; want LoopBack's", doc.Paths)
	}
}

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	if _, err := configFromEnv(env(nil)); err != errNoSecret {
		t.Errorf("got %v; want JWT_SECRET required", err)
	}
	cfg, err := configFromEnv(env(map[string]string{"JWT_SECRET": "x", "PORT": "8080", "DB_FILE": ""}))
	if err != nil || cfg.Port != 8080 || cfg.DBFile != "" || cfg.Secret != "x" {
		t.Errorf("got %+v, %v", cfg, err)
	}
	if _, err := configFromEnv(env(map[string]string{"JWT_SECRET": "x", "PORT": "http"})); err == nil {
		t.Error("got no error for PORT=http")
	}
	if _, err := newApp(context.Background(), config{}); err != errNoSecret {
		t.Errorf("newApp without a secret: got %v", err)
	}
}
