package graphql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Config configures a [Handler]. Only Models is required.
type Config struct {
	// Models are the record-level repositories served, each as an object
	// type with root query fields (and mutations). A relation is a field
	// when its target is among Models; the repositories must be in one
	// repository.Registry for relations to resolve.
	Models []*repository.Model
	// ReadOnly leaves out the mutations.
	ReadOnly bool
	// MaxBodyBytes bounds a POST body; 0 means 1 MiB.
	MaxBodyBytes int64
	// Logger receives the errors that are not the client's (a data
	// source failing), which clients see only as "Internal Server
	// Error"; nil means slog.Default().
	Logger *slog.Logger
	// Authorize, when set, is asked before each root field runs (see
	// [Operation]). It returns an error to refuse the operation (such as
	// auth.Forbidden(), a 403 field error) or the where clause the
	// operation is restricted to: finds and counts get it added to their
	// where, and the by-id operations are refused (403 "Access denied")
	// for an instance outside it. nil means every operation is allowed.
	// Read the caller from ctx (auth.ProfileFrom) when the handler is
	// served behind authentication.
	Authorize func(ctx context.Context, op *Operation) (*filter.Where, error)
	// NoGraphiQL turns off the GraphiQL page that GET requests without a
	// query, from a browser (Accept: text/html), are otherwise answered
	// with.
	NoGraphiQL bool

	// Bus, when set, serves subscriptions fed by its change events: a
	// Subscription type with a field per model (todoChanged), over a
	// WebSocket (graphql-transport-ws) or a text/event-stream response.
	// The repositories of Models must publish to it (ObserveChanges).
	Bus *events.Bus
	// Authenticate, when set, authenticates the requests that reach the
	// handler without an authenticated profile (auth.ProfileFrom): a
	// handler not mounted behind auth.Authenticate. Its profile is put in
	// the context Authorize reads. An HTTP request it refuses is answered
	// 401 (extensions.code UNAUTHENTICATED); a WebSocket is authenticated
	// with its upgrade request's Authorization header or, without one,
	// the Authorization member of connection_init's payload, and closed
	// with 4403 when refused. nil leaves requests unauthenticated.
	Authenticate auth.Strategy
	// InitTimeout is how long a WebSocket may stay open before its
	// connection_init; it is then closed with 4408. 0 means 10 seconds.
	InitTimeout time.Duration
	// MaxSubscriptions bounds the operations running at once on one
	// WebSocket; one more is answered with an error. 0 means 100.
	MaxSubscriptions int
	// SubscriptionBuffer is how many events may wait for a subscriber
	// before it is dropped as too slow (an error message ends the
	// subscription). 0 means 64.
	SubscriptionBuffer int
	// WriteTimeout bounds each write to a WebSocket or event stream: a
	// client that does not read for that long is disconnected. 0 means 10
	// seconds.
	WriteTimeout time.Duration
	// KeepAlive is the interval of the WebSocket pings (and event-stream
	// comments) that keep idle connections open; 0 means 30 seconds.
	KeepAlive time.Duration
	// OriginPatterns are the host patterns of the origins, other than the
	// server's own, allowed to open a WebSocket from a browser (see
	// websocket.AcceptOptions); nil allows only same-origin pages.
	OriginPatterns []string
}

// Handler serves GraphQL requests over the models of its Config. It is an
// http.Handler, safe for concurrent use.
type Handler struct {
	cfg    Config
	schema *ast.Schema
	sdl    string
	roots  map[string]root
	subs   map[string]*modelType // subscription fields
	log    *slog.Logger
	page   []byte

	// docs caches the documents that parsed and validated, by query text:
	// clients send the same few queries again and again. A validated
	// document is only read afterwards. Cleared when it reaches maxDocs.
	mu   sync.RWMutex
	docs map[string]*ast.QueryDocument
	// pool holds *[]byte buffers for encoded results and responses.
	pool sync.Pool
}

// buffer returns an empty pooled buffer.
func (h *Handler) buffer() []byte {
	if p, ok := h.pool.Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return make([]byte, 0, 4096)
}

// release returns buffers to the pool; large ones are dropped.
func (h *Handler) release(bufs ...[]byte) {
	for _, b := range bufs {
		if cap(b) <= 1<<20 {
			h.pool.Put(&b)
		}
	}
}

// maxDocs bounds the number of cached documents, maxCachedQuery the
// length of a query that is cached.
const (
	maxDocs        = 256
	maxCachedQuery = 8 << 10
)

// rootKind is what a root field does.
type rootKind int

