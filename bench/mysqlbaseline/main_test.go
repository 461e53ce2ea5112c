package main

import (
	"context"
	"net/url"
	"testing"

	"github.com/loopback-go/lb/bench/internal/sqlbase/sqlbasetest"
)

// TestStore runs the baseline on a database of its own on the server of
// BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/test).
func TestStore(t *testing.T) {
	dbURL := sqlbasetest.Database(t, "BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306/test", "mysql", dsn,
		func(s string) string { return "`" + s + "`" },
		func(admin, db string) string {
			u, _ := url.Parse(admin)
			u.Path = "/" + db
			return u.String()
		})
	s, db, err := open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sqlbasetest.Run(t, s)
}
