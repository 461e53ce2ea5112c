package ws_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/ws"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

type Note struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
	Done  bool   `json:"done"`
}

func setup(t *testing.T, cfg ws.Config) (*events.Bus, *repository.CRUD[Note, int64], string) {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	notes := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{})
	notes.ObserveChanges(bus)
	srv := rest.New(rest.Config{})
	cfg.Bus, cfg.Model = bus, notes.Definition()
	if err := ws.Mount(srv, "/notes/ws", cfg); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { bus.Close(); ts.Close() })
	return bus, notes, "ws" + strings.TrimPrefix(ts.URL, "http") + "/notes/ws"
}

func dial(t *testing.T, bus *events.Bus, u string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	before := bus.Subscribers()
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	for bus.Subscribers() == before && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	return c
}

func read(t *testing.T, c *websocket.Conn) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSocketWhereAndResume(t *testing.T) {
	bus, notes, u := setup(t, ws.Config{})
	ctx := context.Background()
	c := dial(t, bus, u+"?where="+url.QueryEscape(`{"title":"b"}`))
	notes.Create(ctx, &Note{Title: "a"})
	b, _ := notes.Create(ctx, &Note{Title: "b"})
	if m := read(t, c); m["kind"] != "create" || m["id"] != float64(b.ID) || m["seq"] != float64(2) {
		t.Fatalf("got %v", m)
	}
	// Resume after the first event: the second is replayed.
	r := dial(t, bus, u+"?lastEventId=1")
	if m := read(t, r); m["seq"] != float64(2) {
		t.Fatalf("resumed %v", m)
	}
}

func TestSocketRefusals(t *testing.T) {
	bus, _, u := setup(t, ws.Config{})
	httpURL := "http" + strings.TrimPrefix(u, "ws")
	for _, q := range []string{"?where=" + url.QueryEscape(`{"nope":1}`), "?lastEventId=x"} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, resp, err := websocket.Dial(ctx, u+q, nil)
		cancel()
		if err == nil || resp == nil || resp.StatusCode != 400 {
			t.Fatalf("%s: err %v resp %v, want a 400 before the upgrade", q, err, resp)
		}
	}
	// A plain GET (no upgrade) is refused, and subscribes nothing.
	resp, err := http.Get(httpURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || bus.Subscribers() != 0 {
		t.Fatalf("plain GET: %d, %d subscribers", resp.StatusCode, bus.Subscribers())
	}
}

func TestSocketSlowClientClosed(t *testing.T) {
	bus, _, u := setup(t, ws.Config{StreamConfig: events.StreamConfig{Buffer: 2, WriteTimeout: 200 * time.Millisecond}})
	c := dial(t, bus, u)
	big := strings.Repeat("x", 64<<10)
	for i := 0; i < 5000 && bus.Subscribers() > 0; i++ {
		bus.Publish(events.Event{Model: "Note", Kind: events.Created, ID: int64(i), Instance: map[string]any{"title": big}})
	}
	if bus.Subscribers() != 0 {
		t.Fatal("a client that does not read is still subscribed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.SetReadLimit(1 << 20)
	for {
		if _, _, err := c.Read(ctx); err != nil {
			if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
				t.Fatalf("closed with %v, want 1008", err)
			}
			return
		}
	}
}

func TestSocketHeartbeat(t *testing.T) {
	bus, _, u := setup(t, ws.Config{StreamConfig: events.StreamConfig{Heartbeat: 5 * time.Millisecond, WriteTimeout: 50 * time.Millisecond}})
	c := dial(t, bus, u)
	got := make(chan map[string]any, 1)
	go func() { // reading answers the server's pings
		_, b, err := c.Read(context.Background())
		if err == nil {
			var m map[string]any
			json.Unmarshal(b, &m)
			got <- m
		}
		close(got)
	}()
	// Many pings go by on the idle stream; each is answered in time.
	time.Sleep(100 * time.Millisecond)
	if bus.Subscribers() != 1 {
		t.Fatalf("idle socket dropped: %d subscribers", bus.Subscribers())
	}
	bus.Publish(events.Event{Model: "Note", Kind: events.Created, ID: int64(7)})
	select {
	case m := <-got:
		if m["id"] != float64(7) {
			t.Fatalf("after pings, got %v", m)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no event after the idle period")
	}
}
