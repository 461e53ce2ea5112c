package postgres_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/fault"
)

// testURL is the server the tests use: LB_TEST_POSTGRES_URL, or the local
// server (user postgres, database test).
func testURL() string {
	if u := os.Getenv("LB_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// openTest connects with a schema of its own, dropped when the test ends.
func openTest(t testing.TB) *postgres.Connector {
	t.Helper()
	return openSchema(t, "lbtest_"+sqltest.Suffix())
}

// openSchema connects with schema first on the search path, and drops the
// schema when the test ends.
func openSchema(t testing.TB, schema string) *postgres.Connector {
	t.Helper()
	c, err := postgres.New(postgres.Config{URL: testURL(), Schema: schema, Name: "testdb"})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+testURL()+": "+err.Error())
	}
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		c.Close()
		admin, err := postgres.Open(testURL())
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer admin.Close()
		if _, err := admin.DB().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return c
}

func TestKit(t *testing.T) {
	sqltest.Run(t, func(t *testing.T) *sqlconn.Connector { return openTest(t).Connector })
}
