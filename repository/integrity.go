package repository

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Relation writes keep their integrity in the repository, the same way on
// every connector: a child is never created under a parent that does not
// exist. LoopBack 4 leaves that to the data source (an orphan on the memory
// connector, a foreign-key error on SQL); here both are the 404 that names
// the parent, ENTITY_NOT_FOUND "Entity not found: TodoList with id 99".

// hasParents reports whether def declares a belongsTo relation, whose
// foreign key a write must check.
func hasParents(def *model.Definition) bool {
	for _, r := range def.Relations {
		if r.Type == model.BelongsTo {
			return true
		}
	}
	return false
}

// checkParents checks that every belongsTo foreign key rec sets to a value
// names an existing instance of the relation's target (a
// fault.NotFound naming the target otherwise). It needs the repository to
// be in a [Registry] that holds the target; without one there is nothing
// to check against, and the data source decides.
func (m *Model) checkParents(ctx context.Context, rec connector.Record) error {
	if !m.parents {
		return nil
	}
	reg, _ := m.related.Load().(*Registry)
	if reg == nil {
		return nil
	}
	for _, rel := range m.def.Relations {
		if rel.Type != model.BelongsTo {
			continue
		}
		v, ok := rec[rel.ForeignKey]
		if !ok || v == nil {
			continue
		}
		link, target, _, err := reg.link(m.def, rel.Name)
		if err != nil {
			// A relation whose target is not registered (yet) is not
			// checked, as without a registry.
			continue
		}
		if rel.Polymorphic != "" {
			typ, ok := rec[rel.Polymorphic].(string)
			if !ok {
				continue // the type is not being written: nothing to check against
			}
			if link, target, err = reg.polymorphicTarget(link, typ); err != nil {
				return err
			}
		}
		if err := target.mustExist(ctx, link.TargetKey, v); err != nil {
			return err
		}
	}
	return nil
}

// mustExist returns nil when an instance whose property key equals v
// exists (within the default scope), and ENTITY_NOT_FOUND naming this
// model and v otherwise.
func (m *Model) mustExist(ctx context.Context, key string, v any) error {
	var w *filter.Where
	if key == m.idName {
		idv, err := m.idValue(v)
		if err != nil {
			return connector.NotFoundError(m.def, v)
		}
		w = m.idWhere(idv)
	} else {
		w = &filter.Where{Conds: []filter.Cond{{Path: key, Op: filter.Eq, Value: v}}}
		if err := w.ValidateWith(m.def, filter.ValidateOptions{AllowHidden: true}); err != nil {
			return connector.NotFoundError(m.def, v)
		}
	}
	n, err := m.conn.Count(ctx, m.def, m.scopedWhere(w))
	if err != nil {
		return fmt.Errorf("find %s: %w", m.def.Name, err)
	}
	if n == 0 {
		return connector.NotFoundError(m.def, v)
	}
	return nil
}

// checksParents reports whether writes check foreign keys: the model
// declares a belongsTo relation and its repository is in a [Registry].
func (m *Model) checksParents() bool {
	return m.parents && m.related.Load() != nil
}

// setsForeignKey reports whether rec sets a belongsTo foreign key to a
// value.
func (m *Model) setsForeignKey(rec connector.Record) bool {
	for _, r := range m.def.Relations {
		if r.Type == model.BelongsTo && rec[r.ForeignKey] != nil {
			return true
		}
	}
	return false
}

// withParents runs write, which stores rec, after checking rec's parents
// (see checkParents), in one transaction when the connector has them and
// ctx carries none, so that a parent cannot vanish in between.
func (m *Model) withParents(ctx context.Context, rec connector.Record, write func(ctx context.Context) error) error {
	if !m.checksParents() || !m.setsForeignKey(rec) {
		return write(ctx)
	}
	return m.atomically(ctx, func(ctx context.Context) error {
		if err := m.checkParents(ctx, rec); err != nil {
			return err
		}
		return write(ctx)
	})
}

// Deleting an instance applies the onDelete action of every belongsTo
// relation that refers to its model (model.Relation.OnDelete), in the
// repository and so the same way on every connector: restrict refuses
// the delete while an instance refers to it (409 FOREIGN_KEY_VIOLATION),
// cascade deletes those instances (applying their own rules in turn) and
// setNull clears their foreign key. The actions and the delete run in one
// transaction when the connector has them. Without an onDelete action
// nothing is done, as in LoopBack: the parent is deleted and its children
// keep their foreign key, on every connector (SQL migration creates a
// FOREIGN KEY constraint only for a relation that declares onDelete).

