package repository

import (
	"context"
	"fmt"
	"slices"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Queries across relations: a where condition or an order term whose path
// starts with a relation name ("todoList.color", "todos.isComplete",
// order "todoList.title DESC") is about the related model. Validation
// against the repository's registry resolves it (filter.Cond.Via). A SQL
// connector that stores both models compiles it to EXISTS and a
// correlated subquery; for any other connector the repository evaluates
// it: it finds the keys of the related instances that match and replaces
// the condition with "key in keys", and it orders in memory. The answers
// are the same either way. The related model's default scope applies: an
// instance it hides neither matches nor orders (the repository evaluates
// such relations itself).

// acrossNative reports whether the connector evaluates the relations of
// links itself: it is a connector.RelationQuerier and stores every target.
func (m *Model) acrossNative(links []*model.Link) bool {
	rq, ok := m.conn.(connector.RelationQuerier)
	if !ok || !rq.QueriesRelations() {
		return false
	}
	reg, _ := m.related.Load().(*Registry)
	for _, l := range links {
		t, ok := reg.Repository(l.Target.Name)
		// The related model's default scope is applied by the
		// repository, which the connector's subquery does not know.
		if !ok || t.conn != m.conn || t.scope != nil && t.scope.Where != nil {
			return false
		}
	}
	return true
}

// linksOf returns the relations the conditions of w go across.
func linksOf(w *filter.Where, out []*model.Link) []*model.Link {
	if w == nil {
		return out
	}
	for _, c := range w.Conds {
		if c.Via != nil {
			out = append(out, c.Via)
		}
	}
	for _, sub := range w.And {
		out = linksOf(sub, out)
	}
	for _, sub := range w.Or {
		out = linksOf(sub, out)
	}
	return out
}

// resolveAcross replaces the conditions of w across relations with
// conditions on the model's own keys, unless the connector evaluates them
// itself. w is not modified.
func (m *Model) resolveAcross(ctx context.Context, w *filter.Where) (*filter.Where, error) {
	links := linksOf(w, nil)
	if len(links) == 0 || m.acrossNative(links) {
		return w, nil
	}
	return m.rewriteAcross(ctx, w)
}

func (m *Model) rewriteAcross(ctx context.Context, w *filter.Where) (*filter.Where, error) {
	if w == nil {
		return nil, nil
	}
	reg, _ := m.related.Load().(*Registry)
	out := &filter.Where{Conds: slices.Clone(w.Conds)}
	for i, c := range out.Conds {
		if c.Via == nil {
			continue
		}
		t, ok := reg.Repository(c.Via.Target.Name)
		if !ok {
			return nil, fmt.Errorf("where %s: no repository for model %s", c.Path, c.Via.Target.Name)
		}
		inner := &filter.Where{Conds: []filter.Cond{{Path: filter.RelatedPath(c.Path), Op: c.Op, Value: c.Value}}}
		found, err := t.conn.Find(ctx, t.def, &filter.Filter{Where: t.scopedWhere(inner), Fields: &filter.Fields{Include: []string{c.Via.TargetKey}}})
		if err != nil {
			return nil, fmt.Errorf("where %s: find %s: %w", c.Path, t.def.Name, err)
		}
		keys := distinctKeys(found, c.Via.TargetKey)
		if keys == nil {
			keys = []any{}
		}
		out.Conds[i] = filter.Cond{Path: c.Via.SourceKey, Op: filter.Inq, Value: keys}
	}
	for _, sub := range w.And {
		r, err := m.rewriteAcross(ctx, sub)
		if err != nil {
			return nil, err
		}
		out.And = append(out.And, r)
	}
	for _, sub := range w.Or {
		r, err := m.rewriteAcross(ctx, sub)
		if err != nil {
			return nil, err
		}
		out.Or = append(out.Or, r)
	}
	return out, nil
}

// orderAcross reports whether q orders by a related property that the
// connector does not evaluate itself.
func (m *Model) orderAcross(q *filter.Filter) bool {
	var links []*model.Link
	for _, o := range q.Order {
		if o.Via != nil {
			links = append(links, o.Via)
		}
	}
	return len(links) > 0 && !m.acrossNative(links)
}

// findOrderedAcross runs q, whose order names related properties, on a
// connector that cannot: it finds every match, reads the related values
// with one query per relation, sorts (the id last, as the connectors do),
// pages and selects the fields in memory.
func (m *Model) findOrderedAcross(ctx context.Context, q *filter.Filter) ([]connector.Record, error) {
	all := *q
	all.Order, all.Limit, all.Skip, all.Fields = nil, 0, 0, nil
	recs, err := m.conn.Find(ctx, m.def, &all)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", m.def.Name, err)
	}
	reg, _ := m.related.Load().(*Registry)
	type termValues map[any]any // source key → related value
	values := make([]termValues, len(q.Order))
	for i, o := range q.Order {
		if o.Via == nil {
			continue
		}
		t, ok := reg.Repository(o.Via.Target.Name)
		if !ok {
			return nil, fmt.Errorf("order %s: no repository for model %s", o.Property, o.Via.Target.Name)
		}
		prop := filter.RelatedPath(o.Property)
		values[i] = termValues{}
		keys := distinctKeys(recs, o.Via.SourceKey)
		if len(keys) == 0 {
			continue
		}
		found, err := t.conn.Find(ctx, t.def, &filter.Filter{
			Where:  t.scopedWhere(&filter.Where{Conds: []filter.Cond{{Path: o.Via.TargetKey, Op: filter.Inq, Value: keys}}}),
			Fields: &filter.Fields{Include: []string{o.Via.TargetKey, prop}},
		})
		if err != nil {
			return nil, fmt.Errorf("order %s: find %s: %w", o.Property, t.def.Name, err)
		}
		for _, r := range found {
			values[i][relationKey(r[o.Via.TargetKey])] = r[prop]
		}
	}
	value := func(r connector.Record, i int) any {
		o := q.Order[i]
		if o.Via == nil {
			return r[o.Property]
		}
		return values[i][relationKey(r[o.Via.SourceKey])]
	}
	slices.SortStableFunc(recs, func(a, b connector.Record) int {
		for i, o := range q.Order {
			c := filter.SortCompare(value(a, i), value(b, i))
			if o.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return filter.SortCompare(a[m.idName], b[m.idName])
	})
	recs = filter.Page(recs, q.Limit, q.Skip)
	if q.Fields != nil {
		for i, r := range recs {
			recs[i] = filter.Project(r, q.Fields)
		}
	}
	return recs, nil
}

// across reports whether q has a condition or order term across a
// relation.
func across(q *filter.Filter) bool {
	if len(linksOf(q.Where, nil)) > 0 {
		return true
	}
	for _, o := range q.Order {
		if o.Via != nil {
			return true
		}
	}
	return false
}
