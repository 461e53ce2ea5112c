package lb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/loopback-go/lb/di"
)

// ServerGroup is the observer group that servers added with [App.AddServer]
// belong to. It always runs last on start and first on stop, whether or not
// it appears in [Config.ObserverGroups].
const ServerGroup = "server"

// State is a stage in the life of an [App]. The zero value is [Created].
type State int

// The states of an App, in the order an app usually goes through them.
// Initializing, Starting and Stopping are transitional: while an app is in
// one of them, any other lifecycle call fails with a [*StateError].
const (
	Created State = iota
	Initializing
	Initialized
	Starting
	Started
	Stopping
	Stopped
)

var stateNames = [...]string{"created", "initializing", "initialized", "starting", "started", "stopping", "stopped"}

// String returns the lowercase name of the state, such as "started".
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

func (s State) transitional() bool {
	return s == Initializing || s == Starting || s == Stopping
}

// StateError reports a lifecycle call that the app's current state does not
// allow, such as Stop on an app that is not started. Its message reads
// "lb: cannot start: app is stopping".
type StateError struct {
	Op    string // "init", "start" or "stop"
	State State  // the state the app was in
}

// Error implements error.
func (e *StateError) Error() string {
	return "lb: cannot " + e.Op + ": app is " + e.State.String()
}

// Observer is a lifecycle observer: up to three hooks that the app calls when
// it is initialized, started and stopped. Any hook may be nil.
//
// Observers run group by group (see [Config.ObserverGroups]); within a group
// they run in registration order, or all at once when
// [Config.ParallelObservers] is set. Each hook gets the context passed to the
// App method that triggered it.
type Observer struct {
	// Name identifies the observer in errors and logs. Required.
	Name string
	// Group is the observer group; "" is the default group.
	Group string
	// Init runs once, before the observer's first Start.
	Init func(ctx context.Context) error
	// Start runs on every start of the app.
	Start func(ctx context.Context) error
	// Stop runs when the app stops, only if Start ran and succeeded.
	Stop func(ctx context.Context) error
}

// Initer is implemented by values that need a one-time initialization
// before they are started. See [ObserverOf].
type Initer interface {
	Init(ctx context.Context) error
}

// Starter is implemented by values that the app starts. See [ObserverOf].
type Starter interface {
	Start(ctx context.Context) error
}

// Stopper is implemented by values that the app stops. See [ObserverOf].
type Stopper interface {
	Stop(ctx context.Context) error
}

// ObserverOf builds an Observer named name in group group from the methods v
// has among Init ([Initer]), Start ([Starter]) and Stop ([Stopper]).
// It panics if v has none of them, since such an observer would never be
// called.
func ObserverOf(name, group string, v any) Observer {
	o, err := observerOf(name, group, v)
	if err != nil {
		panic(err)
	}
	return o
}

func observerOf(name, group string, v any) (Observer, error) {
	o := Observer{Name: name, Group: group}
	if i, ok := v.(Initer); ok {
		o.Init = i.Init
	}
	if s, ok := v.(Starter); ok {
		o.Start = s.Start
	}
	if s, ok := v.(Stopper); ok {
		o.Stop = s.Stop
	}
	if o.Init == nil && o.Start == nil && o.Stop == nil {
		return o, fmt.Errorf("lb: observer %q: %T has no Init, Start or Stop method", name, v)
	}
	return o, nil
}

// ObserverTag marks a binding in the app's root context whose value is a
// lifecycle observer, as LoopBack's @lifeCycleObserver does. Before each
// Init and Start, the app resolves the tagged bindings it has not seen yet
// and registers each value as [ObserverOf] would, named by the binding key,
// in the group given by the binding's [ObserverGroupTag] tag:
//
//	di.Bind(app.Context(), di.NewKey[*Cache]("lifeCycleObservers.cache")).
//		ToConstructor(NewCache).InScope(di.Singleton).
//		Tag(lb.ObserverTag, lb.ObserverGroupTag.Is("cache"))
//
// So observers can take their dependencies from the context, and
// components can contribute them as bindings.
const ObserverTag di.Tag = "lifeCycleObserver"

// ObserverGroupTag is the binding tag ("lifeCycleObserverGroup=<group>")
// that puts an observer bound with [ObserverTag] in a group.
const ObserverGroupTag di.Tag = "lifeCycleObserverGroup"

// observer is an Observer registered with an app.
type observer struct {
	Observer
	initialized bool // Init has run and succeeded; written only by lifecycle calls
}

func (o *observer) String() string {
	if o.Group == "" {
		return fmt.Sprintf("observer %q", o.Name)
	}
	return fmt.Sprintf("observer %q (group %q)", o.Name, o.Group)
}

// lifecycle holds the state machine and the observers of an App.
type lifecycle struct {
	groups   []string // Config.ObserverGroups with ServerGroup last
	disabled []string
	parallel bool

	mu        sync.Mutex
	state     State
	observers []*observer
	started   [][]*observer   // groups in start order, as of the last start
	bound     map[string]bool // keys of the ObserverTag bindings registered
}

