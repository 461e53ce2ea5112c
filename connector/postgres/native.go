package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/loopback-go/lb/connector/sqlconn"
)

// native runs the connector's statements outside transactions on pgx's
// own connection (reached through database/sql's Conn.Raw, so that one
// pool with its settings serves both paths), in pgx's default
// QueryExecModeCacheStatement: each connection prepares a statement once
// and keeps it in its statement cache.
type native struct{ db *sql.DB }

var _ sqlconn.Native = native{}

// with runs fn on the pgx connection of a pooled connection.
func (n native) with(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := n.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgres: unexpected driver connection %T", dc)
		}
		return fn(sc.Conn())
	})
}

// Query runs query natively; see sqlconn.Native.
func (n native) Query(ctx context.Context, query string, args []any, read func(sqlconn.NativeRows) error) error {
	return n.with(ctx, func(pc *pgx.Conn) error {
		rows, err := pc.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		r := rowsPool.Get().(*nativeRows)
		r.rows, r.m = rows, pc.TypeMap()
		err = read(r)
		rows.Close()
		r.rows, r.m, r.planned = nil, nil, false
		rowsPool.Put(r)
		if rerr := rows.Err(); rerr != nil {
			return rerr
		}
		return err
	})
}

// Exec runs query natively; see sqlconn.Native.
func (n native) Exec(ctx context.Context, query string, args []any) (int64, error) {
	var affected int64
	err := n.with(ctx, func(pc *pgx.Conn) error {
		tag, err := pc.Exec(ctx, query, args...)
		affected = tag.RowsAffected()
		return err
	})
	return affected, err
}

// nativeRows decodes pgx rows into the values database/sql would give
// through pgx's stdlib driver (see stdlib.Rows): the same Go type for each
// column type, so that both paths read the same records. Each column is
// scanned into a typed field of its cell, reused from row to row.
type nativeRows struct {
	rows    pgx.Rows
	m       *pgtype.Map
	cells   []cell
	planned bool // cells are planned for rows
}

// rowsPool keeps nativeRows with their cells and scan plans, which are
// reused when the next query's columns have the same types and formats:
// every connection of the pool has the same type map (the connector
// registers no types of its own), so a plan made on one serves them all.
var rowsPool = sync.Pool{New: func() any { return &nativeRows{} }}

// cell is the destination of one column.
type cell struct {
	oid    uint32
	format int16
	plan   pgtype.ScanPlan
	b      bool
	i2     int16
	i4     int32
	i8     int64
	f4     float32
	f8     float64
	bs     []byte
	s      string
	u4     pgtype.Uint32
	date   pgtype.Date
	ts     pgtype.Timestamp
	tz     pgtype.Timestamptz
}

// dest returns the typed destination of c's column type.
func (c *cell) dest() any {
	switch c.oid {
	case pgtype.BoolOID:
		return &c.b
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		return &c.bs
	case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
		return &c.u4
	case pgtype.DateOID:
		return &c.date
	case pgtype.Float4OID:
		return &c.f4
	case pgtype.Float8OID:
		return &c.f8
	case pgtype.Int2OID:
		return &c.i2
	case pgtype.Int4OID:
		return &c.i4
	case pgtype.Int8OID:
		return &c.i8
	case pgtype.TimestampOID:
		return &c.ts
	case pgtype.TimestamptzOID:
		return &c.tz
	}
	return &c.s
}

// value scans src and returns the value of the column.
func (c *cell) value(src []byte) (any, error) {
	d := c.dest()
	if err := c.plan.Scan(src, d); err != nil {
		return nil, err
	}
	switch c.oid {
	case pgtype.BoolOID:
		return c.b, nil
	case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
		b := c.bs
		c.bs = nil // the next row gets its own slice
		return b, nil
	case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
		return c.u4.Value()
	case pgtype.DateOID:
		return c.date.Value()
	case pgtype.Float4OID:
		return float64(c.f4), nil
	case pgtype.Float8OID:
		return c.f8, nil
	case pgtype.Int2OID:
		return int64(c.i2), nil
	case pgtype.Int4OID:
		return int64(c.i4), nil
	case pgtype.Int8OID:
		return c.i8, nil
	case pgtype.TimestampOID:
		return c.ts.Value()
	case pgtype.TimestamptzOID:
		return c.tz.Value()
	}
	return c.s, nil
}

func (r *nativeRows) Next() bool { return r.rows.Next() }

func (r *nativeRows) Values(dest []any) error {
	if !r.planned {
		fds := r.rows.FieldDescriptions()
		if cap(r.cells) < len(fds) {
			r.cells = make([]cell, len(fds))
		}
		r.cells = r.cells[:len(fds)]
		for i, fd := range fds {
			c := &r.cells[i]
			c.bs = nil
			if c.plan == nil || c.oid != fd.DataTypeOID || c.format != fd.Format {
				c.oid, c.format = fd.DataTypeOID, fd.Format
				c.plan = r.m.PlanScan(fd.DataTypeOID, fd.Format, c.dest())
			}
		}
		r.planned = true
	}
	raw := r.rows.RawValues()
	if len(raw) != len(dest) {
		return fmt.Errorf("postgres: %d columns; want %d", len(raw), len(dest))
	}
	for i, src := range raw {
		if src == nil {
			dest[i] = nil
			continue
		}
		v, err := r.cells[i].value(src)
		if err != nil {
			return fmt.Errorf("convert field %d failed: %w", i, err)
		}
		dest[i] = v
	}
	return nil
}
