package pgnotify_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/pgnotify"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Note struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
	Done  bool   `json:"done"`
}

func pgURL() string {
	if u := os.Getenv("LB_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// instance is one app instance: its own connector, repository, bus and
// relay, on the shared schema and channel.
type instance struct {
	notes *repository.CRUD[Note, int64]
	bus   *events.Bus
	conn  *postgres.Connector
}

func newInstance(t *testing.T, schema, channel string) *instance {
	t.Helper()
	ctx := context.Background()
	c, err := postgres.New(postgres.Config{URL: pgURL(), Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL()+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	notes := repository.MustNew[Note, int64](c)
	if err := c.Autoupdate(ctx, []*model.Definition{notes.Definition()}); err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{})
	r, err := pgnotify.New(ctx, pgnotify.Config{URL: pgURL(), DB: c.DB(), Channel: channel, Bus: bus, Models: []*repository.Model{notes.Model()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	notes.ObserveChanges(r)
	return &instance{notes: notes, bus: bus, conn: c}
}

func next(t *testing.T, s *events.Subscription) events.Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatalf("subscription ended: %v", s.Err())
		}
		return ev
	case <-time.After(3 * time.Second):
		t.Fatal("no event within 3s")
	}
	return events.Event{}
}

func TestAcrossInstances(t *testing.T) {
	ctx := context.Background()
	suffix := sqltest.Suffix()
	schema, channel := "lbnotify_"+suffix, "lbnotify_"+suffix
	a := newInstance(t, schema, channel)
	b := newInstance(t, schema, channel)
	t.Cleanup(func() {
		a.conn.DB().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE")
	})
	onA := a.bus.Subscribe(ctx, events.Options{})
	onB := b.bus.Subscribe(ctx, events.Options{})

	// A rolled-back write reaches nobody.
	boom := errors.New("boom")
	err := repository.Transact(ctx, a.conn, connector.TxOptions{}, func(ctx context.Context) error {
		a.notes.Create(ctx, &Note{Title: "lost"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}

	n, err := a.notes.Create(ctx, &Note{Title: "from A"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := next(t, onA); ev.ID != n.ID || ev.Kind != events.Created {
		t.Fatalf("A got %+v", ev)
	}
	ev := next(t, onB)
	if ev.Model != "Note" || ev.Kind != events.Created || ev.ID != n.ID || ev.Instance["title"] != "from A" {
		t.Fatalf("B got %+v", ev)
	}

	// Over the NOTIFY limit: B fetches the instance by id.
	long := strings.Repeat("é", 5000) // 10,000 bytes
	if err := b.notes.UpdateByID(ctx, n.ID, repository.Patch{"title": long}); err != nil {
		t.Fatal(err)
	}
	next(t, onB)
	ev = next(t, onA)
	if ev.Kind != events.Updated || ev.ID != n.ID || ev.Instance["title"] != long || ev.Changed[0] != "title" {
		t.Fatalf("A got the large change as %v %v %d bytes", ev.Kind, ev.ID, len(ev.Instance["title"].(string)))
	}
	if err := b.notes.DeleteByID(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	next(t, onB)
	if ev := next(t, onA); ev.Kind != events.Deleted || ev.ID != n.ID {
		t.Fatalf("A got %+v", ev)
	}
	select {
	case ev := <-onB.Events():
		t.Fatalf("B got its own change twice, or the rolled-back one: %+v", ev)
	case <-time.After(50 * time.Millisecond):
	}
}
