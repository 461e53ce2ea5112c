package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// kvEntry is one key-value entry; a zero expires never expires. raw marks
// a value loaded from the file, still in its decoded-JSON form until a
// read converts it with the model's definition.
type kvEntry struct {
	value   connector.Record
	expires time.Time
	raw     bool
}

func (e *kvEntry) expired(now time.Time) bool {
	return !e.expires.IsZero() && !now.Before(e.expires)
}

// kvModel returns the entries of a model, creating the map.
func (c *Connector) kvModel(name string) map[string]*kvEntry {
	m := c.kv[name]
	if m == nil {
		m = make(map[string]*kvEntry)
		c.kv[name] = m
	}
	return m
}

// kvPut replaces the entry under key (nil deletes it), recording the old
// one for rollback (of the transaction, or of a failed file write: the
// key-value data is written to the file with the models).
func (c *Connector) kvPut(tx *memTx, model, key string, e *kvEntry) {
	m := c.kvModel(model)
	prev := m[key]
	c.record(tx, undoEntry{kvModel: model, kvKey: key, kvPrev: prev, isKV: true})
	if e == nil {
		delete(m, key)
	} else {
		m[key] = e
	}
	c.version++
	c.kvOps++
	if c.kvOps%256 == 0 && tx == nil {
		now := c.now()
		for k, e := range m {
			if e.expired(now) {
				delete(m, k)
			}
		}
	}
}

// kvGet returns the live entry under key.
func (c *Connector) kvGet(model, key string) *kvEntry {
	e := c.kv[model][key]
	if e == nil || e.expired(c.now()) {
		return nil
	}
	return e
}

// Get returns the value stored under key.
func (c *Connector) Get(ctx context.Context, def *model.Definition, key string) (connector.Record, bool, error) {
	mode, tx, err := c.acquire(ctx, false)
	if err != nil {
		return nil, false, err
	}
	defer c.release(mode, tx)
	e := c.kvGet(def.Name, key)
	if e == nil {
		return nil, false, nil
	}
	if e.raw {
		return decodeRecord(def, cloneMap(e.value)), true, nil
	}
	return cloneMap(e.value), true, nil
}

// Set stores value under key with a TTL (0: no expiry).
func (c *Connector) Set(ctx context.Context, def *model.Definition, key string, value connector.Record, ttl time.Duration) error {
	e := &kvEntry{value: cloneMap(value)}
	if e.value == nil {
		e.value = connector.Record{}
	}
	return c.write(ctx, func(tx *memTx) error {
		if ttl > 0 {
			e.expires = c.now().Add(ttl)
		}
		c.kvPut(tx, def.Name, key, e)
		return nil
	})
}

// Delete removes key.
func (c *Connector) Delete(ctx context.Context, def *model.Definition, key string) error {
	return c.write(ctx, func(tx *memTx) error {
		if c.kv[def.Name][key] != nil {
			c.kvPut(tx, def.Name, key, nil)
		}
		return nil
	})
}

// DeleteAllKeys removes every key of the model.
func (c *Connector) DeleteAllKeys(ctx context.Context, def *model.Definition) error {
	return c.write(ctx, func(tx *memTx) error {
		for k := range c.kv[def.Name] {
			c.kvPut(tx, def.Name, k, nil)
		}
		return nil
	})
}

// Expire sets the TTL of key (0 or less: no expiry).
func (c *Connector) Expire(ctx context.Context, def *model.Definition, key string, ttl time.Duration) error {
	return c.write(ctx, func(tx *memTx) error {
		e := c.kvGet(def.Name, key)
		if e == nil {
			return keyNotFound(def, key)
		}
		ne := &kvEntry{value: e.value, raw: e.raw}
		if ttl > 0 {
			ne.expires = c.now().Add(ttl)
		}
		c.kvPut(tx, def.Name, key, ne)
		return nil
	})
}

// TTL returns the time left before key expires, or connector.NoExpiry.
func (c *Connector) TTL(ctx context.Context, def *model.Definition, key string) (time.Duration, error) {
	mode, tx, err := c.acquire(ctx, false)
	if err != nil {
		return 0, err
	}
	defer c.release(mode, tx)
	e := c.kvGet(def.Name, key)
	if e == nil {
		return 0, keyNotFound(def, key)
	}
	if e.expires.IsZero() {
		return connector.NoExpiry, nil
	}
	return e.expires.Sub(c.now()), nil
}

// Keys iterates over the model's keys that match a glob pattern. The keys
// are collected when iteration starts; the loop body may call the
// connector.
func (c *Connector) Keys(ctx context.Context, def *model.Definition, pattern string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		mode, tx, err := c.acquire(ctx, false)
		if err != nil {
			yield("", err)
			return
		}
		now := c.now()
		var keys []string
		for k, e := range c.kv[def.Name] {
			if !e.expired(now) && (pattern == "" || globMatch(pattern, k)) {
				keys = append(keys, k)
			}
		}
		c.release(mode, tx)
		for _, k := range keys {
			if err := ctx.Err(); err != nil {
				yield("", err)
				return
			}
			if !yield(k, nil) {
				return
			}
		}
	}
}

