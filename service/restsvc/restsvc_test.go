package restsvc_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/rest/resttest"
	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/restsvc"
)

// upstream is a test server that counts its hits.
type upstream struct {
	*httptest.Server
	hits atomic.Int32
}

func newUpstream(t *testing.T, h http.HandlerFunc) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

// fastPolicy retries quickly so that tests stay fast.
var fastPolicy = service.Policy{Timeout: 2 * time.Second, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

func newService(t *testing.T, base string, p service.Policy, ops ...restsvc.Operation) *restsvc.Service {
	t.Helper()
	s, err := restsvc.New(restsvc.Config{Name: "things", BaseURL: base, Operations: ops, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type coords struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

func censusAnswer(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/geocoder/locations/onelineaddress" || r.URL.Query().Get("format") != "json" || r.URL.Query().Get("benchmark") != "Public_AR_Current" {
		http.Error(w, "bad request", 400)
		return
	}
	matches := []any{}
	if strings.Contains(r.URL.Query().Get("address"), "Main") {
		matches = append(matches, map[string]any{"coordinates": map[string]any{"x": -71.5, "y": 42.25}, "matchedAddress": "1 MAIN ST"})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{"addressMatches": matches}})
}

func TestLoadLoopBackDatasource(t *testing.T) {
	data, err := os.ReadFile("testdata/geocoder.datasource.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := restsvc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.Timeout != 2*time.Second || cfg.Headers["accept"] != "application/json" {
		t.Errorf("options: got timeout %v, headers %v; want 2s and accept application/json", cfg.Policy.Timeout, cfg.Headers)
	}
	up := newUpstream(t, censusAnswer)
	cfg.BaseURL = up.URL
	svc, err := restsvc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	geocode := restsvc.MustBind[string, []coords](svc, "geocode")
	got, err := geocode(context.Background(), "1 Main St, Boston")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (coords{X: -71.5, Y: 42.25}) {
		t.Errorf("geocode: got %v; want [{-71.5 42.25}]", got)
	}
	none, err := geocode(context.Background(), "nowhere")
	if err != nil || len(none) != 0 {
		t.Errorf("geocode of no match: got (%v, %v); want ([], nil)", none, err)
	}
	// The untyped, positional form LoopBack proxies have.
	v, err := svc.Invoke(context.Background(), "geocode", "1 Main St")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(v); string(b) != `[{"x":-71.5,"y":42.25}]` {
		t.Errorf("Invoke: got %s; want [{\"x\":-71.5,\"y\":42.25}]", b)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, json string }{
		{"not json", `{`},
		{"other connector", `{"name":"x","connector":"mysql","operations":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := restsvc.Parse([]byte(tt.json)); err == nil {
				t.Error("got nil; want an error")
			}
		})
	}
	bad := []struct {
		name string
		cfg  restsvc.Config
	}{
		{"no name", restsvc.Config{Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "http://x"}, Functions: map[string][]string{"f": nil}}}}},
		{"no operations", restsvc.Config{Name: "s"}},
		{"relative url without base", restsvc.Config{Name: "s", Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "/x"}, Functions: map[string][]string{"f": nil}}}}},
		{"unknown type", restsvc.Config{Name: "s", Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "http://x/{a:date}"}, Functions: map[string][]string{"f": {"a"}}}}}},
		{"bad default", restsvc.Config{Name: "s", Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "http://x/{a=b:number}"}, Functions: map[string][]string{"f": {"a"}}}}}},
		{"required not an argument", restsvc.Config{Name: "s", Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "http://x/{!id}"}, Functions: map[string][]string{"f": {"a"}}}}}},
		{"bad path", restsvc.Config{Name: "s", Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "http://x", ResponsePath: "a.b"}, Functions: map[string][]string{"f": nil}}}}},
		{"duplicate function", restsvc.Config{Name: "s", Operations: []restsvc.Operation{
			{Template: restsvc.Template{URL: "http://x"}, Functions: map[string][]string{"f": nil}},
			{Template: restsvc.Template{URL: "http://y"}, Functions: map[string][]string{"f": nil}}}}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := restsvc.New(tt.cfg); err == nil {
				t.Error("New: got nil; want an error")
			}
		})
	}
}

type thingIn struct {
	ID     int64   `json:"id"`
	Name   string  `json:"name"`
	Score  float64 `json:"score,omitempty"`
	Token  string  `json:"token,omitempty"`
	Active *bool   `json:"active,omitempty"`
}

type thingOut struct {
	Method string         `json:"method"`
	Path   string         `json:"path"`
	Query  string         `json:"query"`
	Header string         `json:"header"`
	CType  string         `json:"ctype"`
	Body   map[string]any `json:"body"`
	Form   string         `json:"form"`
}

func echo(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	out := thingOut{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Get("X-Token"), CType: r.Header.Get("Content-Type")}
	if strings.HasPrefix(out.CType, "application/json") {
		json.Unmarshal(b, &out.Body)
	} else {
		out.Form = string(b)
	}
	json.NewEncoder(w).Encode(out)
}

func TestTemplates(t *testing.T) {
	up := newUpstream(t, echo)
	svc := newService(t, up.URL, fastPolicy,
		restsvc.Operation{Template: restsvc.Template{
			Method:  "POST",
			URL:     "/things/{!id:integer}",
			Query:   map[string]any{"score": "{score=1.5:number}", "tag": []any{"a", "b"}, "opt": "{missing}"},
			Headers: map[string]any{"X-Token": "{token}"},
			Body:    map[string]any{"name": "{name}", "label": "thing {name} #{id}", "active": "{active=true:boolean}", "fixed": 7},
		}, Functions: map[string][]string{"create": {"id", "name", "score", "token", "active"}}},
		restsvc.Operation{Template: restsvc.Template{
			Method: "PUT", URL: "/form/{name}", Form: map[string]any{"n": "{name}", "id": "{id}"},
		}, Functions: map[string][]string{"form": {"id", "name"}}},
	)
	create := restsvc.MustBind[thingIn, thingOut](svc, "create")
	got, err := create(context.Background(), thingIn{ID: 42, Name: "a/b c", Token: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "POST" || got.Path != "/things/42" || got.Header != "secret" || got.CType != "application/json" {
		t.Errorf("request: got %+v; want POST /things/42 with X-Token secret and a JSON body", got)
	}
	if got.Query != "score=1.5&tag=a&tag=b" {
		t.Errorf("query: got %q; want score=1.5&tag=a&tag=b (the default, the list, no missing opt)", got.Query)
	}
	b, _ := json.Marshal(got.Body)
	if want := `{"active":true,"fixed":7,"label":"thing a/b c #42","name":"a/b c"}`; string(b) != want {
		t.Errorf("body: got %s; want %s", b, want)
	}
	form := restsvc.MustBind[map[string]any, thingOut](svc, "form")
	got, err = form(context.Background(), map[string]any{"id": 1, "name": "x y/z"})
	if err != nil {
		t.Fatal(err)
	}
	tags := restsvc.MustBind[struct {
		ID   []string `json:"id"`
		Name string   `json:"name"`
	}, thingOut](svc, "form")
	if got, err := tags(context.Background(), struct {
		ID   []string `json:"id"`
		Name string   `json:"name"`
	}{ID: []string{"1", "2"}, Name: "n"}); err != nil || got.Form != "id=1&id=2&n=n" {
		t.Errorf("form with a []string: got (%q, %v); want id=1&id=2&n=n", got.Form, err)
	}
	if got.Method != "PUT" || got.Path != "/form/x%20y%2Fz" || got.Form != "id=1&n=x+y%2Fz" || got.CType != "application/x-www-form-urlencoded" {
		t.Errorf("form: got %+v; want PUT /form/x%%20y%%2Fz with id=1&n=x+y%%2Fz", got)
	}

	// Bad arguments are a 400 and send nothing.
	before := up.hits.Load()
	_, err = restsvc.MustBind[map[string]any, thingOut](svc, "create")(context.Background(), map[string]any{"name": "no id"})
	wantKind(t, err, fault.BadRequest, "INVALID_SERVICE_ARGUMENTS")
	_, err = restsvc.MustBind[map[string]any, thingOut](svc, "create")(context.Background(), map[string]any{"id": "x"})
	wantKind(t, err, fault.BadRequest, "INVALID_SERVICE_ARGUMENTS")
	_, err = restsvc.MustBind[map[string]any, thingOut](svc, "create")(context.Background(), map[string]any{"id": 1, "token": "a\r\nX-Evil: 1"})
	wantKind(t, err, fault.BadRequest, "INVALID_SERVICE_ARGUMENTS")
	hostSvc := newService(t, up.URL, fastPolicy, restsvc.Operation{Template: restsvc.Template{URL: "http://{host}/x"}, Functions: map[string][]string{"f": {"host"}}})
	wantKind(t, hostSvc.Call(context.Background(), "f", map[string]any{"host": "a b"}, nil), fault.BadRequest, "INVALID_SERVICE_ARGUMENTS")
	if n := up.hits.Load(); n != before {
		t.Errorf("upstream hits after bad arguments: got %d; want %d", n, before)
	}

	if _, err := restsvc.Bind[struct {
		Nope string `json:"nope"`
	}, thingOut](svc, "create"); err == nil {
		t.Error("Bind with a field that is no argument: got nil; want an error")
	}
	if _, err := restsvc.Bind[string, thingOut](svc, "create"); err == nil {
		t.Error("Bind of a scalar to a function of 5 arguments: got nil; want an error")
	}
	if _, err := restsvc.Bind[string, thingOut](svc, "nope"); err == nil {
		t.Error("Bind of an unknown function: got nil; want an error")
	}
}

func wantKind(t *testing.T, err error, kind fault.Kind, code string) *fault.Error {
	t.Helper()
	fe, ok := errors.AsType[*fault.Error](err)
	if !ok {
		t.Fatalf("got %v (%T); want a *fault.Error of kind %v", err, err, kind)
	}
	if fe.Kind != kind || fe.Code != code {
		t.Errorf("got kind %v code %s (%v); want %v %s", fe.Kind, fe.Code, err, kind, code)
	}
	return fe
}

func getOp(name string) restsvc.Operation {
	return restsvc.Operation{Template: restsvc.Template{URL: "/thing"}, Functions: map[string][]string{name: nil}}
}

func TestUpstreamFailures(t *testing.T) {
	type result = map[string]any
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		method    string
		kind      fault.Kind
		code      string
		status    int
		wantHits  int32
		malformed bool
	}{
		{"404 is a 502, not retried", func(w http.ResponseWriter, r *http.Request) { http.Error(w, `{"error":"no such thing"}`, 404) }, "GET", fault.BadGateway, "UPSTREAM_ERROR", 404, 1, false},
		{"500 is a 502, not retried", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, "GET", fault.BadGateway, "UPSTREAM_ERROR", 500, 1, false},
		{"503 of a GET is retried", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", 503) }, "GET", fault.BadGateway, "UPSTREAM_ERROR", 503, 3, false},
		{"503 of a POST is not retried", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", 503) }, "POST", fault.BadGateway, "UPSTREAM_ERROR", 503, 1, false},
		{"malformed JSON", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"a":`)) }, "GET", fault.BadGateway, "UPSTREAM_ERROR", 200, 1, true},
		{"too large", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`"` + strings.Repeat("x", 2000) + `"`)) }, "GET", fault.BadGateway, "UPSTREAM_ERROR", 200, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpstream(t, tt.handler)
			s, err := restsvc.New(restsvc.Config{Name: "things", BaseURL: up.URL, Policy: fastPolicy, MaxResponseBytes: 1000,
				Operations: []restsvc.Operation{{Template: restsvc.Template{Method: tt.method, URL: "/thing"}, Functions: map[string][]string{"get": nil}}}})
			if err != nil {
				t.Fatal(err)
			}
			var out result
			err = s.Call(context.Background(), "get", nil, &out)
			fe := wantKind(t, err, tt.kind, tt.code)
			if !strings.HasPrefix(fe.Message, "service things, operation get: ") || strings.Contains(fe.Message, "no such thing") || strings.Contains(fe.Message, "boom") {
				t.Errorf("message: got %q; want it to name service and operation and hold no upstream text", fe.Message)
			}
			se, ok := service.AsError(err)
			if !ok || se.Status != tt.status || se.Malformed != tt.malformed || se.Service != "things" || se.Operation != "get" {
				t.Errorf("service.Error: got %+v; want status %d, malformed %v", se, tt.status, tt.malformed)
			}
			if n := up.hits.Load(); n != tt.wantHits {
				t.Errorf("upstream hits: got %d; want %d", n, tt.wantHits)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	var n atomic.Int32
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			http.Error(w, "busy", 503)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	})
	svc := newService(t, up.URL, fastPolicy, getOp("get"))
	var out struct{ OK bool }
	if err := svc.Call(context.Background(), "get", nil, &out); err != nil || !out.OK {
		t.Errorf("got (%v, %v); want ok after two retries", out, err)
	}
	if h := up.hits.Load(); h != 3 {
		t.Errorf("hits: got %d; want 3", h)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	p := fastPolicy
	p.Timeout, p.Attempts = 50*time.Millisecond, 2
	svc := newService(t, up.URL, p, getOp("slow"))
	start := time.Now()
	err := svc.Call(context.Background(), "slow", nil, nil)
	wantKind(t, err, fault.GatewayTimeout, "UPSTREAM_TIMEOUT")
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v; want about 2×50ms", d)
	}
	if h := up.hits.Load(); h != 2 {
		t.Errorf("hits: got %d; want 2 (a timed-out GET is retried)", h)
	}
	// The caller's own deadline is a 504 too, and caps the retries.
	p.Timeout, p.Attempts = time.Minute, 5
	svc = newService(t, up.URL, p, getOp("slow"))
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Millisecond)
	defer cancel()
	start = time.Now()
	wantKind(t, svc.Call(ctx, "slow", nil, nil), fault.GatewayTimeout, "UPSTREAM_TIMEOUT")
	if d := time.Since(start); d > time.Second {
		t.Errorf("with a ctx deadline: took %v; want about 80ms", d)
	}
	// A caller that gives up gets its own error back, not a 502.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	if err := svc.Call(ctx, "slow", nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: got %v; want context.Canceled", err)
	}
}

