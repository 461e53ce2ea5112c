package repository

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Registry holds the record-level repositories of an application by model
// name, so that a repository can include related models (filter include:
// hasMany, hasOne, belongsTo, hasManyThrough). Adding a repository to a
// registry makes the registry its resolver of related repositories.
//
// The zero value is an empty registry ready to use. Add repositories at
// setup; lookups are safe for concurrent use.
type Registry struct {
	mu    sync.RWMutex
	repos map[string]*Model
	defs  model.Registry
}

// Add registers repositories and lets each resolve its relations through
// r. A second repository for the same model name is an error.
func (r *Registry) Add(ms ...*Model) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.repos == nil {
		r.repos = map[string]*Model{}
	}
	for _, m := range ms {
		if _, dup := r.repos[m.def.Name]; dup {
			return fmt.Errorf("repository registry: model %s added twice", m.def.Name)
		}
		if err := r.defs.Add(m.def); err != nil {
			return fmt.Errorf("repository registry: %w", err)
		}
		r.repos[m.def.Name] = m
		m.related.Store(r)
	}
	// The onDelete rules of every model, once per Add, so that a delete
	// does not look for them.
	for _, m := range r.repos {
		deps := r.dependentsOf(m)
		m.deps.Store(&deps)
	}
	return nil
}

// Repository returns the repository of the model called name.
func (r *Registry) Repository(name string) (*Model, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	m, ok := r.repos[name]
	return m, ok
}

// link resolves a relation of def and the repositories on both ends.
func (r *Registry) link(def *model.Definition, name string) (*model.Link, *Model, *Model, error) {
	link, err := r.defs.Resolve(def, name)
	if err != nil {
		return nil, nil, nil, err
	}
	target, ok := r.Repository(link.Target.Name)
	if !ok {
		return nil, nil, nil, fmt.Errorf("no repository for model %s", link.Target.Name)
	}
	var through *Model
	if link.Through != nil {
		if through, ok = r.Repository(link.Through.Name); !ok {
			return nil, nil, nil, fmt.Errorf("no repository for model %s", link.Through.Name)
		}
	}
	return link, target, through, nil
}

// relationKey maps a key value to a map key: numbers by value, so that an
// int64 foreign key finds a float64 id.
func relationKey(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x)
		}
	case int:
		return int64(x)
	}
	return v
}

// distinctKeys returns the distinct non-null values of prop in recs.
func distinctKeys(recs []connector.Record, prop string) []any {
	seen := map[any]bool{}
	var keys []any
	for _, r := range recs {
		v := r[prop]
		if v == nil {
			continue
		}
		if k := relationKey(v); !seen[k] {
			seen[k] = true
			keys = append(keys, v)
		}
	}
	return keys
}

// relatedFilter is the query of the instances related to keys: the
// inclusion's scope with "prop in keys" added to its where and prop added
// to its fields when they leave it out (added reports that).
func relatedFilter(inc filter.Inclusion, prop string, keys []any, perParent bool) (f *filter.Filter, added bool) {
	f = &filter.Filter{}
	if inc.Scope != nil {
		f = inc.Scope.Clone()
	}
	f.Where = andWhere(f.Where, &filter.Where{Conds: []filter.Cond{{Path: prop, Op: filter.Inq, Value: keys}}})
	if f.Fields != nil && len(f.Fields.Include) > 0 && !slices.Contains(f.Fields.Include, prop) {
		f.Fields.Include = append(f.Fields.Include, prop)
		added = true
	}
	if f.Fields != nil && slices.Contains(f.Fields.Exclude, prop) {
		f.Fields.Exclude = slices.DeleteFunc(f.Fields.Exclude, func(s string) bool { return s == prop })
		added = true
	}
	if perParent {
		// Limit and skip apply per parent; totalLimit to the whole query.
		f.Limit, f.Skip = inc.TotalLimit, 0
	} else if inc.TotalLimit > 0 {
		f.Limit = inc.TotalLimit
	}
	return f, added
}

// include adds the related instances each inclusion asks for to parents.
func (m *Model) include(ctx context.Context, parents []connector.Record, incs []filter.Inclusion) error {
	if len(parents) == 0 {
		return nil
	}
	reg, _ := m.related.Load().(*Registry)
	if reg == nil {
		return fault.New(fault.NotImplemented, "NOT_IMPLEMENTED",
			fmt.Sprintf("cannot include related models of %s: its repository is not in a repository.Registry", m.def.Name))
	}
	for _, inc := range incs {
		link, target, through, err := reg.link(m.def, inc.Relation)
		if err != nil {
			return fmt.Errorf("include %s of %s: %w", inc.Relation, m.def.Name, err)
		}
		if err := m.includeOne(ctx, parents, inc, link, target, through); err != nil {
			return err
		}
	}
	return nil
}

