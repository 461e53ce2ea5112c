package ws

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// Config configures a WebSocket change stream: the [events.StreamConfig]
// of the SSE endpoint (Heartbeat is the ping interval, WriteTimeout bounds
// each message and ping) and the WebSocket options.
type Config struct {
	events.StreamConfig
	// OriginPatterns are the host patterns of the origins, other than the
	// server's own, allowed to open the socket from a browser (see
	// websocket.AcceptOptions); nil allows only same-origin pages.
	OriginPatterns []string
}

// Mount registers GET path on srv as a WebSocket endpoint streaming the
// changes of cfg.Model ("/todos/ws"): after the upgrade, the server sends
// each selected [events.Event] as a JSON text message (the SSE data) and
// pings the client every Heartbeat. The where query parameter, the
// Last-Event-ID header (or the lastEventId query parameter, which browsers
// can set) and Match select events exactly as for the SSE endpoint, and
// the route is an ordinary operation, so authentication and auth.Owner
// apply. A resume replays from the bus or from StreamConfig.History as
// SSE does; when the resume point is no longer held, the first message is
// {"kind":"reset","after":N,…} ([events.ResetJSON]). A refused request
// (a bad where or lastEventId, an unreadable history) is answered before
// the upgrade, in LoopBack's error shape. The client's messages are
// ignored. A client that does not keep up is closed with status 1008
// ("too slow"); a closed bus closes the socket with 1001 (going away).
func Mount(srv *rest.Server, path string, cfg Config, opts ...rest.OperationOption) error {
	if cfg.Bus == nil || cfg.Model == nil {
		return errors.New("ws: Mount needs a Bus and a Model")
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	name := cfg.Model.Name
	op := &openapi.Operation{
		OperationID: name + "Controller.changesSocket",
		Tags:        []string{name + "Controller"},
		Summary:     "Stream the changes of " + name + " instances over a WebSocket (one JSON message per change)",
		Parameters: []*openapi.Parameter{
			{Name: "where", In: openapi.InQuery, Content: map[string]*openapi.MediaType{
				"application/json": {Schema: model.WhereSchema(cfg.Model), Example: map[string]any{}},
			}},
			{Name: "lastEventId", In: openapi.InQuery, Description: "Resume after this event seq",
				Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
		},
		Responses: map[string]*openapi.Response{"101": {Description: "Switching to the WebSocket protocol"}},
	}
	h := &handler{cfg: cfg}
	return srv.AddRoute(http.MethodGet, path, op, h.serve, opts...)
}

type handler struct{ cfg Config }

func (h *handler) serve(ctx context.Context, req *rest.Request) (any, error) {
	if v, ok := req.Params["lastEventId"].(string); ok && req.HTTP.Header.Get("Last-Event-ID") == "" {
		req.HTTP.Header.Set("Last-Event-ID", v)
	}
	o, err := h.cfg.Options(req)
	if err != nil {
		return nil, err
	}
	// Subscribed (and the first page of a replay read) before the upgrade,
	// so a failing history is an HTTP error; the subscription's context
	// is the request's, which ends with the connection.
	st, err := h.cfg.Open(ctx, o)
	if err != nil {
		return nil, err
	}
	c, err := websocket.Accept(req.Writer, req.HTTP, &websocket.AcceptOptions{OriginPatterns: h.cfg.OriginPatterns})
	if err != nil {
		st.Close()
		return nil, nil // Accept answered the client (400, 403 …)
	}
	defer c.CloseNow()
	// The client's messages are read and dropped; CloseRead's context ends
	// when the client closes or the connection breaks.
	ctx = c.CloseRead(ctx)
	defer st.Close()
	if after, ok := st.Expired(); ok {
		if err := h.write(ctx, c, events.ResetJSON(after)); err != nil {
			return nil, nil
		}
	}
	var buf []byte
	for {
		evs, err := st.Replay(ctx)
		if err != nil {
			c.Close(websocket.StatusTryAgainLater, "event history unavailable")
			return nil, nil
		}
		if len(evs) == 0 {
			break
		}
		for _, ev := range evs {
			if buf, err = ev.AppendJSON(buf[:0]); err != nil {
				c.Close(websocket.StatusInternalError, "")
				return nil, nil
			}
			if err := h.write(ctx, c, buf); err != nil {
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
				if errors.Is(st.Err(), events.ErrSlow) {
					c.Close(websocket.StatusPolicyViolation, "too slow")
				} else {
					c.Close(websocket.StatusGoingAway, "")
				}
				return nil, nil
			}
			if !st.Live(ev) {
				continue
			}
			if buf, err = ev.AppendJSON(buf[:0]); err != nil {
				c.Close(websocket.StatusInternalError, "")
				return nil, nil
			}
			if err := h.write(ctx, c, buf); err != nil {
				return nil, nil
			}
		case <-tick.C:
			pctx, cancel := context.WithTimeout(ctx, h.cfg.WriteTimeout)
			err := c.Ping(pctx)
			cancel()
			if err != nil {
				return nil, nil
			}
		case <-ctx.Done():
			return nil, nil
		}
	}
}

func (h *handler) write(ctx context.Context, c *websocket.Conn, b []byte) error {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.WriteTimeout)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, b); err != nil {
		return fmt.Errorf("ws write: %w", err)
	}
	return nil
}
