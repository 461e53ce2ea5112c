package pgnotify_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/pgnotify"
	"github.com/loopback-go/lb/events/ws"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// obInstance is one app instance fed by the shared outbox: its connector,
// repository (observed by its outbox), bus (fed by its pgnotify relay)
// and a server with the SSE and WebSocket streams, History the outbox.
type obInstance struct {
	notes *repository.CRUD[Note, int64]
	bus   *events.Bus
	conn  *postgres.Connector
	ob    *outbox.Outbox
	url   string
}

func newObInstance(t testing.TB, schema string, history int) *obInstance {
	t.Helper()
	ctx := context.Background()
	c, err := postgres.New(postgres.Config{URL: pgURL(), Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL()+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.DB().Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
		c.Close()
	})
	notes := repository.MustNew[Note, int64](c)
	if err := c.Autoupdate(ctx, []*model.Definition{notes.Definition()}); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.New(ctx, outbox.Config{Conn: c, Models: []*model.Definition{notes.Definition()}})
	if err != nil {
		t.Fatal(err)
	}
	notes.ObserveChanges(ob)
	bus := events.NewBus(events.Config{History: history})
	r, err := pgnotify.New(ctx, pgnotify.Config{URL: pgURL(), Bus: bus, Outbox: ob})
	if err != nil {
		t.Fatal(err)
	}
	srv := rest.New(rest.Config{})
	stream := events.StreamConfig{Bus: bus, Model: notes.Definition(), History: ob, Heartbeat: time.Hour}
	if err := events.MountSSE(srv, "/notes/changes", stream); err != nil {
		t.Fatal(err)
	}
	if err := ws.Mount(srv, "/notes/ws", ws.Config{StreamConfig: stream}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		bus.Close()
		ts.Close()
		r.Close()
	})
	return &obInstance{notes: notes, bus: bus, conn: c, ob: ob, url: ts.URL}
}

