package sqlconn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Connector is a connector.Connector over a database/sql pool, shared by
// the SQLite, PostgreSQL and MySQL connectors, which supply the [Dialect].
// It also implements connector.Transactor, Migrator, Discoverer, Executor
// and Pinger.
//
// Calls outside a transaction run in autocommit mode. A Connector is safe
// for concurrent use.
type Connector struct {
	name   string
	d      Dialect
	db     *sql.DB
	tables sync.Map // *model.Definition → *Table
	// afterInsert runs after an insert that set an auto-increment id
	// explicitly (PostgreSQL moves its identity sequence past it).
	afterInsert func(ctx context.Context, q Querier, t *Table, id int64) error
	// native runs the statements outside transactions, or is nil.
	native Native
	// stmts caches prepared statements, or is nil.
	stmts       *stmtCache
	cacheWrites bool
	// maxWriters bounds the multi-row writes of one model running at once
	// outside transactions (0: no bound); writers holds a semaphore per
	// table.
	maxWriters int
	writers    sync.Map // *Table → chan struct{}
}

// Interface guards.
var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.Transactor = (*Connector)(nil)
	_ connector.Migrator   = (*Connector)(nil)
	_ connector.Discoverer = (*Connector)(nil)
	_ connector.Executor   = (*Connector)(nil)
	_ connector.Pinger     = (*Connector)(nil)
)

// Options are the optional parts of [New].
type Options struct {
	// AfterExplicitID runs, in the same transaction or connection, after
	// an insert that gave an auto-increment id explicitly; PostgreSQL uses
	// it to move the identity sequence past the id.
	AfterExplicitID func(ctx context.Context, q Querier, t *Table, id int64) error
	// CacheStatements is the number of prepared statements to keep (by
	// SQL text, least recently used out) for calls outside transactions;
	// 0 prepares nothing ahead (for drivers with a statement cache of their
	// own, such as pgx).
	CacheStatements int
	// CacheWrites also caches INSERT, UPDATE and DELETE statements.
	CacheWrites bool
	// Native, when set, runs find, count, create, update and delete
	// statements outside transactions on the driver's own interface
	// (see [Native]); the rest goes through database/sql.
	Native Native
	// MaxWriters bounds how many multi-row UpdateAll and DeleteAll
	// statements of one model run at the same time outside a transaction;
	// the others wait for a turn (or for their context to end) without
	// holding a connection, so that a hot model never takes the whole pool
	// from unrelated reads. 0 means half the pool's MaxOpenConns (at least
	// 1; no bound when the pool is unbounded); a negative value means no
	// bound. Writes of one row by id are not counted.
	MaxWriters int
}

// New returns a Connector that runs the statements of dialect d on db. name
// is the data source's name, used in error messages ("datasource db
// (postgresql) is unavailable"). The Connector owns db: Close closes it.
func New(name string, d Dialect, db *sql.DB, opts Options) *Connector {
	c := &Connector{name: name, d: d, db: db, afterInsert: opts.AfterExplicitID, maxWriters: opts.MaxWriters, native: opts.Native}
	if c.maxWriters == 0 {
		c.maxWriters = max(1, db.Stats().MaxOpenConnections/2)
		if db.Stats().MaxOpenConnections == 0 {
			c.maxWriters = 0
		}
	}
	if c.maxWriters < 0 {
		c.maxWriters = 0
	}
	if opts.CacheStatements > 0 {
		c.stmts = newStmtCache(opts.CacheStatements)
		c.cacheWrites = opts.CacheWrites
	}
	return c
}

// DB returns the underlying pool, for hand-written queries.
func (c *Connector) DB() *sql.DB { return c.db }

// Dialect returns the connector's dialect.
func (c *Connector) Dialect() Dialect { return c.d }

// Name returns the data source's name.
func (c *Connector) Name() string { return c.name }

// Close closes the cached statements and the pool.
func (c *Connector) Close() error {
	if c.stmts != nil {
		c.stmts.close()
	}
	return c.db.Close()
}

// Ping checks that the database answers; it returns a fault.Unavailable
// error when it does not.
func (c *Connector) Ping(ctx context.Context) error {
	if err := c.db.PingContext(ctx); err != nil {
		e := c.mapError("ping", nil, err)
		if fault.KindOf(e) != fault.Unavailable && !errors.Is(err, context.Canceled) {
			return &fault.Error{Kind: fault.Unavailable, Code: "DATASOURCE_UNAVAILABLE",
				Message: fmt.Sprintf("datasource %s (%s) is unavailable: %v", c.name, c.d.Name(), err), Err: err}
		}
		return e
	}
	return nil
}

