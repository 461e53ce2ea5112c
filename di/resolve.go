package di

import (
	"fmt"
	"reflect"
)

// Get resolves k in c: it finds the binding in c or its nearest ancestor,
// makes or fetches the value according to the binding's source and scope,
// and follows k's deep property path, if any.
//
// Errors wrap ErrNotBound, ErrCycle, ErrWrongType, ErrNoScope, ErrNoSource,
// ErrBadPath, or come from a provider or constructor as a *ResolveError.
func Get[T any](c *Container, k Key[T]) (T, error) {
	b := c.lookup(k.key)
	if b == nil {
		var zero T
		return zero, c.notBound(k.key)
	}
	if k.path == "" {
		if tb, ok := b.(*Binding[T]); ok {
			return tb.get(c)
		}
	}
	v, err := b.resolveAny(c)
	if err != nil {
		var zero T
		return zero, err
	}
	return convert[T](c, k.name, v, k.path)
}

// MustGet is like Get but panics on error. Use it at setup time, where a
// missing binding is a programming error.
func MustGet[T any](c *Container, k Key[T]) T {
	v, err := Get(c, k)
	if err != nil {
		panic(err)
	}
	return v
}

// Resolve resolves the binding named key (which may have a "#path") and
// returns its value untyped.
func (c *Container) Resolve(key string) (any, error) {
	return Get(c, NewKey[any](key))
}

// ResolveEntry resolves the binding e in c, untyped. e is normally one that
// Find returned for c; resolving it in c applies its scope as Get would.
func (c *Container) ResolveEntry(e Entry) (any, error) {
	b, ok := e.(binder)
	if !ok || b.Owner() == nil {
		return nil, fmt.Errorf("di: ResolveEntry of %v, which belongs to no context", e)
	}
	return b.resolveAny(c)
}

// convert follows path and asserts the result is a T.
func convert[T any](c *Container, name string, v any, path string) (T, error) {
	var zero T
	if path != "" {
		var err error
		if v, err = property(v, path); err != nil {
			return zero, &ResolveError{Key: name, Path: c.pathTo(name), Err: err}
		}
	}
	if t, ok := v.(T); ok {
		return t, nil
	}
	if v == nil {
		// A nil value fits any T whose zero value is nil.
		switch reflect.TypeFor[T]().Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
			return zero, nil
		}
	}
	return zero, &ResolveError{Key: name, Path: c.pathTo(name),
		Err: fmt.Errorf("%w: the value is %T, not %s", ErrWrongType, v, reflect.TypeFor[T]())}
}

