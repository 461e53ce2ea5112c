package events

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// StreamConfig configures a change stream ([MountSSE]).
type StreamConfig struct {
	// Bus publishes the changes; required.
	Bus *Bus
	// Model is the definition of the model whose changes are streamed;
	// required. The where parameter is validated against it.
	Model *model.Definition
	// Heartbeat is the interval of the comment lines that keep idle
	// connections (and proxies) open; 0 means 15 seconds.
	Heartbeat time.Duration
	// Buffer is how many events may wait for a client before it is
	// dropped as too slow; 0 means 64.
	Buffer int
	// WriteTimeout bounds each write to the client: a client that does not
	// read for that long is disconnected; 0 means 10 seconds.
	WriteTimeout time.Duration
	// Match, when set, returns the per-event rule for the request (an
	// ownership check reading the authenticated profile, for example); an
	// error refuses the request and is written as the handler's error.
	Match func(r *http.Request) (func(Event) bool, error)
	// History, when set, replays the events a resuming client missed that
	// the bus no longer holds (or never held: it started later, or runs
	// in another instance): *outbox.Outbox on PostgreSQL, whose ids are
	// the events' Seq on every instance. The bus must then number its
	// events with the History's ids (fed by pgnotify.Config.Outbox, not
	// outbox.Config.Bus). Without it a resume point older than the bus's
	// history is answered with a reset event.
	History History
}

// replayPage is how many events one History query returns.
const replayPage = 500

// ParseLastEventID reads a Last-Event-ID header (or the lastEventId
// parameter of events/ws): a decimal event id, spaces around it allowed;
// "" is 0, no resume. Anything else is a fault.BadRequest in LoopBack's
// shape, its message quoting at most 40 bytes of s.
func ParseLastEventID(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil {
		return 0, fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE",
			fmt.Sprintf("Invalid data %q for parameter \"Last-Event-ID\": not an event id.", excerpt(s)))
	}
	return n, nil
}

// Stream is an open change stream (see [StreamConfig.Open]): the events
// replayed for a resuming client, then the live ones.
type Stream struct {
	sub     *Subscription
	hist    History
	models  []string
	page    []Event // fetched, not yet returned by Replay
	after   uint64  // the next History page starts after this Seq
	more    bool
	skip    uint64 // live events up to this Seq were replayed
	expired uint64
}

// Open subscribes to the events o selects and prepares the replay of
// those after o.After: from the bus's history when it holds them,
// otherwise from cfg.History (the first page is read here, so a failing
// History is an error before anything is sent). The subscription is made
// before the History is read and the live events already replayed are
// skipped ([Stream.Live]), so the client sees no gap and no duplicate.
// A resume point that cannot be honoured (older than the History's
// retention, or than the bus's history without one) is reported by
// [Stream.Expired]; the stream then starts with the live events.
func (c StreamConfig) Open(ctx context.Context, o Options) (*Stream, error) {
	st := &Stream{hist: c.History, models: o.Models, skip: o.After}
	after := o.After
	// Checked and subscribed at once: no event leaves the bus's history
	// in between.
	sub, fromBus := c.Bus.subscribe(ctx, o, true)
	st.sub = sub
	if err := sub.Err(); err != nil && !errors.Is(err, ErrSlow) {
		sub.Close()
		return nil, fmt.Errorf("subscribe: %w", err)
	}
	switch {
	case fromBus:
	case c.History == nil:
		st.expired, st.skip = after, 0
	default:
		st.after, st.more = after, true
		err := st.fetch(ctx)
		if errors.Is(err, ErrExpired) {
			st.expired, st.skip, st.more, st.page = after, 0, false, nil
			return st, nil
		}
		if err != nil {
			st.sub.Close()
			return nil, &fault.Error{Kind: fault.Unavailable, Code: "EVENT_HISTORY_UNAVAILABLE",
				Message: "The event history cannot be read now; try again.", Err: err}
		}
	}
	return st, nil
}

func (s *Stream) fetch(ctx context.Context) error {
	evs, err := s.hist.Since(ctx, s.after, s.models, replayPage)
	if err != nil {
		return err
	}
	s.more = len(evs) == replayPage
	s.page = s.page[:0]
	for _, ev := range evs {
		s.after = max(s.after, ev.Seq)
		if s.sub.selects(ev) {
			s.page = append(s.page, ev)
		}
	}
	s.skip = max(s.skip, s.after)
	return nil
}

