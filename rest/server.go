package rest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/internal/httpobs"
	"github.com/loopback-go/lb/openapi"
)

// Default timeouts and limits; each applies when its Config field is zero.
const (
	// DefaultReadHeaderTimeout bounds how long a client may take to send the
	// request headers (slowloris protection).
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultIdleTimeout is how long a keep-alive connection may stay idle.
	DefaultIdleTimeout = 120 * time.Second
	// DefaultGracePeriod is how long Stop waits for in-flight requests when
	// its context has no deadline.
	DefaultGracePeriod = 10 * time.Second
	// DefaultMaxBodySize is the request body limit: 1 MB, LoopBack's.
	DefaultMaxBodySize = 1 << 20
	// DefaultBodyReadTimeout bounds how long a client may take to send a
	// request body, counted from when the server starts handling the
	// request.
	DefaultBodyReadTimeout = 60 * time.Second
	// DefaultMaxInFlight is how many requests a server handles at once
	// before it answers 503.
	DefaultMaxInFlight = 10_000
	// DefaultMaxDrainSize is how much of a request body the server reads
	// and discards after an error response that left it unread, so that a
	// client that sends its whole body before reading receives the
	// response instead of a connection reset.
	DefaultMaxDrainSize = 4 << 20
)

// StatusClientClosedRequest is the status (nginx's 499) logged and counted
// for a request whose client went away before it was answered.
const StatusClientClosedRequest = 499

// Config configures a Server. The zero value is a server on an ephemeral port
// of all interfaces with LoopBack's defaults.
type Config struct {
	// Name names the server in logs and in its di container; "" means "rest".
	Name string
	// Host to listen on; "" means all interfaces.
	Host string
	// Port to listen on; 0 picks a free port (see Server.URL).
	Port int
	// Socket, when set, is a Unix socket path to listen on instead of
	// Host:Port. A stale socket file is removed first.
	Socket string
	// TLS, when set, serves HTTPS with this configuration (it needs
	// Certificates or GetCertificate).
	TLS *tls.Config

	// ReadHeaderTimeout bounds reading a request's headers (slowloris
	// protection); zero means DefaultReadHeaderTimeout, negative none.
	// IdleTimeout is how long a keep-alive connection may wait for its next
	// request; zero means DefaultIdleTimeout. ReadTimeout (the whole
	// request, headers and body) and WriteTimeout (the response) are
	// http.Server's; zero means none, so that streamed responses are not
	// cut.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// BodyReadTimeout bounds how long a client may take to send the body of
	// a request, counted from when the server starts handling it; zero
	// means DefaultBodyReadTimeout, negative none. A body not received in
	// time is answered 408 RequestTimeoutError ("request timeout") and
	// the connection is closed. The deadline is lifted once the body has
	// been read, so a slow handler is not affected; an operation with an
	// x-parser: stream body reads under the same deadline.
	BodyReadTimeout time.Duration
	// MaxInFlight caps the requests handled at once (long-lived ones such
	// as streams count while they run); zero means DefaultMaxInFlight,
	// negative no cap. A request over the cap is
	// answered at once with 503 ServiceUnavailable in LoopBack's shape,
	// Retry-After: 1 and Connection: close, and counted in Stats.Rejected.
	MaxInFlight int
	// MaxDrainSize bounds how much of an unread request body is read and
	// discarded after an error response (413, 415, 400, 404 …), for at
	// most 2 seconds, so that a client that writes its whole body before
	// reading sees the response rather than a connection reset; zero means
	// DefaultMaxDrainSize, negative no draining beyond net/http's own
	// 256 KiB.
	MaxDrainSize int64
	// MaxConnections caps the connections Start's listener keeps open at
	// once, idle keep-alive ones included; zero means no cap. Connections
	// over the cap wait in the kernel's accept queue until one closes,
	// holding no file descriptor of the process. Set it below the
	// descriptor limit (ulimit -n) for servers exposed to the internet.
	MaxConnections int
	// GracePeriod bounds Stop when its context has no deadline; zero means
	// DefaultGracePeriod.
	GracePeriod time.Duration

	// BasePath prefixes every route, static asset, mount and the spec
	// endpoints ("/api"); "" means none.
	BasePath string
	// StrictSlash makes "/todos/" and "/todos" different paths; by default a
	// trailing slash is ignored.
	StrictSlash bool
	// EagerValidators compiles the JSON-Schema validators of a route's
	// parameters and request body when the route is registered, so that
	// Route panics and AddRoute (and crud.Mount …) fail on a schema that
	// does not compile. By default a validator is compiled by the first
	// request that needs it, which keeps start-up cheap; a schema that
	// does not compile then fails its requests with 500 (logged) — call
	// Server.Validate to find such schemas without a request. See
	// "Validation is compiled lazily" in the package documentation.
	EagerValidators bool
	// MaxBodySize limits request bodies in bytes; zero means
	// DefaultMaxBodySize, negative means no limit.
	MaxBodySize int64
	// ProhibitedKeys are rejected anywhere in a JSON body or JSON parameter,
	// in addition to "__proto__" and "constructor.prototype".
	ProhibitedKeys []string

	// CORS configures CORS; the zero value is LoopBack's default.
	CORS CORSConfig
	// OpenAPI configures the served document.
	OpenAPI SpecConfig

	// Debug puts the real message, name, code and details of 5xx errors in
	// responses. Never switch it on in production.
	Debug bool
	// Logger receives 5xx errors and lifecycle messages; nil means
	// slog.Default().
	Logger *slog.Logger

	// Parent is the parent of the server's di container (usually the app's
	// root context); nil makes the server's context a root.
	Parent *di.Container
}

