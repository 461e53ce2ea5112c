// Package httpobs records what a handler answered — status and size — for
// the access log, metrics and tracing middleware, with one wrapper per
// request however many of them are in the chain.
package httpobs

import (
	"context"
	"net/http"
	"unsafe"
)

// Writer wraps an http.ResponseWriter and records the status and the
// number of body bytes written. It unwraps for http.ResponseController and
// forwards Flush.
type Writer struct {
	http.ResponseWriter
	status  int
	written int64
	// RequestID is the request's id, set by the request id middleware.
	RequestID string
	// Route is the path template of the operation the request was routed
	// to, set by whichever middleware learns it; "" when none matched.
	Route string
	// IDHeader holds the value of the response's X-Request-Id header, so
	// that setting it costs no allocation of its own.
	IDHeader [1]string
	// idBuf holds the digits of an id made by SetHexRequestID.
	idBuf   [32]byte
	idTaken bool
}

// SetHexRequestID sets RequestID to the 32 lower-case hex digits of hi
// then lo, held by the recorder itself, so that making the id allocates
// nothing (a second call for the same recorder allocates the new id, so
// that the first one's bytes never change).
func (w *Writer) SetHexRequestID(hi, lo uint64) {
	const digits = "0123456789abcdef"
	var b [32]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[hi&0xf]
		b[16+i] = digits[lo&0xf]
		hi >>= 4
		lo >>= 4
	}
	if w.idTaken {
		// A second id for the request: the first one's bytes stay as
		// they are.
		w.RequestID = string(b[:])
		return
	}
	w.idTaken = true
	w.idBuf = b
	// The string points into the recorder, which it keeps alive.
	w.RequestID = unsafe.String(&w.idBuf[0], len(w.idBuf))
}

// recCtx is the request's context with its recorder: one allocation for
// both, where context.WithValue would be a second.
type recCtx struct {
	context.Context
	w Writer
}

func (c *recCtx) Value(k any) any {
	if k == (key{}) {
		return &c.w
	}
	return c.Context.Value(k)
}

type key struct{}

// unusedKey finds a recorder that a request context holds but no
// middleware has wrapped a writer with yet.
type unusedKey struct{}

// ContextValue answers the keys of this package for a request context
// that holds w itself, unused until a middleware calls Wrap (rest's
// request state: the recorder then costs the request no allocation and no
// copy of its http.Request). ok is false for other keys, and for keys the
// holder is to look up in its parent context: From finds w only once Wrap
// has put it to use.
func (w *Writer) ContextValue(k any) (v any, ok bool) {
	switch k.(type) {
	case key:
		if w.ResponseWriter != nil {
			return w, true
		}
	case unusedKey:
		if w.ResponseWriter == nil {
			return w, true
		}
	}
	return nil, false
}

// Wrap returns the recorder of the request and the writer and request to
// pass on. The first middleware to call it installs a recorder (the writer
// to pass on is the recorder itself, and the request carries it); later
// ones get that same recorder and their w and r back unchanged, so a
// response is recorded once however many middleware observe it.
func Wrap(w http.ResponseWriter, r *http.Request) (*Writer, http.ResponseWriter, *http.Request) {
	ctx := r.Context()
	if rec := From(ctx); rec != nil {
		return rec, w, r
	}
	if rec, _ := ctx.Value(unusedKey{}).(*Writer); rec != nil {
		rec.ResponseWriter = w // the context holds it: From finds it now
		return rec, rec, r
	}
	c := &recCtx{Context: ctx}
	rec := &c.w
	rec.ResponseWriter = w
	return rec, rec, r.WithContext(c)
}

// From returns the recording writer installed for the request's context,
// or nil.
func From(ctx context.Context) *Writer {
	w, _ := ctx.Value(key{}).(*Writer)
	return w
}

// WriteHeader records the status.
func (w *Writer) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records the size, and status 200 when none was written.
func (w *Writer) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.written += int64(n)
	return n, err
}

// Flush flushes the underlying writer when it can.
func (w *Writer) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush() //nolint:errcheck // Flush has no error to report
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Status returns the status written, 200 when the handler wrote a body
// without one, and 0 when it wrote nothing (net/http then answers 200).
func (w *Writer) Status() int { return w.status }

// Written returns the number of body bytes written.
func (w *Writer) Written() int64 { return w.written }

// StatusClass returns "1xx" … "5xx" for a status; 0 (nothing was written,
// which net/http answers with 200) is "2xx".
func StatusClass(code int) string {
	switch {
	case code == 0:
		return "2xx"
	case code < 200:
		return "1xx"
	case code < 300:
		return "2xx"
	case code < 400:
		return "3xx"
	case code < 500:
		return "4xx"
	}
	return "5xx"
}
