package di_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/loopback-go/lb/di"
)

// Contexts form a hierarchy; a lookup that misses continues in the parent,
// and a nearer binding hides a farther one.
func ExampleNewContainer() {
	app := di.NewContainer(nil, "application", di.Application)
	srv := di.NewContainer(app, "server", di.Server)
	req := di.NewContainer(srv, "request", di.Request)

	greeting := di.NewKey[string]("greeting")
	di.Bind(app, greeting).To("hello")
	fmt.Println(di.MustGet(req, greeting))

	di.Bind(req, greeting).To("hi")
	fmt.Println(di.MustGet(req, greeting), di.MustGet(app, greeting))
	fmt.Println(req)
	// Output:
	// hello
	// hi hello
	// request -> server -> application
}

// A key carries the type of its values; To binds a constant.
func ExampleBind() {
	app := di.NewContainer(nil, "application", di.Application)
	port := di.NewKey[int]("rest.port")
	di.Bind(app, port).To(3000)

	p, err := di.Get(app, port)
	fmt.Println(p+1, err)
	// Output: 3001 <nil>
}

// A provider makes values on demand, from the context it is resolved in.
func ExampleBinding_ToProvider() {
	app := di.NewContainer(nil, "application", di.Application)
	host := di.NewKey[string]("rest.host")
	url := di.NewKey[string]("rest.url")
	di.Bind(app, host).To("localhost")
	di.Bind(app, url).ToProvider(func(c *di.Container) (string, error) {
		h, err := di.Get(c, host)
		if err != nil {
			return "", err
		}
		return "http://" + h + ":3000", nil
	})
	fmt.Println(di.MustGet(app, url))
	// Output: http://localhost:3000
}

// An alias resolves another key; with a "#path" it reaches into the value.
func ExampleBinding_ToAlias() {
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[map[string]any]("application.config")).
		To(map[string]any{"rest": map[string]any{"port": 3000}})
	port := di.NewKey[any]("rest.port")
	di.Bind(app, port).ToAlias(di.NewKey[any]("application.config#rest.port"))
	fmt.Println(di.MustGet(app, port))
	// Output: 3000
}

// A deep property path reads a map key, struct field (by name or json tag)
// or slice element of a bound value.
func ExampleNewKey_deepPath() {
	type RestConfig struct {
		Port int `json:"port"`
	}
	type AppConfig struct {
		Rest RestConfig `json:"rest"`
	}
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[AppConfig]("application.config")).To(AppConfig{Rest: RestConfig{Port: 8080}})

	rest := di.MustGet(app, di.NewKey[RestConfig]("application.config#rest"))
	port := di.MustGet(app, di.NewKey[int]("application.config#rest.port"))
	fmt.Println(rest.Port, port)
	// Output: 8080 8080
}

type TodoRepo struct{ table string }
type Config struct{ Limit int }
type TodoService struct {
	repo  *TodoRepo
	limit int
}

// A constructor's parameters are resolved by type...
func ExampleBinding_ToConstructor() {
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[*TodoRepo]("repositories.TodoRepository")).To(&TodoRepo{table: "todo"})
	di.Bind(app, di.NewKey[Config]("config")).To(Config{Limit: 10})
	svc := di.NewKey[*TodoService]("services.TodoService")
	di.Bind(app, svc).ToConstructor(func(repo *TodoRepo, cfg Config) (*TodoService, error) {
		return &TodoService{repo: repo, limit: cfg.Limit}, nil
	}).InScope(di.Singleton)

	s := di.MustGet(app, svc)
	fmt.Println(s.repo.table, s.limit)
	// Output: todo 10
}

// ...or by key, with Param.
func ExampleParam() {
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[*TodoRepo]("repositories.TodoRepository")).To(&TodoRepo{table: "todo"})
	di.Bind(app, di.NewKey[*TodoRepo]("repositories.ArchiveRepository")).To(&TodoRepo{table: "archive"})
	di.Bind(app, di.NewKey[int]("limits.todo")).To(5)
	svc := di.NewKey[*TodoService]("services.ArchiveService")
	di.Bind(app, svc).ToConstructor(func(repo *TodoRepo, limit int) *TodoService {
		return &TodoService{repo: repo, limit: limit}
	}, di.Param("repositories.ArchiveRepository"), di.Param("limits.todo"))

	s := di.MustGet(app, svc)
	fmt.Println(s.repo.table, s.limit)
	// Output: archive 5
}

