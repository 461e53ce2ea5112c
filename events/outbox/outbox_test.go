package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Note struct {
	ID    int64     `json:"id" lb:"id,generated"`
	Title string    `json:"title" required:"true"`
	Due   time.Time `json:"due,omitzero"`
}

func pgURL() string {
	if u := os.Getenv("LB_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// setup returns a connector on a fresh schema, a Note repository and
// Todo repository observed by an outbox configured by cfg.
func setup(t testing.TB, cfg outbox.Config) (*postgres.Connector, *repository.CRUD[Note, int64], *repository.CRUD[Todo, int64], *outbox.Outbox) {
	t.Helper()
	ctx := context.Background()
	schema := "lbob_" + sqltest.Suffix()
	conn, err := postgres.New(postgres.Config{URL: pgURL(), Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL()+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.DB().Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		conn.Close()
	})
	notes := repository.MustNew[Note, int64](conn)
	todos := repository.MustNew[Todo, int64](conn)
	if err := conn.Autoupdate(ctx, []*model.Definition{notes.Definition(), todos.Definition()}); err != nil {
		t.Fatal(err)
	}
	cfg.Conn = conn
	cfg.Models = []*model.Definition{notes.Definition()}
	ob, err := outbox.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	notes.ObserveChanges(ob)
	todos.ObserveChanges(ob)
	return conn, notes, todos, ob
}

// TestSince reads the recorded changes back as events: ids in order,
// typed by the model's definition, filtered by model, paged; a resume
// point that is gone is ErrExpired.
func TestSince(t *testing.T) {
	ctx := context.Background()
	_, notes, todos, ob := setup(t, outbox.Config{})
	due := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	n, err := notes.Create(ctx, &Note{Title: "a", Due: due})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := todos.Create(ctx, &Todo{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	if err := notes.UpdateByID(ctx, n.ID, repository.Patch{"title": "b"}); err != nil {
		t.Fatal(err)
	}
	// A rolled-back change leaves no row (and may leave a hole in the ids).
	boom := errors.New("boom")
	err = repository.Transact(ctx, notes.Model().Connector(), connector.TxOptions{}, func(ctx context.Context) error {
		notes.Create(ctx, &Note{Title: "lost"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if err := notes.DeleteByID(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	all, err := ob.Since(ctx, 0, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("Since(0) = %d events, want 4: %+v", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq <= all[i-1].Seq {
			t.Fatalf("ids not increasing: %d then %d", all[i-1].Seq, all[i].Seq)
		}
	}
	first := all[0]
	if first.Model != "Note" || first.Kind != events.Created || first.ID != n.ID || first.Time.IsZero() {
		t.Fatalf("first event %+v", first)
	}
	if d, ok := first.Instance["due"].(time.Time); !ok || !d.Equal(due) {
		t.Fatalf("due read back as %T %v, want the time.Time %v", first.Instance["due"], first.Instance["due"], due)
	}
	if all[2].Kind != events.Updated || len(all[2].Changed) != 1 || all[2].Changed[0] != "title" || all[2].Instance["title"] != "b" {
		t.Fatalf("update event %+v", all[2])
	}
	if latest, _ := ob.Latest(ctx); latest != all[3].Seq {
		t.Fatalf("Latest %d, want %d", latest, all[3].Seq)
	}
	// Resuming after the first: the rest; only notes; one page at a time.
	rest, err := ob.Since(ctx, first.Seq, []string{"Note"}, 1)
	if err != nil || len(rest) != 1 || rest[0].Seq != all[2].Seq {
		t.Fatalf("Since(first, Note, 1) = %+v, %v; want the update %d", rest, err, all[2].Seq)
	}
	// An id the outbox never held (or no longer holds) is expired.
	if _, err := ob.Since(ctx, all[3].Seq+1000, nil, 10); !errors.Is(err, events.ErrExpired) {
		t.Fatalf("Since(unknown id) = %v, want ErrExpired", err)
	}
}

// TestPrune keeps unsent rows and deletes the sent ones older than
// Retain: a resume point pruned is then expired.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	_, notes, _, ob := setup(t, outbox.Config{Retain: 50 * time.Millisecond})
	for _, s := range []string{"a", "b", "c"} {
		if _, err := notes.Create(ctx, &Note{Title: s}); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := ob.Since(ctx, 0, nil, 10)
	time.Sleep(100 * time.Millisecond)
	if n, err := ob.Prune(ctx); err != nil || n != 0 {
		t.Fatalf("Prune of unsent rows = %d, %v; want 0", n, err)
	}
	if n, err := ob.RelayOnce(ctx, outbox.Nowhere, 2); err != nil || n != 2 {
		t.Fatalf("RelayOnce = %d, %v", n, err)
	}
	if n, err := ob.Prune(ctx); err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want the 2 sent rows", n, err)
	}
	if _, err := ob.Since(ctx, all[0].Seq, nil, 10); !errors.Is(err, events.ErrExpired) {
		t.Fatalf("resume after a pruned row: %v, want ErrExpired", err)
	}
	if evs, err := ob.Since(ctx, 0, nil, 10); err != nil || len(evs) != 1 || evs[0].Seq != all[2].Seq {
		t.Fatalf("after pruning: %+v, %v", evs, err)
	}
}

// TestIDsFollowCommitOrder runs concurrent transactions that record a
// change, then linger before committing, while a reader follows the
// outbox: it must never see an id lower than one it has seen already (a
// change committed late with a smaller id would be skipped by every
// client resuming after the larger one).
func TestIDsFollowCommitOrder(t *testing.T) {
	ctx := context.Background()
	conn, notes, _, ob := setup(t, outbox.Config{})
	const writers, each = 6, 15
	stop := make(chan struct{})
	var seen []uint64
	readerDone := make(chan error, 1)
	go func() {
		var last uint64
		for {
			stopped := false // then this read comes after every commit
			select {
			case <-stop:
				stopped = true
			default:
			}
			evs, err := ob.Next(ctx, last, 1000)
			if err != nil {
				readerDone <- err
				return
			}
			for _, ev := range evs {
				seen = append(seen, ev.Seq)
				last = ev.Seq
			}
			if stopped && len(evs) == 0 {
				readerDone <- nil
				return
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := repository.Transact(ctx, conn, connector.TxOptions{}, func(ctx context.Context) error {
					if _, err := notes.Create(ctx, &Note{Title: fmt.Sprintf("w%d-%d", w, i)}); err != nil {
						return err
					}
					time.Sleep(time.Duration(w%3) * time.Millisecond)
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := <-readerDone; err != nil {
		t.Fatal(err)
	}
	if len(seen) != writers*each {
		t.Fatalf("the reader saw %d changes, want %d (one skipped: committed after a larger id)", len(seen), writers*each)
	}
}

// TestRelayWokenByNotify starts a relay that would poll once an hour: a
// committed change is published at once, woken by the outbox's NOTIFY.
func TestRelayWokenByNotify(t *testing.T) {
	ctx := context.Background()
	_, notes, _, ob := setup(t, outbox.Config{URL: pgURL()})
	got := make(chan outbox.Message, 10)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- ob.Relay(rctx, pubFunc(func(m outbox.Message) { got <- m }), outbox.RelayOptions{Poll: time.Hour})
	}()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Relay returned %v", err)
		}
	}()
	time.Sleep(300 * time.Millisecond) // the relay's first (empty) pass and LISTEN
	for i := range 3 {
		start := time.Now()
		if _, err := notes.Create(ctx, &Note{Title: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
		select {
		case m := <-got:
			if m.Model != "Note" || m.Kind != "create" {
				t.Fatalf("published %+v", m)
			}
			t.Logf("change %d published %v after the write returned", i, time.Since(start))
		case <-time.After(2 * time.Second):
			t.Fatalf("change %d not published within 2s with a 1h poll interval: the NOTIFY did not wake the relay", i)
		}
	}
}

type pubFunc func(outbox.Message)

func (f pubFunc) Publish(_ context.Context, m outbox.Message) error { f(m); return nil }

// TestNewConcurrently creates the same outbox from 6 goroutines at once,
// as instances starting together do: none fails.
func TestNewConcurrently(t *testing.T) {
	conn, _, _, _ := setup(t, outbox.Config{Table: "lb_first"})
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := outbox.New(context.Background(), outbox.Config{Conn: conn, Table: "lb_together"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