// Middleware is a plain net/http middleware.
type Middleware = func(http.Handler) http.Handler

// Group names a stage of the request sequence, LoopBack's middleware groups.
// Middleware of an earlier group runs before (wraps) that of a later one;
// within a group, middleware runs in registration order.
type Group string

// The groups in the order requests pass through them. CORS and the spec
// endpoints are built in and run first within their groups. Middleware in
// GroupFindRoute and earlier sees every request (also those that match no
// route); middleware in GroupAuthentication and later runs only for matched
// operations and can read the operation with RouteOf. Parameters and body
// are parsed inside the operation, after all middleware: GroupParseParams
// and GroupInvokeMethod are ordering slots after authentication.
const (
	GroupCORS           Group = "cors"
	GroupAPISpec        Group = "apiSpec"
	GroupMiddleware     Group = "middleware"
	GroupFindRoute      Group = "findRoute"
	GroupAuthentication Group = "authentication"
	GroupParseParams    Group = "parseParams"
	GroupInvokeMethod   Group = "invokeMethod"
)

var groupOrder = []Group{GroupCORS, GroupAPISpec, GroupMiddleware, GroupFindRoute,
	GroupAuthentication, GroupParseParams, GroupInvokeMethod}

// Server is a LoopBack REST server: an http.Handler with routes, a
// middleware sequence, an OpenAPI document, and a lifecycle (Start and Stop)
// that satisfies lb.Server.
//
// Register routes, middleware and mounts before the server handles requests;
// registration is not safe concurrently with serving. ServeHTTP is safe for
// concurrent use.
type Server struct {
	cfg      Config
	basePath string
	maxBody  int64
	ctx      *di.Container
	cors     *cors

	bodyTimeout time.Duration // <= 0: none
	maxInFlight int64         // <= 0: no cap
	maxDrain    int64         // <= 0: none
	busy        http.Handler  // answers requests over maxInFlight
	inFlight    atomic.Int64
	rejected    atomic.Uint64
	canceled    atomic.Uint64
	timedOut    atomic.Uint64

	mu          sync.Mutex
	router      router
	endpoints   []*endpoint
	mounts      []mount
	statics     []staticFS
	middleware  map[Group][]Middleware
	parsers     map[string]BodyParser
	prohibited  prohibition
	handler     atomic.Pointer[http.Handler]
	postRoute   atomic.Pointer[http.Handler]
	recordRoute atomic.Bool // RecordRoute was installed: dispatch records the route
	spec        *specState
	interceptor []di.Interceptor
	globals     *di.View[di.Interceptor]
	diKey       any // the context key di.FromContext looks up

	lifecycle sync.Mutex
	srv       *http.Server
	ln        net.Listener
	url       string
	done      chan error
}

type mount struct {
	prefix string
	h      http.Handler
}