func (m *Model) includeOne(ctx context.Context, parents []connector.Record, inc filter.Inclusion, link *model.Link, target, through *Model) error {
	name := link.Relation.Name
	if link.Relation.Type == model.ReferencesMany {
		return m.includeReferences(ctx, parents, inc, link, target)
	}
	keys := distinctKeys(parents, link.SourceKey)
	if len(keys) == 0 {
		return nil
	}
	var skip, limit int
	if inc.Scope != nil {
		skip, limit = inc.Scope.Skip, inc.Scope.Limit
	}
	page := func(list []connector.Record) []connector.Record { return filter.Page(list, limit, skip) }

	switch link.Relation.Type {
	case model.BelongsTo:
		if link.Relation.Polymorphic != "" {
			return m.includePolymorphic(ctx, parents, inc, link)
		}
		return includeBelongsTo(ctx, parents, inc, link, target, keys)

	case model.HasMany, model.HasOne:
		if link.Relation.Polymorphic != "" {
			return m.includePolymorphicHasOne(ctx, parents, inc, link)
		}
		f, added := relatedFilter(inc, link.TargetKey, keys, true)
		if target.pagesPerPartition(inc, limit, skip) {
			// The data source pages per parent (window functions).
			f.PartitionBy, f.Limit, f.Skip = link.TargetKey, limit, skip
			page = func(list []connector.Record) []connector.Record { return list }
		}
		found, err := target.Find(ctx, f)
		if err != nil {
			return fmt.Errorf("include %s: %w", name, err)
		}
		groups := map[any][]connector.Record{}
		for _, t := range found {
			k := relationKey(t[link.TargetKey])
			groups[k] = append(groups[k], t)
		}
		for _, p := range parents {
			list := page(groups[relationKey(p[link.SourceKey])])
			switch {
			case len(list) == 0:
			case link.Relation.Type == model.HasOne:
				p[name] = list[0]
			default:
				p[name] = records(list)
			}
		}
		if added {
			for _, t := range found {
				delete(t, link.TargetKey)
			}
		}

	case model.HasManyThrough:
		links, err := through.Find(ctx, &filter.Filter{
			Where: &filter.Where{Conds: []filter.Cond{{Path: link.ThroughFrom, Op: filter.Inq, Value: keys}}},
		})
		if err != nil {
			return fmt.Errorf("include %s through %s: %w", name, through.def.Name, err)
		}
		if link.Relation.Polymorphic != "" {
			return m.includePolymorphicThrough(ctx, parents, inc, link, links, page)
		}
		targetKeys := distinctKeys(links, link.ThroughTo)
		if len(targetKeys) == 0 {
			return nil
		}
		f, added := relatedFilter(inc, link.TargetKey, targetKeys, true)
		found, err := target.Find(ctx, f)
		if err != nil {
			return fmt.Errorf("include %s: %w", name, err)
		}
		byKey := make(map[any]connector.Record, len(found))
		rank := make(map[any]int, len(found))
		for i, t := range found {
			k := relationKey(t[link.TargetKey])
			byKey[k] = t
			rank[k] = i
		}
		groups := map[any][]connector.Record{}
		for _, l := range links {
			src := relationKey(l[link.ThroughFrom])
			if t, ok := byKey[relationKey(l[link.ThroughTo])]; ok {
				groups[src] = append(groups[src], t)
			}
		}
		for _, p := range parents {
			list := groups[relationKey(p[link.SourceKey])]
			// Keep the target query's order (the scope's order, or ids).
			slices.SortStableFunc(list, func(a, b connector.Record) int {
				return rank[relationKey(a[link.TargetKey])] - rank[relationKey(b[link.TargetKey])]
			})
			if list = page(list); len(list) > 0 {
				p[name] = records(list)
			}
		}
		if added {
			for _, t := range found {
				delete(t, link.TargetKey)
			}
		}
	}
	return nil
}

