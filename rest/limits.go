package rest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/loopback-go/lb/fault"
)

// drainTimeout bounds how long an error response waits for the rest of an
// unread request body (Apache's lingering close waits 2 seconds too).
const drainTimeout = 2 * time.Second

// overloadGrace is how long a request refused with 503 may still send its
// body before the connection is closed.
const overloadGrace = time.Second

// readDeadliner is the method http.ResponseController calls to set a
// connection's read deadline.
type readDeadliner interface {
	SetReadDeadline(deadline time.Time) error
}

// setReadDeadline sets the read deadline of w's connection, unwrapping
// writers as http.ResponseController does (without its allocations); it
// fails with http.ErrNotSupported for writers that have none (httptest
// recorders).
func setReadDeadline(w http.ResponseWriter, t time.Time) error {
	for {
		switch x := w.(type) {
		case readDeadliner:
			return x.SetReadDeadline(t)
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return http.ErrNotSupported
		}
	}
}

// requestBody wraps a request's body for the server: it puts the body
// under Config.BodyReadTimeout, lifts that deadline once the body has been
// read (so that net/http's background read does not cancel the request of
// a slow handler), and records how reading ended, so that an error
// response knows whether the client is still sending.
type requestBody struct {
	io.ReadCloser
	w        http.ResponseWriter
	until    time.Time // the body read deadline; zero when none is set
	restore  time.Time // the deadline to put back at the end of the body
	err      error     // the first error reading returned (io.EOF at the end)
	finished bool      // the handler returned: w must not be used any more
}

// trackBody wraps r.Body in a requestBody and starts its read deadline.
func (s *Server) trackBody(w http.ResponseWriter, r *http.Request) *requestBody {
	b := &requestBody{ReadCloser: r.Body, w: w}
	if s.bodyTimeout > 0 {
		now := time.Now()
		until := now.Add(s.bodyTimeout)
		if s.cfg.ReadTimeout > 0 {
			// About the deadline http.Server had set: never extend it.
			b.restore = now.Add(s.cfg.ReadTimeout)
			if b.restore.Before(until) {
				until = b.restore
			}
		}
		if setReadDeadline(w, until) == nil {
			b.until = until
		}
	}
	r.Body = b
	return b
}

// Read reads the body and, at its end, lifts the body read deadline.
func (b *requestBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && b.err == nil {
		b.err = err
		if err == io.EOF && !b.until.IsZero() && !b.finished {
			b.until = time.Time{}
			setReadDeadline(b.w, b.restore) //nolint:errcheck // it was set on the same writer
		}
	}
	return n, err
}

// finish marks the end of the handler. The deadline stays, so that
// net/http's own discarding of an unread body is bounded too.
func (b *requestBody) finish() { b.finished = true }

// unread reports whether the client may still be sending the body.
func (b *requestBody) unread() bool { return b.err == nil && !b.finished }

// overloaded answers a request over Config.MaxInFlight: 503 in LoopBack's
// shape with Retry-After, and the connection closed soon after.
func (s *Server) overloaded(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Retry-After"] = []string{"1"}
	if r.ProtoMajor == 1 {
		h["Connection"] = []string{"close"}
	}
	if r.Body != nil && r.Body != http.NoBody {
		// What net/http discards of the body before closing must not hold
		// the connection: a flood of slow senders is what the cap is for.
		grace := overloadGrace
		if s.bodyTimeout > 0 {
			grace = min(grace, s.bodyTimeout)
		}
		setReadDeadline(w, time.Now().Add(grace)) //nolint:errcheck // best effort
	}
	writeHTTPError(w, r, httpError{status: http.StatusServiceUnavailable, message: http.StatusText(http.StatusServiceUnavailable)})
}

// drain runs after an error response to a request whose body was not read
// to its end: it sends the response and then reads and discards the rest
// of the body, up to Config.MaxDrainSize and for at most drainTimeout, so
// that a client that writes its whole body before reading the response
// gets the response rather than a connection reset. A body larger than
// that still ends in net/http closing the connection.
func (s *Server) drain(w http.ResponseWriter, r *http.Request) {
	b, ok := r.Body.(*requestBody)
	if !ok || !b.unread() || s.maxDrain <= 0 || r.ProtoMajor != 1 ||
		strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		return // a client that waits for 100 Continue has not sent its body
	}
	if http.NewResponseController(w).Flush() != nil {
		return
	}
	deadline := time.Now().Add(drainTimeout)
	if !b.until.IsZero() && b.until.Before(deadline) {
		deadline = b.until
	}
	if setReadDeadline(w, deadline) != nil {
		return
	}
	b.until = deadline
	io.CopyN(io.Discard, b, s.maxDrain) //nolint:errcheck // best effort; net/http closes what is left
}

// clientGone records a request whose client went away: it is counted in
// Stats.Canceled and logged at Info level with status 499.
func (s *Server) clientGone(r *http.Request, err error) {
	s.canceled.Add(1)
	s.logger().LogAttrs(r.Context(), slog.LevelInfo, "request canceled by client",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", StatusClientClosedRequest), slog.String("error", err.Error()))
}

// abortedByClient reports whether err is a request body cut short (see
// errAborted) by a client that has gone: net/http cancels the request's
// context when reading from the connection fails.
func abortedByClient(r *http.Request, err error) bool {
	var fe *fault.Error
	return errors.As(err, &fe) && fe.Code == codeAborted && r.Context().Err() != nil
}

// canceledByClient reports whether err is the request's own context being
// canceled, which net/http does when the client closes the connection or
// resets the stream. A handler that cancels a context of its own still
// gets a 500.
func canceledByClient(r *http.Request, err error) bool {
	return errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled)
}

// bodyReadError classifies a failure to read a request body: past
// Config.BodyReadTimeout it is 408 (and counted in Stats.TimedOut),
// anything else is the client aborting the request (400 "request
// aborted", code ECONNABORTED, as LoopBack's body parser answers).
func (s *Server) bodyReadError(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		s.timedOut.Add(1)
		return &statusError{status: http.StatusRequestTimeout, message: "request timeout", err: err}
	}
	return errAborted(err)
}

// limitListener caps the connections open at once (Config.MaxConnections):
// Accept waits for a free slot, so connections over the cap wait in the
// kernel's accept queue and hold no file descriptor of the process.
type limitListener struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, n), closed: make(chan struct{})}
}

// Accept waits for a free slot, then accepts a connection that frees its
// slot when it is closed.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	lc := &limitConn{Conn: c}
	lc.release = func() { <-l.slots }
	return lc, nil
}

// Close closes the listener and wakes an Accept waiting for a slot.
func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitConn is a connection that holds a slot of a limitListener.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close closes the connection and frees its slot.
func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// CloseWrite half-closes a TCP connection, which net/http uses to let the
// client read a response before the connection is closed.
func (c *limitConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
