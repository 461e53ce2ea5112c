package rest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/openapi"
)

// Request is what a HandlerFunc receives: the parameters and body of the
// request, parsed, coerced and validated as the operation describes them.
type Request struct {
	// Params holds every parameter present in the request, by name, coerced
	// to its schema's type: integer → int64, number → float64, boolean →
	// bool, string → string (format date / date-time → time.Time, byte →
	// []byte), object → map[string]any and array → []any (decoded-JSON
	// values: numbers are float64). Absent optional parameters are missing
	// from the map.
	Params map[string]any
	// Body is the request body: a decoded JSON value (map[string]any,
	// []any, string, float64, bool or nil) for JSON and url-encoded bodies,
	// a string for text/*, []byte for other media types, map[string]any of
	// strings and *File for multipart/form-data, the request's io.ReadCloser
	// for an x-parser: stream body, or whatever a registered BodyParser
	// returned. It is nil when the operation has no body or an optional body
	// was not sent.
	Body any
	// HTTP is the underlying request.
	HTTP *http.Request
	// Writer is the response writer. A handler that writes the response
	// itself must return (nil, nil) after calling WriteHeader; nothing more
	// is written then.
	Writer http.ResponseWriter

	// The operation's parameters and their values (nil when absent), in
	// the order of the operation's parameters: what Param reads when
	// Params is nil.
	params []*param
	vals   []any
}

// Param returns the value of the parameter name as Params holds it, and
// whether the request has it. It reads Params when it is set (an
// interceptor may have changed it), else the values the REST layer
// decoded; an operation registered with [ParamsOnDemand] leaves Params
// nil and its handler reads its parameters with Param.
func (r *Request) Param(name string) (any, bool) {
	if r.Params != nil {
		v, ok := r.Params[name]
		return v, ok
	}
	// Backwards, as Params keeps the last of two parameters of one name.
	for i := len(r.params) - 1; i >= 0; i-- {
		if r.params[i].name == name && i < len(r.vals) && r.vals[i] != nil {
			return r.vals[i], true
		}
	}
	return nil, false
}

// HandlerFunc handles an operation registered with Route or bound to a
// spec-first document. The result is written as described for Response;
// an error is written with WriteError.
type HandlerFunc func(ctx context.Context, req *Request) (any, error)

// OperationOption adjusts an operation at registration.
type OperationOption func(*opConfig)

type opConfig struct {
	id           string
	tags         []string
	status       int
	maxBody      int64
	hidden       bool
	interceptors []di.Interceptor
	edit         []func(*openapi.Operation)
	target       string
	meta         map[any]any // Metadata values, read through RouteInfo.Value
	onDemand     bool        // ParamsOnDemand
}

// OperationID sets the operation's operationId (and interceptor target)
// instead of the default derived from the method and path
// (GET /todos/{id} is "getTodosId"). In a controller it names the
// operation within the controller: OperationID("findById") in
// TodoController gives "TodoController.findById", as LoopBack names
// controller methods. Handlers' Go names are never used, so renaming a
// function does not change the API.
func OperationID(id string) OperationOption { return func(c *opConfig) { c.id = id } }

// Tags adds tags to a typed operation's description (a controller's
// operations are tagged with the controller's name already).
func Tags(tags ...string) OperationOption {
	return func(c *opConfig) { c.tags = append(c.tags, tags...) }
}

// DefaultStatus sets the status of a typed operation's successful
// responses (201 for a create, 202 for an accepted job) and documents it
// as the operation's response; the handler can still set another with
// SetStatus or a Status field of its output. A nil result is still 204
// unless a status is set. A code outside 100-599 is a registration error.
func DefaultStatus(code int) OperationOption { return func(c *opConfig) { c.status = code } }

// MaxBodySize sets this operation's request body limit in bytes (negative
// for none) instead of Config.MaxBodySize; for uploads, for example.
func MaxBodySize(n int64) OperationOption { return func(c *opConfig) { c.maxBody = n } }

// Hidden leaves the operation out of the OpenAPI document; it is still
// served.
func Hidden() OperationOption { return func(c *opConfig) { c.hidden = true } }

// WithInterceptors adds interceptors that run around this operation only,
// after the global ones.
func WithInterceptors(ic ...di.Interceptor) OperationOption {
	return func(c *opConfig) { c.interceptors = append(c.interceptors, ic...) }
}

