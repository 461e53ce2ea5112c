package di

import (
	"slices"
	"strings"
)

// Tags for extension points and extensions.
const (
	// TagExtensionFor marks a binding as an extension of the point named by
	// its value: "extensionFor=greeters".
	TagExtensionFor = "extensionFor"
	// TagExtensionPoint marks a binding as an extension point; its value is
	// the point's name.
	TagExtensionPoint = "extensionPoint"
)

// ExtensionKey returns the conventional key of an extension:
// "extensions.<point>.<name>".
func ExtensionKey[T any](point, name string) Key[T] {
	return NewKey[T]("extensions." + point + "." + name)
}

// AddExtension binds k in c as an extension of point (it tags the binding
// "extensionFor=<point>") and returns the binding for configuration:
//
//	di.AddExtension(app, "greeters", di.ExtensionKey[Greeter]("greeters", "en")).To(English{})
func AddExtension[T any](c *Container, point string, k Key[T]) *Binding[T] {
	return ExtendPoint(Bind(c, k), point)
}

// Extensions resolves, in c, the extensions of point that c can see, in
// the order they were bound.
func Extensions[T any](c *Container, point string) ([]T, error) {
	return resolveAll[T](c, c.n.collect(ExtensionFilter(point)))
}

// ExtensionView returns a live view of the extensions of point visible from
// c: an extension point keeps one and sees extensions bound later.
func ExtensionView[T any](c *Container, point string) *View[T] {
	return NewView[T](c, ExtensionFilter(point))
}

// ExtendPoint makes an existing binding an extension of point as well: a
// binding may extend several points, its extensionFor tag listing them
// separated by commas ("extensionFor=greeters,farewells").
func ExtendPoint[T any](b *Binding[T], point string) *Binding[T] {
	if v, ok := b.TagValue(TagExtensionFor); ok && v != "" {
		if slices.Contains(strings.Split(v, ","), point) {
			return b
		}
		return b.Tag(TagExtensionFor + "=" + v + "," + point)
	}
	return b.Tag(TagExtensionFor + "=" + point)
}

// ExtensionFilter matches the extensions of point: bindings whose
// extensionFor tag is point or a comma-separated list that includes it.
func ExtensionFilter(point string) Filter {
	return func(e Entry) bool {
		v, ok := e.TagValue(TagExtensionFor)
		if !ok {
			return false
		}
		for p := range strings.SplitSeq(v, ",") {
			if p == point {
				return true
			}
		}
		return false
	}
}