func newLifecycle(cfg *Config) *lifecycle {
	groups := slices.DeleteFunc(slices.Clone(cfg.ObserverGroups), func(g string) bool { return g == ServerGroup })
	groups = append(groups, ServerGroup)
	return &lifecycle{groups: groups, disabled: cfg.DisabledGroups, parallel: cfg.ParallelObservers}
}

// Observe registers a lifecycle observer. Observers registered while the
// app is started take part from the next start on. Observe panics if
// o.Name is empty.
func (a *App) Observe(o Observer) {
	if o.Name == "" {
		panic("lb: Observe: observer name is empty")
	}
	a.lc.mu.Lock()
	defer a.lc.mu.Unlock()
	a.lc.observers = append(a.lc.observers, &observer{Observer: o})
}

// State reports the current lifecycle state of the app.
func (a *App) State() State {
	a.lc.mu.Lock()
	defer a.lc.mu.Unlock()
	return a.lc.state
}

// discover registers the observers bound with ObserverTag that are not
// registered yet. It runs in a lifecycle call, outside mu, since resolving
// a binding may run its constructor.
func (a *App) discover() error {
	for _, e := range a.ctx.FindByTag(ObserverTag) {
		key := e.Key()
		a.lc.mu.Lock()
		seen := a.lc.bound[key]
		a.lc.mu.Unlock()
		if seen {
			continue
		}
		v, err := a.ctx.ResolveEntry(e)
		if err != nil {
			return fmt.Errorf("lb: resolve observer %q: %w", key, err)
		}
		group, _ := e.TagValue(ObserverGroupTag)
		o, err := observerOf(key, group, v)
		if err != nil {
			return err
		}
		a.lc.mu.Lock()
		if a.lc.bound == nil {
			a.lc.bound = map[string]bool{}
		}
		a.lc.bound[key] = true
		a.lc.observers = append(a.lc.observers, &observer{Observer: o})
		a.lc.mu.Unlock()
	}
	return nil
}

// ordered returns the enabled observers grouped and in start order: groups
// that are not in the ordered list first, in the order their first observer
// was registered, then the listed groups in list order. Callers hold mu.
func (lc *lifecycle) ordered() [][]*observer {
	byGroup := map[string][]*observer{}
	var unlisted []string
	for _, o := range lc.observers {
		if slices.Contains(lc.disabled, o.Group) {
			continue
		}
		if _, seen := byGroup[o.Group]; !seen && !slices.Contains(lc.groups, o.Group) {
			unlisted = append(unlisted, o.Group)
		}
		byGroup[o.Group] = append(byGroup[o.Group], o)
	}
	var out [][]*observer
	for _, g := range append(unlisted, lc.groups...) {
		if obs := byGroup[g]; len(obs) > 0 {
			out = append(out, obs)
		}
	}
	return out
}

// prepare checks the container's wiring (unless Config.SkipWiringCheck)
// and discovers the observers bound in the container.
func (a *App) prepare() error {
	if !a.cfg.SkipWiringCheck {
		if err := a.Container().Validate(); err != nil {
			return fmt.Errorf("lb: container wiring: %w", err)
		}
	}
	return a.discover()
}

// Init initializes the app: it checks the container's wiring (every
// constructor and alias dependency bound, no cycles; see di.Context.Validate
// and Config.SkipWiringCheck), then calls the Init hook of every observer,
// group by group. Init on an app that is already initialized, started or stopped
// does nothing; on an app that is initializing, starting or stopping it
// returns a [*StateError]. When a hook fails, Init returns its error,
// naming the observer, and the app stays created; observers whose Init
// succeeded are not initialized again by the next attempt.
func (a *App) Init(ctx context.Context) error {
	lc := a.lc
	lc.mu.Lock()
	if lc.state.transitional() {
		defer lc.mu.Unlock()
		return &StateError{Op: "init", State: lc.state}
	}
	if lc.state != Created {
		lc.mu.Unlock()
		return nil
	}
	lc.state = Initializing
	lc.mu.Unlock()

	err := a.prepare()
	if err == nil {
		lc.mu.Lock()
		groups := lc.ordered()
		lc.mu.Unlock()
		err = lc.initAll(ctx, groups)
	}

	lc.mu.Lock()
	defer lc.mu.Unlock()
	if err != nil {
		lc.state = Created
		return err
	}
	lc.state = Initialized
	return nil
}

// initAll runs the Init hook of every observer not yet initialized.
func (lc *lifecycle) initAll(ctx context.Context, groups [][]*observer) error {
	for _, g := range groups {
		pending := slices.DeleteFunc(slices.Clone(g), func(o *observer) bool { return o.initialized })
		if _, err := lc.runGroup(ctx, "init", pending, func(o *observer) func(context.Context) error {
			return o.Init
		}); err != nil {
			return err
		}
	}
	return nil
}

