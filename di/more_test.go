package di_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/di"
)

func TestConfig(t *testing.T) {
	type restConfig struct {
		Port int    `json:"port"`
		Host string `json:"host"`
	}
	app, _, req := chain(t)
	di.Configure[restConfig](app, di.NewKey[any]("servers.rest")).To(restConfig{Port: 3000, Host: "localhost"})
	got, err := di.Config[restConfig](req, di.NewKey[any]("servers.rest"))
	if err != nil || got.Port != 3000 {
		t.Errorf("Config = %+v, %v; want port 3000", got, err)
	}
	port, err := di.Config[int](req, di.NewKey[any]("servers.rest#port"))
	if err != nil || port != 3000 {
		t.Errorf("Config#port = %d, %v; want 3000", port, err)
	}
	if !app.Contains("servers.rest:$config") {
		t.Error(`Configure did not bind "servers.rest:$config"`)
	}
	if got := keys(app.FindByTag("configurationFor=servers.rest")); got != "servers.rest:$config" {
		t.Errorf("FindByTag(configurationFor) = %s", got)
	}
	// Missing configuration is the zero value.
	none, err := di.Config[restConfig](req, di.NewKey[any]("servers.other"))
	if err != nil || none != (restConfig{}) {
		t.Errorf("Config of unconfigured key = %+v, %v; want zero, nil", none, err)
	}
	// Wrong type is an error.
	if _, err := di.Config[string](req, di.NewKey[any]("servers.rest")); !errors.Is(err, di.ErrWrongType) {
		t.Errorf("Config[string] err = %v; want ErrWrongType", err)
	}
	if got := di.ConfigKey("a#b"); got != "a:$config#b" {
		t.Errorf("ConfigKey(a#b) = %q", got)
	}
}

func TestGetterSetter(t *testing.T) {
	app, _, req := chain(t)
	user := di.NewKey[string]("security.user")
	get := di.NewGetter(req, user)
	if _, err := get(); !errors.Is(err, di.ErrNotBound) {
		t.Fatalf("getter before set: err = %v; want ErrNotBound", err)
	}
	set := di.NewSetter(req, user)
	set("alice")
	if got, err := get(); err != nil || got != "alice" {
		t.Errorf("getter after set = %q, %v; want alice", got, err)
	}
	if app.IsBound("security.user") {
		t.Error("setter bound in the application context; want the request context only")
	}
	set("bob")
	if got, _ := get(); got != "bob" {
		t.Errorf("getter after second set = %q; want bob", got)
	}
}

