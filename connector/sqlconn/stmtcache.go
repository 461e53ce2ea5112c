package sqlconn

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// stmtCache keeps prepared statements of the pool by SQL text, least
// recently used first out. database/sql prepares each statement lazily on
// every connection that runs it and re-prepares after reconnecting.
//
// A look-up takes no lock: the map is replaced (copied) when a statement
// is added or evicted, which is rare, and each entry records when it was
// last used, from a counter of look-ups.
type stmtCache struct {
	max   int
	m     atomic.Pointer[map[string]*stmtEntry]
	clock atomic.Uint64 // look-ups so far
	mu    sync.Mutex    // serializes changes of m
}

type stmtEntry struct {
	stmt *sql.Stmt
	used atomic.Uint64 // the clock at its last use
}

func newStmtCache(max int) *stmtCache {
	sc := &stmtCache{max: max}
	m := make(map[string]*stmtEntry)
	sc.m.Store(&m)
	return sc
}

// get returns the prepared statement of query, preparing it when needed.
func (sc *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	if e := (*sc.m.Load())[query]; e != nil {
		e.used.Store(sc.clock.Add(1))
		return e.stmt, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	old := *sc.m.Load()
	if e := old[query]; e != nil { // prepared concurrently
		_ = st.Close()
		e.used.Store(sc.clock.Add(1))
		return e.stmt, nil
	}
	m := make(map[string]*stmtEntry, len(old)+1)
	for k, e := range old {
		m[k] = e
	}
	e := &stmtEntry{stmt: st}
	e.used.Store(sc.clock.Add(1))
	m[query] = e
	for len(m) > sc.max {
		var lru string
		var lruUsed uint64
		first := true
		for k, e := range m {
			if u := e.used.Load(); first || u < lruUsed {
				lru, lruUsed, first = k, u, false
			}
		}
		_ = m[lru].stmt.Close() // database/sql closes it once its open rows are done
		delete(m, lru)
	}
	sc.m.Store(&m)
	return st, nil
}

// close closes every cached statement.
func (sc *stmtCache) close() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for _, e := range *sc.m.Load() {
		_ = e.stmt.Close()
	}
	m := make(map[string]*stmtEntry)
	sc.m.Store(&m)
}

// queryContext runs a query on q, through a cached prepared statement when
// q is the pool and the connector caches statements (of this kind: write
// is true for INSERT … RETURNING).
func (c *Connector) queryContext(ctx context.Context, q Querier, write bool, query string, args ...any) (*sql.Rows, error) {
	c.observe(ctx, query)
	if c.stmts != nil && q == Querier(c.db) && (!write || c.cacheWrites) {
		st, err := c.stmts.get(ctx, c.db, query)
		if err != nil {
			return nil, err
		}
		return st.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, query, args...)
}

// execContext runs a statement on q like queryContext.
func (c *Connector) execContext(ctx context.Context, q Querier, query string, args ...any) (sql.Result, error) {
	c.observe(ctx, query)
	if c.stmts != nil && q == Querier(c.db) && c.cacheWrites {
		st, err := c.stmts.get(ctx, c.db, query)
		if err != nil {
			return nil, err
		}
		return st.ExecContext(ctx, args...)
	}
	return q.ExecContext(ctx, query, args...)
}
