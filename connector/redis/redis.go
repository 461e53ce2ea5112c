package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// Config configures [Open]. The zero value connects to 127.0.0.1:6379,
// database 0, without a password or key prefix.
type Config struct {
	// Name names the data source in errors; "" means "redis".
	Name string
	// URL is a redis:// or rediss:// URL
	// (redis://user:password@host:port/db); it overrides Addr, Password
	// and DB.
	URL string
	// Addr is host:port; "" means 127.0.0.1:6379.
	Addr string
	// Password authenticates; "" means none.
	Password string
	// DB selects the database number.
	DB int
	// Prefix starts every key the connector writes, before the model name
	// ("app1:" keeps two apps apart in one database); "" means none.
	Prefix string
}

// Connector is the Redis key-value connector: it implements
// [connector.KeyValue] (use it with repository.NewKV) and
// [connector.Pinger]. It is safe for concurrent use.
type Connector struct {
	name   string
	client goredis.UniversalClient
	prefix string
	own    bool // Close closes the client
}

var (
	_ connector.KeyValue = (*Connector)(nil)
	_ connector.Pinger   = (*Connector)(nil)
)

// Open connects to the Redis server cfg names and checks that it answers;
// a server that does not is a fault.Unavailable error.
func Open(ctx context.Context, cfg Config) (*Connector, error) {
	var opts *goredis.Options
	if cfg.URL != "" {
		o, err := goredis.ParseURL(cfg.URL)
		if err != nil {
			return nil, fmt.Errorf("redis: parse URL: %w", err)
		}
		opts = o
	} else {
		opts = &goredis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB}
		if opts.Addr == "" {
			opts.Addr = "127.0.0.1:6379"
		}
	}
	c := New(goredis.NewClient(opts), cfg)
	c.own = true
	if err := c.Ping(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// New returns a connector on an existing go-redis client (a *Client,
// *ClusterClient or *Ring); cfg's Name and Prefix apply, its address
// fields are ignored. Close does not close client.
func New(client goredis.UniversalClient, cfg Config) *Connector {
	name := cfg.Name
	if name == "" {
		name = "redis"
	}
	return &Connector{name: name, client: client, prefix: cfg.Prefix}
}

// Client returns the go-redis client, for commands the connector does not
// offer.
func (c *Connector) Client() goredis.UniversalClient { return c.client }

// Close closes the client when Open created it.
func (c *Connector) Close() error {
	if !c.own {
		return nil
	}
	return c.client.Close()
}

// Ping checks that the server answers.
func (c *Connector) Ping(ctx context.Context) error {
	return c.fail("ping", c.client.Ping(ctx).Err())
}

// key is the Redis key of a model's key: prefix, model name, ':', key —
// LoopBack's kv-redis layout.
func (c *Connector) key(def *model.Definition, key string) string {
	return c.prefix + def.Name + ":" + key
}

// fail maps a client error: context errors pass through, anything else is
// fault.Unavailable naming the data source (the client's text stays in the
// chain, not in the message).
func (c *Connector) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("redis %s: %s: %w", c.name, op, err)
	}
	return &fault.Error{Kind: fault.Unavailable, Code: "DATASOURCE_UNAVAILABLE",
		Message: fmt.Sprintf("data source %s is unavailable", c.name), Err: fmt.Errorf("redis %s: %w", op, err)}
}

// Get returns the value stored under key.
func (c *Connector) Get(ctx context.Context, def *model.Definition, key string) (connector.Record, bool, error) {
	data, err := c.client.Get(ctx, c.key(def, key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, c.fail("get", err)
	}
	rec, err := decode(def, data)
	if err != nil {
		return nil, false, fmt.Errorf("redis %s: get %s %q: %w", c.name, def.Name, key, err)
	}
	return rec, true, nil
}

// decode reads a stored value back with the model's types (integers as
// int64, dates as time.Time, buffers as []byte).
func decode(def *model.Definition, data []byte) (connector.Record, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("stored value is not a JSON object: %w", err)
	}
	if raw == nil {
		raw = map[string]any{}
	}
	if rec, err := model.Normalize(def, raw); err == nil {
		return rec, nil
	}
	return raw, nil // a value that no longer fits the model is kept as stored
}

