package di_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loopback-go/lb/di"
)

func TestProperty(t *testing.T) {
	type inner struct {
		Port    int `json:"port,omitempty"`
		private int
		Host    string
	}
	type outer struct {
		Inner  *inner
		Nil    *inner
		Any    any
		Counts map[string]int
		ByInt  map[int]string
		List   []int
		Arr    [2]string
	}
	v := outer{
		Inner: &inner{Port: 80, private: 1, Host: "h"}, Any: map[string]any{"k": "v"},
		Counts: map[string]int{"a": 1}, ByInt: map[int]string{1: "x"}, List: []int{5}, Arr: [2]string{"p", "q"},
	}
	tests := []struct {
		path string
		want any
		err  error
	}{
		{"Inner.port", 80, nil},
		{"inner.host", "h", nil}, // case-insensitive field name
		{"Inner.private", nil, di.ErrBadPath},
		{"Inner.Nope", nil, di.ErrBadPath},
		{"Nil.port", nil, nil},
		{"Any.k", "v", nil},
		{"Counts.a", 1, nil},
		{"Counts.b", nil, nil},
		{"ByInt.1", nil, di.ErrBadPath},
		{"List.0", 5, nil},
		{"List.3", nil, nil},
		{"List.-1", nil, di.ErrBadPath},
		{"List.x", nil, di.ErrBadPath},
		{"Arr.1", "q", nil},
		{"Inner.port.deeper", nil, di.ErrBadPath},
	}
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[outer]("v")).To(v)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := app.Resolve("v#" + tt.path)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v; want %v", err, tt.err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestKeyAndStrings(t *testing.T) {
	k := di.NewKey[int]("application.config#rest.port")
	if k.Name() != "application.config#rest.port" || k.String() != k.Name() || k.Binding() != "application.config" || k.Path() != "rest.port" {
		t.Errorf("key parts = %q %q %q", k.Name(), k.Binding(), k.Path())
	}
	app, _, req := chain(t)
	b := di.Bind(app, di.NewKey[int]("n")).ToProvider(func(*di.Container) (int, error) { return 1, nil }).InScope(di.Request)
	if got, want := b.String(), `"n" (provider, request) in application`; got != want {
		t.Errorf("Binding.String = %s; want %s", got, want)
	}
	for _, tt := range []struct{ got, want string }{
		{di.Scope(9).String(), "Scope(9)"},
		{di.Source(9).String(), "Source(9)"},
		{di.Alias.String(), "alias"},
		{di.EventType(9).String(), "unknown"},
	} {
		if tt.got != tt.want {
			t.Errorf("String = %q; want %q", tt.got, tt.want)
		}
	}
	if e, ok := req.Binding("n"); !ok || e.Key() != "n" {
		t.Errorf("Binding(n) = %v, %v", e, ok)
	}
	if _, ok := req.Binding("nope"); ok {
		t.Error("Binding(nope) ok = true")
	}
	var seen *di.Container
	di.Bind(app, di.NewKey[int]("m")).ToProvider(func(c *di.Container) (int, error) { seen = c; return 0, nil })
	di.MustGet(req, di.NewKey[int]("m"))
	if !seen.Same(req) || seen.Same(app) || seen.Same(nil) {
		t.Error("Same: the provider's context is not the request context")
	}
}

func TestManyRequestScoped(t *testing.T) {
	app, _, req := chain(t)
	const n = 5 // more than the inline cache slots
	builds := 0
	for i := range n {
		di.Bind(app, di.NewKey[int](fmt.Sprint("r", i))).ToProvider(func(*di.Container) (int, error) {
			builds++
			return i * 10, nil
		}).InScope(di.Request)
	}
	for range 2 {
		for i := range n {
			if got := di.MustGet(req, di.NewKey[int](fmt.Sprint("r", i))); got != i*10 {
				t.Errorf("r%d = %d; want %d", i, got, i*10)
			}
		}
	}
	if builds != n {
		t.Errorf("builds = %d; want %d", builds, n)
	}
}

func TestScopedRetryAfterError(t *testing.T) {
	app, _, req := chain(t)
	calls := 0
	var ctxs []*di.Container
	k := di.NewKey[int]("flaky")
	di.Bind(app, k).ToProvider(func(c *di.Container) (int, error) {
		calls++
		ctxs = append(ctxs, c)
		if calls == 1 {
			return 0, errBoom
		}
		return calls, nil
	}).InScope(di.Request)
	if _, err := di.Get(req, k); !errors.Is(err, errBoom) {
		t.Fatalf("err = %v; want boom", err)
	}
	if got := di.MustGet(req, k); got != 2 {
		t.Errorf("retry = %d; want 2", got)
	}
	if got := di.MustGet(req, k); got != 2 {
		t.Errorf("cached = %d; want 2", got)
	}
	if ctxs[0] == ctxs[1] {
		t.Error("the retry reused the first attempt's context")
	}
}

