package di

import "fmt"

// Scope says how long a resolved value lives and where it is cached.
//
// As a binding's scope it selects the cache; as a context's scope (the third
// argument of NewContext) it says which level of the hierarchy the context
// represents, so that Application, Server and Request bindings know where to
// cache their values. The zero value is Transient.
type Scope int

const (
	// Transient values are built anew on every resolution, in the context
	// that asked for them. A context created with scope Transient represents
	// no particular level (an invocation context, for instance).
	Transient Scope = iota
	// Singleton values are built once per binding, in the context that owns
	// the binding, and shared by every context that sees it.
	Singleton
	// Application values are cached in the nearest context of scope
	// Application, at or above the context that asked.
	Application
	// Server values are cached in the nearest context of scope Server.
	Server
	// Request values are cached in the nearest context of scope Request.
	Request
)

var scopeNames = [...]string{"transient", "singleton", "application", "server", "request"}

// String returns the scope's lower-case name, e.g. "request".
func (s Scope) String() string {
	if s >= 0 && int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}
