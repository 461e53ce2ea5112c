package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/connector/sqlite"
)

func openTemp(t testing.TB) *sqlite.Connector {
	t.Helper()
	c, err := sqlite.New(sqlite.Config{File: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestKit(t *testing.T) {
	sqltest.Run(t, func(t *testing.T) *sqlconn.Connector { return openTemp(t).Connector })
}

func TestKitMemory(t *testing.T) {
	sqltest.Run(t, func(t *testing.T) *sqlconn.Connector {
		c, err := sqlite.Open(":memory:")
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { c.Close() })
		return c.Connector
	})
}
