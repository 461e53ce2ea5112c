package users_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/auth/users"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/rest/resttest"
)

func TestCheckPassword(t *testing.T) {
	// LoopBack's todo-jwt db.json: testuser1's password, bcryptjs cost 10.
	const lb = "$2a$10$QrcA7GDOZ06TTXEBhuz87On8mcapb9qoU3rjWb7Z5pwBv7ZAbmXwa"
	argon, err := users.Argon2id{Memory: 1 << 10}.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	bc, err := users.Bcrypt{Cost: 4}.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		hash, pw string
		want     bool
		err      bool
	}{
		{lb, "testuser1", true, false},
		{lb, "testuser2", false, false},
		{argon, "correct horse", true, false},
		{argon, "correct horsf", false, false},
		{bc, "correct horse", true, false},
		{"plaintext", "plaintext", false, true},
		{"$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA", "x", false, true},
		{"$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "x", false, true},
	}
	for i, tt := range tests {
		got, err := users.CheckPassword(tt.hash, tt.pw)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%d: got %v, %v; want %v, error %v", i, got, err, tt.want, tt.err)
		}
	}
	if !strings.HasPrefix(argon, "$argon2id$v=19$m=1024,t=1,p=4$") {
		t.Errorf("got %s; want a PHC argon2id string", argon)
	}
}