// Replay returns the next events to send before the live ones, oldest
// first; an empty result means the replay is over.
func (s *Stream) Replay(ctx context.Context) ([]Event, error) {
	for {
		if len(s.page) > 0 {
			p := s.page
			s.page = nil
			return p, nil
		}
		if !s.more {
			return nil, nil
		}
		if err := s.fetch(ctx); err != nil {
			return nil, err
		}
	}
}

// Events returns the live events (see [Subscription.Events]); send those
// for which [Stream.Live] is true.
func (s *Stream) Events() <-chan Event { return s.sub.Events() }

// Live reports whether ev, received from Events, is not one the replay
// sent already.
func (s *Stream) Live(ev Event) bool { return ev.Seq > s.skip }

// Err says why the live events ended (see [Subscription.Err]).
func (s *Stream) Err() error { return s.sub.Err() }

// Close ends the stream.
func (s *Stream) Close() { s.sub.Close() }

// Expired returns the resume point the stream could not honour (the
// events after it are no longer held), and whether there was one: the
// client missed events and must reload its state. SSE sends it as an
// "event: reset" ([ResetJSON]) before the live events.
func (s *Stream) Expired() (uint64, bool) { return s.expired, s.expired != 0 }

// ResetJSON is the message telling a client that the events after its
// resume point are lost: {"kind":"reset","after":N,"message":…}, the data
// of the SSE "reset" event and a WebSocket message of events/ws.
func ResetJSON(after uint64) []byte {
	b := append([]byte(`{"kind":"reset","after":`), strconv.FormatUint(after, 10)...)
	return append(b, `,"message":"The events after this id are no longer kept: reload the data, then follow the live events."}`...)
}

