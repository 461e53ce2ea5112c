package sqlite_test

import (
	"testing"

	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/connector/sqlite"
)

// BenchmarkRepository compares the repository on SQLite with hand-written
// database/sql code running the same queries on the same pool.
func BenchmarkRepository(b *testing.B) {
	c := openTemp(b)
	sqltest.Bench(b, c.Connector, func(table string) map[string]sqltest.HandWritten {
		return map[string]sqltest.HandWritten{"handwritten": sqltest.NewSQLHandWritten(c.DB(), sqlite.Dialect{}, table)}
	})
}

// BenchmarkInclude compares listing 100 lists with 10 items each through
// include with hand-written database/sql code (see sqltest.BenchInclude).
func BenchmarkInclude(b *testing.B) {
	sqltest.BenchInclude(b, openTemp(b).Connector)
}
