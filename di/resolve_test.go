package di_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/loopback-go/lb/di"
)

// chain returns application -> server -> request contexts.
func chain(t testing.TB) (app, srv, req *di.Container) {
	t.Helper()
	app = di.NewContainer(nil, "application", di.Application)
	srv = di.NewContainer(app, "server", di.Server)
	req = di.NewContainer(srv, "request", di.Request)
	return app, srv, req
}

func TestGetSources(t *testing.T) {
	type cfg struct {
		Rest map[string]any `json:"rest"`
		Name string
	}
	tests := []struct {
		name string
		bind func(app *di.Container)
		key  string
		want any
	}{
		{"constant", func(c *di.Container) { di.Bind(c, di.NewKey[string]("a")).To("A") }, "a", "A"},
		{"provider", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("a")).ToProvider(func(*di.Container) (int, error) { return 7, nil })
		}, "a", 7},
		{"provider using another key", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("b")).To(20)
			di.Bind(c, di.NewKey[int]("a")).ToProvider(func(c *di.Container) (int, error) {
				b, err := di.Get(c, di.NewKey[int]("b"))
				return b + 1, err
			})
		}, "a", 21},
		{"alias", func(c *di.Container) {
			di.Bind(c, di.NewKey[string]("b")).To("B")
			di.Bind(c, di.NewKey[string]("a")).ToAlias(di.NewKey[string]("b"))
		}, "a", "B"},
		{"alias with path", func(c *di.Container) {
			di.Bind(c, di.NewKey[map[string]any]("b")).To(map[string]any{"x": map[string]any{"y": "deep"}})
			di.Bind(c, di.NewKey[any]("a")).ToAlias(di.NewKey[any]("b#x.y"))
		}, "a", "deep"},
		{"deep path into map", func(c *di.Container) {
			di.Bind(c, di.NewKey[map[string]any]("application.config")).To(map[string]any{"rest": map[string]any{"port": 3000}})
		}, "application.config#rest.port", 3000},
		{"deep path into struct by json tag", func(c *di.Container) {
			di.Bind(c, di.NewKey[cfg]("application.config")).To(cfg{Rest: map[string]any{"port": 1}})
		}, "application.config#rest.port", 1},
		{"deep path into struct pointer by field name", func(c *di.Container) {
			di.Bind(c, di.NewKey[*cfg]("application.config")).To(&cfg{Name: "n"})
		}, "application.config#Name", "n"},
		{"deep path into slice", func(c *di.Container) {
			di.Bind(c, di.NewKey[[]string]("list")).To([]string{"x", "y"})
		}, "list#1", "y"},
		{"deep path to missing map key is nil", func(c *di.Container) {
			di.Bind(c, di.NewKey[map[string]any]("m")).To(map[string]any{})
		}, "m#nope.deeper", nil},
		{"constructor by type", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("n")).To(2)
			di.Bind(c, di.NewKey[string]("s")).To("x")
			di.Bind(c, di.NewKey[string]("a2")).ToConstructor(func(n int, s string) string { return strings.Repeat(s, n) })
		}, "a2", "xx"},
		{"constructor by key with error result", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("n1")).To(1)
			di.Bind(c, di.NewKey[int]("n2")).To(2)
			di.Bind(c, di.NewKey[int]("sum")).ToConstructor(func(a, b int) (int, error) { return a + b, nil },
				di.Param("n1"), di.Param("n2"))
		}, "sum", 3},
		{"constructor gets the context", func(c *di.Container) {
			di.Bind(c, di.NewKey[string]("name")).ToConstructor(func(c *di.Container) string { return c.Name() }).InScope(di.Singleton)
		}, "name", "application"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, _, req := chain(t)
			tt.bind(app)
			for _, c := range []*di.Container{app, req} {
				got, err := c.Resolve(tt.key)
				if err != nil {
					t.Fatalf("Resolve(%q) in %s: %v", tt.key, c.Name(), err)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("Resolve(%q) in %s = %v; want %v", tt.key, c.Name(), got, tt.want)
				}
			}
		})
	}
}

