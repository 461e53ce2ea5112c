package health

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/rest"
)

// Check is a liveness or readiness check: nil means UP, an error DOWN with
// the error's message as the reported reason. Write messages meant for
// operators; they are served to anyone who can reach the endpoints.
type Check func(ctx context.Context) error

// The extension points checks plug into, as LoopBack's HealthTags.LIVE_CHECK
// and READY_CHECK tags: bind a Check in the app's (or the server's)
// container as an extension of one of them and the endpoints run it,
// reported under its binding key:
//
//	di.AddExtension(app.Container(), health.ReadyChecks, health.ReadyChecks.Key("queue")).
//		To(func(ctx context.Context) error { return q.Ping(ctx) })
var (
	LiveChecks  = di.NewExtensionPoint[Check]("health.liveChecks")
	ReadyChecks = di.NewExtensionPoint[Check]("health.readyChecks")
)

// DatasourceTag marks a binding whose value is a datasource (a
// connector.Connector), as LoopBack tags its datasources: every such
// binding visible from the server's container that can ping is a
// readiness check named after its key ("datasources.db"), as
// [Health.AddPing] adds one by hand.
const DatasourceTag di.Tag = "datasource"

// Config configures the endpoints. The zero value serves /health, /live and
// /ready, outside the OpenAPI document, with a 5 s timeout per check. The
// json names are LoopBack's (healthPath …), for package config.
type Config struct {
	// HealthPath, LivePath and ReadyPath are where the overall, liveness
	// and readiness states are served; "" means /health, /live and /ready.
	HealthPath string `json:"healthPath"`
	LivePath   string `json:"livePath"`
	ReadyPath  string `json:"readyPath"`
	// Timeout bounds each check; a check still running after it is DOWN
	// with reason "timeout". Zero means 5 s.
	Timeout time.Duration `json:"timeout"`
	// Logger receives the errors of datasource pings, which the endpoints
	// do not show; nil means slog.Default().
	Logger *slog.Logger `json:"-"`
}

// State is the state of a check or of a set of checks, as
// @cloudnative/health names them.
type State string

// The states reported.
const (
	Up       State = "UP"
	Down     State = "DOWN"
	Stopping State = "STOPPING"
)

// CheckResult is one entry of a report's checks.
type CheckResult struct {
	Name  string
	State State
	// Reason is "" for a check that is UP.
	Reason string
}

// Report is what an endpoint answers: {"status":…,"checks":[{"name":…,
// "state":…,"data":{"reason":…}}]}.
type Report struct {
	Status State
	Checks []CheckResult
}

type named struct {
	name  string
	check Check
}

// Health serves the health endpoints of a REST server and runs their
// checks. Create it with [Mount]. It is safe for concurrent use.
type Health struct {
	cfg      Config
	cont     *di.Container
	live     *di.View[Check]
	ready    *di.View[Check]
	stopping atomic.Bool
	app      atomic.Pointer[lb.App]

	mu         sync.Mutex
	liveExtra  []named
	readyExtra []named
}

// Mount serves the health endpoints on srv and returns them, ready for
// more checks. Checks are read, on each request, from the extension points
// [LiveChecks] and [ReadyChecks] of srv's container (and so of the app's,
// its parent), from the datasources bound there ([DatasourceTag]) and
// from [Health.AddLive], [Health.AddReady] and [Health.AddPing]. The endpoints answer before the router, so they are
// not in the OpenAPI document, and only GET and HEAD: other methods get
// LoopBack's 404.
//
// Mount the returned value on the app (app.Mount(h)) so that readiness
// turns to STOPPING as soon as the app begins to stop; [Health.Stop] does
// the same by hand.
func Mount(srv *rest.Server, cfg Config) *Health {
	if cfg.HealthPath == "" {
		cfg.HealthPath = "/health"
	}
	if cfg.LivePath == "" {
		cfg.LivePath = "/live"
	}
	if cfg.ReadyPath == "" {
		cfg.ReadyPath = "/ready"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	h := &Health{
		cfg:   cfg,
		cont:  srv.Container(),
		live:  di.ExtensionView(srv.Container(), LiveChecks),
		ready: di.ExtensionView(srv.Container(), ReadyChecks),
	}
	srv.Use(h.middleware)
	return h
}

// AddLive adds a liveness check reported as name.
func (h *Health) AddLive(name string, c Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.liveExtra = append(h.liveExtra, named{name, c})
}

// AddReady adds a readiness check reported as name.
func (h *Health) AddReady(name string, c Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.readyExtra = append(h.readyExtra, named{name, c})
}

// AddPing adds a readiness check, reported as "datasources.<name>", that
// pings conn (a [connector.Pinger]; for any other connector it does
// nothing). A failed ping is DOWN with reason "datasource did not answer";
// the connector's error is logged, not served.
func (h *Health) AddPing(name string, conn connector.Connector) {
	p, ok := conn.(connector.Pinger)
	if !ok {
		return
	}
	h.AddReady("datasources."+name, h.ping(name, p))
}

func (h *Health) ping(name string, p connector.Pinger) Check {
	return func(ctx context.Context) error {
		if err := p.Ping(ctx); err != nil {
			h.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "health: ping failed",
				slog.String("datasource", name), slog.Any("error", err))
			return errors.New("datasource did not answer")
		}
		return nil
	}
}