// A request-scoped value is built once per request context.
func ExampleBinding_InScope() {
	app := di.NewContainer(nil, "application", di.Application)
	n := 0
	requestID := di.NewKey[int]("request.id")
	di.Bind(app, requestID).ToProvider(func(*di.Container) (int, error) { n++; return n, nil }).InScope(di.Request)

	for range 2 {
		req := di.NewContainer(app, "request", di.Request)
		a, b := di.MustGet(req, requestID), di.MustGet(req, requestID)
		fmt.Println(a, b)
	}
	_, err := di.Get(app, requestID)
	fmt.Println(errors.Is(err, di.ErrNoScope))
	// Output:
	// 1 1
	// 2 2
	// true
}

// Tags and key patterns select bindings.
func ExampleContainer_Find() {
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[string]("repositories.TodoRepository")).To("todo").Tag("repository", "model=Todo")
	di.Bind(app, di.NewKey[string]("repositories.UserRepository")).To("user").Tag("repository", "model=User")
	di.Bind(app, di.NewKey[string]("controllers.TodoController")).To("ctrl").Tag("controller")

	for _, e := range app.Find(di.ByKey("repositories.*")) {
		fmt.Println(e.Key())
	}
	for _, e := range app.FindByTag("model=User") {
		fmt.Println(e.Key())
	}
	// Output:
	// repositories.TodoRepository
	// repositories.UserRepository
	// repositories.UserRepository
}

// A view stays current as bindings come and go.
func ExampleNewView() {
	app := di.NewContainer(nil, "application", di.Application)
	plugins := di.NewView[string](app, di.ByTag("plugin"))
	di.Bind(app, di.NewKey[string]("plugins.a")).To("A").Tag("plugin")
	fmt.Println(plugins.Values())
	di.Bind(app, di.NewKey[string]("plugins.b")).To("B").Tag("plugin")
	fmt.Println(plugins.Values())
	app.Unbind(di.NewKey[any]("plugins.a"))
	fmt.Println(plugins.Values())
	// Output:
	// [A] <nil>
	// [A B] <nil>
	// [B] <nil>
}

// Observers hear of bindings added, changed and removed.
func ExampleContainer_Observe() {
	app := di.NewContainer(nil, "application", di.Application)
	req := di.NewContainer(app, "request", di.Request)
	cancel := req.Observe(di.ByKey("plugins.*"), func(ev di.Event) {
		fmt.Println(ev.Type, ev.Binding.Key(), "in", ev.Context.Name())
	})
	defer cancel()
	di.Bind(app, di.NewKey[int]("plugins.a")).To(1)
	di.Bind(app, di.NewKey[int]("other")).To(2)
	app.Unbind(di.NewKey[any]("plugins.a"))
	// Output:
	// bind plugins.a in application
	// change plugins.a in application
	// unbind plugins.a in application
}

// Any key can have configuration, bound with Configure and read with Config.
func ExampleConfigure() {
	type RestOptions struct {
		Port int `json:"port"`
	}
	app := di.NewContainer(nil, "application", di.Application)
	di.Configure[RestOptions](app, di.NewKey[any]("servers.RestServer")).To(RestOptions{Port: 3000})

	opts, _ := di.Config[RestOptions](app, di.NewKey[any]("servers.RestServer"))
	port, _ := di.Config[int](app, di.NewKey[any]("servers.RestServer#port"))
	missing, err := di.Config[RestOptions](app, di.NewKey[any]("servers.Other"))
	fmt.Println(opts.Port, port, missing.Port, err)
	fmt.Println(di.ConfigKey("servers.RestServer"))
	// Output:
	// 3000 3000 0 <nil>
	// servers.RestServer:$config
}

// A setter publishes a value into the context that resolved it; a getter
// reads a key later, each time it is called.
func ExampleNewSetter() {
	app := di.NewContainer(nil, "application", di.Application)
	req := di.NewContainer(app, "request", di.Request)
	currentUser := di.NewKey[string]("security.user")

	user := di.NewGetter(req, currentUser)
	_, err := user()
	fmt.Println(errors.Is(err, di.ErrNotBound))

	setUser := di.NewSetter(req, currentUser) // what authentication does
	setUser("alice")
	fmt.Println(user())
	fmt.Println(app.IsBound("security.user"))
	// Output:
	// true
	// alice <nil>
	// false
}

// Errors say what is missing and where it was looked for.
func ExampleNotBoundError() {
	app := di.NewContainer(nil, "application", di.Application)
	srv := di.NewContainer(app, "server", di.Server)
	req := di.NewContainer(srv, "request", di.Request)
	_, err := di.Get(req, di.NewKey[int]("x"))
	fmt.Println(err)
	fmt.Println(errors.Is(err, di.ErrNotBound))
	// Output:
	// The key "x" is not bound to any value in context request -> server -> application
	// true
}

