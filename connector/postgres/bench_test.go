package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
)

// pgxHandWritten is hand-written code on pgx's native pool.
type pgxHandWritten struct {
	pool                  *pgxpool.Pool
	byID, byGroup, insert string
}

func newPgxHandWritten(b *testing.B, schema, table string) *pgxHandWritten {
	cfg, err := pgxpool.ParseConfig(testURL())
	if err != nil {
		b.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Dialect{}.Quote(schema)
	cfg.MaxConns = 10
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	q := postgres.Dialect{}.Quote
	cols := `"id", "title", "desc", "isComplete", "grp"`
	return &pgxHandWritten{pool: pool,
		byID:    "SELECT " + cols + " FROM " + q(table) + ` WHERE "id" = $1`,
		byGroup: "SELECT " + cols + " FROM " + q(table) + ` WHERE "grp" = $1 ORDER BY "id"`,
		insert:  "INSERT INTO " + q(table) + ` ("title", "desc", "isComplete", "grp") VALUES ($1, $2, $3, $4) RETURNING "id"`,
	}
}

func (h *pgxHandWritten) FindByID(ctx context.Context, id int64) (*sqltest.BenchTodo, error) {
	var t sqltest.BenchTodo
	if err := h.pool.QueryRow(ctx, h.byID, id).Scan(&t.ID, &t.Title, &t.Desc, &t.IsComplete, &t.Grp); err != nil {
		return nil, err
	}
	return &t, nil
}

func (h *pgxHandWritten) FindGroup(ctx context.Context, grp int64) ([]sqltest.BenchTodo, error) {
	rows, err := h.pool.Query(ctx, h.byGroup, grp)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqltest.BenchTodo
	for rows.Next() {
		var t sqltest.BenchTodo
		if err := rows.Scan(&t.ID, &t.Title, &t.Desc, &t.IsComplete, &t.Grp); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (h *pgxHandWritten) Create(ctx context.Context, t *sqltest.BenchTodo) (int64, error) {
	var id int64
	err := h.pool.QueryRow(ctx, h.insert, t.Title, t.Desc, t.IsComplete, t.Grp).Scan(&id)
	return id, err
}

// BenchmarkRepository compares the repository on PostgreSQL with
// hand-written code running the same queries: database/sql over pgx (the
// connector's own stack) and pgx's native pool.
func BenchmarkRepository(b *testing.B) {
	schema := "lbbench_" + sqltest.Suffix()
	c := openSchema(b, schema)
	sqltest.Bench(b, c.Connector, func(table string) map[string]sqltest.HandWritten {
		return map[string]sqltest.HandWritten{
			"handwritten-sql": sqltest.NewSQLHandWritten(c.DB(), postgres.Dialect{}, table),
			"handwritten-pgx": newPgxHandWritten(b, schema, table),
		}
	})
}

// BenchmarkContention runs 20 writers doing UpdateAll on overlapping rows
// and 4 readers of another table (issue 11): run with -benchtime=1x. It
// reports the deadlocks PostgreSQL counted meanwhile (other sessions on
// the same database add to them) and the latencies of both. In "moving"
// the writers also move rows between groups through an index.
func BenchmarkContention(b *testing.B) {
	deadlocks := func(ctx context.Context, c *sqlconn.Connector) (int64, error) {
		var n int64
		err := c.DB().QueryRowContext(ctx, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").Scan(&n)
		return n, err
	}
	for _, moving := range []bool{false, true} {
		b.Run(map[bool]string{false: "overlap", true: "moving"}[moving], func(b *testing.B) {
			c := openTest(b)
			sqltest.BenchContention(b, c.Connector, sqltest.Contention{Moving: moving, Deadlocks: deadlocks})
		})
	}
}

// BenchmarkInclude compares listing 100 lists with 10 items each through
// include with hand-written database/sql code (see sqltest.BenchInclude).
func BenchmarkInclude(b *testing.B) {
	sqltest.BenchInclude(b, openSchema(b, "lbbench_"+sqltest.Suffix()).Connector)
}
