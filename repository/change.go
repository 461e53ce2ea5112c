package repository

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
)

// ChangeKind says what a write did to one instance.
type ChangeKind string

// The change kinds.
const (
	Created  ChangeKind = "create"
	Updated  ChangeKind = "update"
	Replaced ChangeKind = "replace"
	Deleted  ChangeKind = "delete"
)

// Change is one instance changed by a repository write, reported to a
// [ChangeObserver] after the write is committed.
type Change struct {
	// Model is the model's name.
	Model string
	// Kind is what the write did.
	Kind ChangeKind
	// ID is the instance's id (int64, float64, string … as in a record).
	ID any
	// Instance is the instance after the change, hidden properties left
	// out; for a delete, the instance as it was when deleted.
	Instance connector.Record
	// Changed names the properties the write set, sorted: the patch's for
	// an update, every property given for a create or a replace, none for
	// a delete.
	Changed []string
}

// ChangeObserver sees the changes made through the repositories it
// observes (see [Model.ObserveChanges]). A write outside a transaction is
// reported when it returns; a write inside a transaction begun by [Begin]
// or [Transact] is reported when the transaction commits, never when it
// rolls back. ObserveChanges must not block: it runs on the writer's
// goroutine. Implementations must be safe for concurrent use.
type ChangeObserver interface {
	ObserveChanges(ctx context.Context, changes []Change)
}

// ObserveChanges makes m report every instance its writes change (create,
// update, replace, delete, and each instance of UpdateAll and DeleteAll)
// to obs; nil stops reporting. Call it before the repository is used. A
// model nobody observes pays nothing; an observed one reads the changed
// instances back (updates) or before deleting them (deletes), and runs
// UpdateAll and DeleteAll in a transaction when the connector has them.
//
// Writes inside a transaction begun on the connector directly, not through
// [Begin] or [Transact], are not reported: the repository cannot see when
// such a transaction commits.
func (m *Model) ObserveChanges(obs ChangeObserver) {
	if obs == nil {
		m.obs.Store(nil)
		return
	}
	m.obs.Store(&obs)
}

// ObserveChanges is [Model.ObserveChanges] of r's model.
func (r *CRUD[T, ID]) ObserveChanges(obs ChangeObserver) { r.m.ObserveChanges(obs) }

func (m *Model) observer() ChangeObserver {
	if p := m.obs.Load(); p != nil {
		return *p
	}
	return nil
}

// pending holds the changes of a transaction begun by Begin until it
// commits.
type pending struct {
	mu      sync.Mutex
	changes []pendingChange
}

type pendingChange struct {
	obs ChangeObserver
	c   Change
}

type pendingKey struct{}

// ChangeRecorder is a [ChangeObserver] that also records each change in
// the transaction of the write (a transactional outbox): RecordChange
// runs right after the write, with the write's context, so its own
// writes through the same connector join the write's transaction; an
// error fails the write, which is then rolled back. An observed write
// outside a transaction runs in one when the connector has them, so the
// change and its record are committed together.
type ChangeRecorder interface {
	ChangeObserver
	RecordChange(ctx context.Context, c Change) error
}

// recording runs the write fn, in a transaction when obs records changes
// and ctx carries none.
func (m *Model) recording(ctx context.Context, obs ChangeObserver, fn func(ctx context.Context) error) error {
	if _, ok := obs.(ChangeRecorder); ok {
		return m.atomically(ctx, fn)
	}
	return fn(ctx)
}

// emit records c (for a ChangeRecorder) and reports it to obs now, or at
// the commit of ctx's transaction.
func (m *Model) emit(ctx context.Context, obs ChangeObserver, c Change) error {
	if r, ok := obs.(ChangeRecorder); ok {
		if err := r.RecordChange(ctx, c); err != nil {
			return fmt.Errorf("record change of %s: %w", c.Model, err)
		}
	}
	if connector.TxFrom(ctx) == nil {
		obs.ObserveChanges(ctx, []Change{c})
		return nil
	}
	p, _ := ctx.Value(pendingKey{}).(*pending)
	if p == nil {
		return nil // a transaction begun outside Begin: its commit is unseen
	}
	p.mu.Lock()
	p.changes = append(p.changes, pendingChange{obs, c})
	p.mu.Unlock()
	return nil
}

// changedTx is the Tx Begin returns: it reports the transaction's changes
// after a successful commit.
type changedTx struct {
	connector.Tx
	p *pending
}

func (t *changedTx) Commit(ctx context.Context) error {
	if err := t.Tx.Commit(ctx); err != nil {
		return err
	}
	t.p.mu.Lock()
	list := t.p.changes
	t.p.changes = nil
	t.p.mu.Unlock()
	// One call per observer with its changes in order.
	for len(list) > 0 {
		obs := list[0].obs
		var batch []Change
		rest := list[:0:0]
		for _, pc := range list {
			if pc.obs == obs {
				batch = append(batch, pc.c)
			} else {
				rest = append(rest, pc)
			}
		}
		obs.ObserveChanges(ctx, batch)
		list = rest
	}
	return nil
}

func (t *changedTx) Rollback(ctx context.Context) error {
	t.p.mu.Lock()
	t.p.changes = nil
	t.p.mu.Unlock()
	return t.Tx.Rollback(ctx)
}

// snapshot returns a copy of rec with hidden properties left out.
func (m *Model) snapshot(rec connector.Record) connector.Record {
	out := maps.Clone(rec)
	for _, h := range m.hidden {
		delete(out, h)
	}
	return out
}

func sortedKeys(rec connector.Record, skip string) []string {
	keys := make([]string, 0, len(rec))
	for k := range rec {
		if k != skip {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// readBack finds the instances with the given ids (after an update) and
// reports them.
func (m *Model) readBack(ctx context.Context, obs ChangeObserver, kind ChangeKind, ids []any, changed []string) error {
	if len(ids) == 0 {
		return nil
	}
	var w *filter.Where
	if len(ids) == 1 {
		w = m.idWhere(ids[0])
	} else {
		w = &filter.Where{Conds: []filter.Cond{{Path: m.idName, Op: filter.Inq, Value: ids}}}
	}
	recs, err := m.conn.Find(ctx, m.def, &filter.Filter{Where: w})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		m.shape(rec, nil)
		if err := m.emit(ctx, obs, Change{Model: m.def.Name, Kind: kind, ID: rec[m.idName], Instance: m.snapshot(rec), Changed: changed}); err != nil {
			return err
		}
	}
	return nil
}

// matchingIDs returns the ids of the instances that match w (scoped).
func (m *Model) matchingIDs(ctx context.Context, w *filter.Where) ([]any, error) {
	recs, err := m.conn.Find(ctx, m.def, &filter.Filter{Where: w, Fields: &filter.Fields{Include: []string{m.idName}}})
	if err != nil {
		return nil, err
	}
	ids := make([]any, len(recs))
	for i, rec := range recs {
		ids[i] = rec[m.idName]
	}
	return ids, nil
}
