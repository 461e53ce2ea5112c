package di

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
)

// Entry is the untyped, read-only face of a binding: what Find returns and
// what filters and observers see. Every *Binding[T] is an Entry.
type Entry interface {
	// Key returns the binding's key.
	Key() string
	// Scope returns the binding's scope.
	Scope() Scope
	// Type returns the Go type of the binding's values (T of Binding[T]).
	Type() reflect.Type
	// Source says how values are made.
	Source() Source
	// Tags returns a copy of the binding's tags; a tag without a value
	// maps to "".
	Tags() map[string]string
	// HasTag reports whether the binding has the tag name.
	HasTag(name Tag) bool
	// TagValue returns the value of tag name.
	TagValue(name Tag) (string, bool)
	// Owner returns the context the binding was bound in.
	Owner() *Container

	core() *bindingCore // seals the interface: only bindings are entries
}

// Source says how a binding makes its values.
type Source int

// The value sources.
const (
	NoSource    Source = iota // bound, but not yet given a source
	Constant                  // To
	Provider                  // ToProvider
	Alias                     // ToAlias
	Constructor               // ToConstructor
)

var sourceNames = [...]string{"none", "constant", "provider", "alias", "constructor"}

// String returns the source's lower-case name.
func (s Source) String() string {
	if s >= 0 && int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// binder is what a context stores: a binding of some type.
type binder interface {
	Entry
	resolveAny(c *Container) (any, error)
	deps() []dependency // for Validate: the keys/types the source needs
}

// bindingCore is the part of a binding that does not depend on its type.
type bindingCore struct {
	key   string
	owner atomic.Pointer[node] // set once, by Context.Add
	seq   uint64
	typ   reflect.Type
	mu    sync.Mutex // serializes writers of state and tags
	tags  atomic.Pointer[map[string]string]
}

// Key returns the binding's key.
func (b *bindingCore) Key() string { return b.key }

// Type returns the Go type of the binding's values.
func (b *bindingCore) Type() reflect.Type { return b.typ }

// Owner returns the context the binding was added to, or nil before that.
func (b *bindingCore) Owner() *Container {
	if n := b.owner.Load(); n != nil {
		return &n.self
	}
	return nil
}

// changed records a change of the binding's source, scope or tags.
func (b *bindingCore) changed(e binder) {
	if n := b.owner.Load(); n != nil {
		n.changed(e)
	}
}

func (b *bindingCore) core() *bindingCore { return b }

// HasTag reports whether the binding has the tag name.
func (b *bindingCore) HasTag(name Tag) bool { _, ok := b.TagValue(name); return ok }

// Tags returns a copy of the binding's tags; a tag without a value maps to
// "".
func (b *bindingCore) Tags() map[string]string {
	if t := b.tags.Load(); t != nil {
		return maps.Clone(*t)
	}
	return map[string]string{}
}

// TagValue returns the value of tag name, and whether the binding has it.
func (b *bindingCore) TagValue(name Tag) (string, bool) {
	if t := b.tags.Load(); t != nil {
		v, ok := (*t)[string(name)]
		return v, ok
	}
	return "", false
}

// Binding binds a key in a context to a source of values of type T. Create
// it with Bind and configure it with its chainable methods:
//
//	di.Bind(app, GreeterKey).ToProvider(newGreeter).InScope(di.Singleton).Tag("greeter")
//
// A binding is in its context from the moment Bind returns; configuration
// methods may be called at any time and are safe for concurrent use with
// resolution. Changing the source or scope drops cached values.
type Binding[T any] struct {
	bindingCore
	st atomic.Pointer[state[T]]
}

// source is the immutable description of how values are made.
type source[T any] struct {
	kind     Source
	val      T
	provider func(*Container) (T, error)
	alias    Key[T]
	ctor     *ctorPlan
}

// state is a binding's current source and scope, with the singleton cache
// for that combination. A new state replaces it on every change.
type state[T any] struct {
	src   source[T]
	scope Scope
	mu    sync.Mutex
	done  atomic.Bool
	val   T
}

// Bind creates a binding for k in c, replacing any binding c itself has for
// that key, and returns it for configuration. Observers are notified, and
// the binding can be resolved, at once: before the chained calls that give
// it a source. To publish a binding only once it is configured, build it
// with NewBinding and add it with Context.Add.
//
// Bind panics if k's name is empty or has a "#path": both are programming
// errors.
func Bind[T any](c *Container, k Key[T]) *Binding[T] {
	b := NewBinding(k)
	c.Add(b)
	return b
}

// NewBinding returns a binding for k that belongs to no context yet:
// configure it, then add it with Context.Add, so that observers and
// resolvers never see it half-configured:
//
//	c.Add(di.NewBinding(CurrentUser).To(user).Tag("security"))
//
// NewBinding panics if k's name is empty or has a "#path".
func NewBinding[T any](k Key[T]) *Binding[T] {
	if k.key == "" {
		panic("di: Bind with an empty key")
	}
	if k.path != "" {
		panic(fmt.Sprintf("di: Bind %q: a binding key cannot have a #property path", k.name))
	}
	b := &Binding[T]{}
	b.key = k.key
	b.typ = reflect.TypeFor[T]()
	b.st.Store(&state[T]{})
	return b
}

// update replaces the binding's state with a copy changed by f.
func (b *Binding[T]) update(f func(s *state[T])) *Binding[T] {
	b.mu.Lock()
	old := b.st.Load()
	ns := &state[T]{src: old.src, scope: old.scope}
	f(ns)
	b.st.Store(ns)
	b.mu.Unlock()
	b.changed(b)
	return b
}

// To makes the binding a constant: every resolution returns v.
func (b *Binding[T]) To(v T) *Binding[T] {
	return b.update(func(s *state[T]) { s.src = source[T]{kind: Constant, val: v} })
}

// ToProvider makes f the source of values. f receives the context the value
// is resolved in (see Scope) and may resolve other keys from it; an error
// it returns is wrapped in a *ResolveError.
func (b *Binding[T]) ToProvider(f func(c *Container) (T, error)) *Binding[T] {
	if f == nil {
		panic(fmt.Sprintf("di: ToProvider for %q: nil provider", b.key))
	}
	return b.update(func(s *state[T]) { s.src = source[T]{kind: Provider, provider: f} })
}

// ToAlias makes the binding resolve k instead, in the context being
// resolved. k may have a deep property path.
func (b *Binding[T]) ToAlias(k Key[T]) *Binding[T] {
	if k.key == "" {
		panic(fmt.Sprintf("di: ToAlias for %q: empty key", b.key))
	}
	return b.update(func(s *state[T]) { s.src = source[T]{kind: Alias, alias: k} })
}

// ToConstructor makes fn the source of values. fn is a function returning
// T (or a type assignable to T), optionally followed by an error:
//
//	func(repo *TodoRepo, cfg Config) (*Svc, error)
//
// Each parameter is resolved from the container: by key when params gives
// one (Param("repositories.TodoRepository")), otherwise by type, from the
// nearest context that has exactly one binding whose type is the
// parameter's type. A *Container parameter receives the resolving context;
// Getter and Setter parameters (with a Param) receive a lazy accessor.
// ParamSpec.Optional makes a parameter the zero value when nothing is
// bound for it.
// When params is non-empty it must have one entry per parameter.
//
// The signature is checked here, once: ToConstructor panics when fn is not
// such a function (a programming error). Context.Validate checks that
// every parameter has a binding.
func (b *Binding[T]) ToConstructor(fn any, params ...ParamSpec) *Binding[T] {
	plan, err := newCtorPlan(fn, reflect.TypeFor[T](), params)
	if err != nil {
		panic(fmt.Sprintf("di: ToConstructor for %q: %v", b.key, err))
	}
	return b.update(func(s *state[T]) { s.src = source[T]{kind: Constructor, ctor: plan} })
}

// InScope sets the binding's scope; the default is Transient. Constants are
// the same in every scope.
func (b *Binding[T]) InScope(s Scope) *Binding[T] {
	return b.update(func(st *state[T]) { st.scope = s })
}

// Tag adds tags, each a bare Tag or one with a value (t.Is("v")). Tags are how Find, views,
// extension points and global interceptors select bindings.
func (b *Binding[T]) Tag(tags ...Tag) *Binding[T] {
	b.mu.Lock()
	var nt map[string]string
	if t := b.tags.Load(); t != nil {
		nt = maps.Clone(*t)
	} else {
		nt = make(map[string]string, len(tags))
	}
	for _, t := range tags {
		name, value, _ := strings.Cut(string(t), "=")
		nt[name] = value
	}
	b.tags.Store(&nt)
	b.mu.Unlock()
	b.changed(b)
	return b
}

// Scope returns the binding's scope.
func (b *Binding[T]) Scope() Scope { return b.st.Load().scope }

// Source says how the binding makes values.
func (b *Binding[T]) Source() Source { return b.st.Load().src.kind }

// String describes the binding: `"key" (provider, singleton) in application`.
func (b *Binding[T]) String() string {
	st := b.st.Load()
	where := "no context"
	if n := b.owner.Load(); n != nil {
		where = n.name
	}
	return fmt.Sprintf("%q (%s, %s) in %s", b.key, st.src.kind, st.scope, where)
}
