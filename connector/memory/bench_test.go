package memory_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
)

// BenchmarkCreateFileParallel measures durable creates from many
// goroutines: group commit shares each file write among the writers that
// wait for it. The store grows during the run, so later writes cost more.
func BenchmarkCreateFileParallel(b *testing.B) {
	c, err := memory.New(memory.Config{File: filepath.Join(b.TempDir(), "db.json")})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	b.SetParallelism(16)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Create(ctx, todoDef, connector.Record{"title": "durable"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
