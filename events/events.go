package events

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// Kind says what a write did to an instance: "create", "update",
// "replace" or "delete".
type Kind = repository.ChangeKind

// The kinds, as in package repository.
const (
	Created  = repository.Created
	Updated  = repository.Updated
	Replaced = repository.Replaced
	Deleted  = repository.Deleted
)

// Event is one committed change of one model instance.
type Event struct {
	// Seq numbers the events of a [Bus] from 1, in publication order; it
	// is the SSE event id and the resume point of [Options.After]. On
	// PostgreSQL with the outbox it is the outbox row's id, so the same
	// on every instance (see [Bus.PublishNumbered]).
	Seq uint64 `json:"seq"`
	// Model is the model's name ("Todo").
	Model string `json:"model"`
	// Kind is what the write did.
	Kind Kind `json:"kind"`
	// ID is the instance's id.
	ID any `json:"id"`
	// Instance is the instance after the change (hidden properties left
	// out); for a delete, the instance as it was when deleted. Subscribers
	// share it: never modify it.
	Instance connector.Record `json:"instance"`
	// Changed names the properties the write set, sorted.
	Changed []string `json:"changed,omitempty"`
	// Time is when the bus published the event.
	Time time.Time `json:"time"`
}

// ErrExpired is the error of a [History] asked for the events after one
// it no longer holds (older than its retention), or never held: the
// client missed events it cannot be given, and must reload its state.
var ErrExpired = errors.New("events: resume point no longer held")

// History replays past events from a store that outlives the process and
// numbers events the same on every instance (*outbox.Outbox on
// PostgreSQL). Change streams ([StreamConfig].History) use it when a
// client resumes from an event older than the bus's own history.
type History interface {
	// Since returns at most limit events with a Seq greater than after,
	// oldest first, of the given models (all when empty). When after is
	// not 0 and the event numbered after is no longer held, it returns
	// [ErrExpired].
	Since(ctx context.Context, after uint64, models []string, limit int) ([]Event, error)
}

// ErrSlow is the [Subscription.Err] of a subscriber dropped because it
// did not keep up: its buffer was full when an event came.
var ErrSlow = errors.New("events: subscriber too slow, dropped")

// ErrClosed is the [Subscription.Err] of a subscription ended by
// [Subscription.Close], by its context, or by [Bus.Close].
var ErrClosed = errors.New("events: subscription closed")

// Options select the events of a subscription.
type Options struct {
	// Models keeps the events of these models only (by name); empty keeps
	// every model's.
	Models []string
	// Where keeps the events whose Instance matches this LoopBack where
	// filter (validated by the caller); nil keeps all.
	Where *filter.Where
	// Match, when set, keeps only the events it returns true for (an
	// ownership rule, for example). It runs on the publisher's goroutine:
	// keep it fast and non-blocking.
	Match func(Event) bool
	// Buffer is how many events may wait for the subscriber before it is
	// dropped with [ErrSlow]; 0 means 64.
	Buffer int
	// After replays the events with a Seq greater than After that the
	// bus still holds (see [Config.History]) before the new ones; 0
	// replays nothing. The buffer grows by the replayed events, so a
	// resume is never dropped for its own backlog.
	After uint64
}

// Config configures a [Bus].
type Config struct {
	// History is how many recent events the bus keeps for subscribers
	// that resume ([Options.After]); 0 means 1024, negative keeps none.
	History int
	// Now gives the event time; nil means time.Now.
	Now func() time.Time
}

// Bus delivers change events to in-process subscribers. It is a
// [repository.ChangeObserver]: give it to the repositories whose changes
// it publishes with their ObserveChanges method. Publishing never blocks:
// a subscriber whose buffer is full is dropped ([ErrSlow]). A Bus is safe
// for concurrent use.
type Bus struct {
	now func() time.Time

	mu      sync.RWMutex
	seq     uint64
	subs    map[*Subscription]struct{}
	history []Event // ring
	next    int     // next ring slot
	full    bool
	closed  bool
}

// NewBus returns an empty bus.
func NewBus(cfg Config) *Bus {
	b := &Bus{now: cfg.Now, subs: make(map[*Subscription]struct{})}
	if b.now == nil {
		b.now = time.Now
	}
	switch {
	case cfg.History == 0:
		b.history = make([]Event, 1024)
	case cfg.History > 0:
		b.history = make([]Event, cfg.History)
	}
	return b
}

// ObserveChanges publishes changes; it implements
// [repository.ChangeObserver].
func (b *Bus) ObserveChanges(_ context.Context, changes []repository.Change) {
	evs := make([]Event, len(changes))
	for i, c := range changes {
		evs[i] = Event{Model: c.Model, Kind: c.Kind, ID: c.ID, Instance: c.Instance, Changed: c.Changed}
	}
	b.Publish(evs...)
}

// Publish numbers evs (their Seq and Time are set here) and delivers them
// to every subscriber they match.
func (b *Bus) Publish(evs ...Event) {
	if len(evs) == 0 {
		return
	}
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	for i := range evs {
		b.seq++
		evs[i].Seq, evs[i].Time = b.seq, now
		b.add(evs[i])
	}
}

