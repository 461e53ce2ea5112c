package metrics

import (
	"context"
	"net/http"
	"sync"
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
	inFlight prometheus.Gauge
	calls    *prometheus.HistogramVec
	outgoing *prometheus.HistogramVec

	// Children by label values, so a request does not hash its labels
	// for each metric: values are *reqChild and prometheus.Observer.
	reqChildren  sync.Map // reqLabels → *reqChild
	callChildren sync.Map // callLabels → prometheus.Observer
}

type reqLabels struct{ method, path, status string }

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
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
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
	reg.MustRegister(m.requests, m.duration, m.inFlight, m.calls, m.outgoing)
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
	start := time.Now()
	m.inFlight.Inc()
	rec, w, r := httpobs.Wrap(w, r)
	defer func() {
		m.inFlight.Dec()
		path := rec.Route
		if path == "" {
			path = Unmatched
		}
		k := reqLabels{methodLabel(r.Method), path, httpobs.StatusClass(rec.Status())}
		c, ok := m.reqChildren.Load(k)
		if !ok {
			c, _ = m.reqChildren.LoadOrStore(k, &reqChild{
				count: m.requests.WithLabelValues(k.method, k.path, k.status),
				dur:   m.duration.WithLabelValues(k.method, k.path, k.status),
			})
		}
		ch := c.(*reqChild)
		ch.count.Inc()
		ch.dur.Observe(time.Since(start).Seconds())
	}()
	next.ServeHTTP(w, r)
}

// methodLabel keeps the method label bounded: unknown methods are "OTHER".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// Registry returns the registry the metrics are in, to add application
// metrics to the same page.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Connector returns c wrapped so that the latency of every call is
// recorded in lb_connector_call_duration_seconds (see connector.Observe);
// give the wrapper to the repositories.
func (m *Metrics) Connector(c connector.Connector) connector.Connector {
	return connector.Observe(c, m)
}

// ObserveCall implements connector.CallObserver.
func (m *Metrics) ObserveCall(ctx context.Context, c connector.Call) (context.Context, func(error)) {
	start := time.Now()
	return ctx, func(err error) {
		k := callLabels{c.Model, c.Method, err != nil}
		o, ok := m.callChildren.Load(k)
		if !ok {
			outcome := "ok"
			if err != nil {
				outcome = "error"
			}
			o, _ = m.callChildren.LoadOrStore(k, m.calls.WithLabelValues(c.Model, callMethod(c.Method), outcome))
		}
		o.(prometheus.Observer).Observe(time.Since(start).Seconds())
	}
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

var _ connector.CallObserver = (*Metrics)(nil)
