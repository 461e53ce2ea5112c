package sqlconn

import (
	"context"
	"database/sql"
)

// Native runs the statements of the hot paths (find, count, create, update
// and delete) on a driver's own interface instead of database/sql's
// driver.Rows path, for calls outside transactions: PostgreSQL's connector
// runs them on pgx's native connection, which saves database/sql's
// per-query goroutine, its driver.Value conversions and a copy of every
// value. Statements inside transactions, migration, discovery and Execute
// keep database/sql. See [Options.Native].
//
// A Native must be safe for concurrent use, and must give the values
// database/sql would give, so that both paths read the same records.
type Native interface {
	// Query runs query with args on a connection of the pool, calls read
	// with its rows, and closes them. It returns the error of the
	// statement, else the error of reading the rows (even when read
	// failed: read may stop at a missing row whose cause that is), else
	// the error of read.
	Query(ctx context.Context, query string, args []any, read func(NativeRows) error) error
	// Exec runs a statement that returns no rows and returns the number
	// of rows it affected.
	Exec(ctx context.Context, query string, args []any) (int64, error)
}

// NativeRows are the rows of a [Native] query.
type NativeRows interface {
	// Next advances to the next row; it returns false after the last one
	// or on an error (which Native.Query returns).
	Next() bool
	// Values stores the values of the current row in dest (one per
	// column), as database/sql scans them into *any: nil, int64, float64,
	// bool, string, []byte (not shared with later rows) or time.Time.
	Values(dest []any) error
}

// sqlRows reads *sql.Rows as NativeRows.
type sqlRows struct {
	rows *sql.Rows
	ptrs []any
}

func (r *sqlRows) Next() bool { return r.rows.Next() }

func (r *sqlRows) Values(dest []any) error {
	if len(r.ptrs) != len(dest) {
		r.ptrs = make([]any, len(dest))
		for i := range dest {
			r.ptrs[i] = &dest[i]
		}
	}
	return r.rows.Scan(r.ptrs...)
}

// query runs a statement that returns rows on q and calls read with them:
// natively when q is the pool and the connector has a Native, otherwise
// through database/sql (with a cached prepared statement where the
// connector keeps them; write is true for INSERT … RETURNING). The rows
// are closed when query returns.
func (c *Connector) query(ctx context.Context, q Querier, write bool, query string, args []any, read func(NativeRows) error) error {
	if c.native != nil && q == Querier(c.db) {
		c.observe(ctx, query)
		return c.native.Query(ctx, query, args, read)
	}
	rows, err := c.queryContext(ctx, q, write, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	err = read(&sqlRows{rows: rows})
	if rerr := rows.Err(); rerr != nil { // the cause of a missing row
		return rerr
	}
	if err != nil {
		return err
	}
	return rows.Close()
}

// exec runs a statement that returns no rows on q, natively like query,
// and returns the number of rows it affected.
func (c *Connector) exec(ctx context.Context, q Querier, query string, args []any) (int64, error) {
	if c.native != nil && q == Querier(c.db) {
		c.observe(ctx, query)
		return c.native.Exec(ctx, query, args)
	}
	res, err := c.execContext(ctx, q, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