func TestByTypeParam(t *testing.T) {
	app, _, req := chain(t)
	di.Bind(app, di.NewKey[int]("n")).To(3)
	di.Bind(req, di.NewKey[int]("m")).To(4) // nearer wins
	di.Bind(app, di.NewKey[string]("s")).ToConstructor(func(n int, c *di.Container) string {
		return strings.Repeat("x", n) + c.Name()
	}, di.ByType(), di.ByType())
	if got := di.MustGet(req, di.NewKey[string]("s")); got != "xxxxrequest" {
		t.Errorf("got %q; want xxxxrequest", got)
	}
	// A parameter bound under a key of the wrong type.
	di.Bind(app, di.NewKey[string]("t")).ToConstructor(func(n int) string { return "" }, di.Param("s"))
	if _, err := di.Get(req, di.NewKey[string]("t")); !errors.Is(err, di.ErrWrongType) {
		t.Errorf("err = %v; want ErrWrongType", err)
	}
	// A nil by-key parameter is the zero value.
	di.Bind(app, di.NewKey[any]("nil")).To(nil)
	di.Bind(app, di.NewKey[bool]("isnil")).ToConstructor(func(p *int) bool { return p == nil }, di.Param("nil"))
	if !di.MustGet(req, di.NewKey[bool]("isnil")) {
		t.Error("nil parameter is not nil")
	}
	// A constructor returning an interface holding nil.
	di.Bind(app, di.NewKey[error]("noerr")).ToConstructor(func() error { return nil })
	if v, err := di.Get(req, di.NewKey[error]("noerr")); v != nil || err != nil {
		t.Errorf("nil interface result = %v, %v", v, err)
	}
}

func TestResolveErrorPath(t *testing.T) {
	app, _, _ := chain(t)
	di.Bind(app, di.NewKey[int]("a")).ToProvider(func(c *di.Container) (int, error) { return di.Get(c, di.NewKey[int]("b")) })
	di.Bind(app, di.NewKey[int]("b")).ToProvider(func(*di.Container) (int, error) { return 0, errBoom })
	_, err := app.Resolve("a")
	var re *di.ResolveError
	if !errors.As(err, &re) || re.Key != "b" || !errors.Is(err, errBoom) {
		t.Fatalf("err = %v; want a ResolveError for b wrapping boom", err)
	}
	if got, want := err.Error(), `resolve "b" (resolution path: a --> b): boom`; got != want {
		t.Errorf("message = %q; want %q", got, want)
	}
}

func TestScopedRebind(t *testing.T) {
	app, srv, req := chain(t)
	k := di.NewKey[string]("s")
	b := di.Bind(app, k).ToProvider(func(*di.Container) (string, error) { return "one", nil }).InScope(di.Server)
	if got := di.MustGet(req, k); got != "one" {
		t.Fatalf("got %q; want one", got)
	}
	for i, want := range []string{"two", "three"} {
		b.ToProvider(func(*di.Container) (string, error) { return want, nil })
		for _, c := range []*di.Container{req, srv, req} {
			if got := di.MustGet(c, k); got != want {
				t.Errorf("rebind %d: got %q; want %q", i, got, want)
			}
		}
	}
	b.To("constant")
	if got := di.MustGet(req, k); got != "constant" {
		t.Errorf("after To: got %q", got)
	}
}

func TestOptionalParam(t *testing.T) {
	type mailerConfig struct{ Host string }
	app, _, req := chain(t)
	k := di.NewKey[string]("mailer")
	di.Bind(app, k).ToConstructor(func(cfg mailerConfig, n *int, s string) string {
		p := 0
		if n != nil {
			p = *n
		}
		return fmt.Sprintf("%q %d %q", cfg.Host, p, s)
	}, di.Param(di.ConfigKey("mailer")).Optional(), di.ByType().Optional(), di.Param("greeting#x").Optional())
	if err := app.Validate(); err != nil {
		t.Errorf("Validate with optional params = %v", err)
	}
	if got, want := di.MustGet(req, k), `"" 0 ""`; got != want {
		t.Errorf("unconfigured = %s; want %s", got, want)
	}
	n := 7
	di.Configure[mailerConfig](app, di.NewKey[any]("mailer")).To(mailerConfig{Host: "smtp"})
	di.Bind(app, di.NewKey[*int]("n")).To(&n)
	di.Bind(app, di.NewKey[map[string]any]("greeting")).To(map[string]any{"x": "hi"})
	if got, want := di.MustGet(req, k), `"smtp" 7 "hi"`; got != want {
		t.Errorf("configured = %s; want %s", got, want)
	}
}

