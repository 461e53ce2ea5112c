package mysql_test

import (
	"testing"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
)

// BenchmarkRepository compares the repository on MySQL/MariaDB with
// hand-written database/sql code running the same queries on the same pool.
func BenchmarkRepository(b *testing.B) {
	c := openTest(b)
	sqltest.Bench(b, c.Connector, func(table string) map[string]sqltest.HandWritten {
		return map[string]sqltest.HandWritten{"handwritten": sqltest.NewSQLHandWritten(c.DB(), mysql.Dialect{}, table)}
	})
}
