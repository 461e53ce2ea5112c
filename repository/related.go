package repository

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Related is the repository of the instances related to one source
// instance through a relation (LoopBack's HasManyRepository,
// HasOneRepository, BelongsToAccessor and HasManyThroughRepository): the
// relation endpoints (GET|POST|PATCH|DELETE /todo-lists/{id}/todos) call
// it. Get it with [Model.Related]; the model must be in a [Registry] with
// the relation's target (and through) models.
//
// Every method takes the source instance's id. Queries are constrained to
// the related instances: a where clause given by the caller is and-ed with
// the relation's constraint. The foreign key cannot be changed through a
// relation (fault.BadRequest).
type Related struct {
	source  *Model
	link    *model.Link
	target  *Model
	through *Model
}

// Related returns the repository of the relation called name.
func (m *Model) Related(name string) (*Related, error) {
	reg, _ := m.related.Load().(*Registry)
	if reg == nil {
		return nil, fault.New(fault.NotImplemented, "NOT_IMPLEMENTED",
			fmt.Sprintf("relation %s of %s: the repository is not in a repository.Registry", name, m.def.Name))
	}
	link, target, through, err := reg.link(m.def, name)
	if err != nil {
		return nil, fmt.Errorf("relation %s of %s: %w", name, m.def.Name, err)
	}
	return &Related{source: m, link: link, target: target, through: through}, nil
}

// Type returns the relation's type.
func (r *Related) Type() model.RelationType { return r.link.Relation.Type }

// Target returns the repository of the related model.
func (r *Related) Target() *Model { return r.target }

