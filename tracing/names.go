package tracing

import (
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// spanNames caches what every span of one route or one model method
// shares, so that a traced request does not build it again: the server
// span's name per (method, path template), and a repository call span's
// name and start options per (model, method). Both sets are bounded by the
// app's routes and models.
type spanNames struct {
	servers sync.Map // routeKey → string
	calls   sync.Map // callKey → *callStart
}

type routeKey struct{ method, route string }

type callKey struct{ model, method string }

// callStart is the name and start options of a repository call's span.
type callStart struct {
	name  string
	start []trace.SpanStartOption
}

// server returns "<METHOD> <route>".
func (n *spanNames) server(method, route string) string {
	k := routeKey{method, route}
	if v, ok := n.servers.Load(k); ok {
		return v.(string)
	}
	v, _ := n.servers.LoadOrStore(k, method+" "+route)
	return v.(string)
}

// call returns the span name and start options of a call of method on
// model ("" for calls that are not about one model).
func (n *spanNames) call(model, method string) *callStart {
	k := callKey{model, method}
	if v, ok := n.calls.Load(k); ok {
		return v.(*callStart)
	}
	cs := &callStart{name: method}
	attrs := []attribute.KeyValue{attribute.String("db.operation.name", method)}
	if model != "" {
		cs.name = model + "." + method
		attrs = append(attrs, attribute.String("db.collection.name", model))
	}
	cs.start = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...)}
	v, _ := n.calls.LoadOrStore(k, cs)
	return v.(*callStart)
}
