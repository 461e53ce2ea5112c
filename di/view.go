package di

import (
	"sync"
	"sync/atomic"
)

// View is a live, typed list of the bindings visible from a context that a
// filter matches. It stays current as bindings are added, removed, retagged
// or replaced in the context or its ancestors: every read checks, with one
// atomic load per context in the chain, whether anything changed, and
// recomputes the list only then. A View is safe for concurrent use.
type View[T any] struct {
	c      *Container
	filter Filter
	mu     sync.Mutex // serializes recomputation
	snap   atomic.Pointer[snapshot]
}

// snapshot is a list of bindings and the generations of the chain's
// contexts it was computed at.
type snapshot struct {
	gens     []uint64
	bindings []binder
}

// fresh reports whether nothing changed in n's chain since s was taken.
func (s *snapshot) fresh(n *node) bool {
	i := 0
	for p := n; p != nil; p = p.parent {
		if p.gen.Load() != s.gens[i] {
			return false
		}
		i++
	}
	return true
}

// take computes a snapshot of the bindings visible from n that filter
// matches. The generations are read first, so that a change made while the
// list is computed makes the snapshot stale rather than wrong.
func take(n *node, filter Filter) *snapshot {
	s := &snapshot{}
	for p := n; p != nil; p = p.parent {
		s.gens = append(s.gens, p.gen.Load())
	}
	s.bindings = n.collect(filter)
	return s
}

// NewView returns a view of the bindings visible from c that filter
// matches (nil matches all), whose values are Ts.
func NewView[T any](c *Container, filter Filter) *View[T] {
	return &View[T]{c: &c.n.self, filter: filter}
}

func (v *View[T]) current() []binder {
	if s := v.snap.Load(); s != nil && s.fresh(v.c.n) {
		return s.bindings
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s := v.snap.Load(); s != nil && s.fresh(v.c.n) {
		return s.bindings
	}
	s := take(v.c.n, v.filter)
	v.snap.Store(s)
	return s.bindings
}

// Bindings returns the matching bindings, in the order they were bound.
func (v *View[T]) Bindings() []Entry {
	bs := v.current()
	es := make([]Entry, len(bs))
	for i, b := range bs {
		es[i] = b
	}
	return es
}

// Len returns the number of matching bindings.
func (v *View[T]) Len() int { return len(v.current()) }

// Values resolves every matching binding in the view's context and returns
// the values in binding order. The first error stops it.
func (v *View[T]) Values() ([]T, error) {
	return resolveAll[T](v.c, v.current())
}

// resolveAll resolves bindings in c as Ts.
func resolveAll[T any](c *Container, bs []binder) ([]T, error) {
	out := make([]T, 0, len(bs))
	for _, b := range bs {
		var t T
		var err error
		if tb, ok := b.(*Binding[T]); ok {
			t, err = tb.get(c)
		} else {
			var a any
			if a, err = b.resolveAny(c); err == nil {
				t, err = convert[T](c, b.Key(), a, "")
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
