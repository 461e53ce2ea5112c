package postgres_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/fault"
)

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("TODO_DB_HOST", "db.example")
	t.Setenv("TODO_DB_PORT", "6543")
	t.Setenv("TODO_DB_USER", "app")
	t.Setenv("TODO_DB_DATABASE", "todo")
	t.Setenv("TODO_DB_SCHEMA", "s1")
	t.Setenv("TODO_DB_MAX_OPEN_CONNS", "7")
	t.Setenv("TODO_DB_CONN_MAX_LIFETIME", "1m")
	cfg, err := postgres.ConfigFromEnv("TODO_DB")
	if err != nil {
		t.Fatal(err)
	}
	want := postgres.Config{Host: "db.example", Port: 6543, User: "app", Database: "todo", Schema: "s1", MaxOpenConns: 7, ConnMaxLifetime: time.Minute}
	if cfg != want {
		t.Errorf("got %+v; want %+v", cfg, want)
	}
	t.Setenv("TODO_DB_PORT", "x")
	if _, err := postgres.ConfigFromEnv("TODO_DB"); err == nil {
		t.Errorf("bad port: nil error")
	}
}

// closedPort returns a local port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestUnavailable(t *testing.T) {
	_, err := postgres.New(postgres.Config{Name: "orders", Host: "127.0.0.1", Port: closedPort(t), User: "postgres", ConnectTimeout: 2 * time.Second})
	if !errors.Is(err, fault.Unavailable) {
		t.Fatalf("New on a closed port = %v; want fault.Unavailable", err)
	}
	if !strings.Contains(err.Error(), "orders") {
		t.Errorf("message %q does not name the data source", err)
	}
	if _, err := postgres.Open("postgres://%zz"); err == nil || errors.Is(err, fault.Unavailable) {
		t.Errorf("bad URL = %v; want a configuration error", err)
	}
}

// A statement that runs past the server's statement_timeout is a 503.
func TestStatementTimeout(t *testing.T) {
	c := openTest(t)
	ctx := context.Background()
	tx, err := c.Begin(ctx, connector.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tctx := connector.WithTx(ctx, tx)
	if _, err := c.Execute(tctx, "SET LOCAL statement_timeout = 50"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Execute(tctx, "SELECT pg_sleep(1)")
	if !errors.Is(err, fault.Unavailable) {
		t.Errorf("timed-out statement = %v; want fault.Unavailable", err)
	}
}

// TestConfigStatementTimeout: a statement running past
// Config.StatementTimeout is cancelled by the server and reported as a
// 503; the connection stays usable.
func TestConfigStatementTimeout(t *testing.T) {
	c, err := postgres.New(postgres.Config{URL: testURL(), StatementTimeout: 100 * time.Millisecond})
	if errors.Is(err, fault.Unavailable) {
		t.Skip("PostgreSQL is not available")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	start := time.Now()
	_, err = c.Execute(ctx, "SELECT pg_sleep(5)")
	if !errors.Is(err, fault.Unavailable) {
		t.Fatalf("long statement: got %v; want fault.Unavailable", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("long statement ran %v; want it cancelled after 100ms", d)
	}
	res, err := c.Execute(ctx, "SELECT 1 AS one")
	if err != nil || len(res.Rows) != 1 {
		t.Errorf("after the timeout: got (%v, %v); want one row", res, err)
	}
	t.Setenv("PGT_STATEMENT_TIMEOUT", "2s")
	t.Setenv("PGT_MAX_WRITERS", "3")
	cfg, err := postgres.ConfigFromEnv("PGT")
	if err != nil || cfg.StatementTimeout != 2*time.Second || cfg.MaxWriters != 3 {
		t.Errorf("ConfigFromEnv: got (%v, %d, %v); want (2s, 3, nil)", cfg.StatementTimeout, cfg.MaxWriters, err)
	}
}
