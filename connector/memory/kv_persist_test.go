package memory

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
)

func sessionDef() *model.Definition {
	return &model.Definition{Name: "Session", Properties: []*model.Property{
		{Name: "user", Type: model.String},
		{Name: "visits", Type: model.Number, Integer: true},
		{Name: "seen", Type: model.Date},
		{Name: "token", Type: model.Buffer},
	}}
}

// TestKVPersists checks that key-value data is written to the file with
// the models and read back with the model's types, TTLs included.
func TestKVPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	def := sessionDef()
	seen := time.Date(2026, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	if err := c.Set(ctx, def, "s1", connector.Record{"user": "ann", "visits": int64(1 << 53), "seen": seen, "token": []byte{0, 255}}, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, def, "s2", connector.Record{"user": "bob"}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, def, "short", connector.Record{"user": "gone"}, 30*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, def, "deleted", connector.Record{"user": "x"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, def, "deleted"); err != nil {
		t.Fatal(err)
	}
	// Every write is on disk when it returns: read the file before Close.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"kv": {`) || !strings.Contains(string(data), `"s2": {"value": {"user":"bob"}, "expires": `) || strings.Contains(string(data), `"deleted"`) {
		t.Errorf("file:\n%s\nwant a kv member with s1 and s2 (with its expiry), without deleted", data)
	}
	c.Close()
	time.Sleep(50 * time.Millisecond) // "short" expires while the store is closed

	c, err = New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rec, ok, err := c.Get(ctx, def, "s1")
	if err != nil || !ok {
		t.Fatalf("Get s1 after reopening: (%v, %v); want found", ok, err)
	}
	if rec["visits"] != int64(1<<53) || rec["user"] != "ann" || string(rec["token"].([]byte)) != "\x00\xff" {
		t.Errorf("s1: got %#v; want the stored values with their types", rec)
	}
	if got, isTime := rec["seen"].(time.Time); !isTime || !got.Equal(seen) {
		t.Errorf("seen: got %#v; want %v", rec["seen"], seen)
	}
	if ttl, err := c.TTL(ctx, def, "s2"); err != nil || ttl < 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL of s2 after reopening: (%v, %v); want about an hour", ttl, err)
	}
	if ttl, err := c.TTL(ctx, def, "s1"); err != nil || ttl != connector.NoExpiry {
		t.Errorf("TTL of s1: (%v, %v); want NoExpiry", ttl, err)
	}
	for _, k := range []string{"short", "deleted"} {
		if _, ok, _ := c.Get(ctx, def, k); ok {
			t.Errorf("%s found after reopening; want it gone", k)
		}
	}
	// Expire keeps the loaded value's types.
	if err := c.Expire(ctx, def, "s1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := c.Get(ctx, def, "s1"); rec["visits"] != int64(1<<53) {
		t.Errorf("visits after Expire: got %#v; want int64", rec["visits"])
	}
	// The reader mutating its copy does not change the store.
	rec["user"] = "mallory"
	if again, _, _ := c.Get(ctx, def, "s1"); again["user"] != "ann" {
		t.Errorf("user after mutating a read copy: got %v; want ann", again["user"])
	}
}

// TestKVFailedPersistUndoes checks that a key-value change whose file
// write fails is undone and reported, as model changes are.
func TestKVFailedPersistUndoes(t *testing.T) {
	ctx := context.Background()
	def := sessionDef()
	ops := []struct {
		name string
		op   func(c *Connector) error
	}{
		{"set", func(c *Connector) error { return c.Set(ctx, def, "a", connector.Record{"user": "new"}, 0) }},
		{"set new key", func(c *Connector) error { return c.Set(ctx, def, "z", connector.Record{"user": "z"}, 0) }},
		{"delete", func(c *Connector) error { return c.Delete(ctx, def, "a") }},
		{"delete all", func(c *Connector) error { return c.DeleteAllKeys(ctx, def) }},
		{"expire", func(c *Connector) error { return c.Expire(ctx, def, "a", time.Minute) }},
		{"transaction", func(c *Connector) error {
			tx, err := c.Begin(ctx, connector.TxOptions{})
			if err != nil {
				return err
			}
			if err := c.Set(connector.WithTx(ctx, tx), def, "a", connector.Record{"user": "tx"}, 0); err != nil {
				return err
			}
			return tx.Commit(ctx)
		}},
	}
	for _, tt := range ops {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db.json")
			c, err := New(Config{File: path})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, k := range []string{"a", "b"} {
				if err := c.Set(ctx, def, k, connector.Record{"user": k}, 0); err != nil {
					t.Fatal(err)
				}
			}
			onDisk, _ := os.ReadFile(path)
			failWrites(c)
			checkPersistError(t, tt.op(c))
			for _, k := range []string{"a", "b"} {
				rec, ok, err := c.Get(ctx, def, k)
				if err != nil || !ok || rec["user"] != k {
					t.Errorf("%s after the failed write: (%v, %v, %v); want user %s", k, rec, ok, err, k)
				}
				if ttl, _ := c.TTL(ctx, def, k); ttl != connector.NoExpiry {
					t.Errorf("TTL of %s after the failed write: %v; want NoExpiry", k, ttl)
				}
			}
			if _, ok, _ := c.Get(ctx, def, "z"); ok {
				t.Error("z exists after its failed write")
			}
			if now, _ := os.ReadFile(path); string(now) != string(onDisk) {
				t.Error("the file changed")
			}
		})
	}
}

func TestParseKVRejects(t *testing.T) {
	for _, data := range []string{`{"kv": {"M": {"k": {"value": 1}}}}`, `{"kv": {"M": {"k": {}}}}`, `{"kv": []}`} {
		if _, err := parseKV([]byte(data), time.Now()); err == nil {
			t.Errorf("parseKV(%s): got nil; want an error", data)
		}
	}
}