// Start starts the app: it initializes the app first if it is created (see
// [App.Init]), then calls the Start hook of every observer, group by group,
// servers last. Start on a started app does nothing; on an app that is
// initializing, starting or stopping it returns a [*StateError]. A stopped
// app can be started again; observers registered since the last start are
// initialized first.
//
// When a hook fails, Start stops every observer it already started, in
// reverse order, leaves the app stopped and returns the error, naming the
// failed observer (joined with any error from stopping the others).
func (a *App) Start(ctx context.Context) error {
	lc := a.lc
	lc.mu.Lock()
	switch lc.state {
	case Started:
		lc.mu.Unlock()
		return nil
	case Initializing, Starting, Stopping:
		defer lc.mu.Unlock()
		return &StateError{Op: "start", State: lc.state}
	}
	prev := lc.state
	if prev == Created {
		lc.state = Initializing
	} else {
		lc.state = Starting
	}
	lc.mu.Unlock()

	var groups [][]*observer
	err := a.prepare()
	if err == nil {
		lc.mu.Lock()
		groups = lc.ordered()
		lc.mu.Unlock()
		err = lc.initAll(ctx, groups)
	}
	if err != nil {
		lc.mu.Lock()
		lc.state = prev
		lc.mu.Unlock()
		return err
	}
	lc.mu.Lock()
	lc.state = Starting
	lc.mu.Unlock()

	var started [][]*observer
	for _, g := range groups {
		done, err := lc.runGroup(ctx, "start", g, func(o *observer) func(context.Context) error {
			return o.Start
		})
		if len(done) > 0 {
			started = append(started, done)
		}
		if err != nil {
			// Stop what was started even if ctx is what failed the start.
			stopErr := lc.stopAll(context.WithoutCancel(ctx), started)
			lc.mu.Lock()
			lc.state = Stopped
			lc.started = nil
			lc.mu.Unlock()
			return errors.Join(err, stopErr)
		}
	}
	lc.mu.Lock()
	lc.state = Started
	lc.started = started
	lc.mu.Unlock()
	return nil
}

// Stop stops a started app: it calls the Stop hook of every observer that
// was started, in the reverse of the start order (servers first). Every
// hook is called even if some fail; Stop returns their errors joined, each
// naming its observer, and the app is stopped in any case. Stop on an app
// that is not started returns a [*StateError].
func (a *App) Stop(ctx context.Context) error {
	lc := a.lc
	lc.mu.Lock()
	if lc.state != Started {
		defer lc.mu.Unlock()
		return &StateError{Op: "stop", State: lc.state}
	}
	lc.state = Stopping
	started := lc.started
	lc.mu.Unlock()

	err := lc.stopAll(ctx, started)

	lc.mu.Lock()
	lc.state = Stopped
	lc.started = nil
	lc.mu.Unlock()
	return err
}

// stopAll stops the given groups in reverse order, observers within a group
// in reverse too (or all at once when parallel), and joins their errors.
func (lc *lifecycle) stopAll(ctx context.Context, groups [][]*observer) error {
	var errs []error
	for _, g := range slices.Backward(groups) {
		rev := slices.Clone(g)
		slices.Reverse(rev)
		if _, err := lc.runGroup(ctx, "stop", rev, func(o *observer) func(context.Context) error {
			return o.Stop
		}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// runGroup calls hook(o) for every observer of one group, one after the
// other or all at once, and returns the observers whose hook succeeded (or
// was nil), in group order. In sequential mode it stops at the first
// failure, except for "stop", which calls every hook. Init successes are
// recorded on the observers.
func (lc *lifecycle) runGroup(ctx context.Context, op string, g []*observer, hook func(*observer) func(context.Context) error) ([]*observer, error) {
	call := func(o *observer) error {
		fn := hook(o)
		if fn == nil {
			return nil
		}
		if err := fn(ctx); err != nil {
			return fmt.Errorf("lb: %s %s: %w", op, o, err)
		}
		if op == "init" {
			o.initialized = true
		}
		return nil
	}
	if op == "init" {
		// An observer without an Init hook is initialized by definition.
		for _, o := range g {
			if o.Init == nil {
				o.initialized = true
			}
		}
	}
	var done []*observer
	if !lc.parallel || len(g) < 2 {
		var errs []error
		for _, o := range g {
			if err := call(o); err != nil {
				errs = append(errs, err)
				if op != "stop" {
					break
				}
				continue
			}
			done = append(done, o)
		}
		return done, errors.Join(errs...)
	}
	errs := make([]error, len(g))
	var wg sync.WaitGroup
	for i, o := range g {
		wg.Go(func() { errs[i] = call(o) })
	}
	wg.Wait()
	for i, o := range g {
		if errs[i] == nil {
			done = append(done, o)
		}
	}
	return done, errors.Join(errs...)
}
