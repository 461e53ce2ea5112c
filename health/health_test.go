package health_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/health"
	"github.com/loopback-go/lb/rest"
)

// started starts srv in app and returns its URL; the app is stopped at the
// end of the test.
func started(t *testing.T, app *lb.App, srv *rest.Server) string {
	t.Helper()
	app.AddServer("rest", srv)
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Stop(context.Background()) })
	return srv.URL()
}

func newServer(app *lb.App) *rest.Server {
	return rest.New(rest.Config{Host: "127.0.0.1", Port: 0, Parent: app.Container()})
}

func fetch(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

func TestDefault(t *testing.T) {
	app := lb.New(lb.Config{})
	srv := newServer(app)
	health.Mount(srv, health.Config{})
	url := started(t, app, srv)
	for _, p := range []string{"/health", "/live", "/ready"} {
		code, body := fetch(t, "GET", url+p)
		if code != 200 || body != `{"status":"UP","checks":[]}` {
			t.Errorf("GET %s: got %d %s; want 200 {\"status\":\"UP\",\"checks\":[]}", p, code, body)
		}
	}
	if code, body := fetch(t, "HEAD", url+"/health"); code != 200 || body != "" {
		t.Errorf("HEAD /health: got %d %q; want 200 and no body", code, body)
	}
	if code, body := fetch(t, "POST", url+"/health"); code != 404 || !strings.Contains(body, `"statusCode":404`) {
		t.Errorf("POST /health: got %d %s; want LoopBack's 404", code, body)
	}
	if _, doc := fetch(t, "GET", url+"/openapi.json"); strings.Contains(doc, "/health") || strings.Contains(doc, "/ready") {
		t.Errorf("the health endpoints are in the OpenAPI document: %s", doc)
	}
}

// failingPinger is a connector whose Ping fails with a driver-like error
// that must not reach the client.
type failingPinger struct{ connector.Connector }

func (failingPinger) Ping(context.Context) error {
	return errors.New("dial tcp 10.0.0.7:5432: password authentication failed for user secret")
}

func TestChecks(t *testing.T) {
	app := lb.New(lb.Config{})
	srv := newServer(app)
	h := health.Mount(srv, health.Config{HealthPath: "/internal/health"})
	di.AddExtension(app.Container(), health.ReadyChecks, health.ReadyChecks.Key("queue")).
		To(func(context.Context) error { return nil })
	di.AddExtension(app.Container(), health.LiveChecks, health.LiveChecks.Key("loop")).
		To(func(context.Context) error { return nil })
	mem, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	h.AddPing("db", mem)
	url := started(t, app, srv)

	code, body := fetch(t, "GET", url+"/internal/health")
	want := `{"status":"UP","checks":[` +
		`{"name":"extensions.health.readyChecks.queue","state":"UP","data":{"reason":""}},` +
		`{"name":"datasources.db","state":"UP","data":{"reason":""}},` +
		`{"name":"extensions.health.liveChecks.loop","state":"UP","data":{"reason":""}}]}`
	if code != 200 || body != want {
		t.Errorf("GET /internal/health:\ngot  %d %s\nwant 200 %s", code, body, want)
	}
	if code, _ := fetch(t, "GET", url+"/health"); code != 404 {
		t.Errorf("GET /health with HealthPath moved: got %d; want 404", code)
	}
	code, body = fetch(t, "GET", url+"/live")
	if want := `{"status":"UP","checks":[{"name":"extensions.health.liveChecks.loop","state":"UP","data":{"reason":""}}]}`; code != 200 || body != want {
		t.Errorf("GET /live: got %d %s; want 200 %s", code, body, want)
	}

	// Failing checks: 503 for readiness and overall, 500 for liveness.
	h.AddPing("pg", failingPinger{mem})
	h.AddLive("deadlock", func(context.Context) error { return errors.New("worker stuck") })
	code, body = fetch(t, "GET", url+"/ready")
	if code != 503 || !strings.HasPrefix(body, `{"status":"DOWN"`) ||
		!strings.Contains(body, `{"name":"datasources.pg","state":"DOWN","data":{"reason":"datasource did not answer"}}`) {
		t.Errorf("GET /ready: got %d %s; want 503 DOWN with datasources.pg DOWN", code, body)
	}
	if strings.Contains(body, "password") || strings.Contains(body, "10.0.0.7") {
		t.Errorf("the driver's error reached the client: %s", body)
	}
	code, body = fetch(t, "GET", url+"/live")
	if code != 500 || !strings.Contains(body, `{"name":"deadlock","state":"DOWN","data":{"reason":"worker stuck"}}`) {
		t.Errorf("GET /live: got %d %s; want 500 with deadlock DOWN", code, body)
	}
	if code, _ := fetch(t, "GET", url+"/internal/health"); code != 503 {
		t.Errorf("GET /internal/health: got %d; want 503", code)
	}
}

func TestTimeoutAndPanic(t *testing.T) {
	app := lb.New(lb.Config{})
	srv := newServer(app)
	h := health.Mount(srv, health.Config{Timeout: 50 * time.Millisecond})
	h.AddReady("slow", func(ctx context.Context) error { <-ctx.Done(); time.Sleep(time.Second); return nil })
	h.AddReady("panics", func(context.Context) error { panic("boom") })
	url := started(t, app, srv)
	begin := time.Now()
	code, body := fetch(t, "GET", url+"/ready")
	if d := time.Since(begin); d > 500*time.Millisecond {
		t.Errorf("GET /ready took %v; want about the 50ms timeout", d)
	}
	want := `{"status":"DOWN","checks":[{"name":"slow","state":"DOWN","data":{"reason":"timeout"}},` +
		`{"name":"panics","state":"DOWN","data":{"reason":"check panicked"}}]}`
	if code != 503 || body != want {
		t.Errorf("GET /ready:\ngot  %d %s\nwant 503 %s", code, body, want)
	}
}

func TestStopping(t *testing.T) {
	app := lb.New(lb.Config{})
	srv := newServer(app)
	h := health.Mount(srv, health.Config{})
	if err := app.Mount(h); err != nil {
		t.Fatal(err)
	}
	// An observer whose Stop waits lets the test look at readiness while
	// the app is stopping (the server group stops first).
	release := make(chan struct{})
	inStop := make(chan struct{})
	app.Observe(lb.Observer{Name: "slow", Group: "db", Stop: func(context.Context) error {
		close(inStop)
		<-release
		return nil
	}})
	url := started(t, app, srv)
	if code, _ := fetch(t, "GET", url+"/ready"); code != 200 {
		t.Fatalf("GET /ready before stop: got %d; want 200", code)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- app.Stop(context.Background()) }()
	<-inStop
	if r := h.Ready(context.Background()); r.Status != health.Stopping {
		t.Errorf("Ready while the app stops: got %s; want STOPPING", r.Status)
	}
	if r := h.Live(context.Background()); r.Status != health.Up {
		t.Errorf("Live while the app stops: got %s; want UP", r.Status)
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}

	// Stop by hand, with the server still serving: 503 STOPPING over HTTP.
	app2 := lb.New(lb.Config{})
	srv2 := newServer(app2)
	h2 := health.Mount(srv2, health.Config{})
	url2 := started(t, app2, srv2)
	h2.Stop(context.Background())
	for _, p := range []string{"/ready", "/health"} {
		if code, body := fetch(t, "GET", url2+p); code != 503 || body != `{"status":"STOPPING","checks":[]}` {
			t.Errorf("GET %s after Stop: got %d %s; want 503 STOPPING", p, code, body)
		}
	}
	if code, _ := fetch(t, "GET", url2+"/live"); code != 200 {
		t.Errorf("GET /live after Stop: got %d; want 200", code)
	}
}

// TestBoundDatasources: every datasource bound with DatasourceTag in the
// app's container is a readiness ping, without AddPing.
func TestBoundDatasources(t *testing.T) {
	app := lb.New(lb.Config{})
	mem, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	di.Bind(app.Container(), di.NewKey[connector.Connector]("datasources.db")).To(mem).Tag(health.DatasourceTag)
	di.Bind(app.Container(), di.NewKey[connector.Connector]("datasources.pg")).To(failingPinger{mem}).Tag(health.DatasourceTag)
	srv := newServer(app)
	health.Mount(srv, health.Config{})
	url := started(t, app, srv)
	code, body := fetch(t, "GET", url+"/ready")
	want := `{"status":"DOWN","checks":[` +
		`{"name":"datasources.db","state":"UP","data":{"reason":""}},` +
		`{"name":"datasources.pg","state":"DOWN","data":{"reason":"datasource did not answer"}}]}`
	if code != 503 || body != want {
		t.Errorf("GET /ready:\ngot  %d %s\nwant 503 %s", code, body, want)
	}
}
