package redislock_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loopback-go/lb/cron"
	"github.com/loopback-go/lb/cron/redislock"
)

// redisClient connects to REDIS_ADDR (default 127.0.0.1:6379), skipping
// the test when no server answers (failing under CI=true).
func redisClient(t *testing.T) *goredis.Client {
	t.Helper()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis is not available at %s: %v (CI=true: the server must be available)", addr, err)
		}
		t.Skipf("Redis is not available at %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// prefix is a key prefix of this run's own, so concurrent runs never share
// a lock.
func prefix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	p := "lbtest:cron:" + hex.EncodeToString(b[:]) + ":"
	return p
}

func newLocker(t *testing.T, c *goredis.Client, opts redislock.Options) *redislock.Locker {
	t.Helper()
	l, err := redislock.New(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestOnceAcrossInstances: two instances, each with its own Redis client
// and Locker, run the same Once job on a 1-second schedule: each tick runs
// it exactly once; when the instance that runs it stops, the other takes
// over on its next tick.
func TestOnceAcrossInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	p := prefix()
	var mu sync.Mutex
	ran := map[int64][]string{}
	job := func(inst string) func(context.Context) error {
		return func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			s := time.Now().Unix()
			ran[s] = append(ran[s], inst)
			return nil
		}
	}
	snapshot := func() map[int64][]string {
		mu.Lock()
		defer mu.Unlock()
		out := map[int64][]string{}
		for k, v := range ran {
			out[k] = append([]string(nil), v...)
		}
		return out
	}
	scheds := map[string]*cron.Scheduler{}
	for _, inst := range []string{"a", "b"} {
		s := cron.New(cron.Config{Locker: newLocker(t, redisClient(t), redislock.Options{Prefix: p, TTL: 10 * time.Second})})
		if err := s.Add(cron.Job{Name: "tick", Schedule: "* * * * * *", Once: true, Run: job(inst)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		scheds[inst] = s
	}
	time.Sleep(3500 * time.Millisecond)
	first := snapshot()
	if len(first) < 2 {
		t.Fatalf("ticks in 3.5 s: got %d; want at least 2: %v", len(first), first)
	}
	leader := ""
	for sec, who := range first {
		if len(who) != 1 {
			t.Errorf("tick %d ran on %v; want exactly one instance", sec, who)
		}
		if leader == "" {
			leader = who[0]
		} else if who[0] != leader {
			t.Errorf("tick %d ran on %s; the holder %s keeps the job while it runs", sec, who[0], leader)
		}
	}
	other := "a"
	if leader == "a" {
		other = "b"
	}
	if err := scheds[leader].Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	if err := scheds[other].Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	took := 0
	for sec, who := range snapshot() {
		if len(who) != 1 {
			t.Errorf("tick %d ran on %v; want exactly one instance", sec, who)
		}
		if _, seen := first[sec]; !seen && who[0] == other {
			took++
		}
	}
	if took < 1 {
		t.Errorf("after %s stopped, %s ran no tick: %v", leader, other, snapshot())
	}
	if n, err := redisClient(t).Exists(context.Background(), p+"tick").Result(); err != nil || n != 0 {
		t.Errorf("lock key after both stopped: exists=%d, %v; want it deleted", n, err)
	}
}

// A lock held by another instance is left alone: not taken, not renewed,
// not deleted by Close; once its lease runs out (that instance died), it
// is taken.
func TestForeignLockAndLease(t *testing.T) {
	ctx := context.Background()
	c := redisClient(t)
	p := prefix()
	key := p + "job"
	if err := c.Set(ctx, key, "someone-else", 700*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	l := newLocker(t, c, redislock.Options{Prefix: p, TTL: 5 * time.Second})
	if ok, err := l.Hold(ctx, "job"); err != nil || ok {
		t.Fatalf("Hold of a lock another instance holds: %v, %v; want false", ok, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, key).Result(); err != nil || v != "someone-else" {
		t.Fatalf("after Close, the other instance's lock is %q, %v; want it untouched", v, err)
	}
	if ttl := c.PTTL(ctx, key).Val(); ttl > 700*time.Millisecond {
		t.Errorf("the other instance's lease was renewed: %v", ttl)
	}
	time.Sleep(800 * time.Millisecond)
	if ok, err := l.Hold(ctx, "job"); err != nil || !ok {
		t.Fatalf("Hold after the lease ran out: %v, %v; want true", ok, err)
	}
	if ttl := c.PTTL(ctx, key).Val(); ttl < 4*time.Second || ttl > 5*time.Second {
		t.Errorf("lease after Hold: %v; want about 5s", ttl)
	}
	if ok, err := l.Hold(ctx, "job"); err != nil || !ok {
		t.Errorf("Hold again by the holder: %v, %v; want true", ok, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n := c.Exists(ctx, key).Val(); n != 0 {
		t.Errorf("Close left this instance's lock in place")
	}
}

// A Redis error is a failed Hold (the tick is skipped), not a held lock.
func TestHoldError(t *testing.T) {
	c := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	l := newLocker(t, c, redislock.Options{})
	ok, err := l.Hold(context.Background(), "job")
	if err == nil || ok {
		t.Errorf("Hold with Redis down: %v, %v; want an error and false", ok, err)
	}
}