// New returns a server configured by cfg. It panics if cfg is inconsistent
// (a BasePath without a leading slash).
func New(cfg Config) *Server {
	bp := strings.TrimSuffix(cfg.BasePath, "/")
	if bp != "" && !strings.HasPrefix(bp, "/") {
		panic(fmt.Sprintf("rest: BasePath %q must start with '/'", cfg.BasePath))
	}
	name := cfg.Name
	if name == "" {
		name = "rest"
	}
	s := &Server{
		cfg:        cfg,
		basePath:   bp,
		maxBody:    cfg.MaxBodySize,
		middleware: map[Group][]Middleware{},
		parsers:    map[string]BodyParser{},
		prohibited: prohibition{"__proto__": true, "constructor.prototype": true},
		done:       make(chan error, 1),
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBodySize
	}
	s.bodyTimeout = orDefault(cfg.BodyReadTimeout, DefaultBodyReadTimeout)
	s.maxInFlight = int64(cfg.MaxInFlight)
	if s.maxInFlight == 0 {
		s.maxInFlight = DefaultMaxInFlight
	}
	s.maxDrain = cfg.MaxDrainSize
	if s.maxDrain == 0 {
		s.maxDrain = DefaultMaxDrainSize
	}
	for _, k := range cfg.ProhibitedKeys {
		s.prohibited[k] = true
	}
	s.router.strict = cfg.StrictSlash
	s.ctx = di.NewContainer(cfg.Parent, name, di.Server)
	s.diKey = di.ContextKey()
	s.globals = di.NewView[di.Interceptor](s.ctx, di.ByTag(di.TagGlobalInterceptor))
	s.busy = http.HandlerFunc(s.overloaded)
	if !cfg.CORS.Disabled {
		s.cors = newCORS(cfg.CORS)
		s.busy = s.cors.middleware(s.busy) // a browser can read the 503
	}
	s.spec = newSpecState(s)
	return s
}

// Container returns the server's di container (scope Server). Request contexts
// are its children.
func (s *Server) Container() *di.Container { return s.ctx }

// Use adds middleware to GroupMiddleware.
func (s *Server) Use(mw ...Middleware) { s.UseIn(GroupMiddleware, mw...) }

// UseIn adds middleware to a group of the sequence. It panics for an unknown
// group.
func (s *Server) UseIn(g Group, mw ...Middleware) {
	if !slices.Contains(groupOrder, g) {
		panic(fmt.Sprintf("rest: unknown middleware group %q", g))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.Index(groupOrder, g) > slices.Index(groupOrder, GroupFindRoute) {
		// RecordRoute after routing is done by dispatch itself: a post-route
		// middleware would cost every request a copy of its http.Request.
		mw = slices.DeleteFunc(slices.Clone(mw), func(m Middleware) bool {
			if isRecordRoute(m) {
				s.recordRoute.Store(true)
				return true
			}
			return false
		})
	}
	s.middleware[g] = append(s.middleware[g], mw...)
	s.handler.Store(nil)
	s.postRoute.Store(nil)
}

// Intercept adds interceptors that run around every operation of this
// server, after the global interceptors of the di container and before the
// operation's own (see WithInterceptors).
func (s *Server) Intercept(ic ...di.Interceptor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interceptor = append(s.interceptor, ic...)
}

// Mount serves h for every request whose path is prefix or starts with
// prefix + "/" (after BasePath). h sees the full path; wrap it in
// http.StripPrefix to remove the prefix. Mounts are tried before routes,
// longest prefix first, except a mount at "/", which receives the requests
// that no route, static file or other mount matched (instead of the 404).
func (s *Server) Mount(prefix string, h http.Handler) {
	if !strings.HasPrefix(prefix, "/") {
		panic(fmt.Sprintf("rest: mount prefix %q must start with '/'", prefix))
	}
	prefix = strings.TrimSuffix(prefix, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mounts = append(s.mounts, mount{prefix: prefix, h: h})
	slices.SortStableFunc(s.mounts, func(a, b mount) int { return len(b.prefix) - len(a.prefix) })
}

// ServeHTTP serves a request through the middleware sequence and the router.
// It applies Config.MaxInFlight and Config.BodyReadTimeout.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	if s.maxInFlight > 0 && n > s.maxInFlight {
		s.rejected.Add(1)
		s.busy.ServeHTTP(w, r)
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		b := s.trackBody(w, r)
		defer b.finish()
	}
	h := s.handler.Load()
	if h == nil {
		h = s.buildHandler()
	}
	(*h).ServeHTTP(w, s.begin(r))
}