const (
	rootList rootKind = iota
	rootOne
	rootCount
	rootCreate
	rootUpdate
	rootDelete
)

// root is a root field of the schema.
type root struct {
	mt   *modelType
	kind rootKind
}

// New builds the schema of cfg.Models and returns a Handler serving it. It
// fails when a model cannot be served: no single id property, a name that
// is not a GraphQL name, or two models whose query fields collide.
func New(cfg Config) (*Handler, error) {
	if len(cfg.Models) == 0 {
		return nil, errors.New("graphql: no models to serve")
	}
	schema, types, sdl, err := newSchema(cfg.Models, cfg.ReadOnly, cfg.Bus != nil)
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, schema: schema, sdl: sdl, roots: map[string]root{}, subs: map[string]*modelType{}, log: cfg.Logger}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.cfg.MaxBodyBytes <= 0 {
		h.cfg.MaxBodyBytes = 1 << 20
	}
	defaults(&h.cfg.InitTimeout, 10*time.Second)
	defaults(&h.cfg.WriteTimeout, 10*time.Second)
	defaults(&h.cfg.KeepAlive, 30*time.Second)
	defaults(&h.cfg.MaxSubscriptions, 100)
	defaults(&h.cfg.SubscriptionBuffer, 64)
	for _, mt := range types {
		h.roots[mt.list] = root{mt, rootList}
		h.roots[mt.one] = root{mt, rootOne}
		h.roots[mt.count] = root{mt, rootCount}
		if mt.mutable {
			n := mt.def.Name
			h.roots["create"+n] = root{mt, rootCreate}
			h.roots["update"+n] = root{mt, rootUpdate}
			h.roots["delete"+n] = root{mt, rootDelete}
		}
		if mt.changed != "" {
			h.subs[mt.changed] = mt
		}
	}
	h.page = graphiQLPage("")
	return h, nil
}

// SDL returns the schema in GraphQL's schema definition language.
func (h *Handler) SDL() string { return h.sdl }

// Operation is a root field about to run, as [Config].Authorize sees it.
type Operation struct {
	// Model is the model name ("Todo").
	Model string
	// Name is the operation of LoopBack's CRUD controller it is:
	// "find", "findById", "count", "create", "updateById" or "deleteById".
	Name string
	// ID is the id of the by-id operations, nil otherwise.
	ID any
	// Data is what create and updateById write; Authorize may set
	// properties in it (the owner of a new instance).
	Data map[string]any
	// Subscription is set for a subscription field (Name is then "find"):
	// the where clause returned is applied to each change event's
	// instance, so a subscriber only receives the changes it may read.
	Subscription bool
}

// Request is a GraphQL request: GraphQL-over-HTTP's JSON body.
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
}

// Response is the result of a request: its errors and the data that
// [Response.AppendJSON] writes (null when a non-null root field failed;
// absent when the operation did not run). Status is the HTTP status it is
// served with: 400 when the request is malformed or fails validation, 405
// for a mutation refused, else 200.
type Response struct {
	Status int
	Errors []Error
	data   object
	bufs   [][]byte // pooled buffers data refers to
}

