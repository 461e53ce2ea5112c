package di

import (
	"cmp"
	"context"
	"slices"
)

// Invocation describes a call that interceptors wrap.
type Invocation struct {
	// Context is the container of the invocation (usually the request
	// context); global interceptors are found from it up the chain, and
	// resolved in it.
	Context *Container
	// Target names what is called, e.g. "TodoController.create".
	Target string
	// Args are the call's arguments; interceptors may change them.
	Args []any
	// Result is the target's result, set when the target returns.
	Result any
}

// Next calls the rest of the chain: the next interceptor or the target.
type Next func(ctx context.Context) (any, error)

// Interceptor wraps an invocation: it may act before and after calling
// next, change inv.Args or the result, or return without calling next.
type Interceptor func(ctx context.Context, inv *Invocation, next Next) (any, error)

// Tags and keys for global interceptors.
const (
	// TagGlobalInterceptor marks a binding of an Interceptor as global:
	// Intercept runs it around every invocation whose context sees it.
	TagGlobalInterceptor Tag = "globalInterceptor"
	// TagGroup puts a global interceptor in a group: "group=auth".
	TagGroup Tag = "group"
	// GlobalInterceptorOrder is the key of a []string binding that orders
	// global interceptor groups. As in LoopBack, groups it does not list
	// run first, by group name (interceptors without a group are in group
	// ""), then the groups it lists, in its order; within a group,
	// interceptors run in the order they were bound.
	GlobalInterceptorOrder = "globalInterceptor.orderedGroups"
)

// AddGlobalInterceptor binds i at key in c as a global interceptor in
// group (which may be "").
func AddGlobalInterceptor(c *Container, key Key[Interceptor], group string, i Interceptor) *Binding[Interceptor] {
	b := Bind(c, key).To(i).Tag(TagGlobalInterceptor)
	if group != "" {
		b.Tag(TagGroup.Is(group))
	}
	return b
}

// Intercept calls target through the global interceptors visible from
// inv.Context (see TagGlobalInterceptor and GlobalInterceptorOrder), then
// the local ones, in order. The list of global interceptors is cached and
// recomputed only when a binding changes, so with no interceptors Intercept
// costs a few atomic loads more than calling target.
func Intercept(ctx context.Context, inv *Invocation, local []Interceptor, target Next) (any, error) {
	var globals []binder
	if inv.Context != nil {
		globals = inv.Context.n.globalInterceptors()
	}
	if len(globals) == 0 && len(local) == 0 {
		r, err := target(ctx)
		inv.Result = r
		return r, err
	}
	r := &runner{inv: inv, target: target}
	r.chain = r.buf[:0]
	for _, b := range globals {
		var i Interceptor
		var err error
		if tb, ok := b.(*Binding[Interceptor]); ok {
			i, err = tb.get(inv.Context)
		} else {
			var v any
			if v, err = b.resolveAny(inv.Context); err == nil {
				i, err = convert[Interceptor](inv.Context, b.Key(), v, "")
			}
		}
		if err != nil {
			return nil, err
		}
		if i != nil {
			r.chain = append(r.chain, i)
		}
	}
	for _, l := range local {
		if l != nil {
			r.chain = append(r.chain, l)
		}
	}
	return r.run(ctx, 0)
}

// runner runs one invocation's chain; buf holds short chains without
// another allocation.
type runner struct {
	inv    *Invocation
	chain  []Interceptor
	target Next
	buf    [4]Interceptor
}

func (r *runner) run(ctx context.Context, i int) (any, error) {
	if i == len(r.chain) {
		res, err := r.target(ctx)
		r.inv.Result = res
		return res, err
	}
	return r.chain[i](ctx, r.inv, func(ctx context.Context) (any, error) { return r.run(ctx, i+1) })
}

// interceptorCache is a node's sorted list of global interceptors.
type interceptorCache struct {
	snap *snapshot
}

// globalInterceptors returns the sorted global interceptor bindings visible
// from n. Application and server contexts cache their list until something
// in their chain changes. A small short-lived context (a request's or an
// invocation's) whose own bindings do not affect the list uses its
// parent's, so per-request contexts never compute or cache a list.
func (n *node) globalInterceptors() []binder {
	for ; n != nil; n = n.parent {
		m := n.bindings.Load()
		if m == nil {
			continue
		}
		shortLived := n.scope == Request || n.scope == Transient
		if shortLived && len(m.m) <= smallContext && !n.affectsInterceptors(m.m) {
			continue
		}
		return n.cachedInterceptors()
	}
	return nil
}

// smallContext is the size up to which a short-lived context's bindings are
// scanned on every Intercept instead of caching a list in the context.
const smallContext = 8

// affectsInterceptors reports whether a context's own bindings m change the
// list of global interceptors its parent sees: one is a global interceptor,
// orders them, or hides one.
func (n *node) affectsInterceptors(m bindingMap) bool {
	for k, b := range m {
		if k == GlobalInterceptorOrder || b.HasTag(TagGlobalInterceptor) {
			return true
		}
		if n.parent != nil {
			if pb := n.parent.self.lookup(k); pb != nil && pb.HasTag(TagGlobalInterceptor) {
				return true
			}
		}
	}
	return false
}

// cachedInterceptors returns n's cached list, recomputing it if stale.
// Goroutines that find it stale at the same time each compute it; any of
// their results is right, and the last one stored stays.
func (n *node) cachedInterceptors() []binder {
	if ic := n.icache.Load(); ic != nil && ic.snap.fresh(n) {
		return ic.snap.bindings
	}
	s := take(n, ByTag(TagGlobalInterceptor))
	if len(s.bindings) > 1 {
		order, _ := Get(&n.self, NewKey[[]string](GlobalInterceptorOrder))
		// As in LoopBack: groups missing from the order come first, by
		// name; then the listed groups, in the order's order.
		rank := func(b binder) (int, string) {
			g, _ := b.TagValue(TagGroup)
			return slices.Index(order, g), g
		}
		slices.SortStableFunc(s.bindings, func(a, b binder) int {
			ra, ga := rank(a)
			rb, gb := rank(b)
			if ra == -1 && rb == -1 {
				return cmp.Compare(ga, gb)
			}
			return cmp.Compare(ra, rb)
		})
	}
	n.icache.Store(&interceptorCache{snap: s})
	return s.bindings
}
