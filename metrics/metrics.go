package metrics

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/internal/httpobs"
	"github.com/loopback-go/lb/rest"
)

// Config configures [Mount]. The zero value serves /metrics from a new
// registry with the Go runtime and process collectors. Its json names are
// for package config.
type Config struct {
	// Path is where the metrics are served; "" means /metrics.
	Path string `json:"path"`
	// Registry receives the metrics and is what Path serves; nil means a
	// new registry with the Go and process collectors registered.
	Registry *prometheus.Registry `json:"-"`
	// Buckets are the latency histogram buckets in seconds; nil means
	// prometheus.DefBuckets.
	Buckets []float64 `json:"buckets"`
}

// Metrics collects the metrics of one REST server and of the connectors
// and outgoing clients wrapped with it. Create it with [Mount]. It is safe
// for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight atomic.Int64 // read by the http_requests_in_flight gauge
	calls    *prometheus.HistogramVec
	outgoing *prometheus.HistogramVec

	// epoch is the origin of the clock readings of requests and calls:
	// time.Since a time with a monotonic reading reads only that clock.
	epoch time.Time

	// The children of requests and duration by path, then method and
	// status class, so that a request finds its counter and histogram
	// with one lookup of a string in a map that is replaced (copied) when
	// a path is added, never written in place.
	routes   atomic.Pointer[map[string]*routeChildren]
	routesMu sync.Mutex
	// The children of calls by label values, in a map replaced (copied)
	// when labels are added: a lookup hashes two strings, where a
	// sync.Map hashes its interface key by reflection.
	callObs atomic.Pointer[map[callLabels]prometheus.Observer]
	callsMu sync.Mutex
}

// The method and status class labels, by index in routeChildren.
var (
	methodLabels = [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions, "OTHER"}
	classLabels = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}
)

type routeChildren [len(methodLabels)][len(classLabels)]atomic.Pointer[reqChild]

type reqChild struct {
	count prometheus.Counter
	dur   prometheus.Observer
}

type callLabels struct {
	model, method string
	failed        bool
}

// Unmatched is the path label of requests that matched no operation
// (404s, static files, mounts such as the explorer): raw paths are never
// labels.
const Unmatched = "(unmatched)"

// New builds the metrics and registers them with cfg.Registry. It panics
// if the registry already has metrics of the same names, a programming
// error.
func New(cfg Config) *Metrics {
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	buckets := cfg.Buckets
	if buckets == nil {
		buckets = prometheus.DefBuckets
	}
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests answered, by method, operation path template and status class.",
		}, []string{"method", "path", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, operation path template and status class.",
			Buckets: buckets,
		}, []string{"method", "path", "status"}),
		calls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lb_connector_call_duration_seconds",
			Help:    "Time of repository calls to connectors, by model, method (Create, Find, Count, UpdateAll, DeleteAll, ReplaceByID …) and outcome (ok, error).",
			Buckets: buckets,
		}, []string{"model", "method", "outcome"}),
		outgoing: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lb_service_call_duration_seconds",
			Help:    "Time of outgoing service calls, by service, method and status class.",
			Buckets: buckets,
		}, []string{"service", "method", "status"}),
	}
	inFlight := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "http_requests_in_flight",
		Help: "HTTP requests being answered now.",
	}, func() float64 { return float64(m.inFlight.Load()) })
	m.epoch = time.Now()
	m.routes.Store(&map[string]*routeChildren{})
	m.callObs.Store(&map[callLabels]prometheus.Observer{})
	reg.MustRegister(m.requests, m.duration, inFlight, m.calls, m.outgoing)
	return m
}

// Mount builds the metrics ([New]), serves them at cfg.Path on srv
// (outside the OpenAPI document, GET only) and measures every request srv
// answers. Requests for the metrics themselves are not measured.
func Mount(srv *rest.Server, cfg Config) *Metrics {
	m := New(cfg)
	path := cfg.Path
	if path == "" {
		path = "/metrics"
	}
	m.MountOn(srv, path)
	return m
}

// MountOn serves m at path on srv and measures srv's requests; [Mount]
// calls it. Use it to share one Metrics between servers.
func (m *Metrics) MountOn(srv *rest.Server, path string) {
	page := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	srv.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				page.ServeHTTP(w, r)
				return
			}
			m.serve(next, w, r)
		})
	})
	srv.UseIn(rest.GroupAuthentication, rest.RecordRoute)
}

func (m *Metrics) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	start := time.Since(m.epoch)
	m.inFlight.Add(1)
	rec, w, r := httpobs.Wrap(w, r)
	defer func() {
		m.inFlight.Add(-1)
		c := m.reqChild(r.Method, rec.Route, rec.Status())
		c.count.Inc()
		c.dur.Observe((time.Since(m.epoch) - start).Seconds())
	}()
	next.ServeHTTP(w, r)
}

