package repository

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// The link methods of a hasManyThrough relation (LoopBack's
// HasManyThroughRepository link, unlink and unlinkAll) write the through
// model's instances only: the source and target instances stay.

// mustBeThrough returns an error unless r is a hasManyThrough relation.
func (r *Related) mustBeThrough(op string) error {
	if r.link.Relation.Type != model.HasManyThrough {
		return fault.New(fault.BadRequest, "INVALID_RELATION",
			fmt.Sprintf("cannot %s through %s relation %s: only hasManyThrough relations have links", op, r.link.Relation.Type, r.link.Relation.Name))
	}
	return r.polymorphicWrite(op)
}

// linkWhere selects the through instances of the source key (and of the
// target key when it is not nil).
func (r *Related) linkWhere(sourceKey, targetKey any) *filter.Where {
	w := &filter.Where{Conds: []filter.Cond{{Path: r.link.ThroughFrom, Op: filter.Eq, Value: sourceKey}}}
	if targetKey != nil {
		w.Conds = append(w.Conds, filter.Cond{Path: r.link.ThroughTo, Op: filter.Eq, Value: targetKey})
	}
	return w
}

// Link relates the existing target instance with id targetID to the
// source instance with id sourceID, creating the through instance with
// throughData (may be nil) and both keys. A missing source or target is
// ENTITY_NOT_FOUND naming it; a pair that is already linked is a
// fault.Conflict. It returns the through instance created.
func (r *Related) Link(ctx context.Context, sourceID, targetID any, throughData connector.Record) (connector.Record, error) {
	if err := r.mustBeThrough("link"); err != nil {
		return nil, err
	}
	idv, err := r.source.idValue(sourceID)
	if err != nil {
		return nil, err
	}
	var created connector.Record
	err = r.through.atomically(ctx, func(ctx context.Context) error {
		key, err := r.existingSourceKey(ctx, idv)
		if err != nil {
			return err
		}
		if err := r.target.mustExist(ctx, r.link.TargetKey, targetID); err != nil {
			return err
		}
		tk, err := r.targetKeyValue(targetID)
		if err != nil {
			return err
		}
		n, err := r.through.conn.Count(ctx, r.through.def, r.linkWhere(key, tk))
		if err != nil {
			return fmt.Errorf("count %s: %w", r.through.def.Name, err)
		}
		if n > 0 {
			return fault.New(fault.Conflict, "ALREADY_LINKED",
				fmt.Sprintf("%s %v is already linked to %s %v through %s", r.source.def.Name, idv, r.target.def.Name, tk, r.through.def.Name))
		}
		rec := make(connector.Record, len(throughData)+2)
		for k, v := range throughData {
			rec[k] = v
		}
		rec[r.link.ThroughFrom], rec[r.link.ThroughTo] = key, tk
		created, err = r.through.Create(ctx, rec)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// targetKeyValue converts a target key to its property's type.
func (r *Related) targetKeyValue(v any) (any, error) {
	if r.link.TargetKey == r.target.idName {
		return r.target.idValue(v)
	}
	return v, nil
}

// Unlink removes the link between the source instance with id sourceID
// and the target instance with id targetID (its through instances), and
// reports how many through instances were deleted (0 when they were not
// linked). The target instance stays.
func (r *Related) Unlink(ctx context.Context, sourceID, targetID any) (int64, error) {
	if err := r.mustBeThrough("unlink"); err != nil {
		return 0, err
	}
	key, err := r.sourceKey(ctx, sourceID)
	if err != nil || key == nil {
		return 0, err
	}
	tk, err := r.targetKeyValue(targetID)
	if err != nil {
		return 0, err
	}
	return r.through.DeleteAll(ctx, r.linkWhere(key, tk))
}

// UnlinkAll removes every link of the source instance with id sourceID and
// reports how many through instances were deleted. The target instances
// stay.
func (r *Related) UnlinkAll(ctx context.Context, sourceID any) (int64, error) {
	if err := r.mustBeThrough("unlink"); err != nil {
		return 0, err
	}
	key, err := r.sourceKey(ctx, sourceID)
	if err != nil || key == nil {
		return 0, err
	}
	return r.through.DeleteAll(ctx, r.linkWhere(key, nil))
}