// Set stores value under key with a TTL (0 or less: no expiry).
func (c *Connector) Set(ctx context.Context, def *model.Definition, key string, value connector.Record, ttl time.Duration) error {
	if value == nil {
		value = connector.Record{}
	}
	data, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("redis %s: set %s %q: encode: %w", c.name, def.Name, key, err)
	}
	if ttl < 0 {
		ttl = 0
	}
	return c.fail("set", c.client.Set(ctx, c.key(def, key), data, ttl).Err())
}

// Delete removes key; a missing key is not an error.
func (c *Connector) Delete(ctx context.Context, def *model.Definition, key string) error {
	return c.fail("delete", c.client.Del(ctx, c.key(def, key)).Err())
}

// DeleteAllKeys removes every key of the model (SCAN and UNLINK in
// batches; keys written meanwhile may survive).
func (c *Connector) DeleteAllKeys(ctx context.Context, def *model.Definition) error {
	batch := make([]string, 0, 256)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := c.client.Unlink(ctx, batch...).Err()
		batch = batch[:0]
		return c.fail("delete all", err)
	}
	for k, err := range c.scan(ctx, def, "*") {
		if err != nil {
			return err
		}
		batch = append(batch, k)
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// Expire sets the TTL of an existing key (0 or less: no expiry); a missing
// key is a fault.NotFound error.
func (c *Connector) Expire(ctx context.Context, def *model.Definition, key string, ttl time.Duration) error {
	k := c.key(def, key)
	var ok bool
	var err error
	if ttl > 0 {
		ok, err = c.client.PExpire(ctx, k, ttl).Result()
	} else {
		var n int64
		if n, err = c.client.Exists(ctx, k).Result(); err == nil && n == 1 {
			ok, err = true, c.client.Persist(ctx, k).Err()
		}
	}
	if err != nil {
		return c.fail("expire", err)
	}
	if !ok {
		return keyNotFound(def, key)
	}
	return nil
}

// TTL returns the time left before key expires, or connector.NoExpiry; a
// missing key is a fault.NotFound error.
func (c *Connector) TTL(ctx context.Context, def *model.Definition, key string) (time.Duration, error) {
	d, err := c.client.PTTL(ctx, c.key(def, key)).Result()
	if err != nil {
		return 0, c.fail("ttl", err)
	}
	switch d {
	case -2:
		return 0, keyNotFound(def, key)
	case -1:
		return connector.NoExpiry, nil
	}
	return d, nil
}

// Keys iterates over the model's keys that match a glob pattern (Redis's
// own glob, which is the one connector.KeyValue describes), with SCAN: the
// server is never blocked, a key is listed once, and keys written during
// the iteration may or may not be listed.
func (c *Connector) Keys(ctx context.Context, def *model.Definition, pattern string) iter.Seq2[string, error] {
	if pattern == "" {
		pattern = "*"
	}
	return func(yield func(string, error) bool) {
		strip := len(c.prefix) + len(def.Name) + 1
		for k, err := range c.scan(ctx, def, pattern) {
			if err != nil {
				yield("", err)
				return
			}
			if !yield(k[strip:], nil) {
				return
			}
		}
	}
}

// scan iterates over the full Redis keys of the model that match pattern,
// each once.
func (c *Connector) scan(ctx context.Context, def *model.Definition, pattern string) iter.Seq2[string, error] {
	match := escapeGlob(c.prefix+def.Name+":") + pattern
	return func(yield func(string, error) bool) {
		seen := map[string]struct{}{}
		var cursor uint64
		for {
			keys, next, err := c.client.Scan(ctx, cursor, match, 500).Result()
			if err != nil {
				yield("", c.fail("keys", err))
				return
			}
			for _, k := range keys {
				if _, dup := seen[k]; dup {
					continue
				}
				seen[k] = struct{}{}
				if !yield(k, nil) {
					return
				}
			}
			if next == 0 {
				return
			}
			cursor = next
		}
	}
}

// escapeGlob escapes the glob metacharacters of a literal key part.
func escapeGlob(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func keyNotFound(def *model.Definition, key string) error {
	return fault.New(fault.NotFound, "KEY_NOT_FOUND", fmt.Sprintf("Key not found: %s with key %q", def.Name, key))
}