// begin makes the request's call, the one allocation of the server's own
// per request, and returns the request the middleware receive: a copy of
// r whose context is the call. The call holds the request's response
// recorder (httpobs) for the middleware that observe responses (request
// ids, metrics, the access log), so that they need no context and no
// request copy of their own; dispatch takes the call up when the request
// reaches it with that context.
func (s *Server) begin(r *http.Request) *http.Request {
	c := &call{Context: r.Context(), s: s, early: true}
	c.hr = *r.WithContext(c)
	return &c.hr
}

func (s *Server) buildHandler() *http.Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	var h http.Handler = http.HandlerFunc(s.dispatch)
	for i := slices.Index(groupOrder, GroupFindRoute); i >= 0; i-- {
		g := groupOrder[i]
		mws := s.middleware[g]
		for j := len(mws) - 1; j >= 0; j-- {
			h = mws[j](h)
		}
		switch g {
		case GroupAPISpec:
			h = s.spec.middleware(h)
		case GroupCORS:
			if s.basePath != "" {
				h = s.stripBase(h)
			}
			if s.cors != nil {
				h = s.cors.middleware(h) // outermost: every response gets the CORS headers
			}
		}
	}
	var post http.Handler = http.HandlerFunc(serveCall)
	wrapped := false
	for i := len(groupOrder) - 1; groupOrder[i] != GroupFindRoute; i-- {
		mws := s.middleware[groupOrder[i]]
		for j := len(mws) - 1; j >= 0; j-- {
			post = mws[j](post)
			wrapped = true
		}
	}
	if wrapped {
		s.postRoute.Store(&post)
	}
	s.handler.Store(&h)
	return &h
}

// stripBase answers 404 outside BasePath and removes it from the request
// path inside.
func (s *Server) stripBase(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		rest, ok := strings.CutPrefix(p, s.basePath)
		if !ok || (rest != "" && rest[0] != '/') {
			s.WriteError(w, r, errEndpointNotFound(r.Method, p))
			return
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path = rest
		if u.Path == "" {
			u.Path = "/"
		}
		if u.RawPath != "" {
			u.RawPath = strings.TrimPrefix(u.RawPath, s.basePath)
		}
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}

// dispatch routes a request: mounts, then operations, then static files,
// then 404.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if len(s.mounts) > 0 {
		p := r.URL.Path
		for _, m := range s.mounts {
			if m.prefix != "" && strings.HasPrefix(p, m.prefix) && (len(p) == len(m.prefix) || p[len(m.prefix)] == '/') {
				m.h.ServeHTTP(w, r)
				return
			}
		}
	}
	c, ok := r.Context().(*call)
	if ok && c.s == s && c.early && c.ep == nil {
		c.w, c.r = w, r // the call begin made; no middleware changed the context
	} else {
		c = newCall(s, w, r)
	}
	path, escaped := requestPath(r.URL)
	e, pv := s.router.lookup(r.Method, path, escaped, c.pvBuf[:0])
	if e == nil {
		for _, st := range s.statics {
			if st.serve(w, r) {
				return
			}
		}
		if n := len(s.mounts); n > 0 && s.mounts[n-1].prefix == "" {
			s.mounts[n-1].h.ServeHTTP(w, r) // a root mount takes what nothing else matched
			return
		}
		s.notFound(w, r)
		return
	}
	c.ep = e
	c.pv = pv
	if s.recordRoute.Load() {
		if rec := httpobs.From(r.Context()); rec != nil && rec.Route == "" {
			rec.Route = e.path
		}
	}
	defer s.finish(c)
	if post := s.postRoute.Load(); post != nil {
		if r.Context() != context.Context(c) {
			r = r.WithContext(c)
		}
		(*post).ServeHTTP(w, r)
	} else {
		e.serve(c)
	}
}