func TestUnreachableAndBreaker(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {})
	url := up.URL
	up.Close() // nothing listens there any more
	p := fastPolicy
	p.Attempts, p.BreakerFailures, p.BreakerOpen = 2, 4, 150*time.Millisecond
	svc := newService(t, url, p, getOp("get"))
	for i := range 2 {
		err := svc.Call(context.Background(), "get", nil, nil)
		fe := wantKind(t, err, fault.BadGateway, "UPSTREAM_ERROR")
		if !strings.HasSuffix(fe.Message, "upstream unreachable") || strings.Contains(fe.Message, "127.0.0.1") {
			t.Errorf("call %d: message %q; want \"… upstream unreachable\" without the address", i, fe.Message)
		}
	}
	if !svc.Caller().BreakerOpen() {
		t.Fatal("breaker closed after 4 failed attempts; want open")
	}
	err := svc.Call(context.Background(), "get", nil, nil)
	wantKind(t, err, fault.Unavailable, "CIRCUIT_OPEN")

	// After BreakerOpen, a trial call goes through; success closes it.
	up2 := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) })
	svc2 := newService(t, up2.URL, p, getOp("get"))
	_ = svc2 // a different service has its own breaker
	if err := svc2.Call(context.Background(), "get", nil, nil); err != nil {
		t.Errorf("another service: %v; want nil (breakers are per service)", err)
	}
}