func TestLazyConstructorParams(t *testing.T) {
	app, _, req := chain(t)
	type auth struct {
		setUser di.Setter[string]
		user    di.Getter[string]
	}
	ak := di.NewKey[*auth]("auth")
	di.Bind(app, ak).ToConstructor(func(s di.Setter[string], g di.Getter[string]) *auth {
		return &auth{setUser: s, user: g}
	}, di.Param("security.user"), di.Param("security.user")).InScope(di.Request)
	a := di.MustGet(req, ak)
	a.setUser("carol")
	if got := di.MustGet(req, di.NewKey[string]("security.user")); got != "carol" {
		t.Errorf("user after setter = %q; want carol", got)
	}
	if got, _ := a.user(); got != "carol" {
		t.Errorf("getter = %q; want carol", got)
	}
	// A getter breaks a cycle: a needs b, b needs a lazily.
	type A struct{ b any }
	type B struct{ a di.Getter[*A] }
	di.Bind(app, di.NewKey[*A]("a")).ToConstructor(func(b *B) *A { return &A{b: b} }).InScope(di.Singleton)
	di.Bind(app, di.NewKey[*B]("b")).ToConstructor(func(g di.Getter[*A]) *B { return &B{a: g} }, di.Param("a")).InScope(di.Singleton)
	av := di.MustGet(app, di.NewKey[*A]("a"))
	bv := di.MustGet(app, di.NewKey[*B]("b"))
	if got, err := bv.a(); err != nil || got != av {
		t.Errorf("lazy a = %p, %v; want %p", got, err, av)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		bind func(c *di.Container)
		want []error
	}{
		{"ok", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("n")).To(1)
			di.Bind(c, di.NewKey[string]("s")).ToConstructor(func(n int) string { return "" })
			di.Bind(c, di.NewKey[any]("m")).ToAlias(di.NewKey[any]("s"))
		}, nil},
		{"missing key", func(c *di.Container) {
			di.Bind(c, di.NewKey[string]("s")).ToConstructor(func(n int) string { return "" }, di.Param("nope#x"))
		}, []error{di.ErrNotBound}},
		{"missing type", func(c *di.Container) {
			di.Bind(c, di.NewKey[string]("s")).ToConstructor(func(n int) string { return "" })
		}, []error{di.ErrNotBound}},
		{"ambiguous", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("x")).To(1)
			di.Bind(c, di.NewKey[int]("y")).To(1)
			di.Bind(c, di.NewKey[string]("s")).ToConstructor(func(n int) string { return "" })
		}, []error{di.ErrAmbiguous}},
		{"cycle", func(c *di.Container) {
			di.Bind(c, di.NewKey[int]("a")).ToAlias(di.NewKey[int]("b"))
			di.Bind(c, di.NewKey[int]("b")).ToConstructor(func(a int) int { return a }, di.Param("a"))
		}, []error{di.ErrCycle}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := di.NewContainer(nil, "application", di.Application)
			tt.bind(c)
			err := c.Validate()
			if tt.want == nil {
				if err != nil {
					t.Errorf("Validate = %v; want nil", err)
				}
				return
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("Validate = %v; want errors.Is %v", err, w)
				}
			}
		})
	}
	c := di.NewContainer(nil, "application", di.Application)
	di.Bind(c, di.NewKey[int]("a")).ToAlias(di.NewKey[int]("b"))
	di.Bind(c, di.NewKey[int]("b")).ToAlias(di.NewKey[int]("a"))
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "a --> b --> a") {
		t.Errorf("Validate = %v; want the cycle a --> b --> a", err)
	}
}

func TestWithContext(t *testing.T) {
	_, _, req := chain(t)
	ctx := di.WithContainer(context.Background(), req)
	got, ok := di.FromContext(ctx)
	if !ok || got != req {
		t.Errorf("FromContext = %v, %v; want the request context", got, ok)
	}
	if _, ok := di.FromContext(context.Background()); ok {
		t.Error("FromContext(Background) ok = true; want false")
	}
	if req.String() != "request -> server -> application" || req.Parent().Name() != "server" || req.Scope() != di.Request {
		t.Errorf("String, Parent, Scope = %s, %s, %s", req, req.Parent().Name(), req.Scope())
	}
	if req.Parent().Parent().Parent() != nil {
		t.Error("root's Parent is not nil")
	}
}