// Table returns the table mapping of def, built once per definition.
func (c *Connector) Table(def *model.Definition) (*Table, error) {
	if t, ok := c.tables.Load(def); ok {
		return t.(*Table), nil
	}
	t, err := NewTable(c.d.Name(), def)
	if err != nil {
		return nil, err
	}
	actual, _ := c.tables.LoadOrStore(def, t)
	return actual.(*Table), nil
}

// tx is a transaction of a Connector.
type tx struct {
	c    *Connector
	tx   *sql.Tx
	mu   sync.Mutex
	done bool
}

func (t *tx) finish(commit bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return connector.ErrTxDone
	}
	t.done = true
	var err error
	if commit {
		err = t.tx.Commit()
	} else {
		err = t.tx.Rollback()
	}
	if errors.Is(err, sql.ErrTxDone) {
		return connector.ErrTxDone
	}
	if err != nil {
		return t.c.mapError("commit", nil, err)
	}
	return nil
}

// Commit commits the transaction.
func (t *tx) Commit(context.Context) error { return t.finish(true) }

// Rollback rolls the transaction back.
func (t *tx) Rollback(context.Context) error { return t.finish(false) }

// Begin starts a transaction with the isolation level of opts (SQLite runs
// every transaction serializable). Attach it to a context with
// connector.WithTx.
func (c *Connector) Begin(ctx context.Context, opts connector.TxOptions) (connector.Tx, error) {
	so := &sql.TxOptions{ReadOnly: opts.ReadOnly}
	switch opts.Isolation {
	case connector.ReadUncommitted:
		so.Isolation = sql.LevelReadUncommitted
	case connector.ReadCommitted:
		so.Isolation = sql.LevelReadCommitted
	case connector.RepeatableRead:
		so.Isolation = sql.LevelRepeatableRead
	case connector.Serializable:
		so.Isolation = sql.LevelSerializable
	}
	st, err := c.db.BeginTx(ctx, c.d.TxOptions(so))
	if err != nil {
		return nil, c.mapError("begin transaction", nil, err)
	}
	return &tx{c: c, tx: st}, nil
}

// conn returns what runs statements for ctx: the transaction it carries
// when it is one of c's, otherwise the pool.
func (c *Connector) conn(ctx context.Context) (Querier, *tx, error) {
	if t, ok := connector.TxFrom(ctx).(*tx); ok && t.c == c {
		t.mu.Lock()
		done := t.done
		t.mu.Unlock()
		if done {
			return nil, nil, connector.ErrTxDone
		}
		return t.tx, t, nil
	}
	return c.db, nil, nil
}

// MaxAttempts is how many times a statement run outside a transaction is
// tried when it fails with a deadlock or a serialization failure (the
// failed statement changed nothing). The pause before attempt n+1 is
// random, up to 10ms·2ⁿ⁻¹ (full jitter), so at most about 150ms in all.
const MaxAttempts = 5

// retry runs fn, and outside a transaction runs it again, up to
// MaxAttempts times in all, when it fails with a deadlock or a
// serialization failure.
func (c *Connector) retry(ctx context.Context, t *tx, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || t != nil || attempt == MaxAttempts {
			return err
		}
		if cl, ok := c.d.ClassifyError(err); !ok || !cl.Retry {
			return err
		}
		pause := time.Duration(rand.Int64N(int64(10*time.Millisecond) << (attempt - 1)))
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return err
		case <-timer.C:
		}
	}
}