// ParamsOnDemand leaves Request.Params nil for an operation registered
// with Route or AddRoute whose handler reads its parameters with
// [Request.Param]: building the map costs each request two allocations.
// The map is still built when an interceptor applies to the operation, so
// that interceptors see Params as usual.
func ParamsOnDemand() OperationOption { return func(c *opConfig) { c.onDemand = true } }

// WithOperation edits the operation's OpenAPI description (summary, tags,
// security, responses) before it is added to the document.
func WithOperation(edit func(op *openapi.Operation)) OperationOption {
	return func(c *opConfig) { c.edit = append(c.edit, edit) }
}

// endpoint is a registered operation.
type endpoint struct {
	s      *Server
	method string
	path   string
	names  []string // path parameter names in template order
	op     *openapi.Operation
	hidden bool
	target string // interceptor target: operationId or "Controller.method"
	local  []di.Interceptor
	meta   map[any]any
	params []*param
	body   *body
	// onDemand leaves Request.Params nil unless interceptors apply.
	onDemand bool
	// typedIn is the input of a typed operation (Get, Post, …); nil for
	// others.
	typedIn *typedIn
	serve   func(c *call)
}

func (e *endpoint) info() RouteInfo {
	return RouteInfo{Method: e.method, Path: e.path, OperationID: e.op.OperationID, Operation: e.op, meta: e.meta}
}

// Route registers a handler for method and path described by op. The
// parameters (path, query, header, cookie) and the request body of op drive
// parsing, coercion and validation; their schemas may $ref
// "#/components/schemas/Name" in the server's document (add them with
// AddSchema first). op is added to the document as is (copy it if you
// share it). Route panics on a bad or duplicate path: a programming
// error. Code that registers routes it did not write itself (from a model,
// a document, a plugin) uses AddRoute and returns its error instead. The
// validators of the parameters and body are compiled on first use, so a
// schema that does not compile is reported by Server.Validate or, with
// Config.EagerValidators, by Route and AddRoute (see "Validation is
// compiled lazily" in the package documentation).
func (s *Server) Route(method, path string, op *openapi.Operation, h HandlerFunc, opts ...OperationOption) {
	if err := s.AddRoute(method, path, op, h, opts...); err != nil {
		panic(err.Error())
	}
}

// AddRoute is Route returning an error instead of panicking: a bad or
// duplicate path, an unresolved parameter reference or (with
// Config.EagerValidators) a schema that does not compile is an error
// naming the method and path, and nothing is registered then.
func (s *Server) AddRoute(method, path string, op *openapi.Operation, h HandlerFunc, opts ...OperationOption) error {
	if err := s.route(method, path, op, h, opts...); err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	return nil
}

