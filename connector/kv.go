package connector

import (
	"context"
	"iter"
	"time"

	"github.com/loopback-go/lb/model"
)

// KeyValue is implemented by connectors that store model instances under
// string keys (LoopBack's key-value connectors: memory, Redis). Keys are
// namespaced by model: the same key of two models names two entries.
//
// TTLs have at least millisecond precision; an entry whose TTL has run out
// is gone (Get reports it missing, Keys does not list it).
type KeyValue interface {
	// Get returns the value stored under key; ok is false when there is
	// none (not an error).
	Get(ctx context.Context, def *model.Definition, key string) (value Record, ok bool, err error)
	// Set stores value under key, replacing any value and TTL there. A ttl
	// of 0 (or less) means the entry does not expire.
	Set(ctx context.Context, def *model.Definition, key string, value Record, ttl time.Duration) error
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, def *model.Definition, key string) error
	// DeleteAllKeys removes every key of the model. (It is not called
	// DeleteAll so that one type can implement both KeyValue and
	// Connector.)
	DeleteAllKeys(ctx context.Context, def *model.Definition) error
	// Expire sets the TTL of an existing key; a missing key is a
	// fault.NotFound error.
	Expire(ctx context.Context, def *model.Definition, key string, ttl time.Duration) error
	// TTL returns the time left before key expires, or [NoExpiry] when it
	// does not expire; a missing key is a fault.NotFound error.
	TTL(ctx context.Context, def *model.Definition, key string) (time.Duration, error)
	// Keys iterates over the model's keys that match a glob pattern, in no
	// particular order: '*' matches any run of characters, '?' one
	// character, [abc] and [a-z] a class ([^a] negates), and '\' escapes the
	// next character. An empty pattern matches every key. An error ends the
	// iteration with ("", err).
	Keys(ctx context.Context, def *model.Definition, pattern string) iter.Seq2[string, error]
}

// NoExpiry is the TTL of a key that does not expire.
const NoExpiry time.Duration = -1
