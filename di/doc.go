// Package di is the inversion-of-control container of LoopBack for Go, the
// counterpart of LoopBack 4's @loopback/context: contexts in a hierarchy,
// typed keys, bindings with value sources and scopes, tags, live views,
// observers, configuration, interceptors and extension points.
//
// # Contexts
//
// A *Container holds bindings and has a parent; a lookup that misses in a
// context continues in its parent, so a request context sees everything the
// server and application contexts bind, and a binding in a nearer context
// hides one of the same key farther up:
//
//	app := di.NewContext(nil, "application", di.Application)
//	srv := di.NewContext(app, "server", di.Server)
//	req := di.NewContext(srv, "request", di.Request) // one per request: one allocation
//
// The third argument is the level the context represents; scoped bindings
// use it to find where to cache. WithContext and FromContext carry a
// context through a context.Context to handlers. Contexts are safe for
// concurrent use: lookups are lock-free (each context's bindings are an
// immutable map replaced on change) and never use reflection.
//
// # Keys and bindings
//
// A Key[T] names a binding and carries the type of its values, so Bind and
// Get are checked by the compiler while keys stay plain strings for
// configuration ("repositories.TodoRepository"). A key may end with a deep
// property path, "application.config#rest.port", which resolves the value
// bound at "application.config" and then its rest.port property (map key,
// struct field by name or json tag, or slice index).
//
// Bind adds a binding to a context and returns it for configuration with
// chained calls that choose its source of values:
//
//   - To(v): a constant;
//   - ToProvider(f): f(c) is called to make a value in the resolving
//     context c, and may fail;
//   - ToAlias(k): the value of another key (with an optional #path);
//   - ToConstructor(fn, params...): a plain function whose parameters are
//     resolved from the container, by type (ByType, the default) or by key
//     (Param("repositories.TodoRepository")). The signature is checked
//     when bound, and the parameter plan computed then; Validate checks that
//     every dependency is bound, before anything is built.
//
// A binding made with Bind is in its context at once, before its chained
// calls run; NewBinding and Context.Add publish a binding only once it is
// configured (setters do this). Get resolves a key, MustGet panics instead
// of failing (for set-up code), and Context.Resolve resolves an untyped
// string key.
//
// # Scopes
//
// A binding's scope (InScope) says how long a value lives. Transient (the
// default) values are made on every resolution, in the context that asked;
// Singleton values once per binding, in the context that owns the binding
// (so they never capture a request's state); Application, Server and
// Request values once per context of that scope, the nearest one at or
// above the asking context, and in that context. Resolving a Request
// binding where there is no request context fails with ErrNoScope. A
// singleton asked for by many goroutines at once is built exactly once; a
// failed build is not cached.
//
// # Tags, Find, views and observers
//
// Tags classify bindings. A Tag is a typed name declared once as a constant;
// t.Is("v") gives it a value ("name=value"). Container.Find returns the
// bindings a context can see that a Filter matches: ByTag, ByKey (a glob
// such as "repositories.*", where * does not cross '.'), And. NewView
// returns a typed View that stays current as bindings are added, removed
// and retagged, at the cost of one atomic load per context in the chain per
// read. Container.Observe calls a function on every Bound, Unbound and
// Changed event of the bindings a context can see.
//
// # Configuration
//
// Configure binds the configuration of the binding a key names (any Key[T]
// or other Named) at ConfigKey(name), i.e. "<key>:$config", and Config reads
// it, with an optional #path; missing configuration is the zero value, not
// an error. Unbind takes a Named too: the key declared once is the one used
// to bind, configure and remove a binding. For a name known only at run
// time, di.NewKey[any](name) is a Named.
//
// # Getters and setters
//
// NewGetter returns a function that resolves a key each time it is called
// (to break a dependency cycle, or read what is bound later); NewSetter a
// function that binds a constant into the context that made it —
// authentication uses one to publish the current user into the request
// context. Constructor parameters of type Getter[T] or Setter[T] with a
// Param key receive one.
//
// # Errors
//
// Errors say what to do and work with errors.Is and errors.As: ErrNotBound
// (a *NotBoundError naming the key and the context chain: `The key "x" is
// not bound to any value in context request -> server -> application`),
// ErrCycle (a *CycleError with the path `a --> b --> a`), ErrWrongType,
// ErrNoScope, ErrNoSource, ErrAmbiguous and ErrBadPath. An error from a
// provider or constructor comes wrapped in a *ResolveError naming the key.
// Programming errors at set-up time (an empty key, a constructor that is
// not a function) panic.
//
// # Interceptors
//
// An Interceptor wraps an Invocation: it may act before and after calling
// next, change the arguments or the result, or refuse. Intercept runs the
// global interceptors visible from the invocation's context (bindings
// tagged TagGlobalInterceptor; groups not listed in the []string bound at
// GlobalInterceptorOrder first, by name, then the listed groups in order;
// within a group by binding order), then the local ones, then the target. The list of global
// interceptors is cached per context and recomputed only after a change,
// so with none Intercept adds only a few nanoseconds to a call.
//
// # Extension points
//
// An ExtensionPoint[T] names a point whose extensions have type T; its
// extensions are bindings tagged "extensionFor=<point>" (AddExtension does
// the tagging and only accepts a Key[T], point.Key(name) makes conventional
// keys). Extensions resolves them; ExtensionView returns a
// live view, so an extension point keeps seeing extensions bound after it
// was built. See examples/greeter-extension.
package di