// Error is a GraphQL error as written to clients: the message (never a
// data source's own text), where it happened and, in Extensions, the
// LoopBack code, statusCode and details of the error.
type Error struct {
	Message    string         `json:"message"`
	Locations  []Location     `json:"locations,omitempty"`
	Path       []string       `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Location is a line and column (from 1) in the query text.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// defaults sets *v to def when it is zero or less.
func defaults[T int | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// operation parses and validates req's document (or takes it from the
// cache) and returns the operation to run, or the response refusing it.
func (h *Handler) operation(req Request) (*ast.OperationDefinition, *Response) {
	if strings.TrimSpace(req.Query) == "" {
		return nil, requestError("GRAPHQL_PARSE_FAILED", "the request has no query")
	}
	doc, errs := h.load(req.Query)
	if len(errs) > 0 {
		return nil, validationErrors(errs)
	}
	op := doc.Operations.ForName(req.OperationName)
	if op == nil {
		if req.OperationName == "" {
			return nil, requestError("BAD_REQUEST", "operationName is required when the document has several operations")
		}
		return nil, requestError("BAD_REQUEST", fmt.Sprintf("unknown operation %q", req.OperationName))
	}
	return op, nil
}

// Do runs req. allowMutation false refuses mutations (a GET request).
// Subscriptions are refused: they are served over a WebSocket or an event
// stream (see the package doc).
func (h *Handler) Do(ctx context.Context, req Request, allowMutation bool) *Response {
	op, resp := h.operation(req)
	if resp != nil {
		return resp
	}
	switch op.Operation {
	case ast.Query:
	case ast.Mutation:
		if !allowMutation {
			return &Response{Status: http.StatusMethodNotAllowed, Errors: []Error{{Message: "mutations are only accepted in POST requests",
				Extensions: map[string]any{"code": "METHOD_NOT_ALLOWED"}}}}
		}
	default:
		return requestError("BAD_REQUEST", "subscriptions are served over a WebSocket (graphql-transport-ws) or a POST accepting text/event-stream")
	}
	vars, resp := h.variables(op, req.Variables)
	if resp != nil {
		return resp
	}
	e := &executor{h: h, vars: vars}
	groups, err := e.collect(op.SelectionSet)
	if err != nil {
		return &Response{Status: http.StatusBadRequest, Errors: []Error{h.fieldError(ctx, err, "", nil)}}
	}
	resp = &Response{Status: http.StatusOK, data: make(object, 0, len(groups))}
	defer func() { resp.bufs = e.bufs }()
	for _, g := range groups {
		v, err := e.rootField(ctx, op.Operation, g)
		if err != nil {
			resp.Errors = append(resp.Errors, h.fieldError(ctx, err, g.key, g.fields[0].Position))
			def := h.schema.Query
			if op.Operation == ast.Mutation {
				def = h.schema.Mutation
			}
			if fd := def.Fields.ForName(g.fields[0].Name); fd != nil && fd.Type.NonNull {
				// A non-null field that failed makes its parent, the
				// whole data, null.
				resp.data = nil
				if op.Operation == ast.Mutation {
					break // later mutations do not run
				}
				continue
			}
			v = nil
		}
		if resp.data != nil {
			resp.data = append(resp.data, member{g.key, v})
		}
	}
	return resp
}

// variables coerces the variables of op, or returns the response refusing
// them.
func (h *Handler) variables(op *ast.OperationDefinition, raw map[string]any) (map[string]any, *Response) {
	vars, err := validator.VariableValues(h.schema, op, raw)
	if err != nil {
		var ge *gqlerror.Error
		if errors.As(err, &ge) {
			return nil, validationErrors(gqlerror.List{ge})
		}
		return nil, requestError("BAD_USER_INPUT", "invalid variables")
	}
	return vars, nil
}

// load parses and validates a query, or takes it from the cache.
func (h *Handler) load(query string) (*ast.QueryDocument, gqlerror.List) {
	h.mu.RLock()
	doc := h.docs[query]
	h.mu.RUnlock()
	if doc != nil {
		return doc, nil
	}
	doc, errs := gqlparser.LoadQuery(h.schema, query)
	if len(errs) > 0 {
		return nil, errs
	}
	if len(query) > maxCachedQuery {
		return doc, nil
	}
	h.mu.Lock()
	if len(h.docs) >= maxDocs || h.docs == nil {
		h.docs = make(map[string]*ast.QueryDocument, 16)
	}
	h.docs[query] = doc
	h.mu.Unlock()
	return doc, nil
}

// requestError is a response to a request that cannot run.
func requestError(code, msg string) *Response {
	return &Response{Status: http.StatusBadRequest, Errors: []Error{{Message: msg, Extensions: map[string]any{"code": code}}}}
}

// validationErrors is the response to a query that does not parse or
// validate: gqlparser's messages, which name only what the query says.
func validationErrors(errs gqlerror.List) *Response {
	r := &Response{Status: http.StatusBadRequest}
	for _, ge := range errs {
		code := "GRAPHQL_VALIDATION_FAILED"
		if ge.Rule == "" && len(ge.Path) == 0 {
			code = "GRAPHQL_PARSE_FAILED"
		}
		if len(ge.Path) > 0 {
			code = "BAD_USER_INPUT" // a variable's value
		}
		e := Error{Message: ge.Message, Extensions: map[string]any{"code": code}}
		for _, l := range ge.Locations {
			e.Locations = append(e.Locations, Location{Line: l.Line, Column: l.Column})
		}
		r.Errors = append(r.Errors, e)
	}
	return r
}

// fieldError turns an error raised by a field into a GraphQL error: a
// fault.Error keeps its message, code and details, with its HTTP status as
// extensions.statusCode; any other error (a data source's) is logged and
// written as "Internal Server Error".
func (h *Handler) fieldError(ctx context.Context, err error, key string, pos *ast.Position) Error {
	out := Error{Extensions: map[string]any{}}
	if key != "" {
		out.Path = []string{key}
	}
	if pos != nil {
		out.Locations = []Location{{Line: pos.Line, Column: pos.Column}}
	}
	var fe *fault.Error
	status := http.StatusInternalServerError
	if errors.As(err, &fe) {
		status = rest.StatusOf(fe.Kind)
	}
	if status >= 500 {
		h.log.ErrorContext(ctx, "graphql field failed", "field", key, "err", err)
		out.Message = http.StatusText(status)
		out.Extensions["code"] = "INTERNAL_SERVER_ERROR"
		if status != http.StatusInternalServerError {
			out.Extensions["code"] = strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
		}
		out.Extensions["statusCode"] = status
		return out
	}
	out.Message = fe.Message
	code := fe.Code
	if code == "" {
		code = strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	}
	out.Extensions["code"] = code
	out.Extensions["statusCode"] = status
	if fe.Details != nil {
		out.Extensions["details"] = fe.Details
	}
	return out
}

// ServeHTTP answers GraphQL-over-HTTP requests: POST with a JSON body
// {query, operationName, variables}, or GET with those as query
// parameters (queries only). A GET from a browser without a query gets
// the GraphiQL page; a WebSocket upgrade with the graphql-transport-ws
// subprotocol is served as a connection of that protocol, and a request
// accepting text/event-stream gets its result as an event stream
// (subscriptions), see the package doc.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && isWebSocket(r) {
		h.serveWS(w, r)
		return
	}
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Query().Get("query") == "" &&
		!h.cfg.NoGraphiQL && strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", pageCSP)
		_, _ = w.Write(h.page)
		return
	}
	if _, ok := auth.ProfileFrom(r.Context()); !ok && h.cfg.Authenticate != nil {
		p, err := h.authenticate(r)
		if err != nil {
			h.writeAuthError(w, r, err)
			return
		}
		r = r.WithContext(auth.WithProfile(r.Context(), p))
	}
	var req Request
	allowMutation := false
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q := r.URL.Query()
		req.Query = q.Get("query")
		req.OperationName = q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Variables); err != nil {
				h.write(w, requestError("BAD_REQUEST", "variables must be a JSON object"))
				return
			}
		}
	case http.MethodPost:
		allowMutation = true
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/json" && ct != "application/graphql-response+json" {
			resp := requestError("BAD_REQUEST", "the body must be application/json")
			resp.Status = http.StatusUnsupportedMediaType
			h.write(w, resp)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
		if err != nil {
			resp := requestError("PAYLOAD_TOO_LARGE", "request entity too large")
			resp.Status = http.StatusRequestEntityTooLarge
			h.write(w, resp)
			return
		}
		if err := json.Unmarshal(body, &req); err != nil {
			h.write(w, requestError("BAD_REQUEST", "the body must be a JSON object {query, operationName, variables}"))
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		resp := requestError("METHOD_NOT_ALLOWED", "use GET or POST")
		resp.Status = http.StatusMethodNotAllowed
		h.write(w, resp)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		h.serveStream(w, r, req, allowMutation)
		return
	}
	h.write(w, h.Do(r.Context(), req, allowMutation))
}

// write sends resp as JSON: errors first, then data.
func (h *Handler) write(w http.ResponseWriter, resp *Response) {
	buf := h.buffer()
	defer func() { h.release(append(resp.bufs, buf)...) }()
	b, err := resp.AppendJSON(buf)
	if err == nil {
		buf = b
	}
	if err != nil {
		h.log.Error("graphql: encode response", "err", err)
		b = []byte(`{"errors":[{"message":"Internal Server Error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`)
		resp.Status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(resp.Status)
	_, _ = w.Write(b)
}

// AppendJSON appends the response body: {"errors":[…],"data":…}, with
// "errors" only when there are some and "data" only when the operation
// ran.
func (r *Response) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	if len(r.Errors) > 0 {
		raw, err := json.Marshal(r.Errors)
		if err != nil {
			return nil, err
		}
		b = append(b, `"errors":`...)
		b = append(b, raw...)
		if r.Status != http.StatusOK {
			return append(b, '}'), nil
		}
		b = append(b, ',')
	}
	b = append(b, `"data":`...)
	if r.data == nil {
		b = append(b, "null"...)
	} else {
		var err error
		if b, err = r.data.appendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// object is a result object: its members in selection order.
type object []member

// member is one key and value of an object.
type member struct {
	key   string
	value any
}

// MarshalJSON writes o with its members in order.
func (o object) MarshalJSON() ([]byte, error) { return o.appendJSON(nil) }

func (o object) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, m.key)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m.value); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case rawJSON:
		return append(b, x...), nil
	case object:
		return x.appendJSON(b)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	return jsonw.AppendValue(b, v)
}
