package rest_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

func get(t *testing.T, client *http.Client, url string) (int, http.Header, string) {
	t.Helper()
	res, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

type pingOut struct {
	Pong string `json:"pong"`
}

func ping(context.Context, *struct{}) (*pingOut, error) { return &pingOut{Pong: "ok"}, nil }

func TestRegistrationErrors(t *testing.T) {
	tests := []struct {
		name string
		reg  func(s *rest.Server)
		want string
	}{
		{"express style", func(s *rest.Server) { rest.Get(s, "/todos/:id", ping) }, `uses the Express style; write {id}`},
		{"duplicate template", func(s *rest.Server) {
			rest.Get(s, "/todos/{id}", func(context.Context, *byID) (*Todo, error) { return nil, nil })
			rest.Get(s, "/todos/{other}", func(context.Context, *struct {
				O int64 `path:"other"`
			}) (*Todo, error) {
				return nil, nil
			})
		}, `GET /todos/{other} conflicts with GET /todos/{id}`},
		{"path param without field", func(s *rest.Server) { rest.Get(s, "/x/{id}", ping) }, "no `path:\"id\"` field"},
		{"unclosed brace", func(s *rest.Server) { rest.Get(s, "/x/{id", ping) }, `unclosed '{'`},
		{"no leading slash", func(s *rest.Server) { rest.Get(s, "x", ping) }, `must start with '/'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tc.want) {
					t.Errorf("panic: got %v; want it to contain %q", r, tc.want)
				}
			}()
			tc.reg(rest.New(rest.Config{}))
		})
	}
}

func TestStrictSlash(t *testing.T) {
	s := rest.New(rest.Config{StrictSlash: true})
	rest.Get(s, "/ping", ping)
	srv := httptest.NewServer(s)
	defer srv.Close()
	if st, _, _ := get(t, srv.Client(), srv.URL+"/ping"); st != 200 {
		t.Errorf("/ping: got %d; want 200", st)
	}
	if st, _, _ := get(t, srv.Client(), srv.URL+"/ping/"); st != 404 {
		t.Errorf("/ping/: got %d; want 404", st)
	}
}

func TestBasePathMountStaticRedirect(t *testing.T) {
	s := rest.New(rest.Config{BasePath: "/api"})
	rest.Get(s, "/ping", ping)
	s.Mount("/legacy", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "legacy:"+r.URL.Path)
	}))
	s.Static("/", fstest.MapFS{
		"index.html":     {Data: []byte("<h1>home</h1>")},
		"css/site.css":   {Data: []byte("body{}")},
		"ping/index.htm": {Data: []byte("shadowed")},
	})
	s.Redirect("/old", "/ping", 0)
	srv := httptest.NewServer(s)
	defer srv.Close()
	noRedirect := *srv.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/api/ping", 200, `{"pong":"ok"}`},
		{"/ping", 404, `{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /ping\" not found."}}`},
		{"/api/legacy/x", 200, "legacy:/legacy/x"},
		{"/api/css/site.css", 200, "body{}"},
		{"/api/", 200, "<h1>home</h1>"},
		{"/api/css/missing.css", 404, `{"error":{"statusCode":404,"name":"NotFoundError","message":"Endpoint \"GET /api/css/missing.css\" not found."}}`},
		{"/api/openapi.json", 200, ""},
		{"/openapi.json", 404, ""},
	}
	for _, tc := range tests {
		st, _, body := get(t, &noRedirect, srv.URL+tc.path)
		if st != tc.status || tc.body != "" && body != tc.body {
			t.Errorf("GET %s: got %d %s; want %d %s", tc.path, st, body, tc.status, tc.body)
		}
	}
	if _, h, _ := get(t, &noRedirect, srv.URL+"/outside"); h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("404 outside BasePath: got no CORS headers")
	}
	st, h, _ := get(t, &noRedirect, srv.URL+"/api/old")
	if st != http.StatusSeeOther || h.Get("Location") != "/api/ping" {
		t.Errorf("redirect: got %d %q; want 303 /api/ping", st, h.Get("Location"))
	}
	_, _, spec := get(t, srv.Client(), srv.URL+"/api/openapi.json")
	if !strings.Contains(spec, `"url": "/api"`) || strings.Contains(spec, "/old") {
		t.Errorf("spec: got %s; want servers /api and no redirect route", spec)
	}
}

func TestRootMountIsTheFallback(t *testing.T) {
	s := rest.New(rest.Config{})
	rest.Get(s, "/ping", ping)
	s.Mount("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app:"+r.URL.Path) }))
	srv := httptest.NewServer(s)
	defer srv.Close()
	for path, want := range map[string]string{"/ping": `{"pong":"ok"}`, "/other": "app:/other"} {
		if _, _, body := get(t, srv.Client(), srv.URL+path); body != want {
			t.Errorf("GET %s: got %s; want %s", path, body, want)
		}
	}
}

func TestMiddlewareGroups(t *testing.T) {
	s := rest.New(rest.Config{})
	var order []string
	mark := func(name string) rest.Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				info, ok := rest.RouteOf(r)
				order = append(order, name+":"+info.OperationID+":"+map[bool]string{true: "routed", false: "unrouted"}[ok])
				next.ServeHTTP(w, r)
			})
		}
	}
	s.UseIn(rest.GroupAuthentication, mark("auth"))
	s.Use(mark("mw"))
	s.UseIn(rest.GroupCORS, mark("cors"))
	s.UseIn(rest.GroupAuthentication, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				s.WriteError(w, r, errUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	rest.Get(s, "/ping", ping)
	srv := httptest.NewServer(s)
	defer srv.Close()
	st, _, body := get(t, srv.Client(), srv.URL+"/ping")
	want := `{"error":{"statusCode":401,"name":"UnauthorizedError","message":"Authorization header not found."}}`
	if st != 401 || body != want {
		t.Errorf("got %d %s; want 401 %s", st, body, want)
	}
	if got := strings.Join(order, ","); got != "cors::unrouted,mw::unrouted,auth:getPing:routed" {
		t.Errorf("order: got %s", got)
	}
	order = nil
	get(t, srv.Client(), srv.URL+"/nope")
	if got := strings.Join(order, ","); got != "cors::unrouted,mw::unrouted" {
		t.Errorf("order on 404: got %s", got)
	}
}

var errUnauthorized = faultUnauthorized()

type ctxIn struct {
	Name string `query:"name"`
}

func TestInterceptorsAndRequestContext(t *testing.T) {
	root := di.NewContainer(nil, "app", di.Application)
	greeting := di.NewKey[string]("greeting")
	di.Bind(root, greeting).To("hello")
	var calls []string
	di.AddGlobalInterceptor(root, di.NewKey[di.Interceptor]("interceptors.log"), "log", func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
		calls = append(calls, "global:"+inv.Target)
		return next(ctx)
	})
	s := rest.New(rest.Config{Parent: root})
	rest.Get(s, "/hello", func(ctx context.Context, in *ctxIn) (*string, error) {
		c, ok := di.FromContext(ctx)
		if !ok || c.Scope() != di.Request {
			return nil, errors.New("no request context")
		}
		g, err := di.Get(c, greeting)
		if err != nil {
			return nil, err
		}
		out := g + " " + in.Name
		return &out, nil
	}, rest.OperationID("hello"), rest.WithInterceptors(func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
		calls = append(calls, "local")
		res, err := next(ctx)
		if s, ok := res.(*string); ok {
			up := strings.ToUpper(*s)
			return &up, err
		}
		return res, err
	}))
	srv := httptest.NewServer(s)
	defer srv.Close()
	st, _, body := get(t, srv.Client(), srv.URL+"/hello?name=bob")
	if st != 200 || body != "HELLO BOB" {
		t.Errorf("got %d %q; want 200 HELLO BOB", st, body)
	}
	if got := strings.Join(calls, ","); got != "global:hello,local" {
		t.Errorf("calls: got %s; want global:hello,local", got)
	}
}

func TestSpecEndpoints(t *testing.T) {
	s := rest.New(rest.Config{OpenAPI: rest.SpecConfig{ServersFromRequest: true, Title: "todo"}})
	rest.Get(s, "/ping", ping)
	rest.Get(s, "/secret", ping, rest.Hidden())
	s.EnhanceSpec(func(doc *openapi.Document) { doc.Info.Description = "enhanced" })
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/openapi.json", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "api.example.com")
	req.Header.Set("X-Forwarded-Port", "8443")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("content type: got %q", ct)
	}
	for _, want := range []string{`"openapi": "3.1.0"`, `"url": "https://api.example.com:8443"`, `"description": "enhanced"`, `"operationId": "getPing"`, `"title": "todo"`, "\n  \"info\""} {
		if !strings.Contains(body, want) {
			t.Errorf("openapi.json: want %s in\n%s", want, body)
		}
	}
	if strings.Contains(body, "/secret") {
		t.Errorf("hidden operation in the document")
	}
	st, h, y := get(t, srv.Client(), srv.URL+"/openapi.yaml")
	if st != 200 || h.Get("Content-Type") != "text/yaml; charset=utf-8" || !strings.Contains(y, "openapi: 3.1.0") {
		t.Errorf("openapi.yaml: got %d %q %s", st, h.Get("Content-Type"), y)
	}
	st, _, v30 := get(t, srv.Client(), srv.URL+"/openapi.json?openapi=3.0")
	if st != 200 || !strings.Contains(v30, `"openapi": "3.0.3"`) {
		t.Errorf("3.0 rendering: got %d %s", st, v30)
	}

	off := rest.New(rest.Config{OpenAPI: rest.SpecConfig{Disabled: true}})
	srv2 := httptest.NewServer(off)
	defer srv2.Close()
	if st, _, _ := get(t, srv2.Client(), srv2.URL+"/openapi.json"); st != 404 {
		t.Errorf("disabled spec: got %d; want 404", st)
	}
}

const todoSpec = `
openapi: 3.0.3
info: {title: spec-first, version: 0.1.0}
paths:
  /todos/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getTodo
      responses: {'200': {description: ok}}
    patch:
      operationId: patchTodo
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/TodoPatch'}
      responses: {'204': {description: ok}}
components:
  schemas:
    TodoPatch:
      type: object
      additionalProperties: false
      properties:
        title: {type: string, minLength: 1}
        desc: {type: string, nullable: true}
`

func TestSpecFirst(t *testing.T) {
	doc, err := openapi.Load([]byte(todoSpec))
	if err != nil {
		t.Fatal(err)
	}
	s := rest.New(rest.Config{})
	err = s.API(doc, map[string]rest.HandlerFunc{
		"getTodo": func(_ context.Context, req *rest.Request) (any, error) {
			return map[string]any{"id": req.Params["id"]}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := rest.New(rest.Config{}).API(doc, map[string]rest.HandlerFunc{"nope": nil}); err == nil {
		t.Errorf("unknown operationId: got no error")
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	runContract(t, srv, []contractCase{
		{name: "bound", path: "/todos/3", status: 200, want: `{"id":3}`},
		{name: "coerced from the document", path: "/todos/x", status: 400,
			want: `{"error":{"statusCode":400,"name":"BadRequestError","message":"Invalid data \"x\" for parameter \"id\".","code":"INVALID_PARAMETER_VALUE"}}`},
		{name: "validated before 501", method: "PATCH", path: "/todos/3", body: `{"title":""}`, status: 422, contain: true,
			want: `"details":[{"path":"/title","code":"minLength","message":"must NOT have fewer than 1 characters","info":{"limit":1}}]`},
		{name: "nullable from 3.0", method: "PATCH", path: "/todos/3", body: `{"desc":null}`, status: 501,
			want: `{"error":{"statusCode":501,"name":"NotImplementedError","message":"Operation \"patchTodo\" is not implemented.","code":"NOT_IMPLEMENTED"}}`},
	})
}

func TestLifecycle(t *testing.T) {
	s := rest.New(rest.Config{Host: "127.0.0.1", Logger: discard()})
	started := make(chan struct{})
	release := make(chan struct{})
	rest.Get(s, "/slow", func(context.Context, *struct{}) (*pingOut, error) {
		close(started)
		<-release
		return &pingOut{Pong: "late"}, nil
	})
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err == nil {
		t.Errorf("second Start: got no error")
	}
	url := s.URL()
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("URL: got %q", url)
	}
	done := make(chan string)
	go func() {
		_, _, body := get(t, http.DefaultClient, url+"/slow")
		done <- body
	}()
	<-started
	stopped := make(chan error)
	go func() { stopped <- s.Stop(ctx) }()
	time.Sleep(20 * time.Millisecond) // let Shutdown close the listener
	close(release)
	if body := <-done; body != `{"pong":"late"}` {
		t.Errorf("in-flight request: got %q", body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Stop: %v", err)
	}
	if s.URL() != "" {
		t.Errorf("URL after Stop: got %q; want empty", s.URL())
	}
}

func TestGracePeriodExpires(t *testing.T) {
	s := rest.New(rest.Config{Host: "127.0.0.1", Logger: discard()})
	var hung atomic.Bool
	started := make(chan struct{})
	rest.Get(s, "/hang", func(ctx context.Context, _ *struct{}) (*pingOut, error) {
		hung.Store(true)
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	go http.Get(s.URL() + "/hang") //nolint:errcheck
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Stop: got %v; want deadline exceeded", err)
	}
}

func TestUnixSocketAndTLS(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "api.sock")
	s := rest.New(rest.Config{Socket: sock, Logger: discard()})
	rest.Get(s, "/ping", ping)
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background()) //nolint:errcheck
	if s.URL() != "unix:"+sock {
		t.Errorf("URL: got %q", s.URL())
	}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	if st, _, body := get(t, client, "http://unix/ping"); st != 200 || body != `{"pong":"ok"}` {
		t.Errorf("over unix socket: got %d %s", st, body)
	}

	ts := httptest.NewTLSServer(http.NotFoundHandler())
	cert := ts.TLS.Certificates
	ts.Close()
	s2 := rest.New(rest.Config{Host: "127.0.0.1", TLS: &tls.Config{Certificates: cert}, Logger: discard()})
	rest.Get(s2, "/ping", ping)
	if err := s2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s2.Stop(context.Background()) //nolint:errcheck
	if !strings.HasPrefix(s2.URL(), "https://") {
		t.Errorf("TLS URL: got %q", s2.URL())
	}
	tlsClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if st, _, body := get(t, tlsClient, s2.URL()+"/ping"); st != 200 || body != `{"pong":"ok"}` {
		t.Errorf("over TLS: got %d %s", st, body)
	}
}

func TestFailedRegistrationLeavesNothing(t *testing.T) {
	s := rest.New(rest.Config{})
	func() {
		defer func() { recover() }() //nolint:errcheck // the panic is the point
		s.Route("GET", "/things/{id}", &openapi.Operation{OperationID: "bad", Parameters: []*openapi.Parameter{
			{Name: "other", In: "path", Required: true, Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
		}}, func(context.Context, *rest.Request) (any, error) { return "x", nil })
		t.Errorf("Route with a path parameter missing from the template: got no panic")
	}()
	srv := httptest.NewServer(s)
	defer srv.Close()
	if st, _, _ := get(t, srv.Client(), srv.URL+"/things/1"); st != 404 {
		t.Errorf("GET after a failed registration: got %d; want 404", st)
	}
	if s.Document().Paths["/things/{id}"] != nil || len(s.Routes()) != 0 {
		t.Errorf("failed operation is in the document or the routes: %v", s.Routes())
	}
	rest.Get(s, "/ping", ping)
	if got := s.Routes(); len(got) != 1 || got[0].Method != "GET" || got[0].Path != "/ping" || got[0].OperationID != "getPing" {
		t.Errorf("Routes: got %+v", got)
	}
}
