package main

import (
	"log/slog"
	"os"

	"github.com/loopback-go/lb/health"
	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/rest"
)

// operations turns on what a production deployment watches, all outside
// the OpenAPI document: request ids (X-Request-Id), the access log,
// Prometheus metrics at /metrics (with the repository's connector calls)
// and LoopBack's health endpoints /health, /live and /ready with a ping of
// the datasource.
func (a *todoApp) operations(cfg config) {
	logger := slog.New(rest.LogHandler(slog.NewJSONHandler(os.Stderr, nil)))
	a.srv.Use(rest.RequestID())
	if cfg.AccessLog != "off" {
		a.srv.Use(rest.AccessLog(rest.AccessLogConfig{Format: cfg.AccessLog, Logger: logger, Writer: accessWriter(cfg.AccessLog)}))
	}
	a.health = health.Mount(a.srv, health.Config{Logger: logger})
	a.health.AddPing("db", a.conn)
	a.metrics.MountOn(a.srv, "/metrics")
}

// accessWriter is where the common and combined formats go: stdout, as
// morgan writes them.
func accessWriter(format string) *os.File {
	if format == rest.LogCommon || format == rest.LogCombined {
		return os.Stdout
	}
	return nil
}

// newMetrics builds the example's metrics registry.
func newMetrics() *metrics.Metrics { return metrics.New(metrics.Config{}) }
