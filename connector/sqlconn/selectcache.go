package sqlconn

import (
	"sync"
	"sync/atomic"

	"github.com/loopback-go/lb/filter"
)

// MaxSelectShapes bounds the compiled SELECT statements kept per table and
// dialect (see [Select]); filters of other shapes are compiled each time.
const MaxSelectShapes = 128

// selectShapes caches the compiled text of the SELECT statements of simple
// filters by shape: the properties and operators of the where conditions
// (a flat list of comparisons of scalar values with properties of the
// model), the order terms and whether there is a limit and a skip — never
// the values, which are converted and bound on each call.
type selectShapes struct {
	// m maps shape keys to statements; it is replaced (copied with the
	// new entry) on each store, so that a look-up takes no lock and does
	// not box its key.
	m  atomic.Pointer[map[string]*selectShape]
	mu sync.Mutex // serializes stores
}

// selectShape is a compiled statement of one shape.
type selectShape struct {
	sql   string
	conds []*Column // the column of each where condition, in order
}

// selectKey appends the shape of f to buf, or reports false when f is
// not simple enough to be cached: it has relations, nested or or/and
// clauses, operators other than comparisons, null, list or JSON values,
// a projection, or names a property the model lacks.
func selectKey(buf []byte, t *Table, f *filter.Filter) ([]byte, bool) {
	if f.PartitionBy != "" || (f.Fields != nil && (len(f.Fields.Include) > 0 || len(f.Fields.Exclude) > 0)) {
		return nil, false
	}
	if w := f.Where; w != nil {
		if len(w.And) > 0 || len(w.Or) > 0 {
			return nil, false
		}
		for i := range w.Conds {
			cd := &w.Conds[i]
			if cd.Via != nil || cd.Value == nil {
				return nil, false
			}
			switch cd.Op {
			case "", filter.Eq, filter.Neq, filter.Gt, filter.Gte, filter.Lt, filter.Lte:
			default:
				return nil, false
			}
			c := t.byProp[cd.Path]
			if c == nil || c.Kind == KindJSON {
				return nil, false
			}
			if _, isList := listValue(cd.Value); isList {
				return nil, false
			}
			buf = append(buf, 'w')
			buf = append(buf, cd.Path...)
			buf = append(buf, 0)
			buf = append(buf, cd.Op...)
			buf = append(buf, 0)
		}
	}
	for _, o := range f.Order {
		if o.Via != nil || t.byProp[o.Property] == nil {
			return nil, false
		}
		buf = append(buf, 'o')
		buf = append(buf, o.Property...)
		if o.Desc {
			buf = append(buf, '-')
		}
		buf = append(buf, 0)
	}
	if f.Limit > 0 {
		buf = append(buf, 'l')
	}
	if f.Skip > 0 {
		buf = append(buf, 's')
	}
	return buf, true
}

// cachedSelect returns the query of f from the shapes cache of t, or nil
// and the shape's key when it is not cached yet ("" when f is not
// cacheable).
func cachedSelect(d Dialect, t *Table, f *filter.Filter) (q *Query, key string, err error) {
	var arr [128]byte
	// The key starts with a byte of its own, so that the shape of the
	// empty filter has a key too ("" means not cacheable).
	k, ok := selectKey(append(arr[:0], 's'), t, f)
	if !ok {
		return nil, "", nil
	}
	var sh *selectShape
	if m := t.prefixes(d).selects.m.Load(); m != nil {
		sh = (*m)[string(k)]
	}
	if sh == nil {
		return nil, string(k), nil
	}
	n := len(sh.conds)
	if f.Limit > 0 {
		n++
	}
	if f.Skip > 0 {
		n++
	}
	var args []any // nil without values, as Select compiles it
	if n > 0 {
		args = make([]any, 0, n)
	}
	if f.Where != nil {
		for i := range f.Where.Conds {
			cd := &f.Where.Conds[i]
			v, err := compareValue(d, sh.conds[i], cd.Path, cd.Op, cd.Value)
			if err != nil {
				return nil, "", err
			}
			args = append(args, v)
		}
	}
	if f.Limit > 0 {
		args = append(args, int64(f.Limit))
	}
	if f.Skip > 0 {
		args = append(args, int64(f.Skip))
	}
	return &Query{SQL: sh.sql, Args: args, Columns: t.Columns}, "", nil
}

// storeSelect keeps the compiled q of the shape key, while the cache of t
// has room.
func storeSelect(d Dialect, t *Table, f *filter.Filter, key string, q *Query) {
	ss := &t.prefixes(d).selects
	if m := ss.m.Load(); m != nil && len(*m) >= MaxSelectShapes {
		return
	}
	sh := &selectShape{sql: q.SQL}
	if f.Where != nil {
		sh.conds = make([]*Column, len(f.Where.Conds))
		for i := range f.Where.Conds {
			sh.conds[i] = t.byProp[f.Where.Conds[i].Path]
		}
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	var old map[string]*selectShape
	if m := ss.m.Load(); m != nil {
		old = *m
	}
	if _, ok := old[key]; ok || len(old) >= MaxSelectShapes {
		return
	}
	m := make(map[string]*selectShape, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[key] = sh
	ss.m.Store(&m)
}

// len returns the number of shapes cached.
func (ss *selectShapes) len() int {
	if m := ss.m.Load(); m != nil {
		return len(*m)
	}
	return 0
}
