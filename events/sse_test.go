package events_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

type sseFixture struct {
	bus   *events.Bus
	notes *repository.CRUD[Note, int64]
	url   string
}

func newSSE(t *testing.T, cfg events.StreamConfig, setup func(*rest.Server, *repository.CRUD[Note, int64])) *sseFixture {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	notes := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{})
	notes.ObserveChanges(bus)
	srv := rest.New(rest.Config{})
	if setup != nil {
		setup(srv, notes)
	}
	cfg.Bus, cfg.Model = bus, notes.Definition()
	if err := events.MountSSE(srv, "/notes/changes", cfg); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { bus.Close(); ts.Close() })
	return &sseFixture{bus: bus, notes: notes, url: ts.URL + "/notes/changes"}
}

// stream is an open SSE response read frame by frame.
type stream struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
}

type frame struct {
	id, event, data, comment string
}

func (f *sseFixture) open(t *testing.T, query string, hdr http.Header) *stream {
	t.Helper()
	req, _ := http.NewRequest("GET", f.url+query, nil)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", query, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	s := &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
	if fr := s.next(); fr.comment != "connected" {
		t.Fatalf("first frame = %+v", fr)
	}
	// Wait until the handler subscribed before the test writes.
	deadline := time.Now().Add(2 * time.Second)
	for f.bus.Subscribers() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return s
}

// next reads one frame (lines up to a blank line), failing after 2s.
func (s *stream) next() frame {
	s.t.Helper()
	type res struct {
		f   frame
		err error
	}
	ch := make(chan res, 1)
	go func() {
		var f frame
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				ch <- res{f, err}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			if line == "" {
				if f != (frame{}) {
					ch <- res{f, nil}
					return
				}
				continue
			}
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimPrefix(v, " ")
			switch k {
			case "":
				f.comment = v
			case "id":
				f.id = v
			case "event":
				f.event = v
			case "data":
				f.data = v
			}
		}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			s.t.Fatalf("read: %v", r.err)
		}
		return r.f
	case <-time.After(2 * time.Second):
		s.t.Fatal("no SSE frame within 2s")
	}
	return frame{}
}

// nextEvent skips comments (heartbeats).
func (s *stream) nextEvent() (frame, map[string]any) {
	s.t.Helper()
	for {
		f := s.next()
		if f.event == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(f.data), &m); err != nil {
			s.t.Fatalf("data %q: %v", f.data, err)
		}
		return f, m
	}
}

func TestSSEWhere(t *testing.T) {
	f := newSSE(t, events.StreamConfig{}, nil)
	ctx := context.Background()
	s := f.open(t, "?where="+url.QueryEscape(`{"done":true}`), nil)
	nested := f.open(t, "?where[title][like]=b%25", nil)

	a, _ := f.notes.Create(ctx, &Note{Title: "a"})
	b, _ := f.notes.Create(ctx, &Note{Title: "b"})
	if err := f.notes.UpdateByID(ctx, a.ID, repository.Patch{"done": true}); err != nil {
		t.Fatal(err)
	}
	fr, m := s.nextEvent()
	if fr.event != "update" || fr.id != "3" || m["id"] != float64(a.ID) || m["kind"] != "update" || m["model"] != "Note" {
		t.Fatalf("where done=true: first frame %+v", fr)
	}
	inst := m["instance"].(map[string]any)
	if inst["title"] != "a" || inst["done"] != true {
		t.Fatalf("instance = %v", inst)
	}
	fr, m = nested.nextEvent()
	if fr.event != "create" || m["id"] != float64(b.ID) {
		t.Fatalf("where title like b: first frame %+v", fr)
	}
}

