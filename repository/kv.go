package repository

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// KV is the typed key-value repository of T (LoopBack's
// DefaultKeyValueRepository): instances stored under string keys, with
// optional expiry, on a connector that implements [connector.KeyValue]. It
// is safe for concurrent use.
type KV[T any] struct {
	kv  connector.KeyValue
	def *model.Definition
}

// NewKV returns the key-value repository of T on kv; def is the definition
// built for T (or any definition when T is map[string]any).
func NewKV[T any](kv connector.KeyValue, def *model.Definition) *KV[T] {
	return &KV[T]{kv: kv, def: def}
}

// Get returns the value under key; ok is false when there is none.
func (r *KV[T]) Get(ctx context.Context, key string) (v T, ok bool, err error) {
	rec, ok, err := r.kv.Get(ctx, r.def, key)
	if err != nil || !ok {
		return v, false, err
	}
	if err := model.FromRecordInto(r.def, rec, &v); err != nil {
		return v, false, fmt.Errorf("%s from record: %w", r.def.Name, err)
	}
	return v, true, nil
}

// Set stores v under key; a ttl of 0 means no expiry.
func (r *KV[T]) Set(ctx context.Context, key string, v *T, ttl time.Duration) error {
	if v == nil {
		return fault.New(fault.BadRequest, "MISSING_REQUIRED_PARAMETER", fmt.Sprintf("set %s %q: the value is required", r.def.Name, key))
	}
	rec, err := model.ToRecord(r.def, v)
	if err != nil {
		return fmt.Errorf("%s to record: %w", r.def.Name, err)
	}
	return r.kv.Set(ctx, r.def, key, rec, ttl)
}

// Delete removes key (a missing key is not an error).
func (r *KV[T]) Delete(ctx context.Context, key string) error {
	return r.kv.Delete(ctx, r.def, key)
}

// DeleteAll removes every key of the model.
func (r *KV[T]) DeleteAll(ctx context.Context) error {
	return r.kv.DeleteAllKeys(ctx, r.def)
}

// Expire sets the TTL of an existing key (fault.NotFound when missing).
func (r *KV[T]) Expire(ctx context.Context, key string, ttl time.Duration) error {
	return r.kv.Expire(ctx, r.def, key, ttl)
}

// TTL returns the time left before key expires, or connector.NoExpiry.
func (r *KV[T]) TTL(ctx context.Context, key string) (time.Duration, error) {
	return r.kv.TTL(ctx, r.def, key)
}

// Keys iterates over the keys that match a glob pattern ("" or "*": all).
//
//	for key, err := range r.Keys(ctx, "session:*") { ... }
func (r *KV[T]) Keys(ctx context.Context, pattern string) iter.Seq2[string, error] {
	return r.kv.Keys(ctx, r.def, pattern)
}