func (s *Server) route(method, path string, op *openapi.Operation, h HandlerFunc, opts ...OperationOption) error {
	if op == nil {
		op = &openapi.Operation{}
	}
	var cfg opConfig
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.id != "" {
		op.OperationID = cfg.id
	}
	for _, edit := range cfg.edit {
		edit(op)
	}
	if len(op.Responses) == 0 {
		op.Responses = map[string]*openapi.Response{"200": {Description: "Return value of " + op.OperationID}}
	}
	names, err := templateNames(path, s.router.strict)
	if err != nil {
		return err
	}
	method = strings.ToUpper(method)
	var params []*param
	comps := s.spec.doc.Components.Schemas
	for _, p := range op.Parameters {
		p = s.spec.resolveParameter(p)
		if p == nil {
			return fmt.Errorf("%s %s: unresolved parameter reference", method, path)
		}
		d, err := newParam(p, comps, s.prohibited, s.cfg.EagerValidators)
		if err == nil {
			err = d.bindPath(names)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		params = append(params, d)
	}
	var b *body
	if rb := s.spec.resolveRequestBody(op.RequestBody); rb != nil {
		if b, err = newBody(rb, comps, s.prohibited, s.cfg.EagerValidators); err != nil {
			return fmt.Errorf("%s %s: request body: %w", method, path, err)
		}
		b.limit = cfg.maxBody
	}
	_, err = s.addEndpoint(method, path, op, cfg, func(e *endpoint) {
		e.params, e.body = params, b
		e.serve = func(c *call) { e.serveRequest(c, h) }
	})
	return err
}

// addEndpoint registers the route and adds op to the document. setup
// completes the endpoint before it becomes reachable; nothing is registered
// when the path is bad or taken.
func (s *Server) addEndpoint(method, path string, op *openapi.Operation, cfg opConfig, setup func(e *endpoint)) (*endpoint, error) {
	method = strings.ToUpper(method)
	e := &endpoint{s: s, method: method, path: path, op: op, hidden: cfg.hidden, local: cfg.interceptors}
	e.target = cfg.target
	e.meta = cfg.meta
	e.onDemand = cfg.onDemand
	if e.target == "" {
		e.target = op.OperationID
	}
	if e.target == "" {
		e.target = method + " " + path
	}
	names, err := templateNames(path, s.router.strict)
	if err != nil {
		return nil, err
	}
	e.names = names
	setup(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.router.add(method, path, e); err != nil {
		return nil, err
	}
	s.endpoints = append(s.endpoints, e)
	if !cfg.hidden {
		s.spec.addOperation(method, path, op)
	}
	return e, nil
}

// serveRequest runs a HandlerFunc operation.
func (e *endpoint) serveRequest(c *call, h HandlerFunc) {
	req := &c.req // part of the call: one allocation less per request
	*req = Request{HTTP: c.r, Writer: (*callWriter)(c)}
	if n := len(e.params); n > 0 {
		vals := c.valBuf[:0]
		if n > len(c.valBuf) {
			vals = make([]any, 0, n)
		}
		for _, p := range e.params {
			v, err := p.decode(c)
			if err != nil {
				c.writeError(err)
				return
			}
			vals = append(vals, v)
		}
		req.params, req.vals = e.params, vals
	}
	if e.body != nil {
		v, _, release, err := e.body.read(c)
		defer release()
		if err != nil {
			c.writeError(err)
			return
		}
		req.Body = v
	}
	local, intercepted := e.interceptors(c)
	if len(req.vals) > 0 && (!e.onDemand || intercepted) {
		req.Params = make(map[string]any, len(req.vals))
		for i, p := range req.params {
			if v := req.vals[i]; v != nil {
				req.Params[p.name] = v
			}
		}
	}
	var res any
	var err error
	if intercepted {
		c.args[0] = req
		args := c.args[:1:1]
		res, err = e.intercept(c, local, args, func(ctx context.Context) (any, error) {
			r, ok := args[0].(*Request) // an interceptor may replace the request
			if !ok {
				r = req
			}
			return h(ctx, r)
		})
	} else {
		res, err = h(c.handlerContext(), req)
	}
	if err != nil {
		c.writeError(err)
		return
	}
	c.writeResult(res)
}

// invoke calls target through the interceptors: the global ones of the di
// context chain, then the server's, then the operation's. With none
// registered it calls target directly.
func (e *endpoint) invoke(c *call, args []any, target func(ctx context.Context) (any, error)) (any, error) {
	local, ok := e.interceptors(c)
	if !ok {
		return target(c.handlerContext())
	}
	return e.intercept(c, local, args, target)
}

// interceptors returns the server's and the operation's interceptors, and
// whether any interceptor (those or a global one) may apply to the call.
func (e *endpoint) interceptors(c *call) ([]di.Interceptor, bool) {
	local := e.local
	if si := e.s.interceptor; len(si) > 0 {
		if len(local) == 0 {
			local = si[:len(si):len(si)] // read only: no copy needed
		} else {
			local = append(si[:len(si):len(si)], local...)
		}
	}
	return local, len(local) > 0 || hasGlobalInterceptors(c)
}

// intercept calls target through the global interceptors and local.
func (e *endpoint) intercept(c *call, local []di.Interceptor, args []any, target func(ctx context.Context) (any, error)) (any, error) {
	inv := &di.Invocation{Context: c.requestContext(), Target: e.target, Args: args}
	return di.Intercept(c.handlerContext(), inv, local, target)
}

// hasGlobalInterceptors reports whether a global interceptor may apply to
// the call: one is bound in the server's context chain (a cached view, one
// atomic load per context), or the request context exists already and may
// hold its own.
func hasGlobalInterceptors(c *call) bool {
	return c.reqCtx != nil || c.s.globals.Len() > 0
}

// Routes lists the registered operations (hidden ones and redirects
// included) in registration order.
func (s *Server) Routes() []RouteInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RouteInfo, len(s.endpoints))
	for i, e := range s.endpoints {
		out[i] = e.info()
	}
	return out
}
