package sqltest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Contention sizes the workload of [BenchContention]. The zero value is
// the workload of issue 11: 20 writers, 4 readers.
type Contention struct {
	// Writers is the number of goroutines running UpdateAll; 0 means 20.
	Writers int
	// Updates is the number of UpdateAll calls of each writer; 0 means 20.
	Updates int
	// Readers is the number of goroutines reading another table while the
	// writers run; 0 means 4.
	Readers int
	// Moving makes the writers also move rows between groups, with an
	// index on the group column: the pattern that makes InnoDB deadlock.
	Moving bool
	// Deadlocks returns the server's deadlock counter (pg_stat_database,
	// Innodb_deadlocks), or nil when there is none; the benchmark reports
	// how much it grew.
	Deadlocks func(ctx context.Context, c *sqlconn.Connector) (int64, error)
}

// BenchContention runs writers that update overlapping sets of rows of one
// table with UpdateAll (each call matches two of five groups of 100 rows,
// chosen at random) while readers read single rows of another table. It
// reports the deadlocks the server detected (deadlocks), failed updates
// (errors), the median and 99th percentile latency of an update
// (upd-p50-ms, upd-p99-ms) and of an unrelated read (read-p50-ms,
// read-p99-ms). Run it with -benchtime=1x: one iteration is the whole
// workload.
func BenchContention(b *testing.B, c *sqlconn.Connector, w Contention) {
	if w.Writers == 0 {
		w.Writers = 20
	}
	if w.Updates == 0 {
		w.Updates = 20
	}
	if w.Readers == 0 {
		w.Readers = 4
	}
	ctx := context.Background()
	suffix := Suffix()
	hot := &model.Definition{Name: "hot_" + suffix, Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "grp", Type: model.Number, Integer: true, Index: w.Moving},
		{Name: "n", Type: model.Number, Integer: true},
		{Name: "title", Type: model.String},
	}}
	cold := &model.Definition{Name: "cold_" + suffix, Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
	}}
	defs := []*model.Definition{hot, cold}
	if err := c.Automigrate(ctx, defs); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, def := range defs {
			tb, _ := c.Table(def)
			_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
		}
	})
	for i := 0; i < 500; i++ {
		if _, err := c.Create(ctx, hot, connector.Record{"grp": int64(i % 5), "n": int64(0), "title": "row"}); err != nil {
			b.Fatal(err)
		}
		if i < 100 {
			if _, err := c.Create(ctx, cold, connector.Record{"title": fmt.Sprint("cold ", i)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	var deadlocks, failures int64
	var upd, rd []time.Duration
	for range b.N {
		var before int64
		if w.Deadlocks != nil {
			n, err := w.Deadlocks(ctx, c)
			if err != nil {
				b.Fatal(err)
			}
			before = n
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		done := make(chan struct{})
		for g := range w.Writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(g), 7))
				for i := range w.Updates {
					a, z := r.IntN(5), r.IntN(5)
					where := &filter.Where{Conds: []filter.Cond{{Path: "grp", Op: filter.Inq, Value: []any{int64(a), int64(z)}}}}
					start := time.Now()
					data := connector.Record{"n": int64(g*1000 + i), "title": fmt.Sprint("w", g)}
					if w.Moving {
						data["grp"] = int64(r.IntN(5))
					}
					_, err := c.UpdateAll(ctx, hot, where, data)
					d := time.Since(start)
					mu.Lock()
					upd = append(upd, d)
					if err != nil {
						failures++
					}
					mu.Unlock()
				}
			}()
		}
		var rg sync.WaitGroup
		for g := range w.Readers {
			rg.Add(1)
			go func() {
				defer rg.Done()
				for i := 0; ; i++ {
					select {
					case <-done:
						return
					default:
					}
					id := int64((g*31+i)%100 + 1)
					start := time.Now()
					_, err := c.Find(ctx, cold, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}}})
					d := time.Since(start)
					mu.Lock()
					rd = append(rd, d)
					if err != nil {
						failures++
					}
					mu.Unlock()
					time.Sleep(2 * time.Millisecond)
				}
			}()
		}
		wg.Wait()
		close(done)
		rg.Wait()
		if w.Deadlocks != nil {
			time.Sleep(1500 * time.Millisecond) // statistics are flushed lazily
			n, err := w.Deadlocks(ctx, c)
			if err != nil {
				b.Fatal(err)
			}
			deadlocks += n - before
		}
	}
	b.StopTimer()
	ms := func(ds []time.Duration, q float64) float64 {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return float64(ds[int(q*float64(len(ds)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(deadlocks)/float64(b.N), "deadlocks")
	b.ReportMetric(float64(failures)/float64(b.N), "errors")
	b.ReportMetric(ms(upd, 0.5), "upd-p50-ms")
	b.ReportMetric(ms(upd, 0.99), "upd-p99-ms")
	b.ReportMetric(ms(rd, 0.5), "read-p50-ms")
	b.ReportMetric(ms(rd, 0.99), "read-p99-ms")
}
