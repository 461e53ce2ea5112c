package di

import (
	"slices"
	"strings"
)

// Tags for extension points and extensions.
const (
	// TagExtensionFor marks a binding as an extension of the point named by
	// its value: "extensionFor=greeters".
	TagExtensionFor Tag = "extensionFor"
	// TagExtensionPoint marks a binding as an extension point; its value is
	// the point's name.
	TagExtensionPoint Tag = "extensionPoint"
)

// ExtensionPoint names a point that extensions of type T plug into. Declare
// it once, next to T, and use it to add and to list extensions, so that an
// extension of the wrong type does not compile:
//
//	var Greeters = di.NewExtensionPoint[Greeter]("greeters")
//
//	di.AddExtension(app, Greeters, Greeters.Key("en")).To(English{})
//	all, err := di.Extensions(app, Greeters)
type ExtensionPoint[T any] struct{ name string }

// NewExtensionPoint returns the extension point named name for extensions
// of type T.
func NewExtensionPoint[T any](name string) ExtensionPoint[T] {
	return ExtensionPoint[T]{name: name}
}

// Name returns the point's name, the value of its extensions'
// extensionFor tag.
func (p ExtensionPoint[T]) Name() string { return p.name }

// String returns the point's name.
func (p ExtensionPoint[T]) String() string { return p.name }

// Key returns the conventional key of the extension called name:
// "extensions.<point>.<name>".
func (p ExtensionPoint[T]) Key(name string) Key[T] {
	return NewKey[T]("extensions." + p.name + "." + name)
}

// Tag returns the tag that marks a binding as the point itself:
// "extensionPoint=<name>".
func (p ExtensionPoint[T]) Tag() Tag { return TagExtensionPoint.Is(p.name) }

// AddExtension binds k in c as an extension of point (it tags the binding
// "extensionFor=<point>") and returns the binding for configuration:
//
//	di.AddExtension(app, Greeters, Greeters.Key("en")).To(English{})
func AddExtension[T any](c *Container, point ExtensionPoint[T], k Key[T]) *Binding[T] {
	return ExtendPoint(Bind(c, k), point)
}

// Extensions resolves, in c, the extensions of point that c can see, in
// the order they were bound.
func Extensions[T any](c *Container, point ExtensionPoint[T]) ([]T, error) {
	return resolveAll[T](c, c.n.collect(ExtensionFilter(point)))
}

// ExtensionView returns a live view of the extensions of point visible from
// c: an extension point keeps one and sees extensions bound later.
func ExtensionView[T any](c *Container, point ExtensionPoint[T]) *View[T] {
	return NewView[T](c, ExtensionFilter(point))
}

// ExtendPoint makes an existing binding an extension of point as well: a
// binding may extend several points, its extensionFor tag listing them
// separated by commas ("extensionFor=greeters,farewells").
func ExtendPoint[T any](b *Binding[T], point ExtensionPoint[T]) *Binding[T] {
	if v, ok := b.TagValue(TagExtensionFor); ok && v != "" {
		if slices.Contains(strings.Split(v, ","), point.name) {
			return b
		}
		return b.Tag(TagExtensionFor.Is(v + "," + point.name))
	}
	return b.Tag(TagExtensionFor.Is(point.name))
}

// ExtensionFilter matches the extensions of the point point names:
// bindings whose extensionFor tag is its name or a comma-separated list
// that includes it. It takes any Named so that tools can list the
// extensions of a point known only by name (di.NewKey[any](name)).
func ExtensionFilter(point Named) Filter {
	name := point.Name()
	return func(e Entry) bool {
		v, ok := e.TagValue(TagExtensionFor)
		if !ok {
			return false
		}
		for p := range strings.SplitSeq(v, ",") {
			if p == name {
				return true
			}
		}
		return false
	}
}