// TestOutboxAcrossInstances: with the outbox as their source, two
// instances publish every change with the outbox row's id as Seq, the
// same on both, in the same order, a large one included, and never a
// rolled-back one.
func TestOutboxAcrossInstances(t *testing.T) {
	ctx := context.Background()
	schema := "lbnotob_" + sqltest.Suffix()
	a := newObInstance(t, schema, 0)
	b := newObInstance(t, schema, 0)
	onA := a.bus.Subscribe(ctx, events.Options{})
	onB := b.bus.Subscribe(ctx, events.Options{})

	boom := errors.New("boom")
	err := repository.Transact(ctx, a.conn, connector.TxOptions{}, func(ctx context.Context) error {
		a.notes.Create(ctx, &Note{Title: "lost"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	n, err := b.notes.Create(ctx, &Note{Title: "from B"})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 5000) // over the NOTIFY limit: it travels as an id anyway
	if err := a.notes.UpdateByID(ctx, n.ID, repository.Patch{"title": long}); err != nil {
		t.Fatal(err)
	}
	if err := b.notes.DeleteByID(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	rows, err := a.ob.Since(ctx, 0, nil, 10)
	if err != nil || len(rows) != 3 {
		t.Fatalf("outbox rows %+v, %v", rows, err)
	}
	for _, on := range []*events.Subscription{onA, onB} {
		for i, want := range []events.Kind{events.Created, events.Updated, events.Deleted} {
			ev := next(t, on)
			if ev.Seq != rows[i].Seq || ev.Kind != want || ev.ID != n.ID {
				t.Fatalf("event %d: seq %d %s %v, want seq %d %s %v", i, ev.Seq, ev.Kind, ev.ID, rows[i].Seq, want, n.ID)
			}
			if want == events.Updated && ev.Instance["title"] != long {
				t.Fatalf("the large update arrived without its instance")
			}
		}
		select {
		case ev := <-on.Events():
			t.Fatalf("an extra event: %+v", ev)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// sseClient reads an SSE stream's events.
type sseClient struct {
	resp   *http.Response
	frames chan frame
}

type frame struct{ id, event, data string }

func openSSE(t *testing.T, url, lastID string) *sseClient {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/notes/changes", nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	c := &sseClient{resp: resp, frames: make(chan frame, 1024)}
	if resp.StatusCode != 200 {
		return c
	}
	go func() {
		defer close(c.frames)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var f frame
		for sc.Scan() {
			l := sc.Text()
			switch {
			case l == "":
				if f.event != "" {
					c.frames <- f
				}
				f = frame{}
			case strings.HasPrefix(l, "id: "):
				f.id = l[4:]
			case strings.HasPrefix(l, "event: "):
				f.event = l[7:]
			case strings.HasPrefix(l, "data: "):
				f.data = l[6:]
			}
		}
	}()
	return c
}

func (c *sseClient) next(t *testing.T) frame {
	t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok {
			t.Fatal("stream ended")
		}
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return frame{}
}

// TestResumeFromOutbox: a client resumes, on another instance, from an
// event older than that instance's bus history (it holds 2 events): it
// gets every change after it from the outbox, then the live ones, none
// twice; one resuming from an id the outbox no longer holds gets a reset
// event first; the WebSocket resumes alike.
func TestResumeFromOutbox(t *testing.T) {
	ctx := context.Background()
	schema := "lbnotrs_" + sqltest.Suffix()
	a := newObInstance(t, schema, 2)
	b := newObInstance(t, schema, 2)
	watch := b.bus.Subscribe(ctx, events.Options{})
	var ids []uint64
	for i := range 8 {
		if _, err := a.notes.Create(ctx, &Note{Title: fmt.Sprint("n", i)}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, next(t, watch).Seq)
	}
	c := openSSE(t, b.url, strconv.FormatUint(ids[1], 10))
	if c.resp.StatusCode != 200 {
		t.Fatalf("resume: %d", c.resp.StatusCode)
	}
	for i := 2; i < 8; i++ {
		f := c.next(t)
		var ev struct {
			Seq      uint64         `json:"seq"`
			Instance map[string]any `json:"instance"`
		}
		if err := json.Unmarshal([]byte(f.data), &ev); err != nil {
			t.Fatal(err)
		}
		if f.id != strconv.FormatUint(ids[i], 10) || f.event != "create" || ev.Seq != ids[i] || ev.Instance["title"] != fmt.Sprint("n", i) {
			t.Fatalf("replayed %+v, want id %d n%d", f, ids[i], i)
		}
	}
	if _, err := a.notes.Create(ctx, &Note{Title: "live"}); err != nil {
		t.Fatal(err)
	}
	live := next(t, watch).Seq
	if f := c.next(t); f.id != strconv.FormatUint(live, 10) || !strings.Contains(f.data, `"live"`) {
		t.Fatalf("after the replay %+v, want the live change %d", f, live)
	}

	// Pruned (here: never held) resume point: a reset event, then live.
	gone := openSSE(t, b.url, strconv.FormatUint(live+1000, 10))
	f := gone.next(t)
	var reset struct {
		Kind  string `json:"kind"`
		After uint64 `json:"after"`
	}
	if err := json.Unmarshal([]byte(f.data), &reset); err != nil || f.event != "reset" || f.id != "" || reset.Kind != "reset" || reset.After != live+1000 {
		t.Fatalf("expired resume began with %+v (%v)", f, err)
	}
	// Not a number: 400 in LoopBack's shape.
	if bad := openSSE(t, b.url, "12abc"); bad.resp.StatusCode != 400 {
		t.Fatalf("Last-Event-ID 12abc: %d", bad.resp.StatusCode)
	}

	// The WebSocket, ?lastEventId= on instance A.
	wc, _, err := websocket.Dial(ctx, a.url+"/notes/ws?lastEventId="+strconv.FormatUint(ids[5], 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer wc.CloseNow()
	for _, want := range []uint64{ids[6], ids[7], live} {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, msg, err := wc.Read(rctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		var ev events.Event
		if err := json.Unmarshal(msg, &ev); err != nil || ev.Seq != want {
			t.Fatalf("ws resumed with %s, want seq %d", msg, want)
		}
	}
	// An expired point on the socket: the reset message first.
	gc, _, err := websocket.Dial(ctx, a.url+"/notes/ws?lastEventId="+strconv.FormatUint(live+1000, 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.CloseNow()
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, msg, err := gc.Read(rctx); err != nil || json.Unmarshal(msg, &reset) != nil || reset.Kind != "reset" || reset.After != live+1000 {
		t.Fatalf("ws expired resume began with %s (%v)", msg, err)
	}
	// Not a number: refused before the upgrade, in LoopBack's shape.
	if _, resp, err := websocket.Dial(ctx, a.url+"/notes/ws?lastEventId=x1", nil); err == nil || resp == nil || resp.StatusCode != 400 {
		t.Fatalf("ws lastEventId=x1: %v %v", resp, err)
	}
}

// TestResumeWhileWriting resumes clients from old ids while changes are
// being committed through the other instance: each must receive exactly
// the outbox's ids after its resume point, in order, without a gap at the
// seam between the replay and the live events, and without a duplicate.
func TestResumeWhileWriting(t *testing.T) {
	ctx := context.Background()
	schema := "lbnotrw_" + sqltest.Suffix()
	a := newObInstance(t, schema, 4)
	b := newObInstance(t, schema, 4)
	const total = 120
	for i := range 20 {
		if _, err := a.notes.Create(ctx, &Note{Title: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	first, err := a.ob.Since(ctx, 0, nil, 20)
	if err != nil || len(first) != 20 {
		t.Fatal(first, err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 20; i < total; i++ {
			if _, err := a.notes.Create(ctx, &Note{Title: fmt.Sprint(i)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	type result struct {
		after uint64
		got   []uint64
	}
	results := make(chan result, 6)
	for k := range 6 {
		after := first[k*3].Seq
		time.Sleep(time.Duration(k*7) * time.Millisecond)
		c := openSSE(t, b.url, strconv.FormatUint(after, 10))
		go func() {
			r := result{after: after}
			deadline := time.After(20 * time.Second)
			for len(r.got) < total-k*3-1 {
				select {
				case f, ok := <-c.frames:
					if !ok {
						results <- r
						return
					}
					n, _ := strconv.ParseUint(f.id, 10, 64)
					r.got = append(r.got, n)
				case <-deadline:
					results <- r
					return
				}
			}
			results <- r
		}()
	}
	wg.Wait()
	all, err := a.ob.Since(ctx, 0, nil, 1000)
	if err != nil || len(all) != total {
		t.Fatalf("outbox holds %d rows, %v", len(all), err)
	}
	for range 6 {
		r := <-results
		var want []uint64
		for _, ev := range all {
			if ev.Seq > r.after {
				want = append(want, ev.Seq)
			}
		}
		if fmt.Sprint(r.got) != fmt.Sprint(want) {
			t.Errorf("resumed after %d: got %v\nwant %v", r.after, r.got, want)
		}
	}
}

// TestOutboxListenerLost terminates the listening connections of two
// instances, writes while they are down (those notifications reach
// nobody), and checks that each relay, reconnected, publishes what it
// missed from the outbox, in order.
func TestOutboxListenerLost(t *testing.T) {
	ctx := context.Background()
	schema := "lbnotll_" + sqltest.Suffix()
	a := newObInstance(t, schema, 0)
	b := newObInstance(t, schema, 0)
	onA := a.bus.Subscribe(ctx, events.Options{})
	onB := b.bus.Subscribe(ctx, events.Options{})
	res, err := a.conn.DB().QueryContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN ' || quote_ident($1)`, a.ob.Channel())
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for res.Next() {
		killed++
	}
	res.Close()
	if killed != 2 {
		t.Fatalf("terminated %d listening connections, want 2", killed)
	}
	for i := range 3 {
		if _, err := a.notes.Create(ctx, &Note{Title: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := a.ob.Since(ctx, 0, nil, 10)
	if err != nil || len(rows) != 3 {
		t.Fatalf("outbox rows %v, %v", rows, err)
	}
	for _, on := range []*events.Subscription{onA, onB} {
		for i := range 3 {
			if ev := next(t, on); ev.Seq != rows[i].Seq || ev.Instance["title"] != fmt.Sprint(i) {
				t.Fatalf("after the reconnection: %+v, want seq %d", ev, rows[i].Seq)
			}
		}
	}
}
