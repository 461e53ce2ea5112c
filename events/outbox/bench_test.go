package outbox_test

import (
	"context"
	"testing"

	"github.com/loopback-go/lb/events/outbox"
)

// BenchmarkCreateRecorded measures concurrent creates (8 goroutines per
// core) whose changes the outbox records: the insert, its outbox row
// (drawn under the advisory lock that orders ids by commit) and the
// NOTIFY, committed together. BenchmarkCreateUnobserved is the baseline:
// the same creates, no outbox.
func BenchmarkCreateRecorded(b *testing.B) { benchCreate(b, true) }

// BenchmarkCreateUnobserved is the baseline of BenchmarkCreateRecorded.
func BenchmarkCreateUnobserved(b *testing.B) { benchCreate(b, false) }

func benchCreate(b *testing.B, recorded bool) {
	_, notes, _, _ := setup(b, outbox.Config{})
	if !recorded {
		notes.ObserveChanges(nil)
	}
	ctx := context.Background()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := notes.Create(ctx, &Note{Title: "bench"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
