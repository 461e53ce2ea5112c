package main

import (
	"log/slog"
	"os"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/health"
	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/tracing"
)

// operations turns on what a production deployment watches, all outside
// the OpenAPI document: request ids (X-Request-Id), the access log,
// Prometheus metrics at /metrics (with the repository's connector calls)
// LoopBack's health endpoints /health, /live and /ready with a ping of the
// datasource, and OpenTelemetry tracing when OTLP_ENDPOINT is set.
func (a *todoApp) operations(cfg config) {
	logger := a.logger
	a.srv.Use(rest.RequestID())
	if cfg.AccessLog != "off" {
		a.srv.Use(rest.AccessLog(rest.AccessLogConfig{Format: cfg.AccessLog, Logger: logger, Writer: accessWriter(cfg.AccessLog)}))
	}
	a.health = health.Mount(a.srv, health.Config{Logger: logger})
	a.health.AddPing("db", a.conn)
	a.metrics.MountOn(a.srv, "/metrics")
	if a.tracing != nil {
		a.tracing.MountOn(a.srv)
	}
}

// accessWriter is where the common and combined formats go: stdout, as
// morgan writes them.
func accessWriter(format string) *os.File {
	if format == rest.LogCommon || format == rest.LogCombined {
		return os.Stdout
	}
	return nil
}

// observe builds the metrics, and the tracing when OTLP_ENDPOINT is set,
// and returns the store's connector wrapped to report its calls to them.
func (a *todoApp) observe(cfg config) (connector.Connector, error) {
	// One JSON logger, whose records made with a request's context carry
	// its request_id: the server's error log, the access log, health.
	// Through a LogBuffer: one write to stderr per batch of records rather
	// than one per request (at most 100 ms late; flushed on close).
	a.logOut = rest.NewLogBuffer(os.Stderr, rest.LogBufferConfig{})
	a.logger = slog.New(rest.LogHandler(slog.NewJSONHandler(a.logOut, nil)))
	a.metrics = metrics.New(metrics.Config{})
	conn := a.metrics.Connector(a.conn)
	if cfg.OTLPEndpoint != "" {
		tr, err := tracing.New(tracing.Config{OTLPEndpoint: cfg.OTLPEndpoint, ServiceName: "todo"})
		if err != nil {
			return nil, err
		}
		a.tracing = tr
		conn = tr.Connector(conn)
	}
	return conn, nil
}
