package tracing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/internal/httpobs"
	"github.com/loopback-go/lb/rest"
)

// InstrumentationName names the tracer the spans come from.
const InstrumentationName = "github.com/loopback-go/lb/tracing"

// Config configures [New]; its json names are for package config. Tracing
// is off unless the app calls [Mount] or
// [New]; an app that does not pays nothing.
type Config struct {
	// Provider makes the spans. Nil means a provider built here that
	// exports to OTLPEndpoint, and that [Tracing.Stop] flushes and shuts
	// down.
	Provider trace.TracerProvider `json:"-"`
	// OTLPEndpoint is the OTLP/HTTP collector spans are exported to when
	// Provider is nil, as a URL ("http://127.0.0.1:4318"; the path
	// defaults to /v1/traces). Required when Provider is nil.
	OTLPEndpoint string `json:"otlpEndpoint"`
	// ServiceName is the service.name resource of the provider built
	// here; "" means "loopback-app".
	ServiceName string `json:"serviceName"`
	// Propagator reads the trace context of incoming requests and writes
	// it on outgoing ones; nil means W3C trace context (traceparent,
	// tracestate).
	Propagator propagation.TextMapPropagator `json:"-"`
}

// Tracing makes OpenTelemetry spans for the operations of a REST server,
// for repository calls through connectors it wraps and for outgoing HTTP
// calls through its transports. It is safe for concurrent use.
type Tracing struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
	owned  *sdktrace.TracerProvider // built by New; shut down by Stop
	// serverStart are the start options of every server span.
	serverStart []trace.SpanStartOption
	// names caches span names and start options, computed once per route
	// and per model method.
	names *spanNames
}

// New builds a Tracing from cfg. It fails when cfg names neither a
// provider nor an OTLP endpoint, or the endpoint is not a URL.
func New(cfg Config) (*Tracing, error) {
	t := &Tracing{prop: cfg.Propagator, names: &spanNames{},
		serverStart: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}}
	if t.prop == nil {
		t.prop = propagation.TraceContext{}
	}
	p := cfg.Provider
	if p == nil {
		if cfg.OTLPEndpoint == "" {
			return nil, errors.New("tracing: otlpEndpoint: required when no provider is given")
		}
		exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(cfg.OTLPEndpoint))
		if err != nil {
			return nil, fmt.Errorf("tracing: otlpEndpoint: %w", err)
		}
		name := cfg.ServiceName
		if name == "" {
			name = "loopback-app"
		}
		res := resource.NewSchemaless(attribute.String("service.name", name))
		t.owned = sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
		p = t.owned
	}
	t.tracer = p.Tracer(InstrumentationName)
	return t, nil
}

// Mount builds a Tracing ([New]) and traces every request srv answers:
// the request's trace context (traceparent) is continued, and a server
// span named "<METHOD> <path template>" covers the request.
func Mount(srv *rest.Server, cfg Config) (*Tracing, error) {
	t, err := New(cfg)
	if err != nil {
		return nil, err
	}
	t.MountOn(srv)
	return t, nil
}

// MountOn traces the requests srv answers; [Mount] calls it.
func (t *Tracing) MountOn(srv *rest.Server) {
	srv.Use(t.middleware)
	srv.UseIn(rest.GroupAuthentication, rest.RecordRoute)
}

func (t *Tracing) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := t.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := t.tracer.Start(ctx, r.Method, t.serverStart...)
		if !span.IsRecording() {
			// Dropped by the sampler: only the trace context goes on.
			defer span.End()
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		rec, w, r := httpobs.Wrap(w, r.WithContext(ctx))
		defer func() {
			status := rec.Status()
			if status == 0 {
				status = http.StatusOK
			}
			attrs := make([]attribute.KeyValue, 2, 4)
			attrs[0] = attribute.String("http.request.method", r.Method)
			attrs[1] = attribute.String("url.path", r.URL.Path)
			if rec.Route != "" {
				span.SetName(t.names.server(r.Method, rec.Route))
				attrs = append(attrs, attribute.String("http.route", rec.Route))
			}
			span.SetAttributes(append(attrs, attribute.Int("http.response.status_code", status))...)
			if status >= 500 {
				span.SetStatus(codes.Error, strconv.Itoa(status))
			}
			span.End()
		}()
		next.ServeHTTP(w, r)
	})
}

// Connector returns c wrapped so that each call is a client span named
// "<Model>.<Method>" with the attributes db.collection.name,
// db.operation.name and, for Execute, db.query.text (the command, never
// its parameters). On the SQL connectors (package sqlconn) every call also
// gets db.system.name and db.query.text: the SQL statement it ran, with
// its placeholders, never the bound values (see [Tracing.ObserveStatement]).
func (t *Tracing) Connector(c connector.Connector) connector.Connector {
	return connector.Observe(c, t)
}

// ObserveCall implements connector.CallObserver.
func (t *Tracing) ObserveCall(ctx context.Context, c connector.Call) (context.Context, func(error)) {
	cs := t.names.call(c.Model, c.Method)
	opts := cs.start
	if c.Command != "" {
		opts = append(opts[:len(opts):len(opts)], trace.WithAttributes(attribute.String("db.query.text", c.Command)))
	}
	ctx, span := t.tracer.Start(ctx, cs.name, opts...)
	if !span.IsRecording() {
		return ctx, func(error) { span.End() }
	}
	ctx = sqlconn.WithStatementObserver(ctx, t)
	return ctx, func(err error) {
		if err != nil {
			span.SetStatus(codes.Error, "call failed")
		}
		span.End()
	}
}

// ObserveStatement implements sqlconn.StatementObserver: the SQL text of
// a statement run by a SQL connector (never its values) becomes the
// db.query.text and db.system.name attributes of the repository call's
// span; when a call runs several statements, the last one is kept.
func (t *Tracing) ObserveStatement(ctx context.Context, system, statement string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(attribute.String("db.system.name", system), attribute.String("db.query.text", statement))
}

// Transport returns an http.RoundTripper for outgoing calls to service
// that makes a client span per call and writes the trace context
// (traceparent) on the request; nil next means http.DefaultTransport.
func (t *Tracing) Transport(service string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper{t: t, service: service, next: next}
}

type roundTripper struct {
	t       *Tracing
	service string
	next    http.RoundTripper
}

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, span := rt.t.tracer.Start(r.Context(), rt.service+" "+r.Method, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("peer.service", rt.service)))
	defer span.End()
	r = r.Clone(ctx)
	rt.t.prop.Inject(ctx, propagation.HeaderCarrier(r.Header))
	res, err := rt.next.RoundTrip(r)
	if err != nil {
		span.SetStatus(codes.Error, "call failed")
		return res, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
	if res.StatusCode >= 500 {
		span.SetStatus(codes.Error, strconv.Itoa(res.StatusCode))
	}
	return res, nil
}

// Stop flushes and shuts down the provider New built; a provider given in
// Config is the caller's to stop. It implements lb.Stopper.
func (t *Tracing) Stop(ctx context.Context) error {
	if t.owned == nil {
		return nil
	}
	if err := t.owned.Shutdown(ctx); err != nil {
		return fmt.Errorf("tracing: shut down: %w", err)
	}
	return nil
}

var (
	_ connector.CallObserver    = (*Tracing)(nil)
	_ sqlconn.StatementObserver = (*Tracing)(nil)
)
