package memory

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	// disk before the call that made it returns; a write whose file write
	// fails is undone and fails with a fault.Unavailable error (see the
	// package documentation). Empty means no file.
	File string
	// Now returns the current time, used for key-value expiry; nil means
	// time.Now.
	Now func() time.Time
}

// Connector is the memory connector: every model's instances in memory as
// compact rows (see the package documentation), optionally persisted to a
// file. It implements [connector.Connector],
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
	pending []undoEntry // how to undo the changes not yet on disk (see durable.go)

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
		if err := removeStaleTemps(cfg.File); err != nil {
			return nil, err
		}
		tables, kv, err := loadFile(cfg.File, c.now())
		if err != nil {
			return nil, err
		}
		c.tables, c.kv = tables, kv
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

// release undoes acquire.
func (c *Connector) release(mode lockMode, tx *memTx) {
	switch mode {
	case lockTx:
		tx.mu.Unlock()
	case lockWrite:
		c.mu.Unlock()
	default:
		c.mu.RUnlock()
	}
}

// write runs fn with the write lock (or inside ctx's transaction) and,
// when fn changed the store outside a transaction, waits until the change
// is on disk; when the file write fails the change is undone and the
// error returned (see durable.go).
func (c *Connector) write(ctx context.Context, fn func(tx *memTx) error) error {
	mode, tx, err := c.acquire(ctx, true)
	if err != nil {
		return err
	}
	c.trimPending()
	start := len(c.pending)
	before := c.version
	err = fn(tx)
	var w *waiter
	if c.version != before && mode == lockWrite && c.p != nil {
		w = c.registerPending(start)
	}
	c.release(mode, tx)
	if w != nil {
		if perr := c.awaitWriter(w); err == nil {
			err = perr
		}
	}
	return err
}

// record keeps how to undo a change: in the transaction's log, or, outside
// a transaction, in the log of changes not yet on disk (when there is a
// file).
func (c *Connector) record(tx *memTx, u undoEntry) {
	switch {
	case tx != nil:
		tx.undo = append(tx.undo, u)
	case c.p != nil:
		c.pending = append(c.pending, u)
	}
}

// undo reverts the changes of log, last first. Rows removed and brought
// back are put back in batches (see rowIndex.restore). It runs with the
// write lock.
func (c *Connector) undo(log []undoEntry) {
	var (
		bt    *table
		bkeys []any
		brows []string
		bpos  map[any]int
	)
	flush := func() {
		if len(bkeys) > 0 {
			bt.idx.restore(bkeys, brows)
			bkeys, brows, bpos = bkeys[:0], brows[:0], nil
		}
		bt = nil
	}
	for i := len(log) - 1; i >= 0; i-- {
		u := log[i]
		if u.existed && !u.isTable && !u.isNext && !u.isKV {
			if bt != u.t {
				flush()
				bt = u.t
			}
			delete(u.t.enc, u.key)
			if j, ok := bpos[u.key]; ok {
				brows[j] = u.prev // an older state of a row brought back
				continue
			}
			if _, present := u.t.idx.get(u.key); present {
				u.t.idx.set(u.key, u.prev)
				continue
			}
			if bpos == nil {
				bpos = make(map[any]int)
			}
			bpos[u.key] = len(bkeys)
			bkeys = append(bkeys, u.key)
			brows = append(brows, u.prev)
			continue
		}
		flush()
		switch {
		case u.isTable:
			if u.prevTable == nil {
				delete(c.tables, u.name)
			} else {
				c.tables[u.name] = u.prevTable
			}
		case u.isNext:
			u.t.next = u.next
		case u.isKV:
			m := c.kvModel(u.kvModel)
			if u.kvPrev == nil {
				delete(m, u.kvKey)
			} else {
				m[u.kvKey] = u.kvPrev
			}
		default:
			u.t.idx.remove(u.key)
			delete(u.t.enc, u.key)
		}
	}
	flush()
}

// setTable makes t the table of its model (nil removes it), recording the
// previous one for rollback.
func (c *Connector) setTable(tx *memTx, name string, t *table) {
	c.record(tx, undoEntry{name: name, prevTable: c.tables[name], isTable: true})
	if t == nil {
		delete(c.tables, name)
	} else {
		c.tables[name] = t
	}
	c.version++
}

// tableFor returns the table of def, nil when the model has no table yet.
func (c *Connector) tableFor(def *model.Definition) *table {
	t := c.tables[def.Name]
	if t != nil {
		t.adopt(def)
	}
	return t
}

// createTable returns the table of def, creating it (and recording that
// for rollback) when the model has none. It needs the write lock.
func (c *Connector) createTable(tx *memTx, def *model.Definition) *table {
	if t := c.tableFor(def); t != nil {
		return t
	}
	t := newTable(def.Name)
	t.adopt(def)
	c.setTable(tx, def.Name, t)
	return t
}

