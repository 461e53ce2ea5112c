package connectortest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
)

// RunKeyValue runs the key-value part of the suite against connectors
// that implement only [connector.KeyValue] (a Redis connector, say); [Run]
// runs the same checks as its KeyValue subtest for connectors that also
// implement [connector.Connector]. open is called once and must return a
// ready connector (closing it is up to open, with t.Cleanup).
// Options.Prefix names the suite's models, and so namespaces its keys.
func RunKeyValue(t *testing.T, open func(t *testing.T) connector.KeyValue, opts Options) {
	t.Helper()
	prefix := opts.Prefix
	if prefix == "" {
		prefix = "Ct"
	}
	s := &suite{prefix: prefix, likeRegexp: opts.LikeIsRegexp}
	kv := open(t)
	if kv == nil {
		t.Fatal("open returned a nil connector")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s.keyValue(t, ctx, kv)
}

// keyValue checks kv: get, set with TTL, expiry, delete, deleteAll, ttl
// and keys with glob patterns, and that models do not share keys.
func (s *suite) keyValue(t *testing.T, ctx context.Context, kv connector.KeyValue) {
	def, other := s.cacheDef(), s.cacheDef()
	other.Name = s.n(cacheModel) + "Other"
	if err := kv.DeleteAllKeys(ctx, def); err != nil {
		t.Fatal(err)
	}
	if err := kv.DeleteAllKeys(ctx, other); err != nil {
		t.Fatal(err)
	}
	val := connector.Record{"value": "v1", "hits": int64(3)}
	if err := kv.Set(ctx, def, "a", val, 0); err != nil {
		t.Fatal(err)
	}
	got, ok, err := kv.Get(ctx, def, "a")
	if err != nil || !ok || canon(got) != canon(val) {
		t.Errorf("Get: got (%v, %v, %v); want (%v, true, nil)", got, ok, err, val)
	}
	if _, ok, err := kv.Get(ctx, other, "a"); err != nil || ok {
		t.Errorf("Get of another model's key: got (ok %v, %v); want (false, nil)", ok, err)
	}
	if _, ok, err := kv.Get(ctx, def, "missing"); err != nil || ok {
		t.Errorf("Get missing: got (ok %v, %v); want (false, nil)", ok, err)
	}
	if ttl, err := kv.TTL(ctx, def, "a"); err != nil || ttl != connector.NoExpiry {
		t.Errorf("TTL without expiry: got (%v, %v); want (NoExpiry, nil)", ttl, err)
	}
	_, err = kv.TTL(ctx, def, "missing")
	wantFault(t, err, fault.NotFound)
	wantFault(t, kv.Expire(ctx, def, "missing", time.Minute), fault.NotFound)

	if err := kv.Set(ctx, def, "b", connector.Record{"value": "v2"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if ttl, err := kv.TTL(ctx, def, "b"); err != nil || ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL: got (%v, %v); want about an hour", ttl, err)
	}
	if err := kv.Expire(ctx, def, "a", 30*time.Minute); err != nil {
		t.Fatal(err)
	}
	if ttl, err := kv.TTL(ctx, def, "a"); err != nil || ttl <= 29*time.Minute || ttl > 30*time.Minute {
		t.Errorf("TTL after Expire: got (%v, %v); want about 30 minutes", ttl, err)
	}

	if err := kv.Set(ctx, def, "short", connector.Record{"value": "gone soon"}, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if _, ok, err := kv.Get(ctx, def, "short"); err != nil || ok {
		t.Errorf("Get after the TTL ran out: got (ok %v, %v); want (false, nil)", ok, err)
	}

	for _, k := range []string{"user:1", "user:2", "user:10", "session:1"} {
		if err := kv.Set(ctx, def, k, connector.Record{"value": k}, 0); err != nil {
			t.Fatal(err)
		}
	}
	keys := func(pattern string) []string {
		t.Helper()
		var out []string
		for k, err := range kv.Keys(ctx, def, pattern) {
			if err != nil {
				t.Fatalf("Keys(%q): %v", pattern, err)
			}
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	tests := []struct {
		pattern string
		want    []string
	}{
		{"*", []string{"a", "b", "session:1", "user:1", "user:10", "user:2"}},
		{"", []string{"a", "b", "session:1", "user:1", "user:10", "user:2"}},
		{"user:*", []string{"user:1", "user:10", "user:2"}},
		{"user:?", []string{"user:1", "user:2"}},
		{"user:[12]", []string{"user:1", "user:2"}},
		{"*:1", []string{"session:1", "user:1"}},
		{"nothing*", nil},
	}
	for _, tt := range tests {
		if got := keys(tt.pattern); !slices.Equal(got, tt.want) {
			t.Errorf("Keys(%q): got %v; want %v", tt.pattern, got, tt.want)
		}
	}
	// Stopping early is allowed.
	for range kv.Keys(ctx, def, "*") {
		break
	}
	if err := kv.Delete(ctx, def, "a"); err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete(ctx, def, "a"); err != nil {
		t.Errorf("Delete of a missing key: %v; want nil", err)
	}
	if _, ok, _ := kv.Get(ctx, def, "a"); ok {
		t.Error("Get after Delete: found; want missing")
	}
	if err := kv.Set(ctx, other, "keep", connector.Record{"value": "x"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := kv.DeleteAllKeys(ctx, def); err != nil {
		t.Fatal(err)
	}
	if got := keys("*"); len(got) != 0 {
		t.Errorf("Keys after DeleteAllKeys: got %v; want none", got)
	}
	if _, ok, _ := kv.Get(ctx, other, "keep"); !ok {
		t.Error("DeleteAllKeys removed another model's key")
	}
	_ = kv.DeleteAllKeys(ctx, other)
}
