package redis_test

import (
	"context"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/redis"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type benchSession struct {
	User   string    `json:"user"`
	Visits int64     `json:"visits"`
	Seen   time.Time `json:"seen"`
	Admin  bool      `json:"admin"`
}

// BenchmarkGetSet compares a get and a set through the typed key-value
// repository with the same commands written with go-redis and
// encoding/json by hand, on the real server.
func BenchmarkGetSet(b *testing.B) {
	c := openB(b)
	ctx := context.Background()
	def := model.MustFromStruct[benchSession]()
	kv := repository.NewKV[benchSession](c, def)
	raw := c.Client()
	in := benchSession{User: "ann", Visits: 7, Seen: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Admin: true}
	rawKey := "lbbench:raw:" + b.Name()
	b.Cleanup(func() { kv.DeleteAll(ctx); raw.Del(ctx, rawKey) })
	for range 200 { // warm up the pool for both
		kv.Set(ctx, "s", &in, 0)
		raw.Get(ctx, rawKey)
	}
	b.Run("repository", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			if err := kv.Set(ctx, "s", &in, time.Hour); err != nil {
				b.Fatal(err)
			}
			out, ok, err := kv.Get(ctx, "s")
			if err != nil || !ok || out.Visits != 7 {
				b.Fatal(out, ok, err)
			}
		}
	})
	b.Run("go-redis", func(b *testing.B) {
		defer cpuPerOp(b)()
		for b.Loop() {
			data, err := json.Marshal(&in)
			if err != nil {
				b.Fatal(err)
			}
			if err := raw.Set(ctx, rawKey, data, time.Hour).Err(); err != nil {
				b.Fatal(err)
			}
			got, err := raw.Get(ctx, rawKey).Bytes()
			if err != nil {
				b.Fatal(err)
			}
			var out benchSession
			if err := json.Unmarshal(got, &out); err != nil || out.Visits != 7 {
				b.Fatal(out, err)
			}
		}
	})
}

func openB(b *testing.B) *redis.Connector {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := redis.Open(ctx, redis.Config{Addr: addr(), Prefix: "lbbench:"})
	if err != nil {
		b.Skipf("Redis at %s (REDIS_ADDR) is not answering: %v", addr(), err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// cpuPerOp reports the process's CPU time per operation as cpu-ns/op.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