// sourceKey returns the value of the relation's key on the source instance
// with sourceID: the id itself when the key is the id, else read from the
// instance (ENTITY_NOT_FOUND when it does not exist).
func (r *Related) sourceKey(ctx context.Context, sourceID any) (any, error) {
	idv, err := r.source.idValue(sourceID)
	if err != nil {
		return nil, err
	}
	if r.link.SourceKey == r.source.idName {
		return idv, nil
	}
	src, err := r.source.conn.Find(ctx, r.source.def, &filter.Filter{Where: r.source.scopedWhere(r.source.idWhere(idv)), Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", r.source.def.Name, err)
	}
	if len(src) == 0 {
		return nil, connector.NotFoundError(r.source.def, idv)
	}
	return src[0][r.link.SourceKey], nil
}

// constraint is the where clause selecting the related instances of the
// source instance with sourceID; none is false when there are none at all.
func (r *Related) constraint(ctx context.Context, sourceID any) (w *filter.Where, none bool, err error) {
	key, err := r.sourceKey(ctx, sourceID)
	if err != nil {
		return nil, false, err
	}
	if key == nil {
		return nil, true, nil
	}
	if r.link.Relation.Type == model.ReferencesMany {
		arr, _ := key.([]any)
		if len(arr) == 0 {
			return nil, true, nil
		}
		return &filter.Where{Conds: []filter.Cond{{Path: r.link.TargetKey, Op: filter.Inq, Value: arr}}}, false, nil
	}
	if r.link.Relation.Type != model.HasManyThrough {
		return &filter.Where{Conds: []filter.Cond{{Path: r.link.TargetKey, Op: filter.Eq, Value: key}}}, false, nil
	}
	links, err := r.through.Find(ctx, &filter.Filter{
		Where: &filter.Where{Conds: []filter.Cond{{Path: r.link.ThroughFrom, Op: filter.Eq, Value: key}}},
	})
	if err != nil {
		return nil, false, err
	}
	keys := distinctKeys(links, r.link.ThroughTo)
	if len(keys) == 0 {
		return nil, true, nil
	}
	return &filter.Where{Conds: []filter.Cond{{Path: r.link.TargetKey, Op: filter.Inq, Value: keys}}}, false, nil
}

// Find returns the related instances that match f.
func (r *Related) Find(ctx context.Context, sourceID any, f *filter.Filter) ([]connector.Record, error) {
	if r.polymorphicMany() {
		v, err := r.viaInclude(ctx, sourceID, f)
		list, _ := v.([]any)
		out := make([]connector.Record, 0, len(list))
		for _, x := range list {
			out = append(out, x.(connector.Record))
		}
		return out, err
	}
	c, none, err := r.constraint(ctx, sourceID)
	if err != nil {
		return nil, err
	}
	if none {
		return []connector.Record{}, nil
	}
	q := &filter.Filter{}
	if f != nil {
		q = f.Clone()
	}
	q.Where = andWhere(q.Where, c)
	return r.target.Find(ctx, q)
}

// Get returns the one related instance of a belongsTo or hasOne relation;
// ENTITY_NOT_FOUND when there is none. A belongsTo whose foreign key has no
// value gives (nil, nil), as LoopBack's belongsTo accessor answers
// undefined (and its REST endpoint 204 No Content).
func (r *Related) Get(ctx context.Context, sourceID any, f *filter.Filter) (connector.Record, error) {
	if r.link.Relation.Type == model.HasOne && r.link.Relation.Polymorphic != "" {
		v, err := r.viaInclude(ctx, sourceID, f)
		if err != nil {
			return nil, err
		}
		rec, ok := v.(connector.Record)
		if !ok {
			// As for hasOne: LoopBack names the constraint in place of an id.
			key, _ := r.sourceKey(ctx, sourceID)
			c, _ := json.Marshal(map[string]any{r.link.TargetKey: key})
			return nil, connector.NotFoundError(r.target.def, "constraint "+string(c))
		}
		return rec, nil
	}
	switch r.link.Relation.Type {
	case model.BelongsTo:
		if r.link.Relation.Polymorphic != "" {
			return r.getPolymorphic(ctx, sourceID, f)
		}
		key, err := r.sourceKey(ctx, sourceID)
		if err != nil {
			return nil, err
		}
		if key == nil {
			return nil, nil
		}
		if r.link.TargetKey == r.target.idName {
			return r.target.FindByID(ctx, key, f)
		}
		q := &filter.Filter{}
		if f != nil {
			q = f.Clone()
		}
		q.Where = andWhere(q.Where, &filter.Where{Conds: []filter.Cond{{Path: r.link.TargetKey, Op: filter.Eq, Value: key}}})
		rec, err := r.target.FindOne(ctx, q)
		if err == nil && rec == nil {
			err = connector.NotFoundError(r.target.def, key)
		}
		return rec, err
	case model.HasOne:
		q := &filter.Filter{}
		if f != nil {
			q = f.Clone()
		}
		q.Limit = 1
		found, err := r.Find(ctx, sourceID, q)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			// LoopBack names the constraint in place of an id.
			key, _ := r.sourceKey(ctx, sourceID)
			c, _ := json.Marshal(map[string]any{r.link.TargetKey: key})
			return nil, connector.NotFoundError(r.target.def, "constraint "+string(c))
		}
		return found[0], nil
	}
	return nil, fault.New(fault.BadRequest, "INVALID_RELATION",
		fmt.Sprintf("relation %s is a %s relation: use Find", r.link.Relation.Name, r.link.Relation.Type))
}

// checkForeignKey refuses data that would move an instance to another
// source.
func (r *Related) checkForeignKey(data connector.Record, key any) error {
	if r.link.Relation.Type == model.HasManyThrough {
		return nil
	}
	if v, ok := data[r.link.TargetKey]; ok && v != nil && !sameID(v, key) {
		return fault.New(fault.BadRequest, "INVALID_BODY_DEFINITION",
			fmt.Sprintf("Property %q cannot be changed!", r.link.TargetKey))
	}
	return nil
}

// Create creates a related instance: for hasMany and hasOne with the
// foreign key set to the source's key; for hasManyThrough the target and
// the link instance. A hasOne source that already has its instance gives
// a fault.Conflict. The source instance must exist: a missing one is
// ENTITY_NOT_FOUND naming it ("Entity not found: TodoList with id 99"),
// on every connector. The check and the writes run in one transaction
// when the connector has them.
func (r *Related) Create(ctx context.Context, sourceID any, data connector.Record) (connector.Record, error) {
	return r.CreateWith(ctx, sourceID, data, nil)
}