func TestBreakerIgnoresClientErrors(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", 404) })
	p := fastPolicy
	p.BreakerFailures = 2
	svc := newService(t, up.URL, p, getOp("get"))
	for range 5 {
		wantKind(t, svc.Call(context.Background(), "get", nil, nil), fault.BadGateway, "UPSTREAM_ERROR")
	}
	if svc.Caller().BreakerOpen() {
		t.Error("breaker open after upstream 404s; want closed (the service is up)")
	}
}

func TestBreakerRecovers(t *testing.T) {
	var healthy atomic.Bool
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if !healthy.Load() {
			http.Error(w, "down", 502)
			return
		}
		w.Write([]byte(`{}`))
	})
	p := fastPolicy
	p.Attempts, p.BreakerFailures, p.BreakerOpen = 1, 2, 100*time.Millisecond
	svc := newService(t, up.URL, p, getOp("get"))
	for range 2 {
		wantKind(t, svc.Call(context.Background(), "get", nil, nil), fault.BadGateway, "UPSTREAM_ERROR")
	}
	hits := up.hits.Load()
	wantKind(t, svc.Call(context.Background(), "get", nil, nil), fault.Unavailable, "CIRCUIT_OPEN")
	if up.hits.Load() != hits {
		t.Error("an open breaker let a call through")
	}
	healthy.Store(true)
	time.Sleep(150 * time.Millisecond)
	if err := svc.Call(context.Background(), "get", nil, nil); err != nil {
		t.Errorf("trial call after the open period: %v; want nil", err)
	}
	if svc.Caller().BreakerOpen() {
		t.Error("breaker still open after a successful trial")
	}
}

