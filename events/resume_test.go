package events_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/fault"
)

// TestPublishNumbered: the caller's ids are kept, an id not above the
// last one published is dropped, and the bus's history resumes by them.
func TestPublishNumbered(t *testing.T) {
	bus := events.NewBus(events.Config{History: 3})
	sub := bus.Subscribe(context.Background(), events.Options{})
	bus.PublishNumbered(events.Event{Seq: 10, Model: "Note"}, events.Event{Seq: 12, Model: "Note"})
	bus.PublishNumbered(events.Event{Seq: 12, Model: "Note"}, events.Event{Seq: 11, Model: "Note"}, events.Event{Seq: 15, Model: "Note"})
	for _, want := range []uint64{10, 12, 15} {
		ev := next(t, sub)
		if ev.Seq != want || ev.Time.IsZero() {
			t.Fatalf("seq %d (time %v), want %d", ev.Seq, ev.Time, want)
		}
	}
	none(t, sub)
	if bus.Seq() != 15 {
		t.Fatalf("Seq() = %d, want 15", bus.Seq())
	}
	res := bus.Subscribe(context.Background(), events.Options{After: 12})
	if ev := next(t, res); ev.Seq != 15 {
		t.Fatalf("resumed with %d, want 15", ev.Seq)
	}
}

// TestSSEResetWithoutHistory: without a History, a resume point the
// bus's history no longer covers starts the stream with a reset event
// (no id, so a reconnection before any change asks again), then the live
// changes; one it covers resumes as before.
func TestSSEResetWithoutHistory(t *testing.T) {
	f := newSSE(t, events.StreamConfig{}, nil)
	ctx := context.Background()
	for _, title := range []string{"a", "b", "c", "d"} {
		if _, err := f.notes.Create(ctx, &Note{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	// The fixture's bus holds 1024 events: 1 is covered.
	s := f.open(t, "", http.Header{"Last-Event-Id": {"1"}})
	if fr, _ := s.nextEvent(); fr.id != "2" {
		t.Fatalf("resumed with %+v", fr)
	}
	// An id the bus never published (a previous run's): reset.
	s = f.open(t, "", http.Header{"Last-Event-Id": {"99"}})
	fr := s.next()
	if fr.event != "reset" || fr.id != "" || !strings.Contains(fr.data, `"after":99`) || !strings.Contains(fr.data, `"kind":"reset"`) {
		t.Fatalf("first frame %+v, want a reset", fr)
	}
	if _, err := f.notes.Create(ctx, &Note{Title: "e"}); err != nil {
		t.Fatal(err)
	}
	if fr := s.next(); fr.id != "5" || fr.event != "create" {
		t.Fatalf("after the reset %+v, want the live change 5", fr)
	}
}

// TestStreamOpenHistoryError: a History that fails is a 503 (refused
// before any byte of the stream) and leaves no subscriber.
func TestStreamOpenHistoryError(t *testing.T) {
	cfg := events.StreamConfig{Bus: events.NewBus(events.Config{History: 1}), History: failing{}}
	for range 3 {
		cfg.Bus.Publish(events.Event{Model: "Note"})
	}
	_, err := cfg.Open(context.Background(), events.Options{After: 1})
	if !errors.Is(err, fault.Unavailable) || strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("Open with a failing history: %v, want a 503 that does not tell the cause", err)
	}
	if n := cfg.Bus.Subscribers(); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
	// An expired point is no error: the stream reports it.
	cfg.History = expired{}
	st, err := cfg.Open(context.Background(), events.Options{After: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if after, ok := st.Expired(); !ok || after != 1 {
		t.Fatalf("Expired() = %d, %v", after, ok)
	}
	if evs, err := st.Replay(context.Background()); err != nil || len(evs) != 0 {
		t.Fatalf("an expired stream replays %v, %v", evs, err)
	}
}

type failing struct{}

func (failing) Since(context.Context, uint64, []string, int) ([]events.Event, error) {
	return nil, errors.New("disk on fire")
}

type expired struct{}

func (expired) Since(context.Context, uint64, []string, int) ([]events.Event, error) {
	return nil, events.ErrExpired
}

// FuzzParseLastEventID: every header value is an id or a 400 whose
// message stays short (it quotes at most 40 bytes of the input, escaped);
// an accepted one is the decimal number written.
func FuzzParseLastEventID(f *testing.F) {
	for _, s := range []string{"", "0", "42", " 7 ", "18446744073709551615", "18446744073709551616", "-1", "+1", "0x10", "1e3", "١٢", "12abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := events.ParseLastEventID(s)
		if err != nil {
			if !errors.Is(err, fault.BadRequest) || len(err.Error()) > 512 {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		trimmed := strings.TrimLeft(strings.TrimSpace(s), "0")
		if n == 0 && trimmed != "" || n != 0 && strconv.FormatUint(n, 10) != trimmed {
			t.Fatalf("%q read as %d", s, n)
		}
	})
}
