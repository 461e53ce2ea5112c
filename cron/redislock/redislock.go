package redislock

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loopback-go/lb/cron"
)

// DefaultTTL is the lease of a lock when Options.TTL is zero.
const DefaultTTL = 30 * time.Second

// DefaultPrefix is the key prefix when Options.Prefix is empty.
const DefaultPrefix = "lb:cron:"

// Options are the optional settings of [New].
type Options struct {
	// TTL is how long a lock outlives the last tick of the instance that
	// holds it: the holder renews it on every tick, and when the holder
	// dies without Close, another instance takes the job over at most TTL
	// later. 0 means [DefaultTTL]. Make it longer than the schedule's
	// interval, so that the holder keeps the job from tick to tick.
	TTL time.Duration
	// Prefix is put before the job's name to make the lock's key; ""
	// means [DefaultPrefix]. Apps sharing a Redis server but not their
	// jobs use different prefixes.
	Prefix string
}

// Locker is a cron.Locker on Redis; see the package documentation.
type Locker struct {
	client goredis.UniversalClient
	ttl    time.Duration
	prefix string
	token  string // this instance's value in the keys it holds

	mu   sync.Mutex
	held map[string]struct{} // keys this instance has held
}

var _ cron.Locker = (*Locker)(nil)

// New returns a Locker on client, which it does not close. Every instance
// of the app gets its own Locker (a random token tells their locks apart).
func New(client goredis.UniversalClient, opts Options) (*Locker, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("redislock: token: %w", err)
	}
	l := &Locker{client: client, ttl: opts.TTL, prefix: opts.Prefix, token: hex.EncodeToString(b[:]), held: map[string]struct{}{}}
	if l.ttl <= 0 {
		l.ttl = DefaultTTL
	}
	if l.prefix == "" {
		l.prefix = DefaultPrefix
	}
	return l, nil
}

// holdScript renews the lock when this instance holds it, takes it when it
// is free, and otherwise leaves it: 1 when this instance holds it after.
var holdScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	redis.call("PEXPIRE", KEYS[1], ARGV[2])
	return 1
end
if redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
	return 1
end
return 0`)

// releaseScript deletes the lock only when this instance holds it.
var releaseScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// Hold implements cron.Locker: it reports whether this instance holds the
// lock of job name, taking it when it is free and renewing it for TTL when
// it holds it already.
func (l *Locker) Hold(ctx context.Context, name string) (bool, error) {
	key := l.prefix + name
	n, err := holdScript.Run(ctx, l.client, []string{key}, l.token, l.ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("cron: lock %q: %w", name, err)
	}
	if n == 1 {
		l.mu.Lock()
		l.held[key] = struct{}{}
		l.mu.Unlock()
	}
	return n == 1, nil
}

// Close implements cron.Locker: it releases the locks this instance holds,
// so that another instance takes their jobs on its next tick.
func (l *Locker) Close() error {
	l.mu.Lock()
	keys := make([]string, 0, len(l.held))
	for k := range l.held {
		keys = append(keys, k)
	}
	clear(l.held)
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var first error
	for _, k := range keys {
		if err := releaseScript.Run(ctx, l.client, []string{k}, l.token).Err(); err != nil && first == nil {
			first = fmt.Errorf("cron: unlock %q: %w", k, err)
		}
	}
	return first
}
