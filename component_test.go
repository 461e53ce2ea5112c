package lb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/di"
)

// fullComponent implements every optional component interface.
type fullComponent struct {
	name        string
	rec         *recorder
	subs        []lb.Component
	bindErr     error
	provisioned *lb.App
	servers     map[string]lb.Server
}

func (c *fullComponent) Name() string               { return c.name }
func (c *fullComponent) Components() []lb.Component { return c.subs }
func (c *fullComponent) Servers() map[string]lb.Server {
	return c.servers
}

func (c *fullComponent) Bind(ctx *di.Container) error {
	if c.bindErr != nil {
		return c.bindErr
	}
	c.rec.add("bind:" + c.name)
	di.Bind(ctx, di.NewKey[string]("components."+c.name+".greeting")).To("hello from " + c.name)
	return nil
}

func (c *fullComponent) Observers() []lb.Observer {
	return []lb.Observer{c.rec.observer(c.name+"-obs", "")}
}

func (c *fullComponent) Provision(app *lb.App) error {
	c.rec.add("provision:" + c.name)
	c.provisioned = app
	return nil
}

// nameOnly is the smallest component: it contributes nothing.
type nameOnly string

func (n nameOnly) Name() string { return string(n) }

func TestMount(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	app := lb.New(lb.Config{})
	dep := &fullComponent{name: "dep", rec: r}
	c := &fullComponent{
		name:    "main",
		rec:     r,
		subs:    []lb.Component{dep, nameOnly("leaf")},
		servers: map[string]lb.Server{"zeta": &server{name: "zeta", rec: r}, "alpha": &server{name: "alpha", rec: r}},
	}
	if err := app.Mount(c); err != nil {
		t.Fatalf("Mount: %v", err)
	}
	mustEqual(t, "mount steps", r.take(""), []string{"bind:dep", "provision:dep", "bind:main", "provision:main"})
	mustEqual(t, "components", app.Components(), []string{"main", "dep", "leaf"})
	mustEqual(t, "servers", app.Servers(), []string{"alpha", "zeta"})
	if c.provisioned != app {
		t.Error("Provision did not receive the app")
	}

	for _, name := range []string{"main", "dep", "leaf"} {
		got, err := di.Get(app.Container(), lb.ComponentKey(name))
		if err != nil || got.Name() != name {
			t.Errorf("ComponentKey(%q): got %v, %v; want the component", name, got, err)
		}
	}
	if got, err := di.Get(app.Container(), di.NewKey[string]("components.main.greeting")); err != nil || got != "hello from main" {
		t.Errorf("binding from Bind: got %q, %v; want hello from main", got, err)
	}
	if s, err := di.Get(app.Container(), lb.ServerKey("alpha")); err != nil || s.(*server).name != "alpha" {
		t.Errorf("ServerKey(alpha): got %v, %v; want the alpha server", s, err)
	}

	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "started", r.take("start"), []string{"dep-obs", "main-obs", "alpha", "zeta"})
}

func TestMountErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		setup   func(app *lb.App)
		c       lb.Component
		wantErr string
		wantIs  error
	}{
		{name: "nil", c: nil, wantErr: "lb: mount: nil component"},
		{name: "empty name", c: nameOnly(""), wantErr: "lb: mount: component lb_test.nameOnly: empty name"},
		{
			name:    "already mounted",
			setup:   func(app *lb.App) { app.Mount(nameOnly("x")) },
			c:       nameOnly("x"),
			wantErr: `lb: mount: component "x": already mounted`,
		},
		{
			name:    "bind fails",
			c:       &fullComponent{name: "bad", rec: &recorder{}, bindErr: boom},
			wantErr: `lb: mount: component "bad": bind: boom`,
			wantIs:  boom,
		},
		{
			name:    "server name taken",
			setup:   func(app *lb.App) { app.AddServer("rest", &server{rec: &recorder{}}) },
			c:       &fullComponent{name: "c", rec: &recorder{}, servers: map[string]lb.Server{"rest": &server{rec: &recorder{}}}},
			wantErr: `lb: mount: component "c": server "rest": empty name, nil server or name already in use`,
		},
		{
			name:    "sub-component fails",
			c:       &fullComponent{name: "outer", rec: &recorder{}, subs: []lb.Component{nameOnly("")}},
			wantErr: `lb: mount: component "outer": component lb_test.nameOnly: empty name`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := lb.New(lb.Config{})
			if tt.setup != nil {
				tt.setup(app)
			}
			before := app.Components()
			err := app.Mount(tt.c)
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Mount: got %v; want %s", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Mount: got %v; want it to wrap %v", err, tt.wantIs)
			}
			if got := app.Components(); !slices.Equal(got, before) {
				t.Errorf("components after a failed mount: got %q; want %q", got, before)
			}
		})
	}
}

// cyclic components list each other; Mount must terminate.
type cyclic struct {
	name  string
	other *cyclic
}

func (c *cyclic) Name() string               { return c.name }
func (c *cyclic) Components() []lb.Component { return []lb.Component{c.other} }

func TestMountCycleAndShared(t *testing.T) {
	a, b := &cyclic{name: "a"}, &cyclic{name: "b"}
	a.other, b.other = b, a
	app := lb.New(lb.Config{})
	if err := app.Mount(a); err != nil {
		t.Fatalf("Mount: %v", err)
	}
	mustEqual(t, "components", app.Components(), []string{"a", "b"})

	// A dependency shared by two components is mounted once.
	shared := &fullComponent{name: "shared", rec: &recorder{}}
	app2 := lb.New(lb.Config{})
	for _, name := range []string{"x", "y"} {
		if err := app2.Mount(&fullComponent{name: name, rec: &recorder{}, subs: []lb.Component{shared}}); err != nil {
			t.Fatalf("Mount %s: %v", name, err)
		}
	}
	mustEqual(t, "components", app2.Components(), []string{"x", "shared", "y"})
}

func TestNew(t *testing.T) {
	cfg := lb.Config{ObserverGroups: []string{"db"}}
	app := lb.New(cfg)
	cfg.ObserverGroups[0] = "changed" // New keeps its own copy
	if got, err := di.Get(app.Container(), lb.AppKey); err != nil || got != app {
		t.Errorf("AppKey: got %p, %v; want the app %p", got, err, app)
	}
	got, err := di.Get(app.Container(), lb.ConfigKey)
	if err != nil {
		t.Fatalf("ConfigKey: %v", err)
	}
	if got.Name != "application" || !slices.Equal(got.ObserverGroups, []string{"db"}) {
		t.Errorf("ConfigKey: got %+v; want name application and groups [db]", got)
	}
	if app.Container().Scope() != di.Application || app.Container().Name() != "application" {
		t.Errorf("root context: got %s scope %v; want application scope application", app.Container().Name(), app.Container().Scope())
	}
	if named := lb.New(lb.Config{Name: "todo"}); named.Container().Name() != "todo" || named.Config().Name != "todo" {
		t.Errorf("named app: got context %q; want todo", named.Container().Name())
	}
}

func TestAddServerPanics(t *testing.T) {
	tests := map[string]func(app *lb.App){
		"empty name": func(app *lb.App) { app.AddServer("", &server{}) },
		"nil server": func(app *lb.App) { app.AddServer("x", nil) },
		"duplicate": func(app *lb.App) {
			app.AddServer("x", &server{})
			app.AddServer("x", &server{})
		},
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("AddServer did not panic")
				}
				if err, ok := r.(error); !ok || !strings.HasPrefix(err.Error(), "lb: add server") {
					t.Errorf("panic: got %v; want an lb: add server error", r)
				}
			}()
			f(lb.New(lb.Config{}))
		})
	}
}
