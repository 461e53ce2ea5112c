package memory

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Config configures a memory connector. The zero value is a pure in-memory
// store.
type Config struct {
	// File is the path of a data file in LoopBack's db.json format. When
	// set, New loads it if it exists, and every acknowledged write is on
	// disk before the call that made it returns. Empty means no file.
	File string
	// Now returns the current time, used for key-value expiry; nil means
	// time.Now.
	Now func() time.Time
}

// Connector is the memory connector: every model's instances in maps,
// optionally persisted to a file. It implements [connector.Connector],
// [connector.Transactor], [connector.Migrator], [connector.Discoverer],
// [connector.Executor] (a few administrative commands), [connector.KeyValue]
// and [connector.Pinger], and is safe for concurrent use.
type Connector struct {
	now   func() time.Time
	gate  chan struct{}                 // held by the open transaction, if any
	txEnd atomic.Pointer[chan struct{}] // closed when the open transaction ends

	mu      sync.RWMutex
	tables  map[string]*table
	kv      map[string]map[string]*kvEntry
	kvOps   int
	version uint64 // incremented by every change
	closed  bool

	p *persister // nil without a file
}

var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.Transactor = (*Connector)(nil)
	_ connector.Migrator   = (*Connector)(nil)
	_ connector.Discoverer = (*Connector)(nil)
	_ connector.Executor   = (*Connector)(nil)
	_ connector.KeyValue   = (*Connector)(nil)
	_ connector.Pinger     = (*Connector)(nil)
)

// errClosed is returned by every method after Close.
var errClosed = fault.Wrap(fault.Unavailable, errors.New("memory: connector is closed"))

// New returns a memory connector. With cfg.File set it loads the file when
// it exists (a file that does not parse is an error: it is never
// overwritten) and creates it, and its directory, otherwise.
func New(cfg Config) (*Connector, error) {
	c := &Connector{
		now:    cfg.Now,
		gate:   make(chan struct{}, 1),
		tables: make(map[string]*table),
		kv:     make(map[string]map[string]*kvEntry),
	}
	if c.now == nil {
		c.now = time.Now
	}
	if cfg.File != "" {
		if err := os.MkdirAll(filepath.Dir(cfg.File), 0o755); err != nil {
			return nil, fmt.Errorf("memory: %w", err)
		}
		tables, err := loadFile(cfg.File)
		if err != nil {
			return nil, err
		}
		c.tables = tables
		c.p = newPersister(cfg.File)
	}
	return c, nil
}

// lockMode says what acquire took.
type lockMode uint8

const (
	lockRead lockMode = iota
	lockWrite
	lockTx
)

// acquire locks the store for one call: inside the caller's transaction
// when ctx carries one of ours, otherwise with the read or write lock.
func (c *Connector) acquire(ctx context.Context, write bool) (lockMode, *memTx, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	if tx, ok := connector.TxFrom(ctx).(*memTx); ok && tx.c == c {
		tx.mu.Lock()
		if tx.done {
			tx.mu.Unlock()
			return 0, nil, connector.ErrTxDone
		}
		if write && tx.readOnly {
			tx.mu.Unlock()
			return 0, nil, errors.New("memory: write in a read-only transaction")
		}
		return lockTx, tx, nil
	}
	if err := c.lock(ctx, write); err != nil {
		return 0, nil, err
	}
	if c.closed {
		c.unlock(write)
		return 0, nil, errClosed
	}
	if write {
		return lockWrite, nil, nil
	}
	return lockRead, nil, nil
}