// TestThroughRESTServer checks what a client of an app sees when a
// service fails: LoopBack's error shape, 502 or 504, no upstream text.
func TestThroughRESTServer(t *testing.T) {
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("slow") == "true" {
			time.Sleep(200 * time.Millisecond)
		}
		http.Error(w, "secret upstream detail", 500)
	})
	p := fastPolicy
	p.Timeout = 50 * time.Millisecond
	svc, err := restsvc.New(restsvc.Config{Name: "things", BaseURL: up.URL, Policy: p, Operations: []restsvc.Operation{
		{Template: restsvc.Template{URL: "/thing", Query: map[string]any{"slow": "{slow}"}}, Functions: map[string][]string{"get": {"slow"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	get := restsvc.MustBind[bool, map[string]any](svc, "get")
	srv := rest.New(rest.Config{})
	type in struct {
		Slow bool `query:"slow"`
	}
	rest.Get(srv, "/proxy", func(ctx context.Context, i *in) (*map[string]any, error) {
		out, err := get(ctx, i.Slow)
		return &out, err
	})
	c := resttest.New(t, srv)
	c.Get("/proxy").Expect(502).ExpectJSON(`{"error":{"statusCode":502,"message":"Bad Gateway"}}`)
	c.Get("/proxy?slow=true").Expect(504).ExpectJSON(`{"error":{"statusCode":504,"message":"Gateway Timeout"}}`)
}
