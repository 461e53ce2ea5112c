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
	t       *table
	key     any
	prev    string
	existed bool

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
	if c.closed {
		c.endTx()
		return nil, errClosed
	}
	return &memTx{c: c, readOnly: opts.ReadOnly}, nil
}

// Commit ends the transaction, keeping its changes, and waits until they
// are on disk.
func (tx *memTx) Commit(ctx context.Context) error {
	tx.mu.Lock()
	if tx.done {
		tx.mu.Unlock()
		return connector.ErrTxDone
	}
	tx.done = true
	changed := len(tx.undo) > 0
	tx.undo = nil
	tx.mu.Unlock()
	c := tx.c
	v := c.version
	c.endTx()
	if changed {
		return c.persist(v)
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
	for i := len(tx.undo) - 1; i >= 0; i-- {
		u := tx.undo[i]
		switch {
		case u.isNext:
			u.t.next = u.next
		case u.isKV:
			m := c.kvModel(u.kvModel)
			if u.kvPrev == nil {
				delete(m, u.kvKey)
			} else {
				m[u.kvKey] = u.kvPrev
			}
		case u.existed:
			u.t.idx.set(u.key, u.prev)
			delete(u.t.enc, u.key)
		default:
			u.t.idx.remove(u.key)
			delete(u.t.enc, u.key)
		}
	}
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
