package sqlconn

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements of the pool by SQL text, least
// recently used first out. database/sql prepares each statement lazily on
// every connection that runs it and re-prepares after reconnecting.
type stmtCache struct {
	mu  sync.Mutex
	max int
	ll  *list.List // of *stmtEntry, most recent first
	m   map[string]*list.Element
}

type stmtEntry struct {
	sql  string
	stmt *sql.Stmt
}

func newStmtCache(max int) *stmtCache {
	return &stmtCache{max: max, ll: list.New(), m: make(map[string]*list.Element, max)}
}

// get returns the prepared statement of query, preparing it when needed.
func (sc *stmtCache) get(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	sc.mu.Lock()
	if e, ok := sc.m[query]; ok {
		sc.ll.MoveToFront(e)
		st := e.Value.(*stmtEntry).stmt
		sc.mu.Unlock()
		return st, nil
	}
	sc.mu.Unlock()
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if e, ok := sc.m[query]; ok { // prepared concurrently
		_ = st.Close()
		sc.ll.MoveToFront(e)
		return e.Value.(*stmtEntry).stmt, nil
	}
	sc.m[query] = sc.ll.PushFront(&stmtEntry{sql: query, stmt: st})
	for sc.ll.Len() > sc.max {
		old := sc.ll.Back()
		sc.ll.Remove(old)
		en := old.Value.(*stmtEntry)
		delete(sc.m, en.sql)
		_ = en.stmt.Close() // database/sql closes it once its open rows are done
	}
	return st, nil
}

// close closes every cached statement.
func (sc *stmtCache) close() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for e := sc.ll.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*stmtEntry).stmt.Close()
	}
	sc.ll.Init()
	clear(sc.m)
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