func TestNilInterfaceValues(t *testing.T) {
	for _, scope := range []di.Scope{di.Transient, di.Singleton, di.Application, di.Server, di.Request} {
		t.Run(scope.String(), func(t *testing.T) {
			_, _, req := chain(t)
			k := di.NewKey[error]("maybe")
			di.Bind(req.Parent().Parent(), k).ToProvider(func(*di.Container) (error, error) { return nil, nil }).InScope(scope)
			for range 2 {
				if v, err := di.Get(req, k); v != nil || err != nil {
					t.Errorf("Get = %v, %v; want nil, nil", v, err)
				}
			}
			if vs, err := di.NewView[error](req, di.ByKey("maybe")).Values(); err != nil || len(vs) != 1 || vs[0] != nil {
				t.Errorf("view = %v, %v; want [nil]", vs, err)
			}
		})
	}
}

func TestInspectJSON(t *testing.T) {
	app, _, req := chain(t)
	di.Bind(app, di.NewKey[int]("a")).To(1).Tag("x=y")
	got, err := json.Marshal(req.Inspect(false))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"request","scope":"request","bindings":[]}`; string(got) != want {
		t.Errorf("request = %s; want %s", got, want)
	}
	got, _ = json.Marshal(app.Inspect(true))
	if want := `{"name":"application","scope":"application","bindings":[{"key":"a","type":"int","source":"constant","scope":"transient","tags":{"x":"y"}}]}`; string(got) != want {
		t.Errorf("application = %s; want %s", got, want)
	}
}

// lazyCtx answers the di key itself, creating the container on first use.
type lazyCtx struct {
	context.Context
	parent  *di.Container
	created *di.Container
}

func (l *lazyCtx) Value(key any) any {
	if key == di.ContextKey() {
		if l.created == nil {
			l.created = di.NewContainer(l.parent, "request", di.Request)
		}
		return l.created
	}
	return l.Context.Value(key)
}

func TestContextKey(t *testing.T) {
	app, _, _ := chain(t)
	l := &lazyCtx{Context: context.Background(), parent: app}
	c, ok := di.FromContext(l)
	if !ok || c == nil || c.Name() != "request" || c.Parent() != app {
		t.Fatalf("FromContext(lazy) = %v, %v; want a request context under app", c, ok)
	}
	if again, _ := di.FromContext(l); again != c {
		t.Error("second FromContext made another context")
	}
	if got, _ := di.FromContext(di.WithContainer(context.Background(), app)); got != app {
		t.Error("WithContext/FromContext lost the context")
	}
}

func TestNewBindingAdd(t *testing.T) {
	app, _, req := chain(t)
	var seen []string
	app.Observe(di.ByTag("security"), func(ev di.Event) {
		v, err := ev.Context.ResolveEntry(ev.Binding)
		seen = append(seen, fmt.Sprint(ev.Type, " ", v, " ", err))
	})
	b := di.NewBinding(di.NewKey[string]("user")).To("alice").Tag("security")
	if b.Owner() != nil || b.String() != `"user" (constant, transient) in no context` {
		t.Errorf("before Add: owner %v, %s", b.Owner(), b)
	}
	if _, err := req.ResolveEntry(b); err == nil {
		t.Error("ResolveEntry of an unattached binding: want an error")
	}
	app.Add(b)
	if got, want := strings.Join(seen, ";"), "bind alice <nil>"; got != want {
		t.Errorf("events = %s; want %s (one Bound, already configured)", got, want)
	}
	if b.Owner() != app || di.MustGet(req, di.NewKey[string]("user")) != "alice" {
		t.Error("Add did not bind in app")
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("adding a binding to a second context did not panic")
		}
	}()
	req.Add(b)
}

func TestChangedAfterUnbindIsSilent(t *testing.T) {
	app, _, _ := chain(t)
	events := 0
	app.Observe(nil, func(di.Event) { events++ })
	b := di.Bind(app, di.NewKey[int]("x")).To(1) // bind, change
	app.Unbind(di.NewKey[any]("x"))              // unbind
	b.To(2).Tag("late")                          // nothing: no longer bound
	if events != 3 {
		t.Errorf("events = %d; want 3", events)
	}
}