// writeTurn waits for a turn to run a multi-row write of t (see
// Options.MaxWriters) and returns the function that ends it.
func (c *Connector) writeTurn(ctx context.Context, t *Table) (func(), error) {
	if c.maxWriters == 0 {
		return func() {}, nil
	}
	s, ok := c.writers.Load(t)
	if !ok {
		s, _ = c.writers.LoadOrStore(t, make(chan struct{}, c.maxWriters))
	}
	sem := s.(chan struct{})
	select {
	case sem <- struct{}{}: // a free turn: take it
		return func() { <-sem }, nil
	default:
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fail maps a database error and, inside a transaction, rolls the
// transaction back: a failed call never leaves half of a transaction's work
// to be committed.
func (c *Connector) fail(t *tx, step string, tb *Table, err error) error {
	return c.failQuery(t, step, tb, nil, false, err)
}

// failQuery is fail for the statement q; read says q only reads.
func (c *Connector) failQuery(t *tx, step string, tb *Table, q *Query, read bool, err error) error {
	if t != nil && !errors.Is(err, connector.ErrTxDone) {
		_ = t.finish(false)
	}
	return c.mapStatementError(step, tb, q, read, err)
}

// Create inserts rec and returns the stored instance with its generated id.
func (c *Connector) Create(ctx context.Context, def *model.Definition, rec connector.Record) (connector.Record, error) {
	t, err := c.Table(def)
	if err != nil {
		return nil, err
	}
	q, tx, err := c.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", def.Name, err)
	}
	// in is rec with the values the connector generates; rec itself when
	// there are none to add (Insert only reads it).
	in := map[string]any(rec)
	copied := false
	for _, col := range t.Columns {
		v, ok := in[col.Prop.Name]
		var gen any
		if (!ok || v == nil) && col.UUID {
			gen = uuid.NewString()
		} else if !ok && col.Kind == KindTime && col.Prop.DefaultFn == "now" {
			gen = time.Now().UTC()
		} else {
			continue
		}
		if !copied {
			in = make(map[string]any, len(rec)+1)
			for k, v := range rec {
				in[k] = v
			}
			copied = true
		}
		in[col.Prop.Name] = gen
	}
	query, err := Insert(c.d, t, in, true)
	if err != nil {
		return nil, err
	}
	fail := func(err error) error { return c.fail(tx, "create "+def.Name, t, err) }
	// The result has the shape a read gives: a property with no value is
	// left out, or null when it is nullable.
	out := make(connector.Record, len(t.Columns))
	for _, col := range t.Columns {
		if v, ok := in[col.Prop.Name]; ok && v != nil {
			out[col.Prop.Name] = v
		} else if col.Prop.Nullable {
			out[col.Prop.Name] = nil
		}
	}
	if query.Columns != nil {
		// One row comes back; closing without stepping further (as
		// QueryRow does) lets SQLite finish the insert sooner.
		err := c.retry(ctx, tx, func() error {
			return c.query(ctx, q, true, query.SQL, query.Args, func(rows NativeRows) error {
				return c.scanOne(rows, t, query.Columns, out)
			})
		})
		if err != nil {
			return nil, fail(err)
		}
	} else {
		var res sql.Result
		err := c.retry(ctx, tx, func() (err error) {
			res, err = c.execContext(ctx, q, query.SQL, query.Args...)
			return err
		})
		if err != nil {
			return nil, fail(err)
		}
		if len(t.ID) == 1 && t.ID[0].AutoIncrement {
			if v, ok := in[t.ID[0].Prop.Name]; !ok || v == nil {
				id, err := res.LastInsertId()
				if err != nil {
					return nil, fail(err)
				}
				out[t.ID[0].Prop.Name] = id
			}
		}
	}
	if c.afterInsert != nil && len(t.ID) == 1 && t.ID[0].AutoIncrement {
		if v, ok := in[t.ID[0].Prop.Name]; ok && v != nil {
			id, err := AsInt64(v)
			if err == nil {
				if err := c.afterInsert(ctx, q, t, id); err != nil {
					return nil, fail(err)
				}
			}
		}
	}
	return out, nil
}

// withIDOrder appends the id columns to order (tie breaker).
func withIDOrder(t *Table, order []filter.Order) []filter.Order {
	if len(order) == 0 {
		return nil
	}
	out := order
	copied := false
	for _, id := range t.ID {
		found := false
		for _, o := range order {
			if o.Property == id.Prop.Name {
				found = true
				break
			}
		}
		if !found {
			if !copied {
				out = append([]filter.Order(nil), order...)
				copied = true
			}
			out = append(out, filter.Order{Property: id.Prop.Name})
		}
	}
	return out
}

// Find returns the instances that match f.
func (c *Connector) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	t, err := c.Table(def)
	if err != nil {
		return nil, err
	}
	q, tx, err := c.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", def.Name, err)
	}
	if f != nil && len(f.Order) > 0 {
		cp := *f
		cp.Order = withIDOrder(t, f.Order)
		f = &cp
	}
	query, err := Select(c.d, t, f)
	if err != nil {
		return nil, err
	}
	var recs []connector.Record
	err = c.query(ctx, q, false, query.SQL, query.Args, func(rows NativeRows) (err error) {
		recs, err = c.scan(rows, t, query.Columns, query.Empty, f)
		return err
	})
	if err != nil {
		return nil, c.failQuery(tx, "find "+def.Name, t, query, true, err)
	}
	return recs, nil
}