// put stores row under key, recording the previous row for rollback.
func (c *Connector) put(tx *memTx, t *table, key any, row string) {
	prev, existed := t.idx.set(key, row)
	c.record(tx, undoEntry{t: t, key: key, prev: prev, existed: existed})
	delete(t.enc, key)
	c.version++
}

// delAt removes the rows at positions ps (ascending, as matching returns
// them), recording them for rollback, in one pass over the index
// (deleting one by one is quadratic).
func (c *Connector) delAt(tx *memTx, t *table, ps []int) {
	if len(ps) == 0 {
		return
	}
	for _, p := range ps {
		k := t.idx.keyAt(p)
		c.record(tx, undoEntry{t: t, key: k, prev: t.idx.rowAt(p), existed: true})
		delete(t.enc, k)
	}
	t.idx.removeAt(ps)
	c.version++
}

// delAll removes every row of t, recording them for rollback.
func (c *Connector) delAll(tx *memTx, t *table) {
	ps := make([]int, t.idx.len())
	for i := range ps {
		ps[i] = i
	}
	c.delAt(tx, t, ps)
}

// setNext moves the auto-increment counter, recording it for rollback.
func (c *Connector) setNext(tx *memTx, t *table, next int64) {
	c.record(tx, undoEntry{t: t, next: t.next, isNext: true})
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
// record returned is rec itself, with its id set, unless rec holds values
// that are not plain scalars (nested objects, arrays, buffers), in which
// case it is a new record. The caller must not use rec afterwards other
// than as that result, whether the call succeeds or not.
func (c *Connector) CreateOwned(ctx context.Context, def *model.Definition, rec connector.Record) (connector.Record, error) {
	return c.createCall(ctx, def, rec, true)
}

func (c *Connector) createCall(ctx context.Context, def *model.Definition, rec connector.Record, owned bool) (connector.Record, error) {
	var out connector.Record
	err := c.write(ctx, func(tx *memTx) (err error) {
		out, err = c.create(tx, def, rec, owned)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (c *Connector) create(tx *memTx, def *model.Definition, rec connector.Record, owned bool) (connector.Record, error) {
	t := c.createTable(tx, def)
	// row becomes the result: rec itself when it is handed over, else a
	// shallow copy (replaced below by the decoded row when rec holds values
	// the caller could still change).
	row := rec
	if !owned {
		row = maps.Clone(rec)
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
	if _, dup := t.idx.get(key); dup {
		return nil, connector.DuplicateError(def, t.idName())
	}
	if err := t.checkUnique(def, map[any]connector.Record{key: row}); err != nil {
		return nil, err
	}
	enc, plain, err := t.rc.encode(row)
	if err != nil {
		return nil, fault.Wrap(fault.BadRequest, fmt.Errorf("create %s: %w", def.Name, err))
	}
	if n, ok := key.(int64); ok && n >= t.next {
		c.setNext(tx, t, n+1)
	}
	c.put(tx, t, key, enc)
	if !plain {
		row = t.rc.decode(enc)
	}
	return row, nil
}

func isUUIDFn(fn string) bool {
	return fn == "uuid" || fn == "uuidv4" || fn == "guid"
}

// Find returns the matching instances; see [connector.Connector.Find].
// They are the caller's: new records decoded from the stored rows.
func (c *Connector) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	var recs []connector.Record
	err := c.read(ctx, func() (err error) {
		recs, err = c.find(def, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

func (c *Connector) find(def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	t := c.tableFor(def)
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
	hits, err := c.matching(t, f.Where, stop)
	if err != nil {
		return nil, err
	}
	var recs []connector.Record
	if len(f.Order) > 0 {
		// Rows are in id order and the sort is stable: ties stay by id.
		recs = make([]connector.Record, len(hits))
		for i, p := range hits {
			recs[i] = t.rc.decode(t.idx.rowAt(p))
		}
		filter.Sort(recs, f.Order, nil)
		recs = filter.Page(recs, f.Limit, f.Skip)
		if !allFields(f.Fields) {
			for _, r := range recs {
				project(r, f.Fields)
			}
		}
	} else {
		// Decode only the page, and only the fields it selects.
		hits = filter.Page(hits, f.Limit, f.Skip)
		recs = make([]connector.Record, len(hits))
		set, exclude := t.rc.fieldsSet(f.Fields) // once, not per row
		for i, p := range hits {
			if set == nil {
				recs[i] = t.rc.decode(t.idx.rowAt(p))
			} else {
				recs[i] = t.rc.decodeSome(make(connector.Record), t.idx.rowAt(p), set, exclude)
			}
		}
	}
	return recs, nil
}

// FindJSON is [Connector.Find] returning the stored rows themselves, which
// write their JSON without building records (see
// connector.JSONFinder). f may not select fields: that is an error.
func (c *Connector) FindJSON(ctx context.Context, def *model.Definition, f *filter.Filter) (connector.JSONRows, error) {
	if f != nil && !allFields(f.Fields) {
		return nil, errors.New("memory: FindJSON cannot select fields")
	}
	var rows *jsonRows
	err := c.read(ctx, func() (err error) {
		rows, err = c.findJSON(def, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (c *Connector) findJSON(def *model.Definition, f *filter.Filter) (*jsonRows, error) {
	t := c.tableFor(def)
	if t == nil {
		return &jsonRows{}, nil
	}
	if f == nil {
		f = &filter.Filter{}
	}
	stop := 0
	if len(f.Order) == 0 && f.Limit > 0 {
		stop = f.Skip + f.Limit
	}
	out := &jsonRows{rc: t.rc}
	if key, ok := t.idEq(f.Where); ok && t.rc.def == def {
		// One instance by id (GET /todos/{id}): one allocation in all.
		if r, ok := t.idx.get(key); ok && f.Skip == 0 {
			out.one[0] = r
			out.rows = out.one[:]
		}
		return out, nil
	}
	if f.Where == nil && len(f.Order) == 0 && t.rc.def == def {
		// The common listing: a page of the rows in id order, nothing
		// decoded.
		lo, hi := pageBounds(t.idx.len(), f.Limit, f.Skip)
		out.rows = make([]string, hi-lo)
		for i := range out.rows {
			out.rows[i] = t.idx.rowAt(lo + i)
		}
		return out, nil
	}
	hits, err := c.matching(t, f.Where, stop)
	if err != nil {
		return nil, err
	}
	if t.rc.def != def {
		// Rows name properties by their position in the table's own
		// definition: write them by def's order and hidden properties.
		out.rc = newRowCodec(def)
	}
	if len(f.Order) > 0 || out.rc != t.rc {
		recs := make([]connector.Record, len(hits))
		for i, p := range hits {
			recs[i] = t.rc.decode(t.idx.rowAt(p))
		}
		if len(f.Order) > 0 {
			filter.Sort(recs, f.Order, nil)
		}
		recs = filter.Page(recs, f.Limit, f.Skip)
		out.rows = make([]string, len(recs))
		for i, r := range recs {
			if out.rows[i], _, err = out.rc.encode(r); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	hits = filter.Page(hits, f.Limit, f.Skip)
	out.rows = make([]string, len(hits))
	for i, p := range hits {
		out.rows[i] = t.idx.rowAt(p)
	}
	return out, nil
}

// jsonRows are rows FindJSON found.
type jsonRows struct {
	rc   *rowCodec
	rows []string
	one  [1]string // rows of a lookup by id
}

func (r *jsonRows) Len() int { return len(r.rows) }

func (r *jsonRows) AppendJSON(b []byte, i int) ([]byte, error) { return r.rc.appendJSON(b, r.rows[i]) }

// matching returns the positions in t.idx of the rows that match w, in id
// order, at most stop of them when stop > 0.
func (c *Connector) matching(t *table, w *filter.Where, stop int) ([]int, error) {
	if key, ok := t.idEq(w); ok {
		if p, ok := t.idx.pos(key); ok {
			return []int{p}, nil
		}
		return nil, nil
	}
	if keys, ok := t.idIn(w); ok {
		var hits []int
		for _, k := range keys {
			if p, ok := t.idx.pos(k); ok {
				hits = append(hits, p)
			}
		}
		return hits, nil
	}
	lw, negs, err := likeClause(w)
	if err != nil {
		return nil, err
	}
	m, err := filter.Compile(lw)
	if err != nil {
		return nil, fmt.Errorf("memory: where of %s: %w", t.name, err)
	}
	n := t.idx.len()
	if m == nil {
		if stop > 0 {
			n = min(n, stop)
		}
		hits := make([]int, n)
		for i := range hits {
			hits[i] = i
		}
		return hits, nil
	}
	// Decode only the members the clause looks at, into one scratch record.
	set := t.rc.whereSet(w)
	scratch := make(connector.Record, set.n)
	var hits []int
	for i := range n {
		clear(scratch)
		rec := t.rc.decodeSome(scratch, t.idx.rowAt(i), set, false)
		setNegs(rec, negs)
		if m.Match(rec) {
			hits = append(hits, i)
			if stop > 0 && len(hits) == stop {
				break
			}
		}
	}
	return hits, nil
}

// pageBounds returns the range of positions a page selects among n.
func pageBounds(n, limit, skip int) (lo, hi int) {
	lo = min(max(skip, 0), n)
	hi = n
	if limit > 0 {
		hi = min(lo+limit, n)
	}
	return lo, hi
}

// whereSet is the set of members a where clause reads: the property of
// each condition's path and, for dotted paths, its first segment.
func (rc *rowCodec) whereSet(w *filter.Where) *memberSet {
	var names []string
	var walk func(w *filter.Where)
	walk = func(w *filter.Where) {
		for _, c := range w.Conds {
			first, _, _ := strings.Cut(c.Path, ".")
			names = append(names, c.Path, first)
		}
		for _, x := range w.And {
			walk(x)
		}
		for _, x := range w.Or {
			walk(x)
		}
	}
	walk(w)
	return rc.set(names, false)
}

// fieldsSet returns the members a fields filter selects, as a set and
// whether the set lists the members to leave out; nil selects them all.
func (rc *rowCodec) fieldsSet(fields *filter.Fields) (*memberSet, bool) {
	switch {
	case allFields(fields):
		return nil, false
	case len(fields.Include) > 0:
		return rc.set(fields.Include, false), false
	}
	return rc.set(fields.Exclude, true), true
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

// project removes the properties fields does not select from r.
func project(r connector.Record, fields *filter.Fields) {
	if len(fields.Include) > 0 {
		maps.DeleteFunc(r, func(k string, _ any) bool { return !slices.Contains(fields.Include, k) })
		return
	}
	maps.DeleteFunc(r, func(k string, _ any) bool { return slices.Contains(fields.Exclude, k) })
}

// Count returns the number of matching instances.
func (c *Connector) Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	var n int64
	err := c.read(ctx, func() error {
		n = 0
		t := c.tableFor(def)
		if t == nil {
			return nil
		}
		if w == nil {
			n = int64(t.idx.len())
			return nil
		}
		hits, err := c.matching(t, w, 0)
		n = int64(len(hits))
		return err
	})
	return n, err
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
	t := c.tableFor(def)
	if t == nil {
		return 0, nil
	}
	hits, err := c.matching(t, w, 0)
	if err != nil {
		return 0, err
	}
	updated := make(map[any]connector.Record, len(hits))
	encoded := make([]string, len(hits))
	keys := make([]any, len(hits))
	for i, p := range hits {
		keys[i] = t.idx.keyAt(p)
		row := t.rc.decode(t.idx.rowAt(p))
		for k, v := range data {
			if t.isID(k) {
				continue
			}
			row[k] = v
		}
		if encoded[i], _, err = t.rc.encode(row); err != nil {
			return 0, fault.Wrap(fault.BadRequest, fmt.Errorf("update %s: %w", def.Name, err))
		}
		updated[keys[i]] = row
	}
	// All or nothing: check every constraint before changing anything.
	if err := t.checkUnique(def, updated); err != nil {
		return 0, err
	}
	for i, k := range keys {
		c.put(tx, t, k, encoded[i])
	}
	return int64(len(hits)), nil
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
	t := c.tableFor(def)
	if t == nil {
		return 0, nil
	}
	hits, err := c.matching(t, w, 0)
	if err != nil {
		return 0, err
	}
	c.delAt(tx, t, hits)
	return int64(len(hits)), nil
}

// ReplaceByID replaces the instance with id by rec.
func (c *Connector) ReplaceByID(ctx context.Context, def *model.Definition, id any, rec connector.Record) error {
	return c.write(ctx, func(tx *memTx) error {
		return c.replaceByID(tx, def, id, rec)
	})
}

func (c *Connector) replaceByID(tx *memTx, def *model.Definition, id any, rec connector.Record) error {
	t := c.tableFor(def)
	if t == nil {
		return connector.NotFoundError(def, id)
	}
	key, err := normalizeKey(id)
	if err != nil {
		return err
	}
	prev, ok := t.idx.get(key)
	if !ok || key == nil {
		return connector.NotFoundError(def, id)
	}
	row := maps.Clone(rec)
	if row == nil {
		row = make(connector.Record)
	}
	if len(t.ids) <= 1 {
		row[t.idName()], _ = t.rc.field(prev, t.idName())
	} else {
		for _, p := range t.ids {
			row[p.Name], _ = t.rc.field(prev, p.Name)
		}
	}
	if err := t.checkUnique(def, map[any]connector.Record{key: row}); err != nil {
		return err
	}
	enc, _, err := t.rc.encode(row)
	if err != nil {
		return fault.Wrap(fault.BadRequest, fmt.Errorf("replace %s: %w", def.Name, err))
	}
	c.put(tx, t, key, enc)
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
	c.mu.Unlock()
	err := c.sync()
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	return err
}
