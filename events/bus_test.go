package events_test

import (
	"context"
	"errors"
	"testing"

	"github.com/loopback-go/lb/events"
)

func TestSlowSubscriberDropped(t *testing.T) {
	bus := events.NewBus(events.Config{})
	slow := bus.Subscribe(context.Background(), events.Options{Buffer: 2})
	fast := bus.Subscribe(context.Background(), events.Options{Buffer: 8})
	for i := range 5 {
		bus.Publish(events.Event{Model: "Note", ID: int64(i)})
		<-fast.Events()
	}
	<-slow.Done()
	if !errors.Is(slow.Err(), events.ErrSlow) {
		t.Fatalf("slow.Err() = %v, want ErrSlow", slow.Err())
	}
	// What was buffered is still read, then the channel is closed.
	n := 0
	for range slow.Events() {
		n++
	}
	if n != 2 {
		t.Fatalf("slow subscriber read %d buffered events, want 2", n)
	}
	if fast.Err() != nil {
		t.Fatalf("fast subscriber ended: %v", fast.Err())
	}
}

func TestSubscribeSelects(t *testing.T) {
	bus := events.NewBus(events.Config{})
	ctx := context.Background()
	notes := bus.Subscribe(ctx, events.Options{Models: []string{"Note"}})
	mine := bus.Subscribe(ctx, events.Options{Match: func(ev events.Event) bool { return ev.Instance["owner"] == "ann" }})
	bus.Publish(
		events.Event{Model: "Todo", ID: int64(1), Instance: map[string]any{"owner": "ann"}},
		events.Event{Model: "Note", ID: int64(2), Instance: map[string]any{"owner": "bob"}},
	)
	if ev := next(t, notes); ev.ID != int64(2) || ev.Seq != 2 {
		t.Fatalf("notes got %+v", ev)
	}
	none(t, notes)
	if ev := next(t, mine); ev.ID != int64(1) {
		t.Fatalf("mine got %+v", ev)
	}
	none(t, mine)
}

func TestResumeAfter(t *testing.T) {
	bus := events.NewBus(events.Config{History: 3})
	for i := range 5 {
		bus.Publish(events.Event{Model: "Note", ID: int64(i + 1)})
	}
	sub := bus.Subscribe(context.Background(), events.Options{After: 3})
	for _, want := range []uint64{4, 5} {
		if ev := next(t, sub); ev.Seq != want {
			t.Fatalf("replayed seq %d, want %d", ev.Seq, want)
		}
	}
	none(t, sub)
	// Only the last 3 are held: resuming after 1 replays 3, 4, 5.
	old := bus.Subscribe(context.Background(), events.Options{After: 1})
	if ev := next(t, old); ev.Seq != 3 {
		t.Fatalf("first replayed seq %d, want 3", ev.Seq)
	}
	bus.Publish(events.Event{Model: "Note"})
	if ev := next(t, sub); ev.Seq != 6 {
		t.Fatalf("live seq %d, want 6", ev.Seq)
	}
}

func TestSubscriptionEnds(t *testing.T) {
	bus := events.NewBus(events.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	sub := bus.Subscribe(ctx, events.Options{})
	cancel()
	<-sub.Done()
	if !errors.Is(sub.Err(), events.ErrClosed) {
		t.Fatalf("Err() = %v, want ErrClosed", sub.Err())
	}
	other := bus.Subscribe(context.Background(), events.Options{})
	bus.Close()
	if _, ok := <-other.Events(); ok || !errors.Is(other.Err(), events.ErrClosed) {
		t.Fatalf("after bus.Close: open=%v err=%v", ok, other.Err())
	}
	late := bus.Subscribe(context.Background(), events.Options{})
	if !errors.Is(late.Err(), events.ErrClosed) {
		t.Fatalf("subscribe on a closed bus: %v", late.Err())
	}
	bus.Publish(events.Event{Model: "Note"}) // no panic on closed channels
}
