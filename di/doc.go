// Package di is the inversion-of-control container of LoopBack for Go: the
// Go counterpart of LoopBack 4's @loopback/context.
//
// # Contexts
//
// A Context holds bindings and has a parent; lookups that miss continue up
// the chain (application → server → request → invocation). NewContext
// creates one; its Scope says which level it represents.
//
// # Keys and bindings
//
// A Key[T] names a binding and carries its type. Bind adds a binding to a
// context; To, ToProvider, ToAlias and ToConstructor give it a source of
// values; InScope and Tag configure it. Get resolves a key.
//
// # Scopes
//
// Transient values are made on every resolution; Singleton values once per
// binding; Application, Server and Request values once per context of that
// scope, the nearest one at or above the resolving context.
//
// # Tags, Find and views
//
// Tags select bindings: Find, FindByTag, ByKey patterns, live typed views
// (NewView) and observers (Observe).
//
// # Configuration
//
// Configure binds the configuration of any key at "<key>:$config"; Config
// reads it.
//
// # Interceptors and extension points
//
// Intercept runs global interceptors (bindings tagged globalInterceptor,
// ordered by group) and local ones around a target. Extension points
// collect the bindings tagged extensionFor=<point> (Extensions,
// ExtensionView).
package di