// maxCascade bounds how deep cascading deletes go, so that a cycle of
// instances referring to each other ends in an error, not a loop.
const maxCascade = 32

// dependent is a belongsTo relation, with an onDelete action, of a model
// whose instances refer to instances of another.
type dependent struct {
	child *Model
	rel   *model.Relation
	key   string // the referred property (usually the id)
}

// dependentsOf returns the belongsTo relations with an onDelete action
// that refer to m's model, among the repositories of r (whose lock the
// caller holds). Relations whose target is not resolvable yet are left
// out; the next Add computes them again.
func (r *Registry) dependentsOf(m *Model) []dependent {
	var out []dependent
	for _, name := range slices.Sorted(maps.Keys(r.repos)) {
		c := r.repos[name]
		for _, rel := range c.def.Relations {
			if rel.Type != model.BelongsTo || rel.OnDelete == "" || rel.Target != m.def.Name {
				continue
			}
			link, err := r.defs.Resolve(c.def, rel.Name)
			if err != nil {
				continue
			}
			out = append(out, dependent{child: c, rel: rel, key: link.TargetKey})
		}
	}
	return out
}

// deleteWhere deletes the instances that match w (already scoped) after
// applying the onDelete actions of the relations that refer to them.
func (m *Model) deleteWhere(ctx context.Context, w *filter.Where, depth int) (int64, error) {
	obs := m.observer()
	if obs == nil {
		return m.deleteMatching(ctx, w, depth)
	}
	var n int64
	err := m.atomically(ctx, func(ctx context.Context) error {
		doomed, err := m.conn.Find(ctx, m.def, &filter.Filter{Where: w})
		if err != nil {
			return fmt.Errorf("find %s: %w", m.def.Name, err)
		}
		if n, err = m.deleteMatching(ctx, w, depth); err != nil {
			return err
		}
		for _, rec := range doomed {
			m.shape(rec, nil)
			if err := m.emit(ctx, obs, Change{Model: m.def.Name, Kind: Deleted, ID: rec[m.idName], Instance: m.snapshot(rec)}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// deleteMatching is deleteWhere without the change reports.
func (m *Model) deleteMatching(ctx context.Context, w *filter.Where, depth int) (int64, error) {
	var deps []dependent
	if p := m.deps.Load(); p != nil {
		deps = *p
	}
	if len(deps) == 0 {
		return m.conn.DeleteAll(ctx, m.def, w)
	}
	if depth >= maxCascade {
		return 0, fault.New(fault.Conflict, "FOREIGN_KEY_VIOLATION",
			fmt.Sprintf("cannot delete %s: cascading deletes go deeper than %d levels", m.def.Name, maxCascade))
	}
	var n int64
	err := m.atomically(ctx, func(ctx context.Context) error {
		doomed, err := m.conn.Find(ctx, m.def, &filter.Filter{Where: w})
		if err != nil {
			return fmt.Errorf("find %s: %w", m.def.Name, err)
		}
		// Every restrict first, so that nothing is changed when one
		// refuses (also on connectors without transactions).
		for _, d := range deps {
			if d.rel.OnDelete != model.Restrict {
				continue
			}
			if keys := distinctKeys(doomed, d.key); len(keys) > 0 {
				c, err := d.child.conn.Count(ctx, d.child.def, inKeys(d.rel.ForeignKey, keys))
				if err != nil {
					return fmt.Errorf("count %s: %w", d.child.def.Name, err)
				}
				if c > 0 {
					return fault.New(fault.Conflict, "FOREIGN_KEY_VIOLATION",
						fmt.Sprintf("Cannot delete %s: %d %s instance(s) refer to it through %s (onDelete restrict).",
							m.def.Name, c, d.child.def.Name, d.rel.ForeignKey))
				}
			}
		}
		for _, d := range deps {
			keys := distinctKeys(doomed, d.key)
			if len(keys) == 0 {
				continue
			}
			refs := inKeys(d.rel.ForeignKey, keys)
			switch d.rel.OnDelete {
			case model.Cascade:
				if _, err := d.child.deleteWhere(ctx, refs, depth+1); err != nil {
					return err
				}
			case model.SetNull:
				if _, err := d.child.conn.UpdateAll(ctx, d.child.def, refs, connector.Record{d.rel.ForeignKey: nil}); err != nil {
					return fmt.Errorf("clear %s.%s: %w", d.child.def.Name, d.rel.ForeignKey, err)
				}
			}
		}
		n, err = m.conn.DeleteAll(ctx, m.def, w)
		return err
	})
	return n, err
}

// inKeys is the where clause "prop in keys".
func inKeys(prop string, keys []any) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: prop, Op: filter.Inq, Value: keys}}}
}
