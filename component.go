package lb

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/loopback-go/lb/di"
)

// Component is a reusable bundle of contributions to an app — bindings,
// servers, lifecycle observers, other components — mounted with one call to
// [App.Mount]. The only required method is Name; a component contributes by
// also implementing any of the optional interfaces [ComponentProvider],
// [Binder], [ServerProvider], [ObserverProvider] and [Provisioner], which
// Mount finds by type assertion.
type Component interface {
	// Name identifies the component; it is bound at ComponentKey(Name()).
	Name() string
}

// ComponentProvider is implemented by components that depend on other
// components. Mount mounts them first, skipping any already mounted.
type ComponentProvider interface {
	Components() []Component
}

// Binder is implemented by components that add bindings to the app's root
// context.
type Binder interface {
	Bind(ctx *di.Container) error
}

// ServerProvider is implemented by components that contribute servers,
// keyed by server name. Mount adds them in name order, as [App.AddServer]
// does.
type ServerProvider interface {
	Servers() map[string]Server
}

// ObserverProvider is implemented by components that contribute lifecycle
// observers.
type ObserverProvider interface {
	Observers() []Observer
}

// Provisioner is implemented by components that need the app itself, for
// whatever the other interfaces do not cover. Provision runs last, after
// everything else the component contributes has been added.
type Provisioner interface {
	Provision(app *App) error
}

// Mount mounts component c: its sub-components (ComponentProvider), then its
// bindings (Binder), servers (ServerProvider), observers (ObserverProvider),
// and finally Provision (Provisioner); then it binds c at
// [ComponentKey](c.Name()).
//
// Mount returns an error when c is nil, has an empty name or is already
// mounted, and, before adding any of c's own contributions, when c
// contributes a server whose name is taken or an observer without a name.
// Errors read "lb: mount: component "name": …", naming every component on
// the way to the one that failed. An error from Bind or Provision may leave
// the app partly configured; an app whose Mount failed should not be
// started.
func (a *App) Mount(c Component) error {
	if err := a.mountComponent(c); err != nil {
		return fmt.Errorf("lb: mount: %w", err)
	}
	return nil
}

func (a *App) mountComponent(c Component) error {
	if c == nil {
		return errors.New("nil component")
	}
	name := c.Name()
	if name == "" {
		return fmt.Errorf("component %T: empty name", c)
	}
	a.mu.Lock()
	if slices.Contains(a.components, name) {
		a.mu.Unlock()
		return fmt.Errorf("component %q: already mounted", name)
	}
	a.components = append(a.components, name)
	a.mu.Unlock()

	if err := a.mount(c); err != nil {
		a.mu.Lock()
		a.components = slices.DeleteFunc(a.components, func(n string) bool { return n == name })
		a.mu.Unlock()
		return fmt.Errorf("component %q: %w", name, err)
	}
	di.Bind(a.ctx, ComponentKey(name)).To(c).Tag("component")
	return nil
}

func (a *App) mount(c Component) error {
	if p, ok := c.(ComponentProvider); ok {
		for _, sub := range p.Components() {
			if sub != nil && a.mounted(sub.Name()) {
				continue
			}
			if err := a.mountComponent(sub); err != nil {
				return err
			}
		}
	}

	// Check servers and observers before changing anything.
	var servers map[string]Server
	if p, ok := c.(ServerProvider); ok {
		servers = p.Servers()
	}
	var observers []Observer
	if p, ok := c.(ObserverProvider); ok {
		observers = p.Observers()
	}
	a.mu.Lock()
	for name, s := range servers {
		if name == "" || s == nil || slices.Contains(a.servers, name) {
			a.mu.Unlock()
			return fmt.Errorf("server %q: empty name, nil server or name already in use", name)
		}
	}
	a.mu.Unlock()
	for i, o := range observers {
		if o.Name == "" {
			return fmt.Errorf("observer %d: empty name", i)
		}
	}

	if b, ok := c.(Binder); ok {
		if err := b.Bind(a.ctx); err != nil {
			return fmt.Errorf("bind: %w", err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(servers)) {
		if err := a.addServer(name, servers[name]); err != nil {
			return err
		}
	}
	for _, o := range observers {
		a.Observe(o)
	}
	if p, ok := c.(Provisioner); ok {
		if err := p.Provision(a); err != nil {
			return fmt.Errorf("provision: %w", err)
		}
	}
	return nil
}

func (a *App) mounted(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Contains(a.components, name)
}

// Components returns the names of the mounted components, in the order
// their mounting began (a component before its sub-components).
func (a *App) Components() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.components)
}