// scan reads rows of cols into records.
func (c *Connector) scan(rows NativeRows, t *Table, cols []*Column, empty bool, f *filter.Filter) ([]connector.Record, error) {
	setColumns(rows, cols)
	vals := buffer(rows, len(cols))
	// Room for a page of records up front: growing the slice from one
	// record costs an allocation at 1, 2, 4, 8 and 16 records.
	n := 16
	if f != nil && f.Limit > 0 {
		n = min(f.Limit, 100)
	}
	out := make([]connector.Record, 0, n)
	for rows.Next() {
		if err := rows.Values(vals); err != nil {
			return nil, err
		}
		rec := make(connector.Record, len(cols))
		if !empty {
			if err := c.decodeRow(t, cols, vals, rec, true); err != nil {
				return nil, err
			}
		}
		out = append(out, rec)
	}
	return out, nil
}

// errNoRow is the error of a statement that returned no row where one was
// expected; it is returned only when reading the rows found no error.
var errNoRow = sql.ErrNoRows

// scanOne reads the first row of rows into rec; it fails with
// sql.ErrNoRows when there is none.
func (c *Connector) scanOne(rows NativeRows, t *Table, cols []*Column, rec connector.Record) error {
	if !rows.Next() {
		return errNoRow
	}
	setColumns(rows, cols)
	vals := buffer(rows, len(cols))
	if err := rows.Values(vals); err != nil {
		return err
	}
	return c.decodeRow(t, cols, vals, rec, false)
}

// decodeRow converts the scanned values of cols into rec. A NULL column is
// a property with no value: left out of rec, unless the property is
// nullable, which answers null (see [model.Property.Nullable]); so a
// record read back has the shape it has on every other connector. fresh
// says rec is empty (nothing to delete).
func (c *Connector) decodeRow(t *Table, cols []*Column, vals []any, rec connector.Record, fresh bool) error {
	for i, col := range cols {
		v := vals[i]
		if v == nil {
			if col.Prop.Nullable {
				rec[col.Prop.Name] = nil
			} else if !fresh {
				delete(rec, col.Prop.Name)
			}
			continue
		}
		cv, err := c.d.FromDB(col, v)
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", t.Def.Name, col.Prop.Name, err)
		}
		rec[col.Prop.Name] = cv
	}
	return nil
}

// Count returns the number of instances that match w.
func (c *Connector) Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	t, err := c.Table(def)
	if err != nil {
		return 0, err
	}
	q, tx, err := c.conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", def.Name, err)
	}
	query, err := Count(c.d, t, w)
	if err != nil {
		return 0, err
	}
	n, err := c.count(ctx, q, query)
	if err != nil {
		return 0, c.failQuery(tx, "count "+def.Name, t, query, true, err)
	}
	return n, nil
}

func (c *Connector) count(ctx context.Context, q Querier, query *Query) (int64, error) {
	var n int64
	err := c.query(ctx, q, false, query.SQL, query.Args, func(rows NativeRows) error {
		if !rows.Next() {
			return errNoRow
		}
		v := make([]any, 1)
		if err := rows.Values(v); err != nil {
			return err
		}
		var err error
		n, err = AsInt64(v[0])
		return err
	})
	return n, err
}

// UpdateAll sets data on every instance that matches w and returns how many
// matched.
func (c *Connector) UpdateAll(ctx context.Context, def *model.Definition, w *filter.Where, data connector.Record) (int64, error) {
	t, err := c.Table(def)
	if err != nil {
		return 0, err
	}
	q, tx, err := c.conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("update %s: %w", def.Name, err)
	}
	query, err := Update(c.d, t, w, data)
	if err != nil {
		return 0, err
	}
	if query == nil { // nothing to set: report how many match
		return c.Count(ctx, def, w)
	}
	return c.execCount(ctx, q, tx, "update "+def.Name, t, query, !singleRow(t, w))
}

// DeleteAll deletes the instances that match w and returns how many.
func (c *Connector) DeleteAll(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	t, err := c.Table(def)
	if err != nil {
		return 0, err
	}
	q, tx, err := c.conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete %s: %w", def.Name, err)
	}
	query, err := Delete(c.d, t, w)
	if err != nil {
		return 0, err
	}
	return c.execCount(ctx, q, tx, "delete "+def.Name, t, query, !singleRow(t, w))
}

// execCount runs an UPDATE or DELETE (again after a deadlock, outside a
// transaction) and returns how many rows it matched; bulk says it may
// change many rows, and then waits for a turn outside a transaction.
func (c *Connector) execCount(ctx context.Context, q Querier, tx *tx, step string, t *Table, query *Query, bulk bool) (int64, error) {
	if bulk && tx == nil {
		done, err := c.writeTurn(ctx, t)
		if err != nil {
			return 0, c.mapError(step, t, err)
		}
		defer done()
	}
	var n int64
	err := c.retry(ctx, tx, func() (err error) {
		n, err = c.exec(ctx, q, query.SQL, query.Args)
		return err
	})
	if err != nil {
		return 0, c.failQuery(tx, step, t, query, false, err)
	}
	return n, nil
}

