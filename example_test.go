package lb_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/di"
)

// printServer is a Server that prints what happens to it.
type printServer struct{ name string }

func (s printServer) Start(context.Context) error { fmt.Println("start server", s.name); return nil }
func (s printServer) Stop(context.Context) error  { fmt.Println("stop server", s.name); return nil }

// printer returns an observer that prints its hooks.
func printer(name, group string) lb.Observer {
	hook := func(what string) func(context.Context) error {
		return func(context.Context) error { fmt.Println(what, name); return nil }
	}
	return lb.Observer{Name: name, Group: group, Init: hook("init"), Start: hook("start"), Stop: hook("stop")}
}

// Observers run group by group: unlisted groups first, then the listed
// ones, servers last; stop runs in reverse.
func ExampleApp_Start() {
	ctx := context.Background()
	app := lb.New(lb.Config{ObserverGroups: []string{"datasource", "cache"}})
	app.AddServer("rest", printServer{"rest"})
	app.Observe(printer("redis", "cache"))
	app.Observe(printer("postgres", "datasource"))
	app.Observe(printer("metrics", "")) // the default group is not listed: first

	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
	}
	fmt.Println("state:", app.State())
	if err := app.Stop(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// init metrics
	// init postgres
	// init redis
	// start metrics
	// start postgres
	// start redis
	// start server rest
	// state: started
	// stop server rest
	// stop redis
	// stop postgres
	// stop metrics
}

// A failed start stops what was already started and names the culprit.
func ExampleApp_Start_failure() {
	app := lb.New(lb.Config{})
	app.Observe(printer("cache", ""))
	app.Observe(lb.Observer{Name: "db", Group: "datasource", Start: func(context.Context) error {
		return errors.New("connection refused")
	}})
	app.AddServer("rest", printServer{"rest"})

	err := app.Start(context.Background())
	fmt.Println(err)
	fmt.Println("state:", app.State())
	// Output:
	// init cache
	// start cache
	// stop cache
	// lb: start observer "db" (group "datasource"): connection refused
	// state: stopped
}

// greeter is a component: it binds a greeting and contributes an observer.
type greeter struct{ greeting string }

var greetingKey = di.NewKey[string]("greeter.greeting")

func (g greeter) Name() string { return "greeter" }

func (g greeter) Bind(ctx *di.Container) error {
	di.Bind(ctx, greetingKey).To(g.greeting)
	return nil
}

func (g greeter) Observers() []lb.Observer {
	return []lb.Observer{{Name: "greeter", Start: func(context.Context) error {
		fmt.Println(g.greeting)
		return nil
	}}}
}

func ExampleApp_Mount() {
	app := lb.New(lb.Config{})
	if err := app.Mount(greeter{"hello, world"}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(di.MustGet(app.Container(), greetingKey))
	fmt.Println(app.Components())
	if err := app.Mount(greeter{"again"}); err != nil {
		fmt.Println(err)
	}
	app.Start(context.Background())
	// Output:
	// hello, world
	// [greeter]
	// lb: mount: component "greeter": already mounted
	// hello, world
}

// Run starts the app, waits for its context or SIGINT/SIGTERM, and stops it.
func ExampleApp_Run() {
	app := lb.New(lb.Config{})
	app.AddServer("rest", printServer{"rest"})

	ctx, cancel := context.WithCancel(context.Background())
	app.Observe(lb.Observer{Name: "shutdown-soon", Start: func(context.Context) error {
		cancel() // in a real program: a signal, or the end of a test
		return nil
	}})
	if err := app.Run(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// start server rest
	// stop server rest
}

func ExampleNew() {
	app := lb.New(lb.Config{Name: "todo"})
	cfg := di.MustGet(app.Container(), lb.ConfigKey)
	self := di.MustGet(app.Container(), lb.AppKey)
	fmt.Println(cfg.Name, self == app, app.State())
	// Output: todo true created
}
