package rest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
)

// Response is a handler result that sets the status and headers
// explicitly. Body is written like any other result (JSON for values,
// application/octet-stream for []byte, text/plain for string, a stream for
// an io.Reader); a nil Body sends no body.
type Response struct {
	Status int // zero means 200, or 204 when Body is nil
	Header http.Header
	Body   any
}

// JSONAppender is a handler result that encodes itself as JSON: AppendJSON
// appends the encoding to b and returns the extended buffer. The REST
// layer passes a pooled buffer, so a result that knows its encoding (a
// precomputed per-model encoder, say) is written without allocating a
// buffer of its own. An error is written like a handler's error.
type JSONAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

var (
	ctJSON   = []string{"application/json"}
	ctText   = []string{"text/plain"}
	ctBinary = []string{"application/octet-stream"}
)

// writeResult writes a successful handler result: nil is 204, *Response
// sets status and headers, []byte is application/octet-stream, string is
// text/plain, an io.Reader is streamed, json.RawMessage is sent as is, a
// JSONAppender appends itself to a pooled buffer, and anything else is
// encoded as JSON. A status set with SetStatus wins over
// the default.
func (c *call) writeResult(v any) {
	if c.handled {
		return
	}
	status := c.status
	if r, ok := v.(*Response); ok {
		if r == nil {
			v = nil
		} else {
			for k, vs := range r.Header {
				c.w.Header()[k] = vs
			}
			if r.Status != 0 {
				status = r.Status
			}
			v = r.Body
		}
	}
	if v == nil {
		if status == 0 {
			status = http.StatusNoContent
		}
		c.w.WriteHeader(status)
		return
	}
	if status == 0 {
		status = http.StatusOK
	}
	h := c.w.Header()
	switch x := v.(type) {
	case []byte:
		c.writeBytes(status, ctBinary, x)
	case string:
		c.writeBytes(status, ctText, []byte(x))
	case json.RawMessage:
		c.writeBytes(status, ctJSON, x)
	case JSONAppender:
		je := encoderPool.Get().(*jsonEncoder)
		je.buf.Reset()
		b, err := x.AppendJSON(je.buf.AvailableBuffer())
		if err != nil {
			encoderPool.Put(je)
			c.s.WriteError(c.w, c.r, err)
			return
		}
		c.writeBytes(status, ctJSON, b)
		if cap(b) <= 1<<20 {
			if cap(b) > je.buf.Cap() {
				je.buf = *bytes.NewBuffer(b[:0]) // keep the grown buffer
			}
			encoderPool.Put(je)
		}
	case io.Reader:
		if rc, ok := x.(io.Closer); ok {
			defer rc.Close()
		}
		if _, set := h["Content-Type"]; !set {
			h["Content-Type"] = ctBinary
		}
		c.w.WriteHeader(status)
		if c.r.Method != http.MethodHead {
			io.Copy(c.w, x) //nolint:errcheck // the client went away
		}
	default:
		je := encoderPool.Get().(*jsonEncoder)
		je.buf.Reset()
		if err := je.enc.Encode(v); err != nil {
			encoderPool.Put(je)
			c.s.WriteError(c.w, c.r, err)
			return
		}
		c.writeBytes(status, ctJSON, bytes.TrimSuffix(je.buf.Bytes(), []byte{'\n'}))
		if je.buf.Cap() <= 1<<20 {
			encoderPool.Put(je)
		}
	}
}

// jsonEncoder is a pooled buffer with its encoder, which writes JSON as
// JavaScript's JSON.stringify does (no HTML escaping).
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoderPool = sync.Pool{New: func() any {
	je := &jsonEncoder{}
	je.enc = json.NewEncoder(&je.buf)
	je.enc.SetEscapeHTML(false)
	return je
}}

func (c *call) writeBytes(status int, ct []string, b []byte) {
	h := c.w.Header()
	if _, set := h["Content-Type"]; !set {
		h["Content-Type"] = ct
	}
	c.w.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		c.w.Write(b) //nolint:errcheck // the client went away
	}
}

// writeError writes err for this call. When the handler has already
// written the response itself, the error can only be logged.
func (c *call) writeError(err error) {
	if c.handled {
		c.s.logger().LogAttrs(c, slog.LevelError, "error after the response was written",
			slog.String("method", c.r.Method), slog.String("path", c.r.URL.Path), slog.String("error", err.Error()))
		return
	}
	c.s.WriteError(c.w, c.r, err)
}