func TestIntercept(t *testing.T) {
	app, srv, req := chain(t)
	var trace []string
	mk := func(name string) di.Interceptor {
		return func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
			trace = append(trace, name+">")
			r, err := next(ctx)
			trace = append(trace, "<"+name)
			return r, err
		}
	}
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("interceptors.log"), "", mk("log"))
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("interceptors.auth"), "auth", mk("auth"))
	di.AddGlobalInterceptor(srv, di.NewKey[di.Interceptor]("interceptors.cache"), "cache", mk("cache"))
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("interceptors.auth2"), "auth", mk("auth2"))
	run := func(c *di.Container, local ...di.Interceptor) string {
		t.Helper()
		trace = nil
		inv := &di.Invocation{Context: c, Target: "TodoController.find", Args: []any{1}}
		r, err := di.Intercept(context.Background(), inv, local, func(context.Context) (any, error) {
			trace = append(trace, "target")
			return "result", nil
		})
		if err != nil || r != "result" || inv.Result != "result" {
			t.Errorf("Intercept = %v, %v (inv.Result %v); want result", r, err, inv.Result)
		}
		return strings.Join(trace, " ")
	}
	// Unordered groups sort by name: "" < auth < cache.
	if got, want := run(req), "log> auth> auth2> cache> target <cache <auth2 <auth <log"; got != want {
		t.Errorf("trace = %s; want %s", got, want)
	}
	di.Bind(app, di.NewKey[[]string](di.GlobalInterceptorOrder)).To([]string{"cache", "auth"})
	// Unlisted groups ("" here) first, then the listed ones in order.
	if got, want := run(req, mk("local")), "log> cache> auth> auth2> local> target <local <auth2 <auth <cache <log"; got != want {
		t.Errorf("trace with order = %s; want %s", got, want)
	}
	// The application context does not see the server's interceptor.
	if got, want := run(app), "log> auth> auth2> target <auth2 <auth <log"; got != want {
		t.Errorf("trace from app = %s; want %s", got, want)
	}
	app.Unbind(di.NewKey[any]("interceptors.auth"))
	app.Unbind(di.NewKey[any]("interceptors.auth2"))
	if got, want := run(req), "log> cache> target <cache <log"; got != want {
		t.Errorf("trace after unbind = %s; want %s", got, want)
	}
	// A request context with bindings of its own still sees the globals.
	di.Bind(req, di.NewKey[int]("x")).To(1)
	if got, want := run(req), "log> cache> target <cache <log"; got != want {
		t.Errorf("trace with request bindings = %s; want %s", got, want)
	}
}

func TestInterceptShortCircuitAndArgs(t *testing.T) {
	app, _, req := chain(t)
	deny := errors.New("denied")
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("interceptors.guard"), "", func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
		if inv.Args[0] == "bad" {
			return nil, deny
		}
		inv.Args[0] = strings.ToUpper(inv.Args[0].(string))
		return next(ctx)
	})
	called := false
	target := func(inv *di.Invocation) di.Next {
		return func(context.Context) (any, error) { called = true; return inv.Args[0], nil }
	}
	inv := &di.Invocation{Context: req, Args: []any{"bad"}}
	if _, err := di.Intercept(context.Background(), inv, nil, target(inv)); !errors.Is(err, deny) || called {
		t.Errorf("err = %v, called = %v; want denied, false", err, called)
	}
	inv = &di.Invocation{Context: req, Args: []any{"ok"}}
	if r, err := di.Intercept(context.Background(), inv, nil, target(inv)); err != nil || r != "OK" {
		t.Errorf("result = %v, %v; want OK", r, err)
	}
	// No context, no interceptors: the target alone.
	inv = &di.Invocation{}
	if r, err := di.Intercept(context.Background(), inv, nil, func(context.Context) (any, error) { return 1, nil }); r != 1 || err != nil {
		t.Errorf("bare Intercept = %v, %v; want 1", r, err)
	}
	// A global interceptor that fails to resolve fails the invocation.
	di.Bind(app, di.NewKey[di.Interceptor]("interceptors.broken")).Tag(di.TagGlobalInterceptor)
	inv = &di.Invocation{Context: req, Args: []any{"ok"}}
	if _, err := di.Intercept(context.Background(), inv, nil, target(inv)); !errors.Is(err, di.ErrNoSource) {
		t.Errorf("broken interceptor err = %v; want ErrNoSource", err)
	}
}

type greeter interface{ Greet(name string) string }
type english struct{}
type chinese struct{}

func (english) Greet(n string) string { return "Hello, " + n }
func (chinese) Greet(n string) string { return n + "，你好" }

