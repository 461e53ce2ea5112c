package events_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Note struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
	Done  bool   `json:"done"`
	Owner string `json:"owner,omitempty"`
}

func pgURL() string {
	if u := os.Getenv("LB_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// openPG connects with a schema of its own, dropped when the test ends.
func openPG(t testing.TB) *postgres.Connector {
	t.Helper()
	schema := "lbevents_" + sqltest.Suffix()
	c, err := postgres.New(postgres.Config{URL: pgURL(), Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL()+": "+err.Error())
	}
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		c.Close()
		admin, err := postgres.Open(pgURL())
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.DB().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return c
}

// connectors opens each connector the tests run on, migrated for Note.
func connectors(t *testing.T) map[string]func(t *testing.T) connector.Connector {
	return map[string]func(t *testing.T) connector.Connector{
		"memory": func(t *testing.T) connector.Connector {
			c, err := memory.New(memory.Config{})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		"sqlite": func(t *testing.T) connector.Connector {
			c, err := sqlite.Open("file:" + filepath.Join(t.TempDir(), "e.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			return c
		},
		"postgres": func(t *testing.T) connector.Connector { return openPG(t) },
	}
}

func notes(t *testing.T, conn connector.Connector) *repository.CRUD[Note, int64] {
	t.Helper()
	r := repository.MustNew[Note, int64](conn)
	if m, ok := conn.(connector.Migrator); ok {
		if err := m.Automigrate(context.Background(), []*model.Definition{r.Definition()}); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return r
}

// next receives one event or fails after a second.
func next(t *testing.T, s *events.Subscription) events.Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatalf("subscription ended: %v", s.Err())
		}
		return ev
	case <-time.After(time.Second):
		t.Fatal("no event within a second")
	}
	return events.Event{}
}

// none checks that no event is waiting.
func none(t *testing.T, s *events.Subscription) {
	t.Helper()
	select {
	case ev := <-s.Events():
		t.Fatalf("unexpected event %+v", ev)
	default:
	}
}

func TestRepositoryChanges(t *testing.T) {
	for name, open := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			conn := open(t)
			repo := notes(t, conn)
			bus := events.NewBus(events.Config{})
			repo.ObserveChanges(bus)
			sub := bus.Subscribe(ctx, events.Options{})
			defer sub.Close()

			a, err := repo.Create(ctx, &Note{Title: "a"})
			if err != nil {
				t.Fatal(err)
			}
			ev := next(t, sub)
			if ev.Model != "Note" || ev.Kind != events.Created || ev.ID != a.ID || ev.Instance["title"] != "a" || ev.Seq != 1 {
				t.Fatalf("create event = %+v", ev)
			}
			if !slices.Contains(ev.Changed, "title") {
				t.Errorf("create changed = %v, want title in it", ev.Changed)
			}

			if err := repo.UpdateByID(ctx, a.ID, repository.Patch{"done": true}); err != nil {
				t.Fatal(err)
			}
			ev = next(t, sub)
			if ev.Kind != events.Updated || ev.ID != a.ID || ev.Instance["done"] != true || ev.Instance["title"] != "a" || !slices.Equal(ev.Changed, []string{"done"}) {
				t.Fatalf("update event = %+v", ev)
			}

			if err := repo.ReplaceByID(ctx, a.ID, &Note{Title: "A"}); err != nil {
				t.Fatal(err)
			}
			ev = next(t, sub)
			if ev.Kind != events.Replaced || ev.ID != a.ID || ev.Instance["title"] != "A" {
				t.Fatalf("replace event = %+v", ev)
			}

			b, err := repo.Create(ctx, &Note{Title: "b"})
			if err != nil {
				t.Fatal(err)
			}
			next(t, sub)
			n, err := repo.UpdateAll(ctx, repository.Patch{"owner": "ann"}, nil)
			if err != nil || n != 2 {
				t.Fatalf("updateAll = %d, %v", n, err)
			}
			got := map[any]string{}
			for range 2 {
				ev := next(t, sub)
				if ev.Kind != events.Updated || !slices.Equal(ev.Changed, []string{"owner"}) {
					t.Fatalf("updateAll event = %+v", ev)
				}
				got[ev.ID] = ev.Instance["owner"].(string)
			}
			if got[a.ID] != "ann" || got[b.ID] != "ann" {
				t.Fatalf("updateAll events = %v", got)
			}

			if err := repo.DeleteByID(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			ev = next(t, sub)
			if ev.Kind != events.Deleted || ev.ID != a.ID || ev.Instance["title"] != "A" {
				t.Fatalf("delete event = %+v", ev)
			}
			if n, err := repo.DeleteAll(ctx, filter.Prop("title").Eq("b")); err != nil || n != 1 {
				t.Fatalf("deleteAll = %d, %v", n, err)
			}
			ev = next(t, sub)
			if ev.Kind != events.Deleted || ev.ID != b.ID {
				t.Fatalf("deleteAll event = %+v", ev)
			}
			// A failed write reports nothing.
			if err := repo.DeleteByID(ctx, a.ID); err == nil {
				t.Fatal("deleting a deleted note succeeded")
			}
			none(t, sub)
		})
	}
}

// plain hides every optional capability of a connector: with
// connector.Observe around it, it looks like a Transactor whose Begin is
// unsupported (as MongoDB's connector behind metrics).
type plain struct{ connector.Connector }

func TestChangesWithoutTransactions(t *testing.T) {
	ctx := context.Background()
	mem, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	conn := connector.Observe(plain{mem}, connector.CallObserverFunc(func(ctx context.Context, _ connector.Call) (context.Context, func(error)) {
		return ctx, func(error) {}
	}))
	repo := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{})
	repo.ObserveChanges(bus)
	sub := bus.Subscribe(ctx, events.Options{})
	a, _ := repo.Create(ctx, &Note{Title: "a"})
	next(t, sub)
	if n, err := repo.UpdateAll(ctx, repository.Patch{"done": true}, nil); err != nil || n != 1 {
		t.Fatalf("updateAll = %d, %v", n, err)
	}
	if ev := next(t, sub); ev.Kind != events.Updated || ev.ID != a.ID {
		t.Fatalf("updateAll event %+v", ev)
	}
	if err := repo.DeleteByID(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if ev := next(t, sub); ev.Kind != events.Deleted || ev.ID != a.ID {
		t.Fatalf("delete event %+v", ev)
	}
}

func TestTransactionChanges(t *testing.T) {
	for name, open := range connectors(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			conn := open(t)
			repo := notes(t, conn)
			bus := events.NewBus(events.Config{})
			repo.ObserveChanges(bus)
			sub := bus.Subscribe(ctx, events.Options{})
			defer sub.Close()

			// Rolled back: nothing, ever.
			boom := errors.New("boom")
			err := repository.Transact(ctx, conn, connector.TxOptions{}, func(ctx context.Context) error {
				if _, err := repo.Create(ctx, &Note{Title: "lost"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("transact = %v", err)
			}
			none(t, sub)

			// Committed: nothing before the commit, everything after.
			txCtx, tx, err := repository.Begin(ctx, conn, connector.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			kept, err := repo.Create(txCtx, &Note{Title: "kept"})
			if err != nil {
				t.Fatal(err)
			}
			if err := repo.UpdateByID(txCtx, kept.ID, repository.Patch{"done": true}); err != nil {
				t.Fatal(err)
			}
			none(t, sub)
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			if ev := next(t, sub); ev.Kind != events.Created || ev.ID != kept.ID {
				t.Fatalf("first event = %+v", ev)
			}
			if ev := next(t, sub); ev.Kind != events.Updated || ev.Instance["done"] != true {
				t.Fatalf("second event = %+v", ev)
			}
			none(t, sub)
		})
	}
}