// includeBelongsTo includes a belongsTo relation: one query for the
// instances the parents' keys name.
func includeBelongsTo(ctx context.Context, parents []connector.Record, inc filter.Inclusion, link *model.Link, target *Model, keys []any) error {
	name := link.Relation.Name
	f, added := relatedFilter(inc, link.TargetKey, keys, false)
	found, err := target.Find(ctx, f)
	if err != nil {
		return fmt.Errorf("include %s: %w", name, err)
	}
	byKey := make(map[any]connector.Record, len(found))
	for _, t := range found {
		byKey[relationKey(t[link.TargetKey])] = t
	}
	for _, p := range parents {
		if t, ok := byKey[relationKey(p[link.SourceKey])]; ok {
			p[name] = t
		}
	}
	if added {
		for _, t := range found {
			delete(t, link.TargetKey)
		}
	}
	return nil
}

// includePolymorphic includes a polymorphic belongsTo relation: the
// parents are grouped by their discriminator, and each group costs one
// query on the model it names. A parent whose discriminator names no
// model of the relation gets nothing.
func (m *Model) includePolymorphic(ctx context.Context, parents []connector.Record, inc filter.Inclusion, link *model.Link) error {
	reg, _ := m.related.Load().(*Registry)
	groups := map[string][]connector.Record{}
	for _, p := range parents {
		if t, ok := p[link.Relation.Polymorphic].(string); ok && p[link.SourceKey] != nil {
			groups[t] = append(groups[t], p)
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(groups)) {
		concrete, target, err := reg.polymorphicTarget(link, typ)
		if err != nil {
			continue
		}
		group := groups[typ]
		if err := includeBelongsTo(ctx, group, inc, concrete, target, distinctKeys(group, link.SourceKey)); err != nil {
			return err
		}
	}
	return nil
}

// includePolymorphicHasOne includes a polymorphic hasOne relation: the
// discriminator of each parent names the model (the target or one based
// on it) whose instance holds the foreign key; the parents are grouped by
// it and each group costs one query on the model it names.
func (m *Model) includePolymorphicHasOne(ctx context.Context, parents []connector.Record, inc filter.Inclusion, link *model.Link) error {
	reg, _ := m.related.Load().(*Registry)
	groups := map[string][]connector.Record{}
	for _, p := range parents {
		if t, ok := p[link.Relation.Polymorphic].(string); ok && p[link.SourceKey] != nil {
			groups[t] = append(groups[t], p)
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(groups)) {
		target, ok := reg.concreteTarget(link, typ)
		if !ok {
			continue
		}
		group := groups[typ]
		f, added := relatedFilter(inc, link.TargetKey, distinctKeys(group, link.SourceKey), true)
		found, err := target.Find(ctx, f)
		if err != nil {
			return fmt.Errorf("include %s: %w", link.Relation.Name, err)
		}
		first := map[any]connector.Record{}
		for _, t := range found {
			if k := relationKey(t[link.TargetKey]); first[k] == nil {
				first[k] = t
			}
		}
		for _, p := range group {
			if t := first[relationKey(p[link.SourceKey])]; t != nil {
				p[link.Relation.Name] = t
			}
		}
		if added {
			for _, t := range found {
				delete(t, link.TargetKey)
			}
		}
	}
	return nil
}

// includePolymorphicThrough includes a polymorphic hasManyThrough
// relation: the discriminator of each through instance names the model
// of the instance it links to, and each model named costs one query. A
// parent's related instances are in the order of its through instances.
func (m *Model) includePolymorphicThrough(ctx context.Context, parents []connector.Record, inc filter.Inclusion, link *model.Link, links []connector.Record, page func([]connector.Record) []connector.Record) error {
	reg, _ := m.related.Load().(*Registry)
	byType := map[string][]connector.Record{}
	for _, l := range links {
		if t, ok := l[link.Relation.Polymorphic].(string); ok && l[link.ThroughTo] != nil {
			byType[t] = append(byType[t], l)
		}
	}
	type typedKey struct {
		typ string
		key any
	}
	byKey := map[typedKey]connector.Record{}
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		target, ok := reg.concreteTarget(link, typ)
		if !ok {
			continue
		}
		targetKey := link.TargetKey
		if link.Relation.KeyTo == "" {
			targetKey = target.def.IDName()
		}
		f, added := relatedFilter(inc, targetKey, distinctKeys(byType[typ], link.ThroughTo), true)
		found, err := target.Find(ctx, f)
		if err != nil {
			return fmt.Errorf("include %s: %w", link.Relation.Name, err)
		}
		for _, t := range found {
			byKey[typedKey{typ, relationKey(t[targetKey])}] = t
		}
		if added {
			for _, t := range found {
				delete(t, targetKey)
			}
		}
	}
	groups := map[any][]connector.Record{}
	for _, l := range links {
		typ, _ := l[link.Relation.Polymorphic].(string)
		if t, ok := byKey[typedKey{typ, relationKey(l[link.ThroughTo])}]; ok {
			src := relationKey(l[link.ThroughFrom])
			groups[src] = append(groups[src], t)
		}
	}
	for _, p := range parents {
		if list := page(groups[relationKey(p[link.SourceKey])]); len(list) > 0 {
			p[link.Relation.Name] = records(list)
		}
	}
	return nil
}

// concreteTarget returns the repository of the model called typ when it
// is the target of link or a model based on it.
func (r *Registry) concreteTarget(link *model.Link, typ string) (*Model, bool) {
	t, ok := r.Repository(typ)
	if !ok || t.def.Name != link.Target.Name && t.def.Base != link.Target.Name {
		return nil, false
	}
	return t, true
}

// polymorphicTarget returns the link of a polymorphic belongsTo relation
// to the model called typ and its repository; typ must be the relation's
// target or a model whose base it is (fault.BadRequest otherwise).
func (r *Registry) polymorphicTarget(link *model.Link, typ string) (*model.Link, *Model, error) {
	t, ok := r.Repository(typ)
	if !ok || t.def.Name != link.Target.Name && t.def.Base != link.Target.Name {
		return nil, nil, fault.New(fault.BadRequest, "INVALID_POLYMORPHIC_TYPE",
			fmt.Sprintf("%s %q is not %s or a model based on it", link.Relation.Polymorphic, typ, link.Target.Name))
	}
	concrete := *link
	concrete.Target = t.def
	if link.Relation.KeyTo == "" {
		concrete.TargetKey = t.def.IDName()
	}
	return &concrete, t, nil
}

// includeReferences includes a referencesMany relation: one query for the
// instances every parent's key array names, put in each parent in the
// order of its array (keys that name nothing are skipped); the scope's
// limit and skip apply per parent.
func (m *Model) includeReferences(ctx context.Context, parents []connector.Record, inc filter.Inclusion, link *model.Link, target *Model) error {
	name := link.Relation.Name
	keys := distinctKeys(flatKeys(parents, link.SourceKey), link.SourceKey)
	if len(keys) == 0 {
		return nil
	}
	f, added := relatedFilter(inc, link.TargetKey, keys, true)
	found, err := target.Find(ctx, f)
	if err != nil {
		return fmt.Errorf("include %s: %w", name, err)
	}
	byKey := make(map[any]connector.Record, len(found))
	for _, t := range found {
		byKey[relationKey(t[link.TargetKey])] = t
	}
	var skip, limit int
	if inc.Scope != nil {
		skip, limit = inc.Scope.Skip, inc.Scope.Limit
	}
	for _, p := range parents {
		arr, _ := p[link.SourceKey].([]any)
		var list []connector.Record
		for _, k := range arr {
			if t, ok := byKey[relationKey(k)]; ok {
				list = append(list, t)
			}
		}
		if list = filter.Page(list, limit, skip); len(list) > 0 {
			p[name] = records(list)
		}
	}
	if added {
		for _, t := range found {
			delete(t, link.TargetKey)
		}
	}
	return nil
}

// flatKeys returns one record {prop: key} per element of the prop arrays
// of recs.
func flatKeys(recs []connector.Record, prop string) []connector.Record {
	var out []connector.Record
	for _, r := range recs {
		arr, _ := r[prop].([]any)
		for _, k := range arr {
			out = append(out, connector.Record{prop: k})
		}
	}
	return out
}

// pagesPerPartition reports whether the inclusion's limit and skip per
// parent go to the connector (a connector.PartitionLimiter): there is one
// of them, no totalLimit, and no order across a relation in the scope.
func (m *Model) pagesPerPartition(inc filter.Inclusion, limit, skip int) bool {
	pl, ok := m.conn.(connector.PartitionLimiter)
	if !ok || !pl.LimitsPerPartition() || limit == 0 && skip == 0 || inc.TotalLimit > 0 {
		return false
	}
	for _, o := range inc.Scope.Order {
		if strings.Contains(o.Property, ".") {
			return false
		}
	}
	return true
}

// records converts a list of records to a record array value.
func records(list []connector.Record) []any {
	out := make([]any, len(list))
	for i, r := range list {
		out[i] = r
	}
	return out
}
