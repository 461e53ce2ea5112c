package main

import (
	"context"
	"net/url"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/loopback-go/lb/bench/internal/sqlbase/sqlbasetest"
)

// TestStore runs the baseline on a database of its own on the server of
// BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
func TestStore(t *testing.T) {
	dbURL := sqlbasetest.Database(t, "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "pgx",
		func(s string) (string, error) { return s, nil },
		func(s string) string { return `"` + s + `"` },
		func(admin, db string) string {
			u, _ := url.Parse(admin)
			u.Path = "/" + db
			return u.String()
		})
	s, err := open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.pool.Close()
	sqlbasetest.Run(t, s)
}
