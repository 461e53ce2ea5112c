package sqlconn

import (
	"bytes"
	"context"
	"database/sql"
	"sync"
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

// sqlRows reads *sql.Rows as NativeRows. Each column is scanned into a
// cell of its own (a sql.Scanner, which gets the driver's value without
// database/sql's conversions); sqlRows are pooled with their cells.
type sqlRows struct {
	rows  *sql.Rows
	cols  []*Column // the columns read, when the caller said (see setColumns)
	cells []scanCell
	ptrs  []any
	vals  []any // the caller's buffer of values (see buffer)
}

var sqlRowsPool = sync.Pool{New: func() any { return new(sqlRows) }}

// scanCell keeps the value of one column of the current row, as
// database/sql scans it into *any: []byte is copied (the driver reuses its
// buffer), except in a column of a string property, which gets the string
// the dialect would make of the bytes (see CommonFromDB) without the
// intermediate copy.
type scanCell struct {
	v   any
	str bool
}

// Scan implements sql.Scanner.
func (c *scanCell) Scan(src any) error {
	if b, ok := src.([]byte); ok {
		if c.str {
			c.v = string(b)
		} else {
			c.v = bytes.Clone(b)
		}
		return nil
	}
	c.v = src
	return nil
}

// setColumns tells rows of which columns the values it reads are.
func setColumns(rows NativeRows, cols []*Column) {
	if r, ok := rows.(*sqlRows); ok {
		r.cols = cols
		r.ptrs = r.ptrs[:0] // cells are set up again for cols
	}
}

// buffer returns a slice of n values for rows' caller to read rows into,
// reused from query to query when rows are pooled.
func buffer(rows NativeRows, n int) []any {
	if r, ok := rows.(*sqlRows); ok {
		if cap(r.vals) < n {
			r.vals = make([]any, n)
		}
		r.vals = r.vals[:n]
		return r.vals
	}
	return make([]any, n)
}

func (r *sqlRows) Next() bool { return r.rows.Next() }

func (r *sqlRows) Values(dest []any) error {
	if len(r.ptrs) != len(dest) {
		if cap(r.cells) < len(dest) {
			r.cells = make([]scanCell, len(dest))
			r.ptrs = make([]any, 0, len(dest))
		}
		r.cells = r.cells[:len(dest)]
		r.ptrs = r.ptrs[:0]
		for i := range r.cells {
			r.cells[i] = scanCell{str: len(r.cols) == len(dest) && r.cols[i].Kind == KindString}
			r.ptrs = append(r.ptrs, &r.cells[i])
		}
	}
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return err
	}
	for i := range dest {
		dest[i] = r.cells[i].v
		r.cells[i].v = nil
	}
	return nil
}

// release returns r to the pool, without references to the values read.
func (r *sqlRows) release() {
	r.rows, r.cols = nil, nil
	clear(r.vals)
	for i := range r.cells {
		r.cells[i].v = nil
	}
	sqlRowsPool.Put(r)
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
	r := sqlRowsPool.Get().(*sqlRows)
	r.rows = rows
	r.ptrs = r.ptrs[:0]
	err = read(r)
	r.release()
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