// idWhere returns the where clause selecting the instance with id.
func idWhere(t *Table, id any) (*filter.Where, error) {
	switch len(t.ID) {
	case 0:
		return nil, fmt.Errorf("model %s has no id property", t.Def.Name)
	case 1:
		return &filter.Where{Conds: []filter.Cond{{Path: t.ID[0].Prop.Name, Op: filter.Eq, Value: id}}}, nil
	}
	m, ok := id.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("model %s has a composite id: pass a map of its id properties", t.Def.Name)
	}
	w := &filter.Where{}
	for _, col := range t.ID {
		w.Conds = append(w.Conds, filter.Cond{Path: col.Prop.Name, Op: filter.Eq, Value: m[col.Prop.Name]})
	}
	return w, nil
}

// ReplaceByID replaces every property of the instance with id by those of
// rec; absent properties become null.
func (c *Connector) ReplaceByID(ctx context.Context, def *model.Definition, id any, rec connector.Record) error {
	t, err := c.Table(def)
	if err != nil {
		return err
	}
	w, err := idWhere(t, id)
	if err != nil {
		return err
	}
	data := make(map[string]any, len(t.Columns))
	for _, col := range t.Columns {
		if col.Prop.ID > 0 {
			continue
		}
		data[col.Prop.Name] = rec[col.Prop.Name]
	}
	var n int64
	if len(data) == 0 {
		n, err = c.Count(ctx, def, w)
	} else {
		n, err = c.UpdateAll(ctx, def, w, data)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return connector.NotFoundError(def, id)
	}
	return nil
}

// Execute runs a native SQL statement with bound parameters. Statements
// that return rows (SELECT, WITH, VALUES, SHOW, PRAGMA, EXPLAIN, or any
// with RETURNING) fill Result.Rows with records keyed by column name.
func (c *Connector) Execute(ctx context.Context, command string, args ...any) (*connector.Result, error) {
	q, tx, err := c.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("execute: %w", err)
	}
	c.observe(ctx, command)
	if returnsRows(command) {
		rows, err := q.QueryContext(ctx, command, args...)
		if err != nil {
			return nil, c.fail(tx, "execute", nil, err)
		}
		defer rows.Close()
		names, err := rows.Columns()
		if err != nil {
			return nil, c.fail(tx, "execute", nil, err)
		}
		binary := make([]bool, len(names))
		if types, err := rows.ColumnTypes(); err == nil {
			for i, ct := range types {
				n := strings.ToUpper(ct.DatabaseTypeName())
				binary[i] = strings.Contains(n, "BLOB") || strings.Contains(n, "BINARY") || n == "BYTEA"
			}
		}
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		res := &connector.Result{Rows: []connector.Record{}}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return nil, c.fail(tx, "execute", nil, err)
			}
			rec := make(connector.Record, len(names))
			for i, n := range names {
				v := boundaryValue(vals[i])
				if b, ok := v.([]byte); ok && !binary[i] {
					v = string(b)
				}
				rec[n] = v
			}
			res.Rows = append(res.Rows, rec)
		}
		if err := rows.Err(); err != nil {
			return nil, c.fail(tx, "execute", nil, err)
		}
		return res, nil
	}
	r, err := q.ExecContext(ctx, command, args...)
	if err != nil {
		return nil, c.fail(tx, "execute", nil, err)
	}
	res := &connector.Result{}
	res.RowsAffected, _ = r.RowsAffected()
	if id, err := r.LastInsertId(); err == nil && id != 0 {
		res.LastInsertID = id
	}
	return res, nil
}

// boundaryValue converts a driver value to a connector.Record value.
func boundaryValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return append([]byte(nil), x...)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

func returnsRows(command string) bool {
	s := strings.TrimLeft(command, " \t\r\n(")
	i := strings.IndexAny(s, " \t\r\n(")
	if i < 0 {
		i = len(s)
	}
	switch strings.ToUpper(s[:i]) {
	case "SELECT", "WITH", "VALUES", "SHOW", "PRAGMA", "EXPLAIN", "DESCRIBE", "DESC", "TABLE":
		return true
	}
	return strings.Contains(strings.ToUpper(command), "RETURNING")
}
