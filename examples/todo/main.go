// Command todo is LoopBack 4's todo example ported to LoopBack for Go: a
// Todo model served as a CRUD REST API at /todos, with the API explorer at
// /explorer, the OpenAPI document at /openapi.json, a home page at / (and
// /index.html) and GET /ping.
//
//	go run ./examples/todo
//
// Environment:
//
//	HOST, PORT  where to listen (default 127.0.0.1:3000)
//	DB_FILE     the memory connector's data file in LoopBack's db.json
//	            format (default data/db.json, relative to the working
//	            directory; created and seeded with four todos when missing).
//	            Set it to the empty string to keep the data in memory only.
//	DB_URL      run on SQL instead: sqlite:todo.db, file:todo.db or
//	            :memory: (SQLite), postgres://... (PostgreSQL),
//	            mysql://... (MySQL); tables are created or updated at start
//	            and seeded when empty. On PostgreSQL the change streams go
//	            through the outbox table lb_outbox and LISTEN/NOTIFY, so
//	            several processes on one database share them, with the same
//	            event ids (Last-Event-ID resumes on any of them).
//	CHANGES     "local" keeps the change streams inside this process on
//	            PostgreSQL too (no outbox row, no NOTIFY per write); the
//	            default, "shared", uses the outbox there.
//	ACCESS_LOG  the access log: JSON records on stderr (default; the
//	            log is written in batches, at most 100 ms late), common
//	            or combined (Apache lines on stdout), or off.
//	OTLP_ENDPOINT  trace with OpenTelemetry, exporting over OTLP/HTTP to
//	            this collector URL (http://127.0.0.1:4318); off when unset.
//	DRAIN_DELAY on SIGTERM, how long /ready answers 503 STOPPING while
//	            requests are still served, before the listener closes
//	            (such as 2s: longer than the load balancer's probe period).
//	GEOCODER_URL base URL of the US Census geocoder (or one like it) that
//	            fills in remindAtGeo; unset: todos are saved without it.
//	GOGC        when set, the Go collector's percentage, as usual; unset,
//	            the example lets the heap grow to 16 MiB (or twice the
//	            live heap, when more) between collections rather than
//	            collecting every few megabytes of allocation.
//	CONFIG_FILE a JSON or YAML file with the same settings (sections rest,
//	            datasources, accessLog, tracing, geocoder; see README.md),
//	            overridden by LB_<SECTION>_<KEY> variables and then by the
//	            variables above.
//
// GET /health, /live and /ready (LoopBack's health endpoints) and
// /metrics (Prometheus) are served outside the OpenAPI document; every
// response carries an X-Request-Id.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/loopback-go/lb"
)

func main() {
	cfg, err := configFromEnv(os.LookupEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "todo:", err)
		os.Exit(2)
	}
	defer keepHeapFloor(defaultHeapFloor)()
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "todo:", err)
		os.Exit(1)
	}
}

// config is the example's configuration.
type config struct {
	Host string
	Port int
	// DBFile is the memory connector's file; "" keeps data in memory only.
	DBFile string
	// DBURL selects a SQL database instead of the memory connector.
	DBURL string
	// AccessLog is the access log format: "" (JSON records), "common",
	// "combined" or "off".
	AccessLog string
	// OTLPEndpoint turns tracing on, exporting to this collector.
	OTLPEndpoint string
	// DrainDelay is how long readiness fails before the server stops.
	DrainDelay time.Duration
	// LocalChanges keeps the change streams in this process even on
	// PostgreSQL (CHANGES=local).
	LocalChanges bool
	// GeocoderURL is the geocoder's base URL; "" turns geocoding off.
	GeocoderURL string
	// Logger receives the geocoder's warnings; nil means slog.Default().
	Logger *slog.Logger
}

// configFromEnv reads the file CONFIG_FILE names, if any, then HOST, PORT,
// DB_FILE, DB_URL and the other variables, which override the file. DB_FILE
// unset means data/db.json; set to the empty string it means no file.
func configFromEnv(lookup func(string) (string, bool)) (config, error) {
	cfg := config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json"}
	if err := applyConfigFile(&cfg, lookup); err != nil {
		return cfg, err
	}
	if v, ok := lookup("HOST"); ok && v != "" {
		cfg.Host = v
	}
	if v, ok := lookup("PORT"); ok && v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return cfg, fmt.Errorf("PORT=%q: want a port number from 0 to 65535", v)
		}
		cfg.Port = p
	}
	if v, ok := lookup("DB_FILE"); ok {
		cfg.DBFile = v
	}
	if v, ok := lookup("DB_URL"); ok {
		cfg.DBURL = v
	}
	if v, ok := lookup("DRAIN_DELAY"); ok && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("DRAIN_DELAY=%q: want a duration such as 2s", v)
		}
		cfg.DrainDelay = d
	}
	if v, ok := lookup("OTLP_ENDPOINT"); ok {
		cfg.OTLPEndpoint = v
	}
	switch v, _ := lookup("ACCESS_LOG"); v {
	case "":
	case "json":
		cfg.AccessLog = ""
	case "common", "combined", "off":
		cfg.AccessLog = v
	default:
		return cfg, fmt.Errorf("ACCESS_LOG=%q: want json, common, combined or off", v)
	}
	switch v, _ := lookup("CHANGES"); v {
	case "", "shared":
	case "local":
		cfg.LocalChanges = true
	default:
		return cfg, fmt.Errorf("CHANGES=%q: want shared (the default: through the outbox on PostgreSQL) or local", v)
	}
	if v, ok := lookup("GEOCODER_URL"); ok {
		cfg.GeocoderURL = v
	}
	return cfg, nil
}

// run serves the example until SIGINT or SIGTERM.
func run(ctx context.Context, cfg config) error {
	a, err := newApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.close()
	app := lb.New(lb.Config{Name: "todo"})
	if err := app.Mount(a.health); err != nil { // readiness turns STOPPING when the app stops
		return err
	}
	if a.tracing != nil {
		app.Observe(lb.ObserverOf("tracing", "", a.tracing)) // flushes spans on stop
	}
	app.AddServer("rest", announcer{a, cfg.DrainDelay})
	return app.Run(ctx)
}

// announcer starts the REST server and prints where it listens.
type announcer struct {
	a     *todoApp
	drain time.Duration
}

func (s announcer) Start(ctx context.Context) error {
	if err := s.a.srv.Start(ctx); err != nil {
		return err
	}
	url := s.a.srv.URL()
	fmt.Printf("Todo API:     %s/todos\nAPI explorer: %s/explorer/\nData:         %s\n", url, url, s.a.store)
	return nil
}

// Stop fails readiness first, keeps serving for the drain delay so load
// balancers stop sending requests, then stops the server gracefully.
func (s announcer) Stop(ctx context.Context) error {
	s.a.health.Stop(ctx)
	if s.drain > 0 {
		select {
		case <-time.After(s.drain):
		case <-ctx.Done():
		}
	}
	s.a.changes.Close() // ends the change streams, which would hold Stop
	return s.a.srv.Stop(ctx)
}