// datasources returns a ping check for each binding tagged DatasourceTag.
func (h *Health) datasources() []named {
	var out []named
	for _, e := range h.cont.FindByTag(DatasourceTag) {
		key := e.Key()
		v, err := h.cont.ResolveEntry(e)
		if err != nil {
			out = append(out, named{key, func(context.Context) error {
				return errors.New("datasource cannot be resolved")
			}})
			continue
		}
		if p, ok := v.(connector.Pinger); ok {
			out = append(out, named{key, h.ping(key, p)})
		}
	}
	return out
}

// Name implements lb.Component: "health".
func (h *Health) Name() string { return "health" }

// Provision implements lb.Provisioner: readiness follows the app's state
// from then on (STOPPING once the app is stopping or stopped).
func (h *Health) Provision(app *lb.App) error {
	h.app.Store(app)
	return nil
}

// Stop marks the app as stopping: readiness and the overall state answer
// 503 STOPPING from now on, so a load balancer takes the instance out of
// rotation. It implements lb.Stopper.
func (h *Health) Stop(context.Context) error {
	h.stopping.Store(true)
	return nil
}

func (h *Health) isStopping() bool {
	if h.stopping.Load() {
		return true
	}
	if a := h.app.Load(); a != nil {
		s := a.State()
		return s == lb.Stopping || s == lb.Stopped
	}
	return false
}

// Live runs the liveness checks.
func (h *Health) Live(ctx context.Context) Report {
	return h.run(ctx, h.checks(h.live, true))
}

// Ready runs the readiness checks; while stopping the status is STOPPING
// whatever they say.
func (h *Health) Ready(ctx context.Context) Report {
	r := h.run(ctx, h.checks(h.ready, false))
	if h.isStopping() {
		r.Status = Stopping
	}
	return r
}

// Overall runs the readiness then the liveness checks, as /health reports
// them.
func (h *Health) Overall(ctx context.Context) Report {
	r := h.run(ctx, append(h.checks(h.ready, false), h.checks(h.live, true)...))
	if h.isStopping() {
		r.Status = Stopping
	}
	return r
}

func (h *Health) checks(v *di.View[Check], live bool) []named {
	var out []named
	vals, err := v.Values()
	entries := v.Bindings()
	if err != nil {
		// A binding that does not resolve is a failing check under its key.
		for _, e := range entries {
			out = append(out, named{e.Key(), func(context.Context) error {
				return fmt.Errorf("check %s cannot be resolved", e.Key())
			}})
		}
	} else {
		for i, c := range vals {
			if i < len(entries) && c != nil {
				out = append(out, named{entries[i].Key(), c})
			}
		}
	}
	if !live {
		out = append(out, h.datasources()...)
	}
	h.mu.Lock()
	if live {
		out = append(out, h.liveExtra...)
	} else {
		out = append(out, h.readyExtra...)
	}
	h.mu.Unlock()
	return out
}

// run runs checks concurrently, each bounded by the timeout.
func (h *Health) run(ctx context.Context, checks []named) Report {
	r := Report{Status: Up, Checks: make([]CheckResult, len(checks))}
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Checks[i] = h.runOne(ctx, c)
		}()
	}
	wg.Wait()
	for _, c := range r.Checks {
		if c.State != Up {
			r.Status = Down
		}
	}
	return r
}

func (h *Health) runOne(ctx context.Context, c named) (res CheckResult) {
	res = CheckResult{Name: c.name, State: Up}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Errorf("check panicked")
			}
		}()
		done <- c.check(ctx)
	}()
	select {
	case err := <-done:
		if err != nil {
			res.State, res.Reason = Down, err.Error()
		}
	case <-ctx.Done():
		res.State, res.Reason = Down, "timeout"
	}
	return res
}

func (h *Health) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		var (
			rep  Report
			down int
		)
		switch r.URL.Path {
		case h.cfg.HealthPath:
			rep, down = h.Overall(r.Context()), http.StatusServiceUnavailable
		case h.cfg.ReadyPath:
			rep, down = h.Ready(r.Context()), http.StatusServiceUnavailable
		case h.cfg.LivePath:
			rep, down = h.Live(r.Context()), http.StatusInternalServerError
		default:
			next.ServeHTTP(w, r)
			return
		}
		status := http.StatusOK
		switch rep.Status {
		case Down:
			status = down
		case Stopping:
			status = http.StatusServiceUnavailable
		}
		body := rep.AppendJSON(nil)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(body) //nolint:errcheck // the client went away
		}
	})
}

// AppendJSON appends the report as LoopBack's health endpoints write it.
func (r Report) AppendJSON(b []byte) []byte {
	b = append(b, `{"status":`...)
	b = jsonw.AppendString(b, string(r.Status))
	b = append(b, `,"checks":[`...)
	for i, c := range r.Checks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = jsonw.AppendString(b, c.Name)
		b = append(b, `,"state":`...)
		b = jsonw.AppendString(b, string(c.State))
		b = append(b, `,"data":{"reason":`...)
		b = jsonw.AppendString(b, c.Reason)
		b = append(b, "}}"...)
	}
	return append(b, "]}"...)
}
