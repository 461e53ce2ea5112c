package redis_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
	"github.com/loopback-go/lb/connector/redis"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// addr is the test server: REDIS_ADDR, default 127.0.0.1:6379.
func addr() string {
	if a := os.Getenv("REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// prefix is unique to this test run, so that concurrent runs on the same
// server do not see each other's keys.
func prefix(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("lbtest:%d:%d:", os.Getpid(), time.Now().UnixNano())
}

// open connects to the test server, or skips (fails under CI=true).
func open(t *testing.T) *redis.Connector {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := redis.Open(ctx, redis.Config{Addr: addr(), Prefix: prefix(t)})
	if err != nil {
		msg := fmt.Sprintf("Redis at %s (REDIS_ADDR) is not answering: %v", addr(), err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: the server must be available)")
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestConformance(t *testing.T) {
	connectortest.RunKeyValue(t, func(t *testing.T) connector.KeyValue { return open(t) },
		connectortest.Options{Prefix: "Redis" + strconv.Itoa(os.Getpid())})
}

// Session has one property of each type that needs converting back.
type Session struct {
	User    string         `json:"user"`
	Visits  int64          `json:"visits"`
	Score   float64        `json:"score"`
	Admin   bool           `json:"admin"`
	Seen    time.Time      `json:"seen"`
	Token   []byte         `json:"token"`
	Tags    []string       `json:"tags"`
	Profile map[string]any `json:"profile"`
}

func TestTypedRoundTrip(t *testing.T) {
	c := open(t)
	ctx := context.Background()
	def := model.MustFromStruct[Session]()
	kv := repository.NewKV[Session](c, def)
	t.Cleanup(func() { kv.DeleteAll(context.Background()) })
	in := Session{User: "ann", Visits: 1 << 53, Score: 2.5, Admin: true,
		Seen: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC), Token: []byte{0, 1, 255},
		Tags: []string{"a", "b"}, Profile: map[string]any{"lang": "en"}}
	if err := kv.Set(ctx, "s1", &in, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, ok, err := kv.Get(ctx, "s1")
	if err != nil || !ok {
		t.Fatalf("Get: (%v, %v); want found", ok, err)
	}
	if got.User != in.User || got.Visits != in.Visits || got.Score != in.Score || !got.Admin ||
		!got.Seen.Equal(in.Seen) || string(got.Token) != string(in.Token) || !slices.Equal(got.Tags, in.Tags) || got.Profile["lang"] != "en" {
		t.Errorf("round trip: got %+v; want %+v", got, in)
	}
	// The raw record has the model's types.
	rec, _, err := c.Get(ctx, def, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if _, isInt := rec["visits"].(int64); !isInt {
		t.Errorf("visits: got %T; want int64", rec["visits"])
	}
	if _, isTime := rec["seen"].(time.Time); !isTime {
		t.Errorf("seen: got %T; want time.Time", rec["seen"])
	}
	// Keys of another model, or of another prefix, are not listed.
	other := open(t)
	if err := other.Set(ctx, def, "s2", connector.Record{"user": "bob"}, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.DeleteAllKeys(context.Background(), def) })
	var keys []string
	for k, err := range kv.Keys(ctx, "*") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if !slices.Equal(keys, []string{"s1"}) {
		t.Errorf("Keys: got %v; want [s1] (the other prefix's s2 is not ours)", keys)
	}
}

func TestGlobMetacharactersInModelName(t *testing.T) {
	c := open(t)
	ctx := context.Background()
	star := &model.Definition{Name: "A*", Properties: []*model.Property{{Name: "v", Type: model.String}}}
	plain := &model.Definition{Name: "AB", Properties: star.Properties}
	for _, d := range []*model.Definition{star, plain} {
		if err := c.Set(ctx, d, "k", connector.Record{"v": d.Name}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.DeleteAllKeys(ctx, star); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Get(ctx, plain, "k"); !ok {
		t.Error("DeleteAllKeys of model A* removed model AB's key")
	}
	c.DeleteAllKeys(ctx, plain)
}

func TestUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := redis.Open(ctx, redis.Config{Addr: "127.0.0.1:1", Name: "cache"})
	if !errors.Is(err, fault.Unavailable) {
		t.Fatalf("Open of a closed port: got %v; want fault.Unavailable", err)
	}
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Message != "data source cache is unavailable" {
		t.Errorf("message: got %q; want it without the client's text", fe.Message)
	}
	if _, err := redis.Open(ctx, redis.Config{URL: "mysql://x"}); err == nil {
		t.Error("Open of a non-redis URL: got nil; want an error")
	}
	// A stored value that is not JSON is an error, not a panic.
	c := open(t)
	p := prefix(t)
	jc := redis.New(c.Client(), redis.Config{Prefix: p})
	def := &model.Definition{Name: "Junk"}
	if err := c.Client().Set(ctx, p+"Junk:k", "not json", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := jc.Get(ctx, def, "k"); err == nil || ok {
		t.Errorf("Get of a non-JSON value: got (ok %v, %v); want an error", ok, err)
	}
	if err := jc.Close(); err != nil {
		t.Errorf("Close of a connector on a borrowed client: %v", err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Errorf("the borrowed client was closed: %v", err)
	}
}
