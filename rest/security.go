package rest

import "maps"

// Metadata attaches value to the operation under key, for middleware and
// components that act on operations they did not register themselves:
// the auth package declares an operation's authentication strategies and
// authorization rules with it. Middleware of GroupAuthentication and later
// groups reads it with RouteOf(r) and RouteInfo.Value. Given to
// Server.Controller, it applies to every operation of the controller
// unless the operation sets the same key itself. Use an unexported key
// type, as with context.WithValue, so that packages do not collide. The
// value is shared by every request: do not change it after registration.
func Metadata(key, value any) OperationOption {
	return func(c *opConfig) {
		if c.meta == nil {
			c.meta = map[any]any{}
		}
		c.meta[key] = value
	}
}

// Value returns the Metadata value the operation was registered with under
// key, or nil.
func (ri RouteInfo) Value(key any) any {
	return ri.meta[key]
}

// mergeMetadata returns the controller's metadata overridden by the
// operation's.
func mergeMetadata(controller, op map[any]any) map[any]any {
	if len(controller) == 0 {
		return op
	}
	out := maps.Clone(controller)
	maps.Copy(out, op)
	return out
}