func TestSSEBadRequests(t *testing.T) {
	f := newSSE(t, events.StreamConfig{}, nil)
	for _, c := range []struct {
		query, lastID, code string
	}{
		{"?where=" + url.QueryEscape(`{"nope":1}`), "", "INVALID_PARAMETER_VALUE"},
		{"?where=" + url.QueryEscape(`{"done":{"regexp":1}}`), "", ""},
		{"?where=" + url.QueryEscape(`{"title":`), "", ""},
		{"", "abc", "INVALID_PARAMETER_VALUE"},
	} {
		req, _ := http.NewRequest("GET", f.url+c.query, nil)
		if c.lastID != "" {
			req.Header.Set("Last-Event-ID", c.lastID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error struct {
				StatusCode int    `json:"statusCode"`
				Name       string `json:"name"`
				Code       string `json:"code"`
				Message    string `json:"message"`
			} `json:"error"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 400 || body.Error.StatusCode != 400 || body.Error.Name != "BadRequestError" {
			t.Errorf("%s %s: %d %+v (%v)", c.query, c.lastID, resp.StatusCode, body, err)
		}
		if c.code != "" && body.Error.Code != c.code {
			t.Errorf("%s %s: code %q, want %q", c.query, c.lastID, body.Error.Code, c.code)
		}
	}
	if n := f.bus.Subscribers(); n != 0 {
		t.Fatalf("refused requests left %d subscribers", n)
	}
}

func TestSSEResumeAndHeartbeat(t *testing.T) {
	f := newSSE(t, events.StreamConfig{Heartbeat: 20 * time.Millisecond}, nil)
	ctx := context.Background()
	for _, title := range []string{"a", "b", "c"} {
		if _, err := f.notes.Create(ctx, &Note{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	s := f.open(t, "", http.Header{"Last-Event-Id": {"1"}})
	for _, want := range []string{"2", "3"} {
		if fr, _ := s.nextEvent(); fr.id != want {
			t.Fatalf("resumed id %s, want %s", fr.id, want)
		}
	}
	if fr := s.next(); fr.comment != "heartbeat" {
		t.Fatalf("idle stream sent %+v, want a heartbeat", fr)
	}
}

func TestSSESlowClientDropped(t *testing.T) {
	f := newSSE(t, events.StreamConfig{Buffer: 4, WriteTimeout: 200 * time.Millisecond}, nil)
	s := f.open(t, "", nil) // then never read
	big := strings.Repeat("x", 64<<10)
	start := time.Now()
	for i := 0; i < 5000 && f.bus.Subscribers() > 0; i++ {
		f.bus.Publish(events.Event{Model: "Note", Kind: events.Created, ID: int64(i), Instance: map[string]any{"title": big}})
	}
	if n := f.bus.Subscribers(); n != 0 {
		t.Fatalf("a client that does not read is still subscribed after 5000 events")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("publishing to a slow client took %v: the publisher waited", d)
	}
	// The server ends the response: the client reads what was sent, then EOF.
	done := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, s.r); done <- err }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow client's stream was not closed")
	}
}

func TestSSEOwner(t *testing.T) {
	f := newSSE(t, events.StreamConfig{}, func(srv *rest.Server, notes *repository.CRUD[Note, int64]) {
		a := auth.New(auth.Config{
			Default:         []string{"user"},
			AuthorizeAll:    true,
			DefaultDecision: auth.Allow,
			Authorizers:     []auth.Authorizer{&auth.Owner{BasePath: "/notes", Property: "owner", Model: notes.Model()}},
		})
		a.Register("user", auth.StrategyFunc(func(r *http.Request) (*auth.Profile, error) {
			u := r.Header.Get("X-User")
			if u == "" {
				return nil, auth.Unauthorized("no user")
			}
			return &auth.Profile{ID: u}, nil
		}))
		a.Install(srv)
	})
	resp, err := http.Get(f.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("anonymous: %d, want 401", resp.StatusCode)
	}
	// Ann asks for bob's notes too: the owner rule narrows her where.
	ann := f.open(t, "?where="+url.QueryEscape(`{"or":[{"owner":"bob"},{"title":{"neq":""}}]}`), http.Header{"X-User": {"ann"}})
	ctx := context.Background()
	f.notes.Create(ctx, &Note{Title: "bob's", Owner: "bob"})
	mine, _ := f.notes.Create(ctx, &Note{Title: "ann's", Owner: "ann"})
	fr, m := ann.nextEvent()
	if m["id"] != float64(mine.ID) || fr.id != "2" {
		t.Fatalf("ann got %+v, want only her note %d", fr, mine.ID)
	}
}