// PublishNumbered delivers evs, whose Seq is set by the caller (the id of
// an outbox row, the same on every instance), in the order given; an
// event whose Seq is not greater than the last one published is dropped
// as already published. A Time left zero is set to now. A bus numbers its
// events one way: feed it with Publish (and ObserveChanges) or with
// PublishNumbered, not both.
func (b *Bus) PublishNumbered(evs ...Event) {
	if len(evs) == 0 {
		return
	}
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	for _, ev := range evs {
		if ev.Seq <= b.seq {
			continue
		}
		if ev.Time.IsZero() {
			ev.Time = now
		}
		b.seq = ev.Seq
		b.add(ev)
	}
}

// add records ev in the history and delivers it. b.mu is held.
func (b *Bus) add(ev Event) {
	if len(b.history) > 0 {
		b.history[b.next] = ev
		b.next++
		if b.next == len(b.history) {
			b.next, b.full = 0, true
		}
	}
	for s := range b.subs {
		if !s.deliver(ev) {
			delete(b.subs, s)
		}
	}
}

// covers reports whether a subscriber resuming after seq misses nothing
// by resuming from the bus: either seq is the last event published, or
// the history holds the event right after seq or an older one.
// b.mu is held.
func (b *Bus) covers(seq uint64) bool {
	if seq == b.seq {
		return true
	}
	if seq > b.seq || len(b.history) == 0 {
		return false
	}
	oldest := 0
	if b.full {
		oldest = b.next
	} else if b.next == 0 {
		return false
	}
	return b.history[oldest].Seq <= seq+1
}

// Subscribe returns a subscription to the events that opts select, until
// ctx ends or the subscription is closed. On a closed bus the
// subscription is already ended with [ErrClosed].
func (b *Bus) Subscribe(ctx context.Context, opts Options) *Subscription {
	s, _ := b.subscribe(ctx, opts, false)
	return s
}

// subscribe is Subscribe; when strict, a resume point the history does not
// cover replays nothing, and covered reports false.
func (b *Bus) subscribe(ctx context.Context, opts Options, strict bool) (s *Subscription, covered bool) {
	n := opts.Buffer
	if n <= 0 {
		n = 64
	}
	s = &Subscription{bus: b, done: make(chan struct{})}
	if len(opts.Models) > 0 {
		s.models = make(map[string]bool, len(opts.Models))
		for _, m := range opts.Models {
			s.models[m] = true
		}
	}
	if opts.Where != nil {
		m, err := filter.Compile(opts.Where)
		if err != nil {
			s.err = err // ended below, once its channel exists
		}
		s.where = m
	}
	s.match = opts.Match
	b.mu.Lock()
	defer b.mu.Unlock()
	var replay []Event
	covered = true
	if opts.After > 0 {
		covered = b.covers(opts.After)
		if covered || !strict {
			replay = b.since(opts.After)
		}
	}
	// The buffer holds the replay on top of Buffer: a resume is not
	// dropped for the backlog it asked for (bounded by Config.History).
	s.c = make(chan Event, n+len(replay))
	if s.err != nil || b.closed {
		s.end(cmpErr(s.err, ErrClosed))
		return s, covered
	}
	for _, ev := range replay {
		s.deliver(ev)
	}
	b.subs[s] = struct{}{}
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, s.Close)
		go func() { <-s.done; stop() }()
	}
	return s, covered
}

func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// since returns the held events after seq, oldest first. b.mu is held.
func (b *Bus) since(seq uint64) []Event {
	var ring []Event
	if b.full {
		ring = append(append(ring, b.history[b.next:]...), b.history[:b.next]...)
	} else {
		ring = b.history[:b.next]
	}
	for i, ev := range ring {
		if ev.Seq > seq {
			return ring[i:]
		}
	}
	return nil
}

// Seq returns the Seq of the last event published.
func (b *Bus) Seq() uint64 {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.seq
}

// Subscribers returns how many subscriptions are running.
func (b *Bus) Subscribers() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs)
}

// Close ends every subscription with [ErrClosed]; later events are not
// delivered.
func (b *Bus) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		s.end(ErrClosed)
		delete(b.subs, s)
	}
}

// Subscription receives the events of one subscriber (see
// [Bus.Subscribe]).
type Subscription struct {
	bus    *Bus
	c      chan Event
	done   chan struct{}
	models map[string]bool
	where  *filter.Matcher
	match  func(Event) bool

	once sync.Once
	err  error
}

// Events returns the channel of events. It is closed when the
// subscription ends (see [Subscription.Err]), after the events already
// buffered.
func (s *Subscription) Events() <-chan Event { return s.c }

// Done is closed when the subscription ends.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err says why the subscription ended: [ErrSlow], [ErrClosed], or an
// invalid where filter; nil while it runs.
func (s *Subscription) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close ends the subscription with [ErrClosed]; closing twice is harmless.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	delete(s.bus.subs, s)
	s.end(ErrClosed)
	s.bus.mu.Unlock()
}

// end ends s with err; the bus lock is held (or s is not yet added).
func (s *Subscription) end(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
		close(s.c)
	})
}

// deliver sends ev to s if it matches; it reports false when s ended (it
// was too slow). The bus lock is held.
func (s *Subscription) deliver(ev Event) bool {
	if !s.selects(ev) {
		return true
	}
	select {
	case s.c <- ev:
		return true
	default:
		s.end(ErrSlow)
		return false
	}
}

// selects reports whether ev passes the subscription's models, where and
// Match.
func (s *Subscription) selects(ev Event) bool {
	if s.models != nil && !s.models[ev.Model] {
		return false
	}
	if s.where != nil && !s.where.Match(ev.Instance) {
		return false
	}
	return s.match == nil || s.match(ev)
}
