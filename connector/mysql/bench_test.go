package mysql_test

import (
	"context"

	"testing"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/sqlconn"
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

// BenchmarkContention runs 20 writers doing UpdateAll on overlapping rows
// and 4 readers of another table (issue 11): run with -benchtime=1x. It
// reports the deadlocks InnoDB counted meanwhile (other sessions on the
// same server add to them) and the latencies of both. In "moving" the
// writers also move rows between groups through an index, which is what
// makes InnoDB deadlock.
func BenchmarkContention(b *testing.B) {
	deadlocks := func(ctx context.Context, c *sqlconn.Connector) (int64, error) {
		var name string
		var n int64
		err := c.DB().QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'").Scan(&name, &n)
		return n, err
	}
	for _, moving := range []bool{false, true} {
		b.Run(map[bool]string{false: "overlap", true: "moving"}[moving], func(b *testing.B) {
			c := openTest(b)
			sqltest.BenchContention(b, c.Connector, sqltest.Contention{Moving: moving, Deadlocks: deadlocks})
		})
	}
}
