package memory

import (
	"context"
	"sync"

	"github.com/loopback-go/lb/connector"
)

// memTx is a transaction of the memory connector. It holds the store's
// write lock from Begin to Commit or Rollback, so transactions are
// serializable whatever isolation level was asked for; its changes are
// undone from an undo log on rollback.
type memTx struct {
	c        *Connector
	readOnly bool

	mu   sync.Mutex // serializes calls made with the transaction
	done bool
	undo []undoEntry
}

// undoEntry records one change for rollback.
type undoEntry struct {
	v uint64 // the version of the change, once pending (see durable.go)

	t       *table
	key     any
	prev    string
	existed bool

	isTable   bool // c.tables[name] was prevTable (nil: absent)
	name      string
	prevTable *table

	isNext bool
	next   int64

	kvModel string
	kvKey   string
	kvPrev  *kvEntry
	isKV    bool
}

// Begin starts a transaction. It waits (until ctx is done) for an open
// transaction to end; while a transaction is open every call made without
// it waits too (until the transaction ends or the call's ctx is done), so
// keep transactions short and never make a call outside the transaction
// from the goroutine that holds it. Every isolation level is accepted and
// served as serializable.
func (c *Connector) Begin(ctx context.Context, opts connector.TxOptions) (connector.Tx, error) {
	select {
	case c.gate <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Announce the transaction before taking the lock, so that a call that
	// finds the lock taken always knows whether to wait for a transaction.
	end := make(chan struct{})
	c.txEnd.Store(&end)
	c.mu.Lock()
	// Start from a state that is on disk, so that the transaction reads
	// no change a failed file write could still undo (a few tries: plain
	// writes may keep coming).
	for try := 0; c.p != nil && try < 3; try++ {
		v, e := c.version, c.p.epoch.Load()
		if d := c.p.durable.Load(); c.p.epoch.Load() == e && d >= v {
			break
		}
		c.mu.Unlock()
		c.awaitState(v, e)
		c.mu.Lock()
	}
	if c.closed {
		c.endTx()
		return nil, errClosed
	}
	return &memTx{c: c, readOnly: opts.ReadOnly}, nil
}

// Commit ends the transaction, keeping its changes, and waits until they
// are on disk. When the file write fails they are undone (with any change
// made after them) and Commit returns a fault.Unavailable error.
func (tx *memTx) Commit(ctx context.Context) error {
	tx.mu.Lock()
	if tx.done {
		tx.mu.Unlock()
		return connector.ErrTxDone
	}
	tx.done = true
	c := tx.c
	var w *waiter
	if c.p != nil && len(tx.undo) > 0 {
		// The transaction still holds the write lock: its changes become
		// pending like those of a plain write.
		c.trimPending()
		start := len(c.pending)
		c.pending = append(c.pending, tx.undo...)
		if len(c.pending) > start {
			w = c.registerPending(start)
		}
	}
	tx.undo = nil
	tx.mu.Unlock()
	c.endTx()
	if w != nil {
		return c.awaitWriter(w)
	}
	return nil
}

// Rollback ends the transaction, undoing its changes.
func (tx *memTx) Rollback(ctx context.Context) error {
	tx.mu.Lock()
	if tx.done {
		tx.mu.Unlock()
		return connector.ErrTxDone
	}
	tx.done = true
	c := tx.c
	c.undo(tx.undo)
	if len(tx.undo) > 0 {
		c.version++
	}
	tx.undo = nil
	tx.mu.Unlock()
	c.endTx()
	return nil
}

// endTx releases the store held by the open transaction and wakes the
// calls waiting for it.
func (c *Connector) endTx() {
	end := c.txEnd.Swap(nil)
	c.mu.Unlock()
	close(*end)
	<-c.gate
}
