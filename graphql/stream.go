package graphql

import (
	"errors"
	"net/http"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/loopback-go/lb/events"
)

// serveStream answers a request accepting text/event-stream as
// graphql-sse's distinct connections mode: each result is an SSE event
// "next" whose data is the result as JSON, and "complete" ends the stream.
// A subscription sends a next per change event until the client goes
// away, is dropped as too slow (a last next with the error) or the bus
// closes; a query or mutation sends one next. A request that does not
// parse or validate is answered as JSON, 400, without a stream.
func (h *Handler) serveStream(w http.ResponseWriter, r *http.Request, req Request, allowMutation bool) {
	ctx := r.Context()
	op, resp := h.operation(req)
	var s *subscription
	switch {
	case resp != nil:
	case op.Operation == ast.Subscription:
		s, resp = h.subscribe(ctx, op, req.Variables)
	default:
		resp = h.Do(ctx, req, allowMutation)
	}
	if resp != nil && resp.Status != http.StatusOK {
		h.write(w, resp)
		return
	}
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
	buf := h.buffer()
	defer func() { h.release(buf) }()
	next := []byte("event: next\ndata: ")
	if s == nil { // a query or mutation
		b, err := resp.AppendJSON(append(buf, next...))
		if err != nil {
			h.log.ErrorContext(ctx, "graphql: encode response", "err", err)
			b = append(append(buf, next...), `{"errors":[{"message":"Internal Server Error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`...)
		}
		h.release(resp.bufs...)
		if write(append(b, "\n\n"...)) {
			write([]byte("event: complete\ndata:\n\n"))
		}
		return
	}
	sub := h.cfg.Bus.Subscribe(ctx, s.opts)
	defer sub.Close()
	if !write([]byte(": connected\n\n")) {
		return
	}
	tick := time.NewTicker(h.cfg.KeepAlive)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				if ctx.Err() != nil {
					return
				}
				if errors.Is(sub.Err(), events.ErrSlow) {
					resp := &Response{Status: http.StatusOK, Errors: []Error{errSlow}}
					if b, err := resp.AppendJSON(append(buf[:0], next...)); err == nil {
						write(append(b, "\n\n"...))
					}
				}
				write([]byte("event: complete\ndata:\n\n"))
				return
			}
			buf = append(s.appendResult(ctx, append(buf[:0], next...), ev), "\n\n"...)
			if !write(buf) {
				return
			}
		case <-tick.C:
			if !write([]byte(":\n\n")) {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}