// A circular dependency is reported with its whole path.
func ExampleCycleError() {
	app := di.NewContainer(nil, "application", di.Application)
	a, b := di.NewKey[int]("a"), di.NewKey[int]("b")
	di.Bind(app, a).ToAlias(b)
	di.Bind(app, b).ToProvider(func(c *di.Container) (int, error) { return di.Get(c, a) })
	_, err := di.Get(app, a)
	fmt.Println(err)
	fmt.Println(errors.Is(err, di.ErrCycle))
	// Output:
	// Circular dependency detected: a --> b --> a
	// true
}

// Validate finds wiring mistakes before anything is built.
func ExampleContainer_Validate() {
	app := di.NewContainer(nil, "application", di.Application)
	di.Bind(app, di.NewKey[*TodoService]("services.TodoService")).
		ToConstructor(func(r *TodoRepo) *TodoService { return &TodoService{repo: r} })
	err := app.Validate()
	fmt.Println(errors.Is(err, di.ErrNotBound))
	fmt.Println(err)
	// Output:
	// true
	// binding "services.TodoService": di: key not bound: no binding of type *di_test.TodoRepo in application
}

// Global interceptors run by group order, then local ones, around the target.
func ExampleIntercept() {
	app := di.NewContainer(nil, "application", di.Application)
	logger := func(name string) di.Interceptor {
		return func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
			fmt.Println("before", name, inv.Target)
			r, err := next(ctx)
			fmt.Println("after", name)
			return r, err
		}
	}
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("interceptors.log"), "log", logger("log"))
	di.AddGlobalInterceptor(app, di.NewKey[di.Interceptor]("interceptors.auth"), "auth", logger("auth"))
	di.Bind(app, di.NewKey[[]string](di.GlobalInterceptorOrder)).To([]string{"auth", "log"})

	req := di.NewContainer(app, "request", di.Request)
	inv := &di.Invocation{Context: req, Target: "TodoController.find", Args: []any{"filter"}}
	r, err := di.Intercept(context.Background(), inv, []di.Interceptor{logger("local")},
		func(context.Context) (any, error) { return strings.ToUpper(inv.Args[0].(string)), nil })
	fmt.Println(r, err)
	// Output:
	// before auth TodoController.find
	// before log TodoController.find
	// before local TodoController.find
	// after local
	// after log
	// after auth
	// FILTER <nil>
}

type Greeter interface{ Greet(name string) string }
type English struct{}
type French struct{}

func (English) Greet(n string) string { return "Hello, " + n }
func (French) Greet(n string) string  { return "Bonjour, " + n }

// An extension point collects the bindings tagged for it, including those
// bound after it started looking.
func ExampleExtensions() {
	app := di.NewContainer(nil, "application", di.Application)
	point := di.NewExtensionPoint[Greeter]("greeters")
	greeters := di.ExtensionView(app, point)
	di.AddExtension(app, point, point.Key("en")).To(English{})

	gs, _ := di.Extensions(app, point)
	fmt.Println(len(gs), gs[0].Greet("Ann"))

	di.AddExtension(app, point, point.Key("fr")).To(French{})
	gs, _ = greeters.Values()
	for _, g := range gs {
		fmt.Println(g.Greet("Ann"))
	}
	// Output:
	// 1 Hello, Ann
	// Hello, Ann
	// Bonjour, Ann
}

// Handlers reach the request context through context.Context.
func ExampleFromContext() {
	app := di.NewContainer(nil, "application", di.Application)
	req := di.NewContainer(app, "request", di.Request)
	ctx := di.WithContainer(context.Background(), req)

	c, ok := di.FromContext(ctx)
	fmt.Println(c.Name(), ok)
	// Output: request true
}

// Inspect describes a context's bindings for debugging.
func ExampleContainer_Inspect() {
	app := di.NewContainer(nil, "application", di.Application)
	req := di.NewContainer(app, "request", di.Request)
	di.Bind(app, di.NewKey[int]("rest.port")).To(3000).Tag("config")
	di.Bind(app, di.NewKey[*TodoService]("services.TodoService")).
		ToConstructor(func(r *TodoRepo) *TodoService { return &TodoService{repo: r} }).InScope(di.Singleton)
	di.Bind(req, di.NewKey[string]("security.user")).To("alice")
	fmt.Print(req.Inspect(true))
	// Output:
	// request (request)
	//   security.user (constant, transient) string
	// application (application)
	//   rest.port (constant, transient) int [config]
	//   services.TodoService (constructor, singleton) *di_test.TodoService
}
