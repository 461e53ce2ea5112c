package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/auth/users"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

type sink struct {
	h      http.Header
	status int
}

func (w *sink) Header() http.Header         { return w.h }
func (w *sink) WriteHeader(code int)        { w.status = code }
func (w *sink) Write(b []byte) (int, error) { return len(b), nil }

// benchServer is GET /todos over the four seed todos, unprotected or
// behind the JWT strategy of the users component.
func benchServer(b *testing.B, protect bool, trust bool) (http.Handler, string) {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	todos := repository.MustNew[Todo, int64](conn)
	for _, t := range seedTodos {
		if _, err := todos.Create(context.Background(), &t); err != nil {
			b.Fatal(err)
		}
	}
	srv := rest.New(rest.Config{})
	var token string
	if protect {
		svc, err := users.New(conn, users.Config{JWT: jwt.Config{Secret: []byte("bench-secret")}, Hasher: users.Bcrypt{Cost: 4}, TrustTokens: trust})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.SignUp(context.Background(), users.NewUser{Email: "b@example.com", Password: "benchmark"}); err != nil {
			b.Fatal(err)
		}
		if token, err = svc.Login(context.Background(), "b@example.com", "benchmark"); err != nil {
			b.Fatal(err)
		}
		a := auth.New(auth.Config{Default: []string{"jwt"}})
		a.Register("jwt", svc.Strategy())
		a.Install(srv)
	}
	if err := crud.Mount(srv, todos, crud.Options{}); err != nil {
		b.Fatal(err)
	}
	return srv, token
}

// BenchmarkGetTodos compares GET /todos without authentication, with an
// HS256 token (checking that its user exists, the default), and with an
// HS256 token alone (users.Config.TrustTokens). The server's CPU per
// request is ns/op: the handler runs on the benchmark's goroutine.
func BenchmarkGetTodos(b *testing.B) {
	for _, bc := range []struct {
		name           string
		protect, trust bool
	}{{"unprotected", false, false}, {"jwt-hs256", true, false}, {"jwt-hs256-trusted", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			h, token := benchServer(b, bc.protect, bc.trust)
			r := httptest.NewRequest("GET", "/todos", nil)
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.status = 0
				h.ServeHTTP(w, r)
			}
			if w.status != 0 && w.status != 200 {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}

// BenchmarkGetTodosHTTP is BenchmarkGetTodos over a real loopback
// connection (keep-alive): ns/op includes net/http on both sides and the
// client's CPU, so the ratio between the cases is closer to what a
// deployed server sees.
func BenchmarkGetTodosHTTP(b *testing.B) {
	for _, bc := range []struct {
		name           string
		protect, trust bool
	}{{"unprotected", false, false}, {"jwt-hs256", true, false}, {"jwt-hs256-trusted", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			h, token := benchServer(b, bc.protect, bc.trust)
			ts := httptest.NewServer(h)
			defer ts.Close()
			req, _ := http.NewRequest("GET", ts.URL+"/todos", nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			client := ts.Client()
			b.ReportAllocs()
			for b.Loop() {
				res, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body) //nolint:errcheck // drained for keep-alive
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}

// BenchmarkLogin is POST /users/login's work at bcrypt cost 10, LoopBack's:
// logins/s on one core is 1e9 / ns/op.
func BenchmarkLogin(b *testing.B) {
	conn, err := memory.New(memory.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	svc, err := users.New(conn, users.Config{JWT: jwt.Config{Secret: []byte("bench-secret")}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.SignUp(ctx, users.NewUser{Email: "b@example.com", Password: "benchmark"}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.Login(ctx, "b@example.com", "benchmark"); err != nil {
			b.Fatal(err)
		}
	}
}
