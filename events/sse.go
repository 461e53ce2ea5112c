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
// reconnecting client's Last-Event-ID header resumes after that event from
// the bus's recent history. A comment line is sent every Heartbeat; a
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
			{Name: "Last-Event-ID", In: openapi.InHeader, Description: "Resume after this event id",
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
	if s := req.HTTP.Header.Get("Last-Event-ID"); s != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return o, fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE",
				fmt.Sprintf("Invalid data %q for parameter \"Last-Event-ID\": not an event id.", excerpt(s)))
		}
		o.After = n
	}
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
	sub := h.cfg.Bus.Subscribe(ctx, opts)
	defer sub.Close()
	if err := sub.Err(); err != nil && !errors.Is(err, ErrSlow) {
		return nil, fmt.Errorf("subscribe: %w", err)
	}
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
	tick := time.NewTicker(h.cfg.Heartbeat)
	defer tick.Stop()
	var buf []byte
	for {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				return nil, nil // dropped (too slow) or the bus closed
			}
			buf = buf[:0]
			buf = append(buf, "id: "...)
			buf = strconv.AppendUint(buf, ev.Seq, 10)
			buf = append(buf, "\nevent: "...)
			buf = append(buf, ev.Kind...)
			buf = append(buf, "\ndata: "...)
			if buf, err = ev.AppendJSON(buf); err != nil {
				return nil, nil // cannot happen for connector records
			}
			buf = append(buf, "\n\n"...)
			if !write(buf) {
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
