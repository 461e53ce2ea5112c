package events_test

import (
	"context"
	"errors"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/repository"
)

// recorder is a ChangeRecorder that fails on demand and notes whether it
// ran inside a transaction.
type recorder struct {
	fail     error
	inTx     []bool
	observed int
}

func (r *recorder) RecordChange(ctx context.Context, c repository.Change) error {
	r.inTx = append(r.inTx, connector.TxFrom(ctx) != nil)
	return r.fail
}

func (r *recorder) ObserveChanges(_ context.Context, cs []repository.Change) { r.observed += len(cs) }

func TestChangeRecorder(t *testing.T) {
	for name, open := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			repo := notes(t, open(t))
			rec := &recorder{}
			repo.ObserveChanges(rec)
			a, err := repo.Create(ctx, &Note{Title: "a"})
			if err != nil {
				t.Fatal(err)
			}
			if err := repo.UpdateByID(ctx, a.ID, repository.Patch{"done": true}); err != nil {
				t.Fatal(err)
			}
			if err := repo.ReplaceByID(ctx, a.ID, &Note{Title: "b"}); err != nil {
				t.Fatal(err)
			}
			// Each write and its record ran in one transaction, then was observed.
			if len(rec.inTx) != 3 || !rec.inTx[0] || !rec.inTx[1] || !rec.inTx[2] || rec.observed != 3 {
				t.Fatalf("recorded in tx %v, observed %d", rec.inTx, rec.observed)
			}
			// A record that fails fails the write, which leaves nothing.
			rec.fail = errors.New("outbox down")
			if _, err := repo.Create(ctx, &Note{Title: "c"}); !errors.Is(err, rec.fail) {
				t.Fatalf("create with a failing recorder: %v", err)
			}
			if err := repo.UpdateByID(ctx, a.ID, repository.Patch{"title": "z"}); !errors.Is(err, rec.fail) {
				t.Fatalf("update with a failing recorder: %v", err)
			}
			if err := repo.DeleteByID(ctx, a.ID); !errors.Is(err, rec.fail) {
				t.Fatalf("delete with a failing recorder: %v", err)
			}
			all, err := repo.Find(ctx, nil)
			if err != nil || len(all) != 1 || all[0].Title != "b" {
				t.Fatalf("after failed records: %+v, %v", all, err)
			}
			if rec.observed != 3 {
				t.Fatalf("failed writes were observed: %d", rec.observed)
			}
		})
	}
}
