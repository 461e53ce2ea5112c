package sqlconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// countingDriver is a database/sql driver whose connections only prepare
// statements, counting the statements prepared and closed by SQL text.
type countingDriver struct {
	mu       sync.Mutex
	prepared map[string]int
	closed   map[string]int
}

func (d *countingDriver) Connect(context.Context) (driver.Conn, error) { return countingConn{d}, nil }
func (d *countingDriver) Driver() driver.Driver                        { return nil }

func (d *countingDriver) counts(query string) (prepared, closed int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.prepared[query], d.closed[query]
}

type countingConn struct{ d *countingDriver }

func (c countingConn) Prepare(query string) (driver.Stmt, error) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	c.d.prepared[query]++
	return countingStmt{c.d, query}, nil
}
func (countingConn) Close() error              { return nil }
func (countingConn) Begin() (driver.Tx, error) { return nil, errors.New("no transactions") }

type countingStmt struct {
	d     *countingDriver
	query string
}

func (s countingStmt) Close() error {
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	s.d.closed[s.query]++
	return nil
}
func (countingStmt) NumInput() int                              { return -1 }
func (countingStmt) Exec([]driver.Value) (driver.Result, error) { return nil, errors.New("not run") }
func (countingStmt) Query([]driver.Value) (driver.Rows, error)  { return nil, errors.New("not run") }

// TestStmtCache checks that the statement cache prepares each SQL text
// once, evicts (and closes) the least recently used statement beyond its
// size, and serves concurrent look-ups of the same texts.
func TestStmtCache(t *testing.T) {
	d := &countingDriver{prepared: map[string]int{}, closed: map[string]int{}}
	db := sql.OpenDB(d)
	db.SetMaxOpenConns(1)
	defer db.Close()
	ctx := context.Background()
	sc := newStmtCache(2)
	get := func(q string) *sql.Stmt {
		t.Helper()
		st, err := sc.get(ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	a := get("a")
	if get("a") != a {
		t.Fatal("a second look-up of a returned another statement")
	}
	get("b")
	get("a") // b is now the least recently used
	get("c") // evicts b
	for _, tt := range []struct {
		query            string
		prepared, closed int
	}{{"a", 1, 0}, {"b", 1, 1}, {"c", 1, 0}} {
		if p, c := d.counts(tt.query); p != tt.prepared || c != tt.closed {
			t.Errorf("%s: prepared %d, closed %d times; want %d, %d", tt.query, p, c, tt.prepared, tt.closed)
		}
	}
	if get("a") != a {
		t.Error("a was evicted; want b, the least recently used, evicted")
	}
	get("b") // prepared again, evicts c
	if p, _ := d.counts("b"); p != 2 {
		t.Errorf("b prepared %d times after its eviction; want 2", p)
	}
	if _, c := d.counts("c"); c != 1 {
		t.Errorf("c closed %d times; want 1 (evicted after a and b were used)", c)
	}

	// Concurrent look-ups: each text is kept once, and the cache never
	// holds more than its size.
	var wg sync.WaitGroup
	var failed atomic.Bool
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				if _, err := sc.get(ctx, db, fmt.Sprint("q", (g+i)%3)); err != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() {
		t.Fatal("a concurrent look-up failed")
	}
	if n := len(*sc.m.Load()); n != 2 {
		t.Errorf("%d statements cached; want 2", n)
	}
	sc.close()
	if n := len(*sc.m.Load()); n != 0 {
		t.Errorf("%d statements cached after close; want 0", n)
	}
}