func TestExtensions(t *testing.T) {
	app, _, req := chain(t)
	greeters := di.NewExtensionPoint[greeter]("greeters")
	view := di.ExtensionView(req, greeters)
	di.AddExtension(app, greeters, greeters.Key("en")).To(english{})
	di.Bind(app, di.NewKey[greeter]("not.an.extension")).To(english{})
	greet := func(gs []greeter) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.Greet("Ann"))
		}
		return out
	}
	gs, err := di.Extensions(req, greeters)
	if err != nil || !slices.Equal(greet(gs), []string{"Hello, Ann"}) {
		t.Errorf("Extensions = %v, %v", greet(gs), err)
	}
	// Bound later, in a child context, with a provider: the view sees it.
	di.AddExtension(req, greeters, greeters.Key("zh")).
		ToProvider(func(*di.Container) (greeter, error) { return chinese{}, nil })
	gs, err = view.Values()
	if err != nil || !slices.Equal(greet(gs), []string{"Hello, Ann", "Ann，你好"}) {
		t.Errorf("view Values = %v, %v", greet(gs), err)
	}
	if got := keys(view.Bindings()); got != "extensions.greeters.en,extensions.greeters.zh" {
		t.Errorf("view keys = %s", got)
	}
	if n := len(app.Find(di.ExtensionFilter(greeters))); n != 1 {
		t.Errorf("app sees %d extensions; want 1", n)
	}
}

func TestInterceptRequestBindings(t *testing.T) {
	app, _, req := chain(t)
	var trace []string
	mk := func(name string) di.Interceptor {
		return func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
			trace = append(trace, name)
			return next(ctx)
		}
	}
	run := func(c *di.Container) string {
		t.Helper()
		trace = nil
		inv := &di.Invocation{Context: c}
		if _, err := di.Intercept(context.Background(), inv, nil, func(context.Context) (any, error) { return nil, nil }); err != nil {
			t.Fatal(err)
		}
		return strings.Join(trace, " ")
	}
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("i.a"), "", mk("a"))
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("i.b"), "", mk("b"))
	di.Bind(req, di.NewKey[string]("security.user")).To("alice")
	if got := run(req); got != "a b" {
		t.Errorf("with an unrelated request binding: %q; want a b", got)
	}
	// A request-level interceptor joins the list.
	di.AddGlobalInterceptor(req, di.NewKey[di.Interceptor]("i.r"), "", mk("r"))
	if got := run(req); got != "a b r" {
		t.Errorf("with a request interceptor: %q; want a b r", got)
	}
	// A request binding that hides an application interceptor removes it.
	di.Bind(req, di.NewKey[int]("i.a")).To(1)
	if got := run(req); got != "b r" {
		t.Errorf("with i.a hidden: %q; want b r", got)
	}
	// A large request context caches its list and still sees changes.
	big := di.NewContainer(app, "big", di.Request)
	for i := range 20 {
		di.Bind(big, di.NewKey[int](fmt.Sprint("x", i))).To(i)
	}
	if got := run(big); got != "a b" {
		t.Errorf("big context: %q; want a b", got)
	}
	app.Unbind(di.NewKey[any]("i.b"))
	if got := run(big); got != "a" {
		t.Errorf("big context after unbind: %q; want a", got)
	}
}

func TestExtensionOfSeveralPoints(t *testing.T) {
	app, _, _ := chain(t)
	point := di.NewExtensionPoint[string]
	b := di.AddExtension(app, point("greeters"), di.NewKey[string]("ext.both")).To("both")
	di.ExtendPoint(b, point("farewells"))
	di.ExtendPoint(b, point("farewells")) // idempotent
	di.AddExtension(app, point("farewells"), di.NewKey[string]("ext.bye")).To("bye")
	di.Bind(app, di.NewKey[string]("ext.none")).To("none").Tag("extensionFor=greetersX")
	if v, _ := b.TagValue(di.TagExtensionFor); v != "greeters,farewells" {
		t.Errorf("extensionFor = %q; want greeters,farewells", v)
	}
	for point, want := range map[string]string{"greeters": "both", "farewells": "both,bye", "greetersX": "none", "gree": ""} {
		got, err := di.Extensions(app, di.NewExtensionPoint[string](point))
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("Extensions(%s) = %v, %v; want %s", point, got, err, want)
		}
	}
}
