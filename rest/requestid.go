package rest

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/loopback-go/lb/internal/httpobs"
)

// RequestIDHeader is the header a request id is read from and written to.
const RequestIDHeader = "X-Request-Id"

// maxRequestID bounds an incoming request id; a longer one, or one with
// characters outside visible ASCII, is replaced by a fresh id.
const maxRequestID = 128

// RequestID returns middleware that gives every request an id: the
// client's X-Request-Id when it is 1 to 128 visible ASCII characters,
// otherwise 32 hex digits: 16 random ones drawn when the middleware is
// made, then a counter, so ids are unique across instances and cheap to
// make (they are not secrets). The id is echoed in the response's
// X-Request-Id header and carried by the request's context
// ([RequestIDFrom]); [LogHandler] adds it to every log record made with
// that context. Add it first, with [Server.Use], so that the access log and
// everything after it see the id:
//
//	srv.Use(rest.RequestID(), rest.AccessLog(rest.AccessLogConfig{}))
func RequestID() Middleware {
	var (
		rnd [8]byte
		seq atomic.Uint64
	)
	rand.Read(rnd[:]) //nolint:errcheck // crypto/rand.Read never fails
	prefix := binary.BigEndian.Uint64(rnd[:])
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The id rides on the request's recorder, which the access log,
			// metrics and tracing share: one context value for all of them.
			rec, w2, r := httpobs.Wrap(w, r)
			// RequestIDHeader is in canonical form: the map is read and
			// written directly, as Header.Get and Header.Set would after
			// canonicalizing it, and the value's slice is the recorder's.
			if ids := r.Header[RequestIDHeader]; len(ids) > 0 && validRequestID(ids[0]) {
				rec.RequestID = ids[0]
			} else {
				rec.SetHexRequestID(prefix, seq.Add(1)) // held by the recorder: no allocation
			}
			rec.IDHeader[0] = rec.RequestID
			w.Header()[RequestIDHeader] = rec.IDHeader[:]
			next.ServeHTTP(w2, r)
		})
	}
}

// RequestIDFrom returns the request id [RequestID] put in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	if rec := httpobs.From(ctx); rec != nil {
		return rec.RequestID
	}
	return ""
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// LogHandler wraps a slog.Handler so that every record logged with a
// request's context (InfoContext, LogAttrs …) carries the attribute
// request_id=<id> of [RequestID]:
//
//	logger := slog.New(rest.LogHandler(slog.NewJSONHandler(os.Stderr, nil)))
func LogHandler(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestIDFrom(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}
