package repository

import (
	"context"
	"fmt"
	"reflect"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// RelatedOf is the typed form of [Related] for a target model T.
//
//	todos, err := repository.RelatedTo[Todo](lists.Model(), "todos")
//	mine, err := todos.Find(ctx, listID, nil)
type RelatedOf[T any] struct {
	r *Related
}

// RelatedTo returns the typed repository of relation name of source; T
// must be the Go type the target model's definition was built from.
func RelatedTo[T any](source *Model, name string) (*RelatedOf[T], error) {
	r, err := source.Related(name)
	if err != nil {
		return nil, err
	}
	if t := reflect.TypeFor[T](); r.target.def.GoType() != t {
		return nil, fmt.Errorf("relation %s of %s: target %s was built from %v, not %v",
			name, source.def.Name, r.target.def.Name, r.target.def.GoType(), t)
	}
	return &RelatedOf[T]{r: r}, nil
}

// Untyped returns the record-level relation repository.
func (t *RelatedOf[T]) Untyped() *Related { return t.r }

func (t *RelatedOf[T]) def() *model.Definition { return t.r.target.def }

func (t *RelatedOf[T]) entity(rec connector.Record) (*T, error) {
	v := new(T)
	if err := model.FromRecordInto(t.def(), rec, v); err != nil {
		return nil, fmt.Errorf("%s from record: %w", t.def().Name, err)
	}
	return v, nil
}

// Find returns the related instances that match f.
func (t *RelatedOf[T]) Find(ctx context.Context, sourceID any, f *filter.Filter) ([]T, error) {
	recs, err := t.r.Find(ctx, sourceID, f)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(recs))
	for i, rec := range recs {
		if err := model.FromRecordInto(t.def(), rec, &out[i]); err != nil {
			return nil, fmt.Errorf("%s from record: %w", t.def().Name, err)
		}
	}
	return out, nil
}

// Get returns the one related instance of a belongsTo or hasOne relation
// (nil, nil for a belongsTo whose foreign key has no value; see
// [Related.Get]).
func (t *RelatedOf[T]) Get(ctx context.Context, sourceID any, f *filter.Filter) (*T, error) {
	rec, err := t.r.Get(ctx, sourceID, f)
	if err != nil || rec == nil {
		return nil, err
	}
	return t.entity(rec)
}

// Create creates a related instance (see [Related.Create]).
func (t *RelatedOf[T]) Create(ctx context.Context, sourceID any, e *T) (*T, error) {
	if e == nil {
		return nil, fault.New(fault.BadRequest, "MISSING_REQUIRED_PARAMETER", fmt.Sprintf("%s: the instance is required", t.def().Name))
	}
	rec, err := model.ToRecord(t.def(), e)
	if err != nil {
		return nil, fmt.Errorf("%s to record: %w", t.def().Name, err)
	}
	// A zero foreign key in a Go value means "not set": the relation sets it.
	if fk := t.r.link.TargetKey; t.r.link.Relation.Type != model.HasManyThrough {
		if v, ok := rec[fk]; ok && (v == int64(0) || v == "" || v == 0.0) {
			delete(rec, fk)
		}
	}
	created, err := t.r.Create(ctx, sourceID, rec)
	if err != nil {
		return nil, err
	}
	return t.entity(created)
}

// UpdateAll applies data to the related instances that match w.
func (t *RelatedOf[T]) UpdateAll(ctx context.Context, sourceID any, data Patch, w *filter.Where) (int64, error) {
	return t.r.UpdateAll(ctx, sourceID, connector.Record(data), w)
}

// DeleteAll deletes the related instances that match w.
func (t *RelatedOf[T]) DeleteAll(ctx context.Context, sourceID any, w *filter.Where) (int64, error) {
	return t.r.DeleteAll(ctx, sourceID, w)
}

// Link relates the existing target instance with id targetID to the
// source instance (see [Related.Link]).
func (t *RelatedOf[T]) Link(ctx context.Context, sourceID, targetID any, throughData Patch) error {
	_, err := t.r.Link(ctx, sourceID, targetID, connector.Record(throughData))
	return err
}

// Unlink removes the link between the source and the target instance (see
// [Related.Unlink]).
func (t *RelatedOf[T]) Unlink(ctx context.Context, sourceID, targetID any) (int64, error) {
	return t.r.Unlink(ctx, sourceID, targetID)
}

// UnlinkAll removes every link of the source instance (see
// [Related.UnlinkAll]).
func (t *RelatedOf[T]) UnlinkAll(ctx context.Context, sourceID any) (int64, error) {
	return t.r.UnlinkAll(ctx, sourceID)
}