// kvFileEntry is a key-value entry in the data file: the value and, for
// an entry that expires, when (milliseconds since the Unix epoch, as
// JavaScript's Date.now()).
type kvFileEntry struct {
	Value   map[string]any `json:"value"`
	Expires int64          `json:"expires,omitempty"`
}

// parseKV reads the "kv" member of a data file (model → key → entry);
// entries expired at now are dropped.
func parseKV(data []byte, now time.Time) (map[string]map[string]*kvEntry, error) {
	out := make(map[string]map[string]*kvEntry)
	if len(bytes.TrimSpace(data)) == 0 {
		return out, nil
	}
	var f struct {
		KV map[string]map[string]kvFileEntry `json:"kv"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	for name, entries := range f.KV {
		m := make(map[string]*kvEntry, len(entries))
		for k, fe := range entries {
			if fe.Value == nil {
				return nil, fmt.Errorf("kv.%s.%s: the value is not an object", name, k)
			}
			e := &kvEntry{value: fe.Value, raw: true}
			if fe.Expires != 0 {
				e.expires = time.UnixMilli(fe.Expires)
				if e.expired(now) {
					continue
				}
			}
			m[k] = e
		}
		out[name] = m
	}
	return out, nil
}

// encodeKV writes the live key-value entries as the file's "kv" member
// (nothing when there are none, so that a store without key-value data
// keeps LoopBack's db.json shape). It runs under the read lock.
func (c *Connector) encodeKV(b *bytes.Buffer) error {
	if len(c.kv) == 0 {
		return nil
	}
	now := c.now()
	names := make([]string, 0, len(c.kv))
	for name, m := range c.kv {
		for _, e := range m {
			if !e.expired(now) {
				names = append(names, name)
				break
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	b.WriteString(",\n  \"kv\": {")
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		writeString(b, name)
		b.WriteString(": {")
		m := c.kv[name]
		keys := make([]string, 0, len(m))
		for k, e := range m {
			if !e.expired(now) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for j, k := range keys {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n      ")
			writeString(b, k)
			b.WriteString(": {\"value\": ")
			e := m[k]
			if err := encodeRecord(b, nil, e.value); err != nil {
				return fmt.Errorf("kv %s %q: %w", name, k, err)
			}
			if !e.expires.IsZero() {
				b.WriteString(", \"expires\": ")
				b.WriteString(strconv.FormatInt(e.expires.UnixMilli(), 10))
			}
			b.WriteByte('}')
		}
		if len(keys) > 0 {
			b.WriteString("\n    ")
		}
		b.WriteByte('}')
	}
	b.WriteString("\n  }")
	return nil
}

func keyNotFound(def *model.Definition, key string) error {
	return fault.New(fault.NotFound, "KEY_NOT_FOUND", fmt.Sprintf("Key not found: %s with key %q", def.Name, key))
}

// globMatch reports whether s matches a Redis-style glob pattern: * any
// run, ? one character, [abc] / [a-z] / [^a] classes, \ escapes. It runs
// in O(len(pattern)·len(s)): a mismatch backtracks only to the last star.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0 // the last star and where its match ends
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			c := pattern[px]
			if c == '*' {
				starPx, starSx = px, sx
				px++
				continue
			}
			if sx < len(s) {
				r, n := utf8.DecodeRuneInString(s[sx:])
				switch c {
				case '?':
					px, sx = px+1, sx+n
					continue
				case '[':
					if ok, rest, valid := matchClass(pattern[px+1:], r); valid {
						if ok {
							px, sx = len(pattern)-len(rest), sx+n
							continue
						}
						break
					}
					// An unterminated class is a literal '['.
					if r == '[' {
						px, sx = px+1, sx+n
						continue
					}
				default:
					lit := px
					if c == '\\' && px+1 < len(pattern) {
						lit = px + 1
					}
					_, pn := utf8.DecodeRuneInString(pattern[lit:])
					if pattern[lit:lit+pn] == s[sx:sx+n] { // bytes: invalid UTF-8 matches only itself
						px, sx = lit+pn, sx+n
						continue
					}
				}
			}
		}
		// Mismatch: let the last star eat one more character.
		if starPx < 0 || starSx >= len(s) {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starSx:])
		starSx += n
		px, sx = starPx+1, starSx
	}
	return true
}

// matchClass matches r against a class body (after '['); it returns the
// pattern after ']' and valid=false when the class is unterminated.
func matchClass(p string, r rune) (matched bool, rest string, valid bool) {
	negate := false
	if p != "" && p[0] == '^' {
		negate, p = true, p[1:]
	}
	first := true
	for len(p) > 0 {
		if p[0] == ']' && !first {
			return matched != negate, p[1:], true
		}
		first = false
		lo, n := utf8.DecodeRuneInString(p)
		if lo == '\\' && len(p) > 1 {
			p = p[1:]
			lo, n = utf8.DecodeRuneInString(p)
		}
		p = p[n:]
		hi := lo
		if len(p) > 1 && p[0] == '-' && p[1] != ']' {
			p = p[1:]
			hi, n = utf8.DecodeRuneInString(p)
			if hi == '\\' && len(p) > 1 {
				p = p[1:]
				hi, n = utf8.DecodeRuneInString(p)
			}
			p = p[n:]
			if lo > hi {
				lo, hi = hi, lo
			}
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
	return false, "", false
}
