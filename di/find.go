package di

import (
	"cmp"
	"slices"
	"strings"
)

// Filter selects bindings, for Find, views and observers.
type Filter func(Entry) bool

// ByTag matches bindings that have all the tags; each tag is "name" (the
// binding has the tag, with any value) or "name=value".
func ByTag(tags ...Tag) Filter {
	type tag struct {
		name     Tag
		value    string
		hasValue bool
	}
	ts := make([]tag, len(tags))
	for i, t := range tags {
		name, value, hasValue := strings.Cut(string(t), "=")
		ts[i].name, ts[i].value, ts[i].hasValue = Tag(name), value, hasValue
	}
	return func(e Entry) bool {
		for _, t := range ts {
			v, ok := e.TagValue(t.name)
			if !ok || (t.hasValue && v != t.value) {
				return false
			}
		}
		return true
	}
}

// ByKey matches bindings whose key matches pattern, where '*' stands for
// any run of characters other than '.' and ':', and '?' for one such
// character: "repositories.*" matches "repositories.TodoRepository" but
// not "repositories.a.b".
func ByKey(pattern string) Filter {
	if !strings.ContainsAny(pattern, "*?") {
		return func(e Entry) bool { return e.Key() == pattern }
	}
	return func(e Entry) bool { return glob(pattern, e.Key()) }
}

// And matches bindings that every filter matches.
func And(filters ...Filter) Filter {
	return func(e Entry) bool {
		for _, f := range filters {
			if !f(e) {
				return false
			}
		}
		return true
	}
}

// glob matches s against pattern (see ByKey).
func glob(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; ; i++ {
			if glob(pattern[1:], s[i:]) {
				return true
			}
			if i == len(s) || s[i] == '.' || s[i] == ':' {
				return false
			}
		}
	case '?':
		if s == "" || s[0] == '.' || s[0] == ':' {
			return false
		}
		return glob(pattern[1:], s[1:])
	default:
		if s == "" || s[0] != pattern[0] {
			return false
		}
		return glob(pattern[1:], s[1:])
	}
}

// Find returns the bindings visible from c (its own and its ancestors',
// a nearer binding hiding a farther one of the same key) that filter
// matches (nil matches all), in the order they were bound.
func (c *Container) Find(filter Filter) []Entry {
	bs := c.n.collect(filter)
	es := make([]Entry, len(bs))
	for i, b := range bs {
		es[i] = b
	}
	return es
}

// FindByTag returns the bindings visible from c that have all the tags
// (see ByTag).
func (c *Container) FindByTag(tags ...Tag) []Entry { return c.Find(ByTag(tags...)) }

// collect returns the matching bindings visible from n, in binding order.
func (n *node) collect(filter Filter) []binder {
	var out []binder
	var seen map[string]bool
	for p := n; p != nil; p = p.parent {
		m := p.bindings.Load()
		if m == nil {
			continue
		}
		for k, b := range m.m {
			if seen[k] {
				continue
			}
			if p.parent != nil {
				if seen == nil {
					seen = make(map[string]bool)
				}
				seen[k] = true
			}
			if filter == nil || filter(b) {
				out = append(out, b)
			}
		}
	}
	slices.SortFunc(out, func(a, b binder) int { return cmp.Compare(a.core().seq, b.core().seq) })
	return out
}