// lock takes the read or write lock. While a transaction holds the store
// it waits for the transaction to end or ctx to be done, so that a call
// made outside an open transaction fails with ctx's error instead of
// hanging forever.
func (c *Connector) lock(ctx context.Context, write bool) error {
	for {
		if write && c.mu.TryLock() || !write && c.mu.TryRLock() {
			return nil
		}
		if end := c.txEnd.Load(); end != nil {
			select {
			case <-*end:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		// Held by a plain call: those are short.
		if write {
			c.mu.Lock()
		} else {
			c.mu.RLock()
		}
		return nil
	}
}

func (c *Connector) unlock(write bool) {
	if write {
		c.mu.Unlock()
	} else {
		c.mu.RUnlock()
	}
}

// release undoes acquire and returns the store version to make durable
// (0 when there is nothing to wait for).
func (c *Connector) release(mode lockMode, tx *memTx) uint64 {
	switch mode {
	case lockTx:
		tx.mu.Unlock()
	case lockWrite:
		v := c.version
		c.mu.Unlock()
		return v
	default:
		c.mu.RUnlock()
	}
	return 0
}

// write runs fn with the write lock (or inside ctx's transaction) and,
// when fn changed the store outside a transaction, waits until the change
// is on disk.
func (c *Connector) write(ctx context.Context, fn func(tx *memTx) error) error {
	mode, tx, err := c.acquire(ctx, true)
	if err != nil {
		return err
	}
	before := c.version
	err = fn(tx)
	changed := c.version != before
	v := c.release(mode, tx)
	if changed && mode == lockWrite {
		if perr := c.persist(v); err == nil {
			err = perr
		}
	}
	return err
}

// tableFor returns the table of def, creating it when create is set (which
// needs the write lock); it is nil when the model has no table yet.
func (c *Connector) tableFor(def *model.Definition, create bool) *table {
	t := c.tables[def.Name]
	if t == nil {
		if !create {
			return nil
		}
		t = newTable(def.Name)
		c.tables[def.Name] = t
	}
	t.adopt(def)
	return t
}

// put stores rec under key, recording the previous row for rollback.
func (c *Connector) put(tx *memTx, t *table, key any, rec connector.Record) {
	prev, existed := t.rows[key]
	if tx != nil {
		tx.undo = append(tx.undo, undoEntry{t: t, key: key, prev: prev, existed: existed})
	}
	t.rows[key] = rec
	delete(t.enc, key)
	if !existed {
		t.insertKey(key)
	}
	c.version++
}

// del removes the row under key, recording it for rollback.
func (c *Connector) del(tx *memTx, t *table, key any) {
	prev, existed := t.rows[key]
	if !existed {
		return
	}
	if tx != nil {
		tx.undo = append(tx.undo, undoEntry{t: t, key: key, prev: prev, existed: true})
	}
	delete(t.rows, key)
	delete(t.enc, key)
	t.removeKey(key)
	c.version++
}

// delMany removes the rows under keys, recording them for rollback, and
// rebuilds the key list once (deleting one by one is quadratic).
func (c *Connector) delMany(tx *memTx, t *table, keys []any) {
	if len(keys) < 8 {
		for _, k := range keys {
			c.del(tx, t, k)
		}
		return
	}
	for _, k := range keys {
		prev, existed := t.rows[k]
		if !existed {
			continue
		}
		if tx != nil {
			tx.undo = append(tx.undo, undoEntry{t: t, key: k, prev: prev, existed: true})
		}
		delete(t.rows, k)
		delete(t.enc, k)
		c.version++
	}
	t.keys = slices.DeleteFunc(t.keys, func(k any) bool {
		_, ok := t.rows[k]
		return !ok
	})
}

// setNext moves the auto-increment counter, recording it for rollback.
func (c *Connector) setNext(tx *memTx, t *table, next int64) {
	if tx != nil {
		tx.undo = append(tx.undo, undoEntry{t: t, next: t.next, isNext: true})
	}
	t.next = next
	c.version++
}

// Create inserts rec. A missing id is generated: the next number of the
// model's counter for numeric ids, a uuid for string ids. An explicit
// numeric id moves the counter past it. A duplicate id is a fault.Conflict.
func (c *Connector) Create(ctx context.Context, def *model.Definition, rec connector.Record) (connector.Record, error) {
	return c.createCall(ctx, def, rec, false)
}

// CreateOwned is [Connector.Create] for a caller that hands rec over: the
// store keeps rec itself as the new instance instead of a copy of it (the
// values it holds are still copied where they could be shared: nested
// objects, arrays, buffers). The caller must neither use nor modify rec
// afterwards, whether the call succeeds or not.
func (c *Connector) CreateOwned(ctx context.Context, def *model.Definition, rec connector.Record) (connector.Record, error) {
	return c.createCall(ctx, def, rec, true)
}

// CreateShared is [Connector.CreateOwned] for a caller that only reads the
// result: it returns the stored instance itself rather than a copy of it.
// The caller must not modify it or any value it holds (stored instances
// are never modified in place, as for [Connector.FindShared]).
func (c *Connector) CreateShared(ctx context.Context, def *model.Definition, rec connector.Record) (connector.Record, error) {
	var out connector.Record
	err := c.write(ctx, func(tx *memTx) (err error) {
		out, err = c.create(tx, def, rec, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *Connector) createCall(ctx context.Context, def *model.Definition, rec connector.Record, owned bool) (connector.Record, error) {
	var out connector.Record
	err := c.write(ctx, func(tx *memTx) (err error) {
		out, err = c.create(tx, def, rec, owned)
		if err == nil {
			out = cloneMap(out)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *Connector) create(tx *memTx, def *model.Definition, rec connector.Record, owned bool) (connector.Record, error) {
	t := c.tableFor(def, true)
	var row connector.Record
	if owned && rec != nil {
		row = rec
		for k, v := range row {
			switch v.(type) {
			case map[string]any, []any, []byte, int:
				row[k] = cloneValue(v)
			}
		}
	} else {
		row = cloneMap(rec)
	}
	if row == nil {
		row = make(connector.Record)
	}
	if len(t.ids) <= 1 {
		name := t.idName()
		if row[name] == nil {
			var p *model.Property
			if len(t.ids) == 1 {
				p = t.ids[0]
			}
			switch {
			case p != nil && (p.Type == model.String || isUUIDFn(p.DefaultFn)):
				row[name] = uuid.NewString()
			case p != nil && p.Type == model.Number && !p.Integer:
				row[name] = float64(t.next)
				c.setNext(tx, t, t.next+1)
			default:
				row[name] = t.next
				c.setNext(tx, t, t.next+1)
			}
		}
	}
	key, err := t.keyOf(row)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", def.Name, err)
	}
	if key == nil {
		return nil, fault.New(fault.BadRequest, "MISSING_ID", fmt.Sprintf("create %s: the id is required", def.Name))
	}
	if _, dup := t.rows[key]; dup {
		return nil, connector.DuplicateError(def, t.idName())
	}
	if err := t.checkUnique(def, map[any]connector.Record{key: row}); err != nil {
		return nil, err
	}
	if n, ok := key.(int64); ok && n >= t.next {
		c.setNext(tx, t, n+1)
	}
	c.put(tx, t, key, row)
	return row, nil
}

func isUUIDFn(fn string) bool {
	return fn == "uuid" || fn == "uuidv4" || fn == "guid"
}

// Find returns the matching instances; see [connector.Connector.Find].
// They are the caller's copies.
func (c *Connector) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	return c.find(ctx, def, f, false)
}

// FindShared is [Connector.Find] without the copies: unless f selects
// fields, the records returned are the stored instances themselves. The
// store never modifies an instance once stored (a write stores a new map),
// so they stay valid and unchanged after the call, but the caller must not
// modify them or any value they hold (nested objects, arrays, buffers).
// It serves read paths that only encode what they find.
func (c *Connector) FindShared(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	return c.find(ctx, def, f, true)
}

func (c *Connector) find(ctx context.Context, def *model.Definition, f *filter.Filter, shared bool) ([]connector.Record, error) {
	mode, tx, err := c.acquire(ctx, false)
	if err != nil {
		return nil, err
	}
	defer c.release(mode, tx)
	t := c.tableFor(def, false)
	if t == nil {
		return []connector.Record{}, nil
	}
	if f == nil {
		f = &filter.Filter{}
	}
	stop := 0
	if len(f.Order) == 0 && f.Limit > 0 {
		stop = f.Skip + f.Limit
	}
	rows, err := c.matching(t, f.Where, stop)
	if err != nil {
		return nil, err
	}
	if len(f.Order) > 0 {
		// Rows are in id order and the sort is stable: ties stay by id.
		filter.Sort(rows, f.Order, nil)
	}
	rows = filter.Page(rows, f.Limit, f.Skip)
	// rows is ours: replace the stored maps by the caller's copies in place,
	// only those that survived the where clause and the page.
	if !shared || !allFields(f.Fields) {
		for i, r := range rows {
			rows[i] = project(r, f.Fields)
		}
	}
	if rows == nil {
		rows = []connector.Record{}
	}
	return rows, nil
}

// matching returns the rows that match w in id order, at most stop of them
// when stop > 0. The rows are the stored maps: callers must not keep or
// modify them.
func (c *Connector) matching(t *table, w *filter.Where, stop int) ([]connector.Record, error) {
	if key, ok := t.idEq(w); ok {
		if r, ok := t.rows[key]; ok {
			return []connector.Record{r}, nil
		}
		return nil, nil
	}
	if keys, ok := t.idIn(w); ok {
		var rows []connector.Record
		for _, k := range keys {
			if r, ok := t.rows[k]; ok {
				rows = append(rows, r)
			}
		}
		return rows, nil
	}
	m, err := filter.Compile(w)
	if err != nil {
		return nil, fmt.Errorf("memory: where of %s: %w", t.name, err)
	}
	var rows []connector.Record
	for _, k := range t.keys {
		r := t.rows[k]
		if m.Match(r) {
			rows = append(rows, r)
			if stop > 0 && len(rows) == stop {
				break
			}
		}
	}
	return rows, nil
}

// idCond returns the only condition of a where clause on the id of a
// single-id model.
func (t *table) idCond(w *filter.Where) (filter.Cond, bool) {
	if w == nil || len(w.Conds) != 1 || len(w.And) != 0 || len(w.Or) != 0 || len(t.ids) > 1 {
		return filter.Cond{}, false
	}
	c := w.Conds[0]
	return c, c.Path == t.idName()
}

// idEq recognizes "id = v" and returns the key to look up.
func (t *table) idEq(w *filter.Where) (any, bool) {
	c, ok := t.idCond(w)
	if !ok || c.Op != filter.Eq {
		return nil, false
	}
	k, err := normalizeKey(c.Value)
	return k, err == nil && k != nil
}

// idIn recognizes "id in [...]" and returns the keys to look up, in order.
func (t *table) idIn(w *filter.Where) ([]any, bool) {
	c, ok := t.idCond(w)
	if !ok || c.Op != filter.Inq {
		return nil, false
	}
	list, ok := c.Value.([]any)
	if !ok {
		return nil, false
	}
	keys := make([]any, 0, len(list))
	for _, v := range list {
		k, err := normalizeKey(v)
		if err != nil || k == nil {
			return nil, false
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, keyCompare)
	return slices.Compact(keys), true
}

// allFields reports whether fields selects every property.
func allFields(fields *filter.Fields) bool {
	return fields == nil || (len(fields.Include) == 0 && len(fields.Exclude) == 0)
}

// project copies the selected properties of r.
func project(r connector.Record, fields *filter.Fields) connector.Record {
	if allFields(fields) {
		return cloneMap(r)
	}
	if len(fields.Include) > 0 {
		out := make(connector.Record, len(fields.Include))
		for _, name := range fields.Include {
			if v, ok := r[name]; ok {
				out[name] = cloneValue(v)
			}
		}
		return out
	}
	out := make(connector.Record, len(r))
	for k, v := range r {
		if !slices.Contains(fields.Exclude, k) {
			out[k] = cloneValue(v)
		}
	}
	return out
}

// Count returns the number of matching instances.
func (c *Connector) Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	mode, tx, err := c.acquire(ctx, false)
	if err != nil {
		return 0, err
	}
	defer c.release(mode, tx)
	t := c.tableFor(def, false)
	if t == nil {
		return 0, nil
	}
	if w == nil {
		return int64(len(t.rows)), nil
	}
	if _, ok := t.idEq(w); ok {
		rows, err := c.matching(t, w, 0)
		return int64(len(rows)), err
	}
	m, err := filter.Compile(w)
	if err != nil {
		return 0, fmt.Errorf("memory: where of %s: %w", t.name, err)
	}
	var n int64
	for _, r := range t.rows {
		if m.Match(r) {
			n++
		}
	}
	return n, nil
}

// UpdateAll sets data on every matching instance. Id properties in data are
// ignored.
func (c *Connector) UpdateAll(ctx context.Context, def *model.Definition, w *filter.Where, data connector.Record) (int64, error) {
	var n int64
	err := c.write(ctx, func(tx *memTx) (err error) {
		n, err = c.updateAll(tx, def, w, data)
		return err
	})
	return n, err
}

func (c *Connector) updateAll(tx *memTx, def *model.Definition, w *filter.Where, data connector.Record) (int64, error) {
	t := c.tableFor(def, false)
	if t == nil {
		return 0, nil
	}
	rows, err := c.matching(t, w, 0)
	if err != nil {
		return 0, err
	}
	updated := make(map[any]connector.Record, len(rows))
	keys := make([]any, 0, len(rows))
	for _, r := range rows {
		key, err := t.keyOf(r)
		if err != nil {
			return 0, err
		}
		row := cloneMap(r)
		for k, v := range data {
			if t.isID(k) {
				continue
			}
			row[k] = cloneValue(v)
		}
		updated[key] = row
		keys = append(keys, key)
	}
	// All or nothing: check every constraint before changing anything.
	if err := t.checkUnique(def, updated); err != nil {
		return 0, err
	}
	for _, key := range keys {
		c.put(tx, t, key, updated[key])
	}
	return int64(len(rows)), nil
}

func (t *table) isID(name string) bool {
	if len(t.ids) == 0 {
		return name == "id"
	}
	for _, p := range t.ids {
		if p.Name == name {
			return true
		}
	}
	return false
}

// DeleteAll deletes every matching instance.
func (c *Connector) DeleteAll(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	var n int64
	err := c.write(ctx, func(tx *memTx) (err error) {
		n, err = c.deleteAll(tx, def, w)
		return err
	})
	return n, err
}

func (c *Connector) deleteAll(tx *memTx, def *model.Definition, w *filter.Where) (int64, error) {
	t := c.tableFor(def, false)
	if t == nil {
		return 0, nil
	}
	rows, err := c.matching(t, w, 0)
	if err != nil {
		return 0, err
	}
	keys := make([]any, 0, len(rows))
	for _, r := range rows {
		key, err := t.keyOf(r)
		if err != nil {
			return 0, err
		}
		keys = append(keys, key)
	}
	c.delMany(tx, t, keys)
	return int64(len(keys)), nil
}

// ReplaceByID replaces the instance with id by rec.
func (c *Connector) ReplaceByID(ctx context.Context, def *model.Definition, id any, rec connector.Record) error {
	return c.write(ctx, func(tx *memTx) error {
		return c.replaceByID(tx, def, id, rec)
	})
}

func (c *Connector) replaceByID(tx *memTx, def *model.Definition, id any, rec connector.Record) error {
	t := c.tableFor(def, false)
	if t == nil {
		return connector.NotFoundError(def, id)
	}
	key, err := normalizeKey(id)
	if err != nil {
		return err
	}
	prev, ok := t.rows[key]
	if !ok || key == nil {
		return connector.NotFoundError(def, id)
	}
	row := cloneMap(rec)
	if row == nil {
		row = make(connector.Record)
	}
	if len(t.ids) <= 1 {
		row[t.idName()] = prev[t.idName()]
	} else {
		for _, p := range t.ids {
			row[p.Name] = prev[p.Name]
		}
	}
	if err := t.checkUnique(def, map[any]connector.Record{key: row}); err != nil {
		return err
	}
	c.put(tx, t, key, row)
	return nil
}

// Ping reports whether the connector is open.
func (c *Connector) Ping(ctx context.Context) error {
	mode, tx, err := c.acquire(ctx, false)
	if err != nil {
		return err
	}
	c.release(mode, tx)
	return nil
}

// Close waits until every acknowledged write is on disk and closes the
// connector; later calls fail with a fault.Unavailable error. Close is
// idempotent.
func (c *Connector) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	v := c.version
	c.mu.Unlock()
	err := c.persist(v)
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return err
}
