package di

import (
	"errors"
	"fmt"
)

// Validate checks, without building anything, that the dependencies of
// every alias and constructor binding visible from c are bound (by key, or
// by type without ambiguity) and that they form no cycle. Providers are
// opaque to it. Call it once the application is wired, before serving, to
// get wiring mistakes at start-up rather than on the first request; the
// error joins one error per problem, each wrapping ErrNotBound,
// ErrAmbiguous or ErrCycle.
//
// Dependencies are looked up from c (from the owner context for
// singletons), so a dependency that is only bound at run time — into a
// request context, by a Setter — is reported unless its parameter is a
// Getter or marked Optional.
func (c *Container) Validate() error {
	bs := c.n.collect(nil)
	var errs []error
	edges := make(map[binder][]binder)
	for _, b := range bs {
		from := c
		if b.Scope() == Singleton {
			from = b.Owner()
		}
		for _, d := range b.deps() {
			var dep binder
			if d.typ != nil {
				found, err := (&Container{n: from.n, res: &frame{key: b.Key()}}).findType(d.typ)
				if err != nil {
					errs = append(errs, fmt.Errorf("binding %q: %w", b.Key(), err))
					continue
				}
				if found == nil {
					errs = append(errs, fmt.Errorf("binding %q: %w: no binding of type %s in %s",
						b.Key(), ErrNotBound, d.typ, from))
					continue
				}
				dep = found
			} else {
				dep = from.lookup(d.key)
				if dep == nil {
					errs = append(errs, fmt.Errorf("binding %q: %w", b.Key(), from.notBound(d.key)))
					continue
				}
			}
			edges[b] = append(edges[b], dep)
		}
	}
	// Depth-first search for cycles among the edges.
	const (
		white = iota
		grey
		black
	)
	color := make(map[binder]int)
	var stack []binder
	var visit func(b binder)
	visit = func(b binder) {
		color[b] = grey
		stack = append(stack, b)
		for _, d := range edges[b] {
			switch color[d] {
			case white:
				visit(d)
			case grey:
				var path []string
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i] == d {
						for _, s := range stack[i:] {
							path = append(path, s.Key())
						}
						break
					}
				}
				errs = append(errs, &CycleError{Path: append(path, d.Key())})
			}
		}
		stack = stack[:len(stack)-1]
		color[b] = black
	}
	for _, b := range bs {
		if color[b] == white {
			visit(b)
		}
	}
	return errors.Join(errs...)
}
