package rest

import (
	"context"
	"net/http"
	"net/url"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/internal/httpobs"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/openapi"
)

// call is the state of one request to an operation. It is the context
// handlers receive: it wraps the request's context and answers Value for
// its own key, so reaching it costs no extra allocation.
type call struct {
	context.Context
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	ep    *endpoint
	pv    []string
	pvBuf [2]string // path parameters of most routes fit without an allocation

	hctx context.Context // the request's context after post-route middleware, if it changed

	query   url.Values
	qErr    error // the query string has too many parameters
	qsForm  map[string]any
	reqCtx  *di.Container
	status  int
	handled bool
	// early: the call is the request's context from ServeHTTP on (see
	// Server.begin); finished: its operation has ended.
	early    bool
	finished bool

	// Held here rather than allocated apart: the Request of a HandlerFunc
	// operation and the arguments its interceptors see (the invocation is
	// allocated when interceptors run: most calls have none).
	req    Request
	valBuf [2]any // the parameter values of most operations
	args   [1]any

	// When the call is the request's context from ServeHTTP on (early):
	// the request's recorder, which the first middleware that observes
	// responses puts to use, and the request the middleware receive, a
	// copy of the server's with the call as its context.
	rec httpobs.Writer
	hr  http.Request
}

type callKey struct{}

func newCall(s *Server, w http.ResponseWriter, r *http.Request) *call {
	return &call{Context: r.Context(), s: s, w: w, r: r}
}

// Value returns the call for callKey and the di request context (created
// on first use) for the key di.FromContext reads; anything else comes from
// the request's context.
//
// A call made by ServeHTTP answers those keys only once the request has
// been routed to an operation (and the di key only until the operation
// ends); before, it answers the keys of httpobs for its recorder.
func (c *call) Value(key any) any {
	if key == (callKey{}) {
		if !c.early || c.ep != nil {
			return c
		}
		return c.Context.Value(key)
	}
	if key == c.s.diKey && key != nil {
		if !c.early || c.ep != nil && !c.finished {
			return c.requestContext()
		}
		return c.Context.Value(key)
	}
	if c.early {
		if v, ok := c.rec.ContextValue(key); ok {
			return v
		}
	}
	return c.Context.Value(key)
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// serveCall is the end of the post-route middleware chain.
func serveCall(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c := callFrom(ctx)
	c.w, c.r = w, r
	if ctx != context.Context(c) {
		c.hctx = ctx // values middleware added; its chain still reaches c
	}
	c.ep.serve(c)
}

// handlerContext is the context handlers and interceptors receive.
func (c *call) handlerContext() context.Context {
	if c.hctx != nil {
		return c.hctx
	}
	return c
}

// queryValues returns the parsed query string: nil (no parameter) when the
// request has none, which most requests do not. It is decoded as
// LoopBack's query parser decodes it (qs.Values): a value whose escapes do
// not decode is kept as sent, never dropped. A query of more parameters
// than qs.ParameterLimit is a 400 rather than a query cut short.
func (c *call) queryValues() (url.Values, error) {
	if c.query == nil && c.qErr == nil && c.r.URL.RawQuery != "" {
		c.query, c.qErr = qs.Values(c.r.URL.RawQuery)
		if c.qErr != nil {
			c.qErr = errTooManyQueryParams()
		}
	}
	return c.query, c.qErr
}

// queryForm returns the query string's nested form (a[b]=c), nil when
// the request has no query string.
func (c *call) queryForm() (map[string]any, error) {
	if c.qsForm == nil && c.r.URL.RawQuery != "" {
		vs, err := c.queryValues()
		if err != nil {
			return nil, err
		}
		c.qsForm = qs.Parse(vs)
	}
	return c.qsForm, nil
}

// RouteInfo describes the operation a request was routed to.
type RouteInfo struct {
	Method      string // upper case
	Path        string // the path template, without BasePath
	OperationID string
	Operation   *openapi.Operation

	meta map[any]any // see Metadata and Value
}

// RouteOf returns the operation the request was routed to. It is set for
// middleware of GroupAuthentication and later groups and for handlers; ok
// is false elsewhere, except in earlier middleware once the request has
// been routed (after next.ServeHTTP returns) when no middleware changed
// the request's context.
func RouteOf(r *http.Request) (RouteInfo, bool) {
	c := callFrom(r.Context())
	if c == nil || c.ep == nil {
		return RouteInfo{}, false
	}
	return c.ep.info(), true
}

// PathParams returns the percent-decoded path parameters of the request's
// route by name; nil outside an operation.
func PathParams(ctx context.Context) map[string]string {
	c := callFrom(ctx)
	if c == nil || c.ep == nil {
		return nil
	}
	m := make(map[string]string, len(c.pv))
	for i, n := range c.ep.names {
		if i < len(c.pv) {
			m[n] = c.pv[i]
		}
	}
	return m
}

// SetStatus sets the status of a successful response from inside a handler
// (for example 201 or 202); it does not change error responses.
func SetStatus(ctx context.Context, code int) {
	if c := callFrom(ctx); c != nil {
		c.status = code
	}
}

// ResponseHeader returns the response headers from inside a handler, to set
// headers on the response; nil outside an operation.
func ResponseHeader(ctx context.Context) http.Header {
	if c := callFrom(ctx); c != nil {
		return c.w.Header()
	}
	return nil
}

// HTTPRequest returns the *http.Request of the operation ctx belongs to, or
// nil.
func HTTPRequest(ctx context.Context) *http.Request {
	if c := callFrom(ctx); c != nil {
		return c.r
	}
	return nil
}

// RequestContext returns the di container of the request ctx belongs to (scope
// Request, a child of the server's context), creating it on first use; nil
// outside an operation.
func RequestContext(ctx context.Context) *di.Container {
	c := callFrom(ctx)
	if c == nil {
		return nil
	}
	return c.requestContext()
}

func (c *call) requestContext() *di.Container {
	if c.reqCtx == nil {
		c.reqCtx = di.NewContainer(c.s.ctx, "request", di.Request)
	}
	return c.reqCtx
}

// callWriter is the call seen as an http.ResponseWriter: it records that
// the handler wrote the response itself, so that nothing is written after
// it.
type callWriter call

func (cw *callWriter) Header() http.Header { return cw.w.Header() }

func (cw *callWriter) Write(b []byte) (int, error) {
	cw.handled = true
	return cw.w.Write(b)
}

func (cw *callWriter) WriteHeader(code int) {
	cw.handled = true
	cw.w.WriteHeader(code)
}

// Unwrap gives http.ResponseController access to the underlying writer.
func (cw *callWriter) Unwrap() http.ResponseWriter { return cw.w }