func newService(t *testing.T, file string, cfg users.Config) (*users.Service, *rest.Server) {
	t.Helper()
	conn, err := memory.New(memory.Config{File: file})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	cfg.JWT.Secret = []byte("myjwts3cr3t")
	if cfg.Hasher == nil {
		cfg.Hasher = users.Bcrypt{Cost: 4}
	}
	if cfg.FailedLoginDelay == 0 {
		cfg.FailedLoginDelay = -1
	}
	svc, err := users.New(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.NormalizeLegacyIDs(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{})
	a.Register("jwt", svc.Strategy())
	a.Install(srv)
	srv.Controller(&users.Controller{Service: svc})
	return svc, srv
}

func copyDB(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../../shared/lb4-todo-jwt/db.json")
	if err != nil {
		t.Skipf("LoopBack's todo-jwt db.json is not beside the repository: %v", err)
	}
	f := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestLoopBackUserLogsIn(t *testing.T) {
	svc, srv := newService(t, copyDB(t), users.Config{})
	c := resttest.New(t, srv)
	var tok users.Token
	c.Post("/users/login", map[string]any{"email": "testuser1@abc.com", "password": "testuser1"}).Expect(200).JSON(&tok)
	c.WithHeader("Authorization", "Bearer "+tok.Token).Get("/whoAmI").Expect(200).
		ExpectHeader("Content-Type", "text/plain").ExpectBody("4")
	p, claims, err := svc.Strategy().Verify(tok.Token)
	if err != nil || p.ID != "4" || claims["email"] != "testuser1@abc.com" || claims["name"] != "testuser1" {
		t.Errorf("got %+v %v %v; want LoopBack's claims", p, claims, err)
	}
	c.Post("/users/login", map[string]any{"email": "testuser1@abc.com", "password": "wrongpassword"}).
		Expect(401).ExpectBody(`{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Invalid email or password."}}`)
	c.Post("/users/login", map[string]any{"email": "nobody@abc.com", "password": "testuser1"}).
		Expect(401).ExpectBody(`{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Invalid email or password."}}`)
}

func TestSignUp(t *testing.T) {
	svc, srv := newService(t, "", users.Config{})
	c := resttest.New(t, srv)
	var u map[string]any
	c.Post("/signup", map[string]any{"email": "ann@example.com", "password": "longenough", "username": "ann"}).Expect(200).JSON(&u)
	if u["email"] != "ann@example.com" || u["username"] != "ann" || len(u["id"].(string)) != 36 {
		t.Errorf("got %v; want the new user with a uuid", u)
	}
	if _, ok := u["password"]; ok {
		t.Error("the password came back")
	}
	c.Post("/signup", map[string]any{"email": "ann@example.com", "password": "longenough"}).ExpectError(409, "EMAIL_TAKEN")
	c.Post("/signup", map[string]any{"email": "not-an-email", "password": "longenough"}).ExpectError(422, "VALIDATION_FAILED")
	c.Post("/signup", map[string]any{"email": "bob@example.com", "password": "short"}).ExpectError(422, "VALIDATION_FAILED")
	c.Post("/signup", map[string]any{"email": "bob@example.com"}).ExpectError(422, "VALIDATION_FAILED")
	c.Post("/users/login", map[string]any{"email": "bob@example.com", "password": "short"}).ExpectError(422, "VALIDATION_FAILED")

	var tok users.Token
	c.Post("/users/login", map[string]any{"email": "ann@example.com", "password": "longenough"}).Expect(200).JSON(&tok)
	authed := c.WithHeader("Authorization", "Bearer "+tok.Token)
	authed.Get("/whoAmI").Expect(200).ExpectBody(u["id"].(string))

	// A token of a deleted user is refused.
	gone, err := svc.Strategy().Sign(&auth.Profile{ID: "gone"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.WithHeader("Authorization", "Bearer "+gone).Get("/whoAmI").
		Expect(401).ExpectBody(`{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Error verifying token : user not found"}}`)
	c.Get("/whoAmI").Expect(401).ExpectHeader("WWW-Authenticate", `Bearer realm="api"`)
}

func TestFailedLoginDelay(t *testing.T) {
	svc, _ := newService(t, "", users.Config{FailedLoginDelay: 150 * time.Millisecond})
	start := time.Now()
	_, err := svc.Login(context.Background(), "x@example.com", "whatever1")
	if !isKind(err, fault.Unauthorized) {
		t.Fatalf("got %v; want 401", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("failed login answered after %v; want at least 150ms", d)
	}
}

func isKind(err error, k fault.Kind) bool { return err != nil && fault.KindOf(err) == k }

func TestLogoutRevokesTheToken(t *testing.T) {
	kv, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer kv.Close()
	svc, srv := newService(t, "", users.Config{Revocations: kv})
	ctx := context.Background()
	if _, err := svc.SignUp(ctx, users.NewUser{Email: "ann@example.com", Password: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	c := resttest.New(t, srv)
	first := c.WithHeader("Authorization", "Bearer "+login(t, c, "ann@example.com", "correct horse"))
	second := c.WithHeader("Authorization", "Bearer "+login(t, c, "ann@example.com", "correct horse"))
	first.Get("/whoAmI").Expect(200)
	first.Post("/users/logout", nil).Expect(204)
	first.Get("/whoAmI").Expect(401).ExpectBody(`{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Error verifying token : jwt revoked"}}`)
	first.Post("/users/logout", nil).Expect(401)
	second.Get("/whoAmI").Expect(200) // only the token logged out is revoked
	c.Post("/users/logout", nil).Expect(401)
}

func TestNoLogoutWithoutRevocations(t *testing.T) {
	_, srv := newService(t, "", users.Config{})
	resttest.New(t, srv).Post("/users/logout", nil).Expect(404)
}

func login(t *testing.T, c *resttest.Client, email, password string) string {
	t.Helper()
	var tok users.Token
	c.Post("/users/login", map[string]any{"email": email, "password": password}).Expect(200).JSON(&tok)
	return tok.Token
}

func TestRefreshTokens(t *testing.T) {
	svc, srv := newService(t, "", users.Config{Refresh: &users.RefreshConfig{Secret: []byte("another secret for refreshing")}})
	ctx := context.Background()
	u, err := svc.SignUp(ctx, users.NewUser{Email: "ann@example.com", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	c := resttest.New(t, srv)
	var pair users.TokenObject
	c.Post("/users/refresh-login", map[string]any{"email": "ann@example.com", "password": "correct horse"}).Expect(200).JSON(&pair)
	if pair.AccessToken == "" || pair.RefreshToken == "" {
		t.Fatalf("got %+v; want both tokens", pair)
	}
	var next users.TokenObject
	c.Post("/refresh", map[string]any{"refreshToken": pair.RefreshToken}).Expect(200).JSON(&next)
	c.WithHeader("Authorization", "Bearer "+next.AccessToken).Get("/whoAmI").Expect(200).ExpectBody(u.ID)
	// An access token is not a refresh token, and the reverse.
	c.Post("/refresh", map[string]any{"refreshToken": pair.AccessToken}).Expect(401).
		ExpectBody(`{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Error verifying token : invalid signature"}}`)
	c.WithHeader("Authorization", "Bearer "+pair.RefreshToken).Get("/whoAmI").Expect(401)
	c.Post("/users/refresh-login", map[string]any{"email": "ann@example.com", "password": "wrong horse"}).Expect(401)
	c.Post("/refresh", map[string]any{}).ExpectError(422, "VALIDATION_FAILED")
	// Revoked: the token verifies but is no longer on record.
	if err := svc.RevokeRefreshTokens(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	c.Post("/refresh", map[string]any{"refreshToken": pair.RefreshToken}).Expect(401).
		ExpectBody(`{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Error verifying token : Invalid Token"}}`)
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	_, err = users.New(conn, users.Config{Refresh: &users.RefreshConfig{Secret: []byte("same")}, JWT: jwt.Config{Secret: []byte("same")}})
	if err == nil || !strings.Contains(err.Error(), "must be set and differ") {
		t.Errorf("got %v; want an error for a refresh secret equal to the access secret", err)
	}
}
