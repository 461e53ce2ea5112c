package lb

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/loopback-go/lb/di"
)

// DefaultGracePeriod is how long [App.Run] lets the app stop after the
// shutdown signal when [Config.GracePeriod] is zero.
const DefaultGracePeriod = 10 * time.Second

// Keys of the bindings that every app has in its root context.
var (
	// AppKey is bound to the *App itself ("application.instance").
	AppKey = di.NewKey[*App]("application.instance")
	// ConfigKey is bound to the Config the app was created with
	// ("application.config").
	ConfigKey = di.NewKey[Config]("application.config")
)

// ServerKey returns the key a server added with [App.AddServer] is bound to:
// "servers.<name>".
func ServerKey(name string) di.Key[Server] { return di.NewKey[Server]("servers." + name) }

// ComponentKey returns the key a mounted component is bound to:
// "components.<name>".
func ComponentKey(name string) di.Key[Component] {
	return di.NewKey[Component]("components." + name)
}

// Config configures an App. The zero value is a working configuration:
// observers in one group run one after the other, servers start last, and
// Run stops the app on SIGINT or SIGTERM with a 10 s grace period.
type Config struct {
	// Name names the app and its root context. Default "application".
	Name string

	// ObserverGroups orders the lifecycle observer groups. On start, the
	// groups not in this list run first, in the order their first observer
	// was registered, then the listed groups in list order, and the
	// "server" group ([ServerGroup]) always last; stop runs in reverse.
	ObserverGroups []string

	// DisabledGroups lists observer groups that are never called.
	DisabledGroups []string

	// ParallelObservers runs the observers of one group concurrently.
	// By default they run one after the other, in registration order.
	ParallelObservers bool

	// GracePeriod bounds how long Run waits for the app to stop after its
	// context is done or a signal arrives. Zero means [DefaultGracePeriod];
	// a negative value means no limit.
	GracePeriod time.Duration

	// Signals are the signals that make Run stop the app. Nil means
	// SIGINT and SIGTERM; an empty non-nil slice means none.
	Signals []os.Signal

	// SkipWiringCheck turns off the check Init makes of the container's
	// wiring. By default Init calls the root context's Validate, so a
	// constructor or alias whose dependency is unbound, ambiguous or
	// circular fails the app before anything starts rather than on first
	// use. Skip it when some dependencies are bound only at run time.
	SkipWiringCheck bool
}

// Server is something the app starts and stops, such as the REST server.
// Start must not block serving: it returns once the server accepts work
// (for a network server, once it listens), and Stop shuts it down,
// gracefully until ctx is done.
type Server interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// App is an application: the root of the IoC context hierarchy, the
// components mounted on it, its servers and its lifecycle. Create one with
// [New]. An App is safe for concurrent use; lifecycle calls exclude one
// another through the app's [State].
type App struct {
	cfg Config
	ctx *di.Container
	lc  *lifecycle

	mu         sync.Mutex
	components []string // mounted component names, in mount order
	servers    []string // server names, in registration order
}

// New creates an app in state [Created]. Its root context (scope
// di.Application) binds the app at [AppKey] and cfg at [ConfigKey].
func New(cfg Config) *App {
	if cfg.Name == "" {
		cfg.Name = "application"
	}
	cfg.ObserverGroups = slices.Clone(cfg.ObserverGroups)
	cfg.DisabledGroups = slices.Clone(cfg.DisabledGroups)
	cfg.Signals = slices.Clone(cfg.Signals)
	a := &App{cfg: cfg, ctx: di.NewContainer(nil, cfg.Name, di.Application)}
	a.lc = newLifecycle(&a.cfg)
	di.Bind(a.ctx, AppKey).To(a)
	di.Bind(a.ctx, ConfigKey).To(cfg)
	return a
}

// Container returns the app's root context (scope di.Application). Bindings
// made there are visible to every server and request context below it.
func (a *App) Container() *di.Container { return a.ctx }

// Config returns the configuration the app was created with, with defaults
// filled in.
func (a *App) Config() Config { return a.cfg }

// AddServer adds a server: it is bound at [ServerKey](name) and registered
// as a lifecycle observer named name in the [ServerGroup] group, so the app
// starts it after every other group and stops it before them. If s also has
// an Init method ([Initer]), that runs when the app is initialized.
// AddServer panics if name is empty or already used by another server.
func (a *App) AddServer(name string, s Server) {
	if err := a.addServer(name, s); err != nil {
		panic(err)
	}
}

func (a *App) addServer(name string, s Server) error {
	if name == "" {
		return fmt.Errorf("lb: add server: empty name")
	}
	if s == nil {
		return fmt.Errorf("lb: add server %q: nil server", name)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if slices.Contains(a.servers, name) {
		return fmt.Errorf("lb: add server %q: name already in use", name)
	}
	a.servers = append(a.servers, name)
	di.Bind(a.ctx, ServerKey(name)).To(s).Tag("server")
	a.Observe(ObserverOf(name, ServerGroup, s))
	return nil
}

// Servers returns the names of the servers added to the app, in the order
// they were added.
func (a *App) Servers() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.servers)
}
