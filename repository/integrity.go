package repository

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/connector"
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