func (b *Binding[T]) resolveAny(c *Container) (any, error) {
	v, err := b.get(c)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// get resolves the binding in c, c being the context that asked.
func (b *Binding[T]) get(c *Container) (T, error) {
	st := b.st.Load()
	if st.src.kind == Constant {
		return st.src.val, nil
	}
	switch st.scope {
	case Transient:
		if err := c.checkCycle(b.key); err != nil {
			var zero T
			return zero, err
		}
		f := &frame{key: b.key, parent: c.res}
		f.ctx = Container{n: c.n, res: f}
		return b.call(st, &f.ctx)
	case Singleton:
		if st.done.Load() {
			return st.val, nil
		}
		return b.singleton(st, c)
	default:
		return b.scoped(st, c)
	}
}

// singleton builds the value once, in the owner context, under the state's
// lock, so that concurrent first callers wait for one build.
func (b *Binding[T]) singleton(st *state[T], c *Container) (T, error) {
	if err := c.checkCycle(b.key); err != nil {
		var zero T
		return zero, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.done.Load() {
		return st.val, nil
	}
	f := &frame{key: b.key, parent: c.res}
	f.ctx = Container{n: b.owner.Load(), res: f}
	v, err := b.call(st, &f.ctx)
	if err != nil {
		return v, err
	}
	st.val = v
	st.done.Store(true)
	return v, nil
}

// scoped builds the value once per context of the binding's scope, in that
// context, and caches it there.
func (b *Binding[T]) scoped(st *state[T], c *Container) (T, error) {
	var zero T
	sc := c.n
	for sc != nil && sc.scope != st.scope {
		sc = sc.parent
	}
	if sc == nil {
		return zero, &ResolveError{Key: b.key, Path: c.pathTo(b.key),
			Err: fmt.Errorf("%w: binding %q has scope %s but context %s has no %s context",
				ErrNoScope, b.key, st.scope, c, st.scope)}
	}
	visible := false
	owner := b.owner.Load()
	for p := sc; p != nil; p = p.parent {
		if p == owner {
			visible = true
			break
		}
	}
	if !visible {
		return zero, &ResolveError{Key: b.key, Path: c.pathTo(b.key),
			Err: fmt.Errorf("%w: binding %q is bound in %s, which the %s context %s cannot see",
				ErrNoScope, b.key, owner.name, st.scope, sc.name)}
	}
	s := sc.slot(&b.bindingCore)
	if r := s.res.Load(); r != nil && r.st == any(st) {
		t, _ := r.v.(T) // a nil interface value is T's zero value
		return t, nil
	}
	if err := c.checkCycle(b.key); err != nil {
		return zero, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.res.Load(); r != nil && r.st == any(st) {
		t, _ := r.v.(T) // a nil interface value is T's zero value
		return t, nil
	}
	f, r := &s.fr, &s.first
	if f.ctx.n != nil {
		f, r = &frame{}, &scopedResult{}
	}
	f.key, f.parent = b.key, c.res
	f.ctx = Container{n: sc, res: f}
	v, err := b.call(st, &f.ctx)
	if err != nil {
		return v, err
	}
	r.st, r.v = st, v
	s.res.Store(r)
	return v, nil
}

// call makes a value from the source, in c, whose frame is the binding's.
func (b *Binding[T]) call(st *state[T], c *Container) (T, error) {
	var zero T
	switch st.src.kind {
	case Provider:
		v, err := st.src.provider(c)
		if err != nil {
			return zero, b.wrap(c, err)
		}
		return v, nil
	case Alias:
		return Get(c, st.src.alias)
	case Constructor:
		v, err := st.src.ctor.call(c)
		if err != nil {
			return zero, b.wrap(c, err)
		}
		if v == nil {
			return zero, nil
		}
		t, ok := v.(T)
		if !ok {
			return zero, b.wrap(c, fmt.Errorf("%w: constructor returned %T, not %s", ErrWrongType, v, reflect.TypeFor[T]()))
		}
		return t, nil
	case Constant:
		return st.src.val, nil
	}
	return zero, &ResolveError{Key: b.key, Path: c.path(),
		Err: fmt.Errorf("%w: call To, ToProvider, ToAlias or ToConstructor on binding %q in %s", ErrNoSource, b.key, b.Owner())}
}

func (b *Binding[T]) wrap(c *Container, err error) error {
	if isContainerError(err) {
		return err
	}
	return &ResolveError{Key: b.key, Path: c.path(), Err: err}
}

// onPath reports whether key is on c's resolution path.
func (c *Container) onPath(key string) bool {
	for f := c.res; f != nil; f = f.parent {
		if f.key == key {
			return true
		}
	}
	return false
}

// checkCycle returns a *CycleError if key is already on c's resolution path.
func (c *Container) checkCycle(key string) error {
	if c.onPath(key) {
		return &CycleError{Path: c.pathTo(key)}
	}
	return nil
}

// path returns c's resolution path, outermost first.
func (c *Container) path() []string {
	var p []string
	for f := c.res; f != nil; f = f.parent {
		p = append(p, f.key)
	}
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// pathTo returns c's resolution path followed by key.
func (c *Container) pathTo(key string) []string { return append(c.path(), key) }

func (c *Container) notBound(key string) error {
	return &NotBoundError{Key: key, Contexts: c.chain(), Path: c.pathTo(key)}
}