// CreateWith is [Related.Create] for a hasManyThrough relation with data
// for the through instance too (LoopBack's create with throughData): the
// through instance gets throughData and both keys. For other relations
// throughData must be empty.
func (r *Related) CreateWith(ctx context.Context, sourceID any, data, throughData connector.Record) (connector.Record, error) {
	if err := r.polymorphicWrite("create"); err != nil {
		return nil, err
	}
	if len(throughData) > 0 && r.link.Relation.Type != model.HasManyThrough {
		return nil, fault.New(fault.BadRequest, "INVALID_RELATION",
			fmt.Sprintf("relation %s is a %s relation: it has no through model", r.link.Relation.Name, r.link.Relation.Type))
	}
	if t := r.link.Relation.Type; t == model.BelongsTo || t == model.ReferencesMany {
		return nil, fault.New(fault.BadRequest, "INVALID_RELATION",
			fmt.Sprintf("cannot create through %s relation %s", t, r.link.Relation.Name))
	}
	idv, err := r.source.idValue(sourceID)
	if err != nil {
		return nil, err
	}
	var created connector.Record
	err = r.target.atomically(ctx, func(ctx context.Context) error {
		key, err := r.existingSourceKey(ctx, idv)
		if err != nil {
			return err
		}
		if err := r.checkForeignKey(data, key); err != nil {
			return err
		}
		rec := make(connector.Record, len(data)+1)
		for k, v := range data {
			rec[k] = v
		}
		if r.link.Relation.Type == model.HasOne {
			// A source has at most one: a second is a conflict, as a
			// unique foreign key would make it on a SQL database.
			n, err := r.target.conn.Count(ctx, r.target.def, r.target.scopedWhere(
				&filter.Where{Conds: []filter.Cond{{Path: r.link.TargetKey, Op: filter.Eq, Value: key}}}))
			if err != nil {
				return fmt.Errorf("count %s: %w", r.target.def.Name, err)
			}
			if n > 0 {
				return connector.DuplicateError(r.target.def, r.link.TargetKey)
			}
		}
		if r.link.Relation.Type != model.HasManyThrough {
			rec[r.link.TargetKey] = key
			created, err = r.target.Create(ctx, rec)
			return err
		}
		if created, err = r.target.Create(ctx, rec); err != nil {
			return err
		}
		link := make(connector.Record, len(throughData)+2)
		for k, v := range throughData {
			link[k] = v
		}
		link[r.link.ThroughFrom], link[r.link.ThroughTo] = key, created[r.link.TargetKey]
		_, err = r.through.Create(ctx, link)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// existingSourceKey returns the relation's key on the source instance
// with id idv, which must exist (ENTITY_NOT_FOUND naming the source
// otherwise).
func (r *Related) existingSourceKey(ctx context.Context, idv any) (any, error) {
	if r.link.SourceKey == r.source.idName {
		if err := r.source.mustExist(ctx, r.source.idName, idv); err != nil {
			return nil, err
		}
		return idv, nil
	}
	return r.sourceKey(ctx, idv)
}

// UpdateAll applies data to the related instances that match w and returns
// how many matched.
func (r *Related) UpdateAll(ctx context.Context, sourceID any, data connector.Record, w *filter.Where) (int64, error) {
	if err := r.polymorphicWrite("update"); err != nil {
		return 0, err
	}
	if t := r.link.Relation.Type; t == model.BelongsTo || t == model.ReferencesMany {
		return 0, fault.New(fault.BadRequest, "INVALID_RELATION",
			fmt.Sprintf("cannot update through %s relation %s", t, r.link.Relation.Name))
	}
	c, none, err := r.constraint(ctx, sourceID)
	if err != nil {
		return 0, err
	}
	if none {
		return 0, nil
	}
	if r.link.Relation.Type != model.HasManyThrough {
		if err := r.checkForeignKey(data, c.Conds[0].Value); err != nil {
			return 0, err
		}
	}
	return r.target.UpdateAll(ctx, data, andWhere(w, c))
}

// DeleteAll deletes the related instances that match w and returns how
// many were deleted; for hasManyThrough their link instances go too.
func (r *Related) DeleteAll(ctx context.Context, sourceID any, w *filter.Where) (int64, error) {
	if err := r.polymorphicWrite("delete"); err != nil {
		return 0, err
	}
	if t := r.link.Relation.Type; t == model.BelongsTo || t == model.ReferencesMany {
		return 0, fault.New(fault.BadRequest, "INVALID_RELATION",
			fmt.Sprintf("cannot delete through %s relation %s", t, r.link.Relation.Name))
	}
	c, none, err := r.constraint(ctx, sourceID)
	if err != nil || none {
		return 0, err
	}
	if r.link.Relation.Type != model.HasManyThrough {
		return r.target.DeleteAll(ctx, andWhere(w, c))
	}
	var n int64
	err = r.target.atomically(ctx, func(ctx context.Context) error {
		doomed, err := r.target.Find(ctx, &filter.Filter{Where: andWhere(w, c)})
		if err != nil {
			return err
		}
		keys := distinctKeys(doomed, r.link.TargetKey)
		if len(keys) == 0 {
			return nil
		}
		if n, err = r.target.DeleteAll(ctx, &filter.Where{Conds: []filter.Cond{{Path: r.link.TargetKey, Op: filter.Inq, Value: keys}}}); err != nil {
			return err
		}
		_, err = r.through.DeleteAll(ctx, &filter.Where{Conds: []filter.Cond{{Path: r.link.ThroughTo, Op: filter.Inq, Value: keys}}})
		return err
	})
	return n, err
}

// getPolymorphic returns the instance a polymorphic belongsTo relation of
// the source instance with sourceID refers to, in the model its
// discriminator names; (nil, nil) when its key or discriminator has no
// value.
func (r *Related) getPolymorphic(ctx context.Context, sourceID any, f *filter.Filter) (connector.Record, error) {
	idv, err := r.source.idValue(sourceID)
	if err != nil {
		return nil, err
	}
	src, err := r.source.conn.Find(ctx, r.source.def, &filter.Filter{Where: r.source.scopedWhere(r.source.idWhere(idv)), Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", r.source.def.Name, err)
	}
	if len(src) == 0 {
		return nil, connector.NotFoundError(r.source.def, idv)
	}
	key, typ := src[0][r.link.SourceKey], src[0][r.link.Relation.Polymorphic]
	name, _ := typ.(string)
	if key == nil || name == "" {
		return nil, nil
	}
	reg, _ := r.source.related.Load().(*Registry)
	concrete, target, err := reg.polymorphicTarget(r.link, name)
	if err != nil {
		return nil, err
	}
	q := &filter.Filter{}
	if f != nil {
		q = f.Clone()
	}
	q.Where = andWhere(q.Where, &filter.Where{Conds: []filter.Cond{{Path: concrete.TargetKey, Op: filter.Eq, Value: key}}})
	rec, err := target.FindOne(ctx, q)
	if err == nil && rec == nil {
		err = connector.NotFoundError(target.def, key)
	}
	return rec, err
}

// polymorphicMany reports whether r is a polymorphic hasManyThrough
// relation, whose instances live in the models the through instances'
// discriminator names.
func (r *Related) polymorphicMany() bool {
	return r.link.Relation.Type == model.HasManyThrough && r.link.Relation.Polymorphic != ""
}

// polymorphicWrite refuses writes through a polymorphic hasOne or
// hasManyThrough relation, whose target model depends on a discriminator:
// write the concrete model's repository instead.
func (r *Related) polymorphicWrite(op string) error {
	if t := r.link.Relation.Type; (t == model.HasOne || t == model.HasManyThrough) && r.link.Relation.Polymorphic != "" {
		return fault.New(fault.BadRequest, "INVALID_RELATION",
			fmt.Sprintf("cannot %s through polymorphic %s relation %s: write the model its %s names", op, t, r.link.Relation.Name, r.link.Relation.Polymorphic))
	}
	return nil
}

// viaInclude reads the related instances of a polymorphic relation of the
// source instance with sourceID as inclusion does (scope f), and returns
// what inclusion puts under the relation's name (nil for none).
func (r *Related) viaInclude(ctx context.Context, sourceID any, f *filter.Filter) (any, error) {
	idv, err := r.source.idValue(sourceID)
	if err != nil {
		return nil, err
	}
	src, err := r.source.conn.Find(ctx, r.source.def, &filter.Filter{Where: r.source.scopedWhere(r.source.idWhere(idv)), Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", r.source.def.Name, err)
	}
	if len(src) == 0 {
		return nil, connector.NotFoundError(r.source.def, idv)
	}
	if err := r.source.includeOne(ctx, src, filter.Inclusion{Relation: r.link.Relation.Name, Scope: f}, r.link, r.target, r.through); err != nil {
		return nil, err
	}
	return src[0][r.link.Relation.Name], nil
}