func TestTypedGet(t *testing.T) {
	app, _, req := chain(t)
	k := di.NewKey[string]("greeting")
	di.Bind(app, k).To("hello")
	if got := di.MustGet(req, k); got != "hello" {
		t.Errorf("MustGet = %q; want hello", got)
	}
	// A child binding hides the parent's.
	di.Bind(req, k).To("hi")
	if got := di.MustGet(req, k); got != "hi" {
		t.Errorf("MustGet(req) after rebinding in req = %q; want hi", got)
	}
	if got := di.MustGet(app, k); got != "hello" {
		t.Errorf("MustGet(app) = %q; want hello", got)
	}
	// Wrong type.
	_, err := di.Get(app, di.NewKey[int]("greeting"))
	if !errors.Is(err, di.ErrWrongType) {
		t.Errorf("Get[int] of a string: err = %v; want ErrWrongType", err)
	}
	// Interface-typed key over a concrete binding.
	if v, err := di.Get(app, di.NewKey[fmt.Stringer]("greeting")); err == nil {
		t.Errorf("Get[Stringer] of a string = %v; want an error", v)
	}
	// A nil value fits a pointer key.
	di.Bind(app, di.NewKey[any]("nil")).To(nil)
	if v, err := di.Get(app, di.NewKey[*int]("nil")); err != nil || v != nil {
		t.Errorf("Get[*int] of nil = %v, %v; want nil, nil", v, err)
	}
}

func TestMustGetPanics(t *testing.T) {
	app, _, _ := chain(t)
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustGet of an unbound key did not panic")
		}
	}()
	di.MustGet(app, di.NewKey[int]("nope"))
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		bind    func(app, req *di.Container)
		from    string // "app" or "req"
		key     string
		is      error
		message string
	}{
		{"not bound", func(app, req *di.Container) {}, "req", "x", di.ErrNotBound,
			`The key "x" is not bound to any value in context request -> server -> application`},
		{"not bound deep", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToProvider(func(c *di.Container) (int, error) {
				return di.Get(c, di.NewKey[int]("b"))
			})
		}, "app", "a", di.ErrNotBound,
			`The key "b" is not bound to any value in context application (resolution path: a --> b)`},
		{"cycle", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToAlias(di.NewKey[int]("b"))
			di.Bind(app, di.NewKey[int]("b")).ToProvider(func(c *di.Container) (int, error) {
				return di.Get(c, di.NewKey[int]("a"))
			})
		}, "req", "a", di.ErrCycle, `Circular dependency detected: a --> b --> a`},
		{"singleton cycle", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToConstructor(func(b int) int { return b }, di.Param("b")).InScope(di.Singleton)
			di.Bind(app, di.NewKey[int]("b")).ToConstructor(func(a int) int { return a }, di.Param("a")).InScope(di.Singleton)
		}, "app", "a", di.ErrCycle, `Circular dependency detected: a --> b --> a`},
		{"request cycle", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToAlias(di.NewKey[int]("a")).InScope(di.Request)
		}, "req", "a", di.ErrCycle, `Circular dependency detected: a --> a`},
		{"no source", func(app, req *di.Container) { di.Bind(app, di.NewKey[int]("a")) }, "app", "a", di.ErrNoSource, ""},
		{"no request context", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToProvider(func(*di.Container) (int, error) { return 1, nil }).InScope(di.Request)
		}, "app", "a", di.ErrNoScope, ""},
		{"scope context cannot see binding", func(app, req *di.Container) {
			di.Bind(req, di.NewKey[int]("a")).ToProvider(func(*di.Container) (int, error) { return 1, nil }).InScope(di.Server)
		}, "req", "a", di.ErrNoScope, ""},
		{"provider error", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToProvider(func(*di.Container) (int, error) { return 0, errBoom })
		}, "app", "a", errBoom, `resolve "a": boom`},
		{"constructor error", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("a")).ToConstructor(func() (int, error) { return 0, errBoom })
		}, "app", "a", errBoom, `resolve "a": boom`},
		{"ambiguous by type", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("x")).To(1)
			di.Bind(app, di.NewKey[int]("y")).To(2)
			di.Bind(app, di.NewKey[string]("a")).ToConstructor(func(n int) string { return "" })
		}, "app", "a", di.ErrAmbiguous, ""},
		{"by type not bound", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[string]("a")).ToConstructor(func(n int) string { return "" })
		}, "req", "a", di.ErrNotBound, ""},
		{"bad path", func(app, req *di.Container) {
			di.Bind(app, di.NewKey[int]("n")).To(1)
		}, "app", "n#x", di.ErrBadPath, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, _, req := chain(t)
			tt.bind(app, req)
			c := app
			if tt.from == "req" {
				c = req
			}
			_, err := c.Resolve(tt.key)
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v; want errors.Is %v", err, tt.is)
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("message = %q; want %q", err.Error(), tt.message)
			}
		})
	}
}

