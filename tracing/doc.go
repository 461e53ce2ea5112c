// Package tracing makes OpenTelemetry spans for a REST app: one server span
// per request, named "<METHOD> <path template>" and continuing the W3C
// trace context (traceparent) the client sent; one client span per
// repository call through a connector wrapped with [Tracing.Connector],
// named "<Model>.<Method>", with db.query.text for native commands (never
// their parameters) and, on the SQL connectors (SQLite, PostgreSQL, MySQL),
// db.query.text and db.system.name for the statement the call ran (its SQL
// with placeholders, never the bound values; see
// sqlconn.WithStatementObserver); one client span per outgoing HTTP call through
// [Tracing.Transport], which also sends the trace context on.
//
// Tracing is off by default, at no cost: nothing is traced unless the app
// calls [Mount]. With no provider given, spans are exported over OTLP/HTTP
// to Config.OTLPEndpoint:
//
//	tr, err := tracing.Mount(srv, tracing.Config{OTLPEndpoint: os.Getenv("OTLP_ENDPOINT"), ServiceName: "todo"})
//	todos := repository.MustNew[Todo, int64](tr.Connector(conn))
//	app.Observe(lb.ObserverOf("tracing", "", tr)) // flush spans on stop
package tracing