// finish ends a call: it closes the request's di container, if one was made,
// and turns a panic in the operation into a logged 500, as LoopBack answers
// an exception thrown by a handler. http.ErrAbortHandler keeps its meaning.
func (s *Server) finish(c *call) {
	c.finished = true
	if c.reqCtx != nil {
		c.reqCtx.Close()
	}
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.logger().LogAttrs(c, slog.LevelError, "operation panicked",
		slog.String("method", c.r.Method), slog.String("path", c.r.URL.Path),
		slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
	if !c.handled {
		s.WriteError(c.w, c.r, fmt.Errorf("panic: %v", v))
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.WriteError(w, r, errEndpointNotFound(r.Method, s.basePath+r.URL.Path))
}

func (s *Server) logger() *slog.Logger {
	if s.cfg.Logger != nil {
		return s.cfg.Logger
	}
	return slog.Default()
}

// Stats are counters of a server's traffic; see Server.Stats.
type Stats struct {
	// InFlight is the number of requests being handled now.
	InFlight int64
	// Rejected counts requests answered 503 because MaxInFlight requests
	// were in flight.
	Rejected uint64
	// Canceled counts requests whose client went away (a closed connection
	// or a reset stream) before they were answered; each is logged at Info
	// level as "request canceled by client" with status 499.
	Canceled uint64
	// TimedOut counts request bodies not received within BodyReadTimeout
	// (answered 408).
	TimedOut uint64
}

// Stats returns the server's counters since New. It is safe to call
// concurrently with serving.
func (s *Server) Stats() Stats {
	return Stats{
		InFlight: s.inFlight.Load(),
		Rejected: s.rejected.Load(),
		Canceled: s.canceled.Load(),
		TimedOut: s.timedOut.Load(),
	}
}

// Start listens and serves in the background; it returns once the listener
// is open (or failed to open). Calling Start on a started server is an error.
func (s *Server) Start(ctx context.Context) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if s.srv != nil {
		return errors.New("rest: server already started")
	}
	var (
		ln  net.Listener
		err error
		lc  net.ListenConfig
	)
	scheme := "http"
	if s.cfg.Socket != "" {
		if fi, statErr := os.Stat(s.cfg.Socket); statErr == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(s.cfg.Socket) //nolint:errcheck // a stale socket; Listen reports real trouble
		}
		ln, err = lc.Listen(ctx, "unix", s.cfg.Socket)
	} else {
		ln, err = lc.Listen(ctx, "tcp", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)))
	}
	if err != nil {
		return fmt.Errorf("rest: listen: %w", err)
	}
	if s.cfg.MaxConnections > 0 {
		ln = newLimitListener(ln, s.cfg.MaxConnections)
	}
	if s.cfg.TLS != nil {
		ln = tls.NewListener(ln, s.cfg.TLS)
		scheme = "https"
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: orDefault(s.cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       orDefault(s.cfg.IdleTimeout, DefaultIdleTimeout),
		TLSConfig:         s.cfg.TLS,
		ErrorLog:          slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn),
	}
	s.srv, s.ln = srv, ln
	if s.cfg.Socket != "" {
		s.url = "unix:" + s.cfg.Socket
	} else {
		host, port, _ := net.SplitHostPort(ln.Addr().String())
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			// All interfaces: the loopback address reaches the server.
			host = "127.0.0.1"
			if ip.To4() == nil && s.cfg.Host != "" {
				host = "::1" // an explicit IPv6-only listener
			}
		}
		s.url = scheme + "://" + net.JoinHostPort(host, port)
	}
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	s.logger().LogAttrs(ctx, slog.LevelInfo, "server listening", slog.String("url", s.url+s.basePath))
	return nil
}

// URL returns the server's base URL once it has started ("http://127.0.0.1:3000",
// "unix:/path/to.sock"), without BasePath; "" before Start.
func (s *Server) URL() string {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	return s.url
}

// Stop stops accepting connections and waits for in-flight requests to
// finish, at most until ctx is done or, when ctx has no deadline, for
// Config.GracePeriod; then it closes the remaining connections and returns
// the context's error. Stopping a server that is not started does nothing.
func (s *Server) Stop(ctx context.Context) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if s.srv == nil {
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, orDefault(s.cfg.GracePeriod, DefaultGracePeriod))
		defer cancel()
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close() //nolint:errcheck // forced close after the grace period
		err = fmt.Errorf("rest: stop: %w", err)
	}
	if serveErr := <-s.done; serveErr != nil && err == nil {
		err = fmt.Errorf("rest: serve: %w", serveErr)
	}
	s.srv, s.ln, s.url = nil, nil, ""
	return err
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Document returns the server's OpenAPI document, built from its routes.
// Callers may add to it (components, tags, security schemes) before the
// server handles requests; the spec endpoints serve a copy of it with the
// enhancers applied.
func (s *Server) Document() *openapi.Document { return s.spec.doc }
