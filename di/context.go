package di

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Container is a node in the hierarchy of containers (application → server →
// request → invocation). It holds bindings; a lookup that misses in a
// context continues in its parent. Contexts are safe for concurrent use.
//
// The *Container a provider or constructor receives may be a different pointer
// from the one Get was called with: it is the same context, carrying the
// resolution path used to detect cycles. Compare contexts with Same, not ==.
type Container struct {
	n   *node
	res *frame // resolution path; nil outside a resolution
}

// frame is one step of a resolution path. It embeds the Container handed to
// the provider, so that a resolution costs one allocation.
type frame struct {
	ctx    Container
	key    string
	parent *frame
}

type bindingMap = map[string]binder

// table is one version of a context's bindings. It is never modified: a
// change stores a new table. The index by type is built on first use.
type table struct {
	m     bindingMap
	types atomic.Pointer[map[reflect.Type][]binder]
}

// byType returns the bindings of t in the table.
func (tb *table) byType(t reflect.Type) []binder {
	idx := tb.types.Load()
	if idx == nil {
		m := make(map[reflect.Type][]binder)
		for _, b := range tb.m {
			m[b.Type()] = append(m[b.Type()], b)
		}
		for _, bs := range m {
			slices.SortFunc(bs, func(a, b binder) int { return strings.Compare(a.Key(), b.Key()) })
		}
		tb.types.Store(&m)
		idx = &m
	}
	return (*idx)[t]
}

// node is the shared state of a context.
type node struct {
	self   Container
	parent *node
	name   string
	scope  Scope

	mu        sync.Mutex // serializes writers of bindings and observers
	bindings  atomic.Pointer[table]
	gen       atomic.Uint64 // bumped on every change of a binding owned here
	seq       atomic.Uint64 // registration counter; used on the root only (see nextSeq)
	observers atomic.Pointer[[]*observer]

	cmu   sync.Mutex // guards slots and more
	slots [2]slot
	more  map[*bindingCore]*slot

	icache atomic.Pointer[interceptorCache]
}

// slot caches one binding's scoped value in the context of the binding's
// scope. The value is published as an immutable scopedResult; the first
// one lives in the slot itself, so that a request context building its
// first scoped values allocates nothing but the values.
type slot struct {
	key   *bindingCore // guarded by the node's cmu
	mu    sync.Mutex   // serializes builds
	res   atomic.Pointer[scopedResult]
	first scopedResult
	fr    frame // with first, handed out by the first build (fr.ctx.n set)
}

// scopedResult is a value and the binding state it was built from: a value
// built from an older source or scope is stale.
type scopedResult struct {
	st any
	v  any
}

// NewContainer returns a context named name whose lookups continue in parent
// (nil makes a root). scope is the level the context represents: the
// application's root context is Application, a REST server's Server, a
// request's Request; use Transient for contexts of no particular level.
//
// NewContainer allocates once; child contexts allocate their binding table
// only when something is bound in them.
func NewContainer(parent *Container, name string, scope Scope) *Container {
	n := &node{name: name, scope: scope}
	n.self.n = n
	if parent != nil {
		n.parent = parent.n
	}
	return &n.self
}

// Name returns the context's name.
func (c *Container) Name() string { return c.n.name }

// Scope returns the level the context represents.
func (c *Container) Scope() Scope { return c.n.scope }

// Parent returns the parent context, or nil for a root.
func (c *Container) Parent() *Container {
	if c.n.parent == nil {
		return nil
	}
	return &c.n.parent.self
}

// Same reports whether c and other are the same context.
func (c *Container) Same(other *Container) bool {
	return c != nil && other != nil && c.n == other.n
}

// String returns the chain of context names, nearest first:
// "request -> server -> application".
func (c *Container) String() string { return strings.Join(c.chain(), " -> ") }

func (c *Container) chain() []string {
	var names []string
	for n := c.n; n != nil; n = n.parent {
		names = append(names, n.name)
	}
	return names
}

// lookup finds the binding for key in c or its nearest ancestor.
func (c *Container) lookup(key string) binder {
	for n := c.n; n != nil; n = n.parent {
		if m := n.bindings.Load(); m != nil {
			if b, ok := m.m[key]; ok {
				return b
			}
		}
	}
	return nil
}

// IsBound reports whether key (without any "#path") is bound in c or an
// ancestor.
func (c *Container) IsBound(key string) bool {
	k, _, _ := strings.Cut(key, "#")
	return c.lookup(k) != nil
}

// Contains reports whether key is bound in c itself.
func (c *Container) Contains(key string) bool {
	if m := c.n.bindings.Load(); m != nil {
		_, ok := m.m[key]
		return ok
	}
	return false
}

// Binding returns the binding for key in c or its nearest ancestor.
func (c *Container) Binding(key string) (Entry, bool) {
	b := c.lookup(key)
	if b == nil {
		return nil, false
	}
	return b, true
}

// Add puts the binding e (made with NewBinding) into c, replacing any
// binding c itself has for its key, and notifies observers. It panics if e
// was already added to a context: a binding belongs to one context.
func (c *Container) Add(e Entry) {
	b, ok := e.(binder)
	if !ok {
		panic(fmt.Sprintf("di: Add of a foreign Entry %T", e))
	}
	n := c.n
	if !b.core().owner.CompareAndSwap(nil, n) {
		panic(fmt.Sprintf("di: Add %q to %s: the binding already belongs to %s", b.Key(), n.name, b.Owner().Name()))
	}
	b.core().seq = n.nextSeq()
	n.add(b)
}

// add puts b into the context, replacing any binding of the same key, and
// notifies observers.
func (n *node) add(b binder) {
	n.mu.Lock()
	var old binder
	m := n.bindings.Load()
	var nm bindingMap
	if m == nil {
		nm = make(bindingMap, 4)
	} else {
		nm = make(bindingMap, len(m.m)+1)
		for k, v := range m.m {
			nm[k] = v
		}
		old = m.m[b.core().key]
	}
	nm[b.core().key] = b
	n.bindings.Store(&table{m: nm})
	n.gen.Add(1)
	n.mu.Unlock()
	if old != nil {
		n.notify(Event{Type: Unbound, Binding: old, Context: &n.self})
	}
	n.notify(Event{Type: Bound, Binding: b, Context: &n.self})
}

// nextSeq returns the next registration number of n's hierarchy, which
// orders Find results.
func (n *node) nextSeq() uint64 {
	for n.parent != nil {
		n = n.parent
	}
	return n.seq.Add(1)
}

// changed records a change to b, one of n's bindings, and notifies
// observers if b is still bound in n.
func (n *node) changed(b binder) {
	n.gen.Add(1)
	if m := n.bindings.Load(); m != nil && m.m[b.Key()] == b {
		n.notify(Event{Type: Changed, Binding: b, Context: &n.self})
	}
}

// Unbind removes the binding for key from c itself (not from ancestors) and
// reports whether there was one. Values it cached in scoped contexts are
// dropped with it.
func (c *Container) Unbind(key Named) bool {
	name, _, _ := strings.Cut(key.Name(), "#")
	n := c.n
	n.mu.Lock()
	m := n.bindings.Load()
	if m == nil {
		n.mu.Unlock()
		return false
	}
	old, ok := m.m[name]
	if !ok {
		n.mu.Unlock()
		return false
	}
	nm := make(bindingMap, len(m.m))
	for k, v := range m.m {
		if k != name {
			nm[k] = v
		}
	}
	n.bindings.Store(&table{m: nm})
	n.gen.Add(1)
	n.mu.Unlock()
	n.notify(Event{Type: Unbound, Binding: old, Context: &n.self})
	return true
}

// Close detaches the observers subscribed through c (they are registered
// with c's ancestors too, so a short-lived context that subscribed must be
// closed to be garbage collected). A closed context can still be used.
func (c *Container) Close() {
	n := c.n
	for p := n; p != nil; p = p.parent {
		p.removeObserversOf(n)
	}
}

// slot returns the cache slot for binding b in n, creating it.
func (n *node) slot(b *bindingCore) *slot {
	n.cmu.Lock()
	defer n.cmu.Unlock()
	for i := range n.slots {
		s := &n.slots[i]
		if s.key == b {
			return s
		}
		if s.key == nil {
			s.key = b
			return s
		}
	}
	s := n.more[b]
	if s == nil {
		if n.more == nil {
			n.more = make(map[*bindingCore]*slot)
		}
		s = &slot{key: b}
		n.more[b] = s
	}
	return s
}

type ctxKey struct{}

// WithContainer returns a copy of ctx that carries c. Handlers reach the
// request's container with FromContext.
func WithContainer(ctx context.Context, c *Container) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// ContextKey returns the key under which WithContainer stores a *Container
// in a context.Context. A context.Context implementation of its own may
// answer Value(ContextKey()) with a *Container directly — to create a request's
// container only when a handler asks for it, for instance — and
// FromContext will return it.
func ContextKey() any { return ctxKey{} }

// FromContext returns the container carried by ctx, if any: it makes one
// ctx.Value(ContextKey()) call.
func FromContext(ctx context.Context) (*Container, bool) {
	c, ok := ctx.Value(ctxKey{}).(*Container)
	return c, ok && c != nil
}