// MountSSE registers GET path on srv: a Server-Sent Events stream of the
// changes of cfg.Model ("/todos/changes"). It is an ordinary operation, so
// authentication, authorization and the OpenAPI document apply to it
// (opts are its operation options, auth.Authenticate for example).
//
// The stream sends one SSE event per change: its id is the event's Seq,
// its event name the kind ("create", "update", "replace", "delete") and
// its data the [Event] as JSON ({"seq","model","kind","id","instance",
// "changed","time"}). Clients choose events with the where query
// parameter (a LoopBack where filter as JSON or in the nested query form,
// validated against the model: an invalid one is a 400 in LoopBack's
// shape), applied to the instance of each event; with auth.Owner
// protecting the model's base path, the owner condition is added to that
// where, so each user only sees the changes of their own instances. A
// reconnecting client's Last-Event-ID header resumes after that event,
// from the bus's recent history or cfg.History, or starts with an
// "event: reset" when those events are gone (see [StreamConfig.Open]);
// one that is not a number is a 400. A comment line is sent every Heartbeat; a
// client that does not keep up is disconnected, its pending events
// dropped, rather than buffered without bound.
func MountSSE(srv *rest.Server, path string, cfg StreamConfig, opts ...rest.OperationOption) error {
	if cfg.Bus == nil || cfg.Model == nil {
		return errors.New("events: MountSSE needs a Bus and a Model")
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	name := cfg.Model.Name
	op := &openapi.Operation{
		OperationID: name + "Controller.changes",
		Tags:        []string{name + "Controller"},
		Summary:     "Stream the changes of " + name + " instances (Server-Sent Events)",
		Parameters: []*openapi.Parameter{
			{Name: "where", In: openapi.InQuery, Content: map[string]*openapi.MediaType{
				"application/json": {Schema: model.WhereSchema(cfg.Model), Example: map[string]any{}},
			}},
			{Name: "Last-Event-ID", In: openapi.InHeader, Description: "Resume after this event id (a number); events no longer kept are announced by an event named reset",
				Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
		},
		Responses: map[string]*openapi.Response{"200": {
			Description: "A text/event-stream of " + name + " change events",
			Content: map[string]*openapi.MediaType{"text/event-stream": {
				Schema: &openapi.Schema{Type: openapi.Types{"string"}},
			}},
		}},
	}
	h := &sseHandler{cfg: cfg}
	return srv.AddRoute(http.MethodGet, path, op, h.serve, opts...)
}

type sseHandler struct{ cfg StreamConfig }

// Options returns the subscription options of a change-stream request:
// the model, the where parameter (validated against the model), the
// Last-Event-ID header and the Match rule. Invalid input is a
// fault.BadRequest in LoopBack's shape. Endpoints other than SSE
// (events/ws) use it to behave alike.
func (c StreamConfig) Options(req *rest.Request) (Options, error) {
	h := struct{ cfg StreamConfig }{c}
	o := Options{Models: []string{h.cfg.Model.Name}, Buffer: h.cfg.Buffer}
	if v, ok := req.Params["where"]; ok {
		w, err := filter.WhereFromValue(v)
		if err != nil {
			return o, badParam("where", err)
		}
		if w != nil {
			if err := w.Validate(h.cfg.Model); err != nil {
				return o, badParam("where", err)
			}
		}
		o.Where = w
	}
	n, err := ParseLastEventID(req.HTTP.Header.Get("Last-Event-ID"))
	if err != nil {
		return o, err
	}
	o.After = n
	if h.cfg.Match != nil {
		m, err := h.cfg.Match(req.HTTP)
		if err != nil {
			return o, err
		}
		o.Match = m
	}
	return o, nil
}

func excerpt(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func badParam(name string, err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	return fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf("Invalid data for parameter %q.", name))
}

func (h *sseHandler) serve(ctx context.Context, req *rest.Request) (any, error) {
	opts, err := h.cfg.Options(req)
	if err != nil {
		return nil, err
	}
	st, err := h.cfg.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	w := req.Writer
	rc := http.NewResponseController(w)
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(h.cfg.WriteTimeout))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// The retry hint and a first comment tell the client the stream is open.
	if !write([]byte("retry: 2000\n: connected\n\n")) {
		return nil, nil
	}
	if after, ok := st.Expired(); ok {
		b := append([]byte("event: reset\ndata: "), ResetJSON(after)...)
		if !write(append(b, "\n\n"...)) {
			return nil, nil
		}
	}
	var buf []byte
	send := func(ev Event) bool {
		buf = buf[:0]
		buf = append(buf, "id: "...)
		buf = strconv.AppendUint(buf, ev.Seq, 10)
		buf = append(buf, "\nevent: "...)
		buf = append(buf, ev.Kind...)
		buf = append(buf, "\ndata: "...)
		if buf, err = ev.AppendJSON(buf); err != nil {
			return false // cannot happen for connector records
		}
		buf = append(buf, "\n\n"...)
		return write(buf)
	}
	for {
		evs, err := st.Replay(ctx)
		if err != nil || len(evs) == 0 {
			if err != nil {
				return nil, nil // the client resumes from what it has
			}
			break
		}
		for _, ev := range evs {
			if !send(ev) {
				return nil, nil
			}
		}
	}
	tick := time.NewTicker(h.cfg.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-st.Events():
			if !ok {
				return nil, nil // dropped (too slow) or the bus closed
			}
			if !st.Live(ev) {
				continue
			}
			if !send(ev) {
				return nil, nil
			}
		case <-tick.C:
			if !write([]byte(": heartbeat\n\n")) {
				return nil, nil
			}
		case <-ctx.Done():
			return nil, nil
		}
	}
}

// AppendJSON appends ev as a JSON object (the keys of its json tags),
// values written as LoopBack writes them (dates in ISO 8601 with
// milliseconds). It fails only for values a connector record cannot
// hold.
func (ev Event) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, ev.Seq, 10)
	b = append(b, `,"model":`...)
	b = jsonw.AppendString(b, ev.Model)
	b = append(b, `,"kind":`...)
	b = jsonw.AppendString(b, string(ev.Kind))
	b = append(b, `,"id":`...)
	if b, err = jsonw.AppendValue(b, ev.ID); err != nil {
		return nil, fmt.Errorf("event id: %w", err)
	}
	b = append(b, `,"instance":`...)
	if b, err = jsonw.AppendValue(b, map[string]any(ev.Instance)); err != nil {
		return nil, fmt.Errorf("event instance: %w", err)
	}
	b = append(b, `,"changed":[`...)
	for i, c := range ev.Changed {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, c)
	}
	b = append(b, `],"time":`...)
	b = jsonw.AppendString(b, ev.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	return append(b, '}'), nil
}
