package di

import "slices"

// EventType says what happened to a binding.
type EventType int

// The event types.
const (
	Bound   EventType = iota + 1 // a binding was added (or replaced one)
	Unbound                      // a binding was removed (or replaced)
	Changed                      // a binding's source, scope or tags changed
)

// String returns "bind", "unbind" or "change".
func (t EventType) String() string {
	switch t {
	case Bound:
		return "bind"
	case Unbound:
		return "unbind"
	case Changed:
		return "change"
	}
	return "unknown"
}

// Event tells an observer that a binding was added to, removed from or
// changed in a context.
type Event struct {
	Type    EventType
	Binding Entry
	Context *Container // where the binding was added or removed
}

type observer struct {
	fn     func(Event)
	filter Filter
	from   *node // the context it was subscribed through
}

// Observe calls fn for every binding added to, removed from or changed in
// c or one of its ancestors (the bindings c can see) that matches filter
// (nil matches all). Replacing a binding sends Unbound for the old one,
// then Bound.
//
// Bind adds a binding before its chained calls give it a source and tags,
// so Bind(c, k).To(v).Tag("t") sends Bound, then Changed (To), then
// Changed (Tag); the filter is applied to the binding as it is after each
// step. An observer waiting for bindings that match a tag should therefore
// react to Changed as well as Bound. (A View needs no such care.)
//
// fn runs synchronously in the goroutine that changed the context, after
// the change and with no lock held, so it may use the context; it must not
// block for long. The returned function cancels the subscription; Close
// on c cancels all made through c.
func (c *Container) Observe(filter Filter, fn func(Event)) (cancel func()) {
	o := &observer{fn: fn, filter: filter, from: c.n}
	for n := c.n; n != nil; n = n.parent {
		n.mu.Lock()
		var list []*observer
		if p := n.observers.Load(); p != nil {
			list = slices.Clone(*p)
		}
		list = append(list, o)
		n.observers.Store(&list)
		n.mu.Unlock()
	}
	return func() {
		for n := c.n; n != nil; n = n.parent {
			n.removeObservers(func(x *observer) bool { return x == o })
		}
	}
}

func (n *node) removeObserversOf(from *node) {
	n.removeObservers(func(x *observer) bool { return x.from == from })
}

func (n *node) removeObservers(match func(*observer) bool) {
	if p := n.observers.Load(); p == nil || !slices.ContainsFunc(*p, match) {
		return // the common case, without taking the lock
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	p := n.observers.Load()
	if p == nil || !slices.ContainsFunc(*p, match) {
		return
	}
	list := slices.DeleteFunc(slices.Clone(*p), match)
	n.observers.Store(&list)
}

func (n *node) notify(ev Event) {
	p := n.observers.Load()
	if p == nil {
		return
	}
	for _, o := range *p {
		if o.filter == nil || o.filter(ev.Binding) {
			o.fn(ev)
		}
	}
}