var errBoom = errors.New("boom")

func TestErrorsAs(t *testing.T) {
	app, _, req := chain(t)
	_, err := di.Get(req, di.NewKey[int]("missing"))
	var nb *di.NotBoundError
	if !errors.As(err, &nb) {
		t.Fatalf("errors.As(%v, *NotBoundError) = false", err)
	}
	if nb.Key != "missing" || strings.Join(nb.Contexts, ",") != "request,server,application" {
		t.Errorf("NotBoundError = %+v; want key missing in request,server,application", nb)
	}
	di.Bind(app, di.NewKey[int]("a")).ToAlias(di.NewKey[int]("a"))
	_, err = di.Get(app, di.NewKey[int]("a"))
	var ce *di.CycleError
	if !errors.As(err, &ce) || strings.Join(ce.Path, ",") != "a,a" {
		t.Errorf("err = %v; want a *CycleError with path a,a", err)
	}
}

func TestScopes(t *testing.T) {
	tests := []struct {
		scope di.Scope
		// builds expected after resolving twice in each of req1, req2
		// (children of srv) and twice in srv2's request.
		builds int64
	}{
		{di.Transient, 6},
		{di.Singleton, 1},
		{di.Application, 1},
		{di.Server, 2},
		{di.Request, 3},
	}
	for _, tt := range tests {
		t.Run(tt.scope.String(), func(t *testing.T) {
			app, srv, req1 := chain(t)
			req2 := di.NewContainer(srv, "request2", di.Request)
			srv2 := di.NewContainer(app, "server2", di.Server)
			req3 := di.NewContainer(srv2, "request3", di.Request)
			var builds atomic.Int64
			k := di.NewKey[int64]("counter")
			di.Bind(app, k).ToProvider(func(*di.Container) (int64, error) { return builds.Add(1), nil }).InScope(tt.scope)
			for _, c := range []*di.Container{req1, req1, req2, req2, req3, req3} {
				if _, err := di.Get(c, k); err != nil {
					t.Fatal(err)
				}
			}
			if got := builds.Load(); got != tt.builds {
				t.Errorf("builds = %d; want %d", got, tt.builds)
			}
		})
	}
}

func TestScopeResolutionContext(t *testing.T) {
	app, srv, req := chain(t)
	where := func(scope di.Scope) string {
		k := di.NewKey[string]("where." + scope.String())
		di.Bind(app, k).ToProvider(func(c *di.Container) (string, error) { return c.Name(), nil }).InScope(scope)
		return di.MustGet(req, k)
	}
	want := map[di.Scope]string{
		di.Transient: "request", di.Singleton: "application", di.Application: "application",
		di.Server: "server", di.Request: "request",
	}
	for s, w := range want {
		if got := where(s); got != w {
			t.Errorf("%s binding resolved in %q; want %q", s, got, w)
		}
	}
	_ = srv
}

func TestRebindDropsCache(t *testing.T) {
	app, _, _ := chain(t)
	k := di.NewKey[int]("n")
	b := di.Bind(app, k).ToProvider(func(*di.Container) (int, error) { return 1, nil }).InScope(di.Singleton)
	if got := di.MustGet(app, k); got != 1 {
		t.Fatalf("got %d; want 1", got)
	}
	b.ToProvider(func(*di.Container) (int, error) { return 2, nil })
	if got := di.MustGet(app, k); got != 2 {
		t.Errorf("after ToProvider got %d; want 2", got)
	}
	if b.Scope() != di.Singleton || b.Source() != di.Provider {
		t.Errorf("scope, source = %s, %s; want singleton, provider", b.Scope(), b.Source())
	}
}