// reqChild returns the counter and histogram of a request's labels: the
// method, the route's path template ("" for none) and the status.
func (m *Metrics) reqChild(method, route string, status int) *reqChild {
	mi, ci := methodIndex(method), classIndex(status)
	if rc := (*m.routes.Load())[route]; rc != nil {
		if c := rc[mi][ci].Load(); c != nil {
			return c
		}
	}
	m.routesMu.Lock()
	defer m.routesMu.Unlock()
	routes := *m.routes.Load()
	rc := routes[route]
	if rc == nil {
		rc = new(routeChildren)
		next := make(map[string]*routeChildren, len(routes)+1)
		for k, v := range routes {
			next[k] = v
		}
		next[route] = rc
		m.routes.Store(&next)
	}
	c := rc[mi][ci].Load()
	if c == nil {
		path := route
		if path == "" {
			path = Unmatched
		}
		c = &reqChild{
			count: m.requests.WithLabelValues(methodLabels[mi], path, classLabels[ci]),
			dur:   m.duration.WithLabelValues(methodLabels[mi], path, classLabels[ci]),
		}
		rc[mi][ci].Store(c)
	}
	return c
}

// methodIndex is the index of a method's label in methodLabels: unknown
// methods are "OTHER", which keeps the label bounded.
func methodIndex(m string) int {
	switch m {
	case http.MethodGet:
		return 0
	case http.MethodHead:
		return 1
	case http.MethodPost:
		return 2
	case http.MethodPut:
		return 3
	case http.MethodPatch:
		return 4
	case http.MethodDelete:
		return 5
	case http.MethodOptions:
		return 6
	}
	return 7
}

// classIndex is the index of a status's class in classLabels, as
// httpobs.StatusClass names it.
func classIndex(code int) int {
	switch {
	case code == 0:
		return 1 // nothing written: net/http answers 200
	case code < 200:
		return 0
	case code < 300:
		return 1
	case code < 400:
		return 2
	case code < 500:
		return 3
	}
	return 4
}

// methodLabel keeps the method label bounded: unknown methods are "OTHER".
func methodLabel(m string) string { return methodLabels[methodIndex(m)] }

// Registry returns the registry the metrics are in, to add application
// metrics to the same page.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Connector returns c wrapped so that the latency of every call is
// recorded in lb_connector_call_duration_seconds (see connector.Observe);
// give the wrapper to the repositories.
func (m *Metrics) Connector(c connector.Connector) connector.Connector {
	return connector.Observe(c, m)
}

// ObserveCall implements connector.CallObserver. A connector wrapped by
// [Metrics.Connector] calls TimeCall instead.
func (m *Metrics) ObserveCall(ctx context.Context, c connector.Call) (context.Context, func(error)) {
	start := time.Since(m.epoch)
	return ctx, func(err error) { m.TimeCall(c, time.Since(m.epoch)-start, err) }
}

// TimeCall implements connector.CallTimer: it records a connector call
// that took d in lb_connector_call_duration_seconds.
func (m *Metrics) TimeCall(c connector.Call, d time.Duration, err error) {
	k := callLabels{c.Model, c.Method, err != nil}
	o := (*m.callObs.Load())[k]
	if o == nil {
		o = m.callChild(k)
	}
	o.Observe(d.Seconds())
}

// callChild returns the histogram child of a call's labels, adding it.
func (m *Metrics) callChild(k callLabels) prometheus.Observer {
	m.callsMu.Lock()
	defer m.callsMu.Unlock()
	calls := *m.callObs.Load()
	if o := calls[k]; o != nil {
		return o
	}
	outcome := "ok"
	if k.failed {
		outcome = "error"
	}
	o := m.calls.WithLabelValues(k.model, callMethod(k.method), outcome)
	next := make(map[callLabels]prometheus.Observer, len(calls)+1)
	for l, v := range calls {
		next[l] = v
	}
	next[k] = o
	m.callObs.Store(&next)
	return o
}

// callMethod names the variants of a method as the method: a Find served
// as FindJSON is a Find.
func callMethod(m string) string {
	switch m {
	case "FindJSON":
		return "Find"
	case "CreateOwned":
		return "Create"
	}
	return m
}

// Transport returns an http.RoundTripper for outgoing calls to the service
// named service that records their latency in
// lb_service_call_duration_seconds; nil next means
// http.DefaultTransport. A call that fails without a response has status
// "error".
func (m *Metrics) Transport(service string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper{m: m, service: service, next: next}
}

type roundTripper struct {
	m       *Metrics
	service string
	next    http.RoundTripper
}

func (t roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(r)
	status := "error"
	if err == nil {
		status = httpobs.StatusClass(res.StatusCode)
	}
	t.m.outgoing.WithLabelValues(t.service, methodLabel(r.Method), status).Observe(time.Since(start).Seconds())
	return res, err
}

var _ connector.CallTimer = (*Metrics)(nil)