func TestSingletonFailureIsRetried(t *testing.T) {
	app, _, _ := chain(t)
	var calls int
	k := di.NewKey[int]("flaky")
	di.Bind(app, k).ToProvider(func(*di.Container) (int, error) {
		calls++
		if calls == 1 {
			return 0, errBoom
		}
		return calls, nil
	}).InScope(di.Singleton)
	if _, err := di.Get(app, k); !errors.Is(err, errBoom) {
		t.Fatalf("first Get err = %v; want boom", err)
	}
	for range 2 {
		if got := di.MustGet(app, k); got != 2 {
			t.Errorf("got %d; want 2", got)
		}
	}
}

func TestSingletonConcurrent(t *testing.T) {
	for _, scope := range []di.Scope{di.Singleton, di.Application, di.Request} {
		t.Run(scope.String(), func(t *testing.T) {
			app, _, req := chain(t)
			var builds atomic.Int64
			type svc struct{ id int64 }
			k := di.NewKey[*svc]("svc")
			di.Bind(app, k).ToProvider(func(*di.Container) (*svc, error) {
				return &svc{id: builds.Add(1)}, nil
			}).InScope(scope)
			const n = 64
			var wg sync.WaitGroup
			got := make([]*svc, n)
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					got[i] = di.MustGet(req, k)
				})
			}
			close(start)
			wg.Wait()
			if b := builds.Load(); b != 1 {
				t.Errorf("built %d times; want 1", b)
			}
			for i, s := range got {
				if s != got[0] {
					t.Fatalf("goroutine %d got %p; want %p", i, s, got[0])
				}
			}
		})
	}
}

func TestUnbind(t *testing.T) {
	app, _, req := chain(t)
	k := di.NewKey[int]("n")
	di.Bind(app, k).To(1)
	if !req.IsBound("n#x") || !app.Contains("n") || req.Contains("n") {
		t.Fatal("IsBound/Contains disagree with the binding in app")
	}
	if req.Unbind(di.NewKey[any]("n")) {
		t.Error("req.Unbind(n) = true; want false (bound in app)")
	}
	if !app.Unbind(di.NewKey[any]("n")) {
		t.Error("app.Unbind(n) = false; want true")
	}
	if _, err := di.Get(req, k); !errors.Is(err, di.ErrNotBound) {
		t.Errorf("after Unbind err = %v; want ErrNotBound", err)
	}
	if app.Unbind(di.NewKey[any]("n")) {
		t.Error("second Unbind = true; want false")
	}
}

func TestBindPanics(t *testing.T) {
	app, _, _ := chain(t)
	tests := []struct {
		name string
		f    func()
	}{
		{"empty key", func() { di.Bind(app, di.NewKey[int]("")) }},
		{"key with path", func() { di.Bind(app, di.NewKey[int]("a#b")) }},
		{"nil provider", func() { di.Bind(app, di.NewKey[int]("a")).ToProvider(nil) }},
		{"empty alias", func() { di.Bind(app, di.NewKey[int]("a")).ToAlias(di.NewKey[int]("")) }},
		{"constructor not a func", func() { di.Bind(app, di.NewKey[int]("a")).ToConstructor(3) }},
		{"constructor nil", func() { di.Bind(app, di.NewKey[int]("a")).ToConstructor(nil) }},
		{"constructor nil func", func() { di.Bind(app, di.NewKey[int]("a")).ToConstructor((func() int)(nil)) }},
		{"constructor wrong result", func() { di.Bind(app, di.NewKey[int]("a")).ToConstructor(func() string { return "" }) }},
		{"constructor no result", func() { di.Bind(app, di.NewKey[int]("a")).ToConstructor(func() {}) }},
		{"constructor second result not error", func() {
			di.Bind(app, di.NewKey[int]("a")).ToConstructor(func() (int, int) { return 0, 0 })
		}},
		{"constructor variadic", func() { di.Bind(app, di.NewKey[int]("a")).ToConstructor(func(...int) int { return 0 }) }},
		{"constructor param count", func() {
			di.Bind(app, di.NewKey[int]("a")).ToConstructor(func(a, b int) int { return 0 }, di.Param("x"))
		}},
		{"getter param without key", func() {
			di.Bind(app, di.NewKey[int]("a")).ToConstructor(func(g di.Getter[int]) int { return 0 })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("did not panic")
				}
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "di: ") {
					t.Errorf("panic %v; want a message starting with di: ", r)
				}
			}()
			tt.f()
		})
	}
}
