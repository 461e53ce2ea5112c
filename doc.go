// Package lb is LoopBack for Go: the application that holds an API together.
//
// An [App] is LoopBack 4's Application: the root of the IoC context
// hierarchy (package di), the components mounted on it, the servers it
// runs, and the lifecycle that initializes, starts and stops all of them in
// a defined order. The root package is small and imports none of the
// framework's subpackages except di; the REST server, connectors and
// operations components plug into it.
//
// # The application
//
// [New] creates an app from a [Config] whose zero value works. The app's
// root context ([App.Container], scope di.Application) binds the app itself at
// [AppKey] ("application.instance") and its configuration at [ConfigKey]
// ("application.config"); everything else an app needs is bound there too,
// by the app's code or by its components.
//
//	app := lb.New(lb.Config{Name: "todo"})
//	di.Bind(app.Context(), TodoRepoKey).ToProvider(newTodoRepo)
//	app.AddServer("rest", restServer)
//	if err := app.Run(context.Background()); err != nil {
//		log.Fatal(err)
//	}
//
// # Components
//
// A [Component] is a reusable bundle of contributions, mounted with one call
// to [App.Mount]. Its only required method is Name; it contributes by also
// implementing small optional interfaces, found by type assertion as in
// Caddy's module system:
//
//	ComponentProvider  Components() []Component      other components it needs, mounted first
//	Binder             Bind(*di.Context) error        bindings in the app's root context
//	ServerProvider     Servers() map[string]Server    servers, as with App.AddServer
//	ObserverProvider   Observers() []Observer         lifecycle observers
//	Provisioner        Provision(*App) error          anything else, run last
//
// Each component is mounted once (by name) and bound at
// [ComponentKey](name).
//
// # Servers
//
// A [Server] is anything with Start and Stop, such as the REST server.
// [App.AddServer] binds it at [ServerKey](name) and registers it as a
// lifecycle observer of the group [ServerGroup] ("server"), which starts
// after every other group and stops before them.
//
// # Lifecycle
//
// An app goes through the states [Created], [Initialized], [Started] and
// [Stopped], passing through Initializing, Starting and Stopping on the way.
// [App.Init], [App.Start] and [App.Stop] call the matching hook of every
// [Observer]; [App.Start] on a created app initializes it first, and a
// stopped app can be started again. A call that the current state does not
// allow fails with a [*StateError] ("lb: cannot start: app is stopping").
//
// Observers belong to groups. On start, groups that are not in
// [Config.ObserverGroups] run first, in the order their first observer was
// registered, then the listed groups in list order, and the "server" group
// last; stop runs in exactly the reverse order. The observers of one group
// run one after the other, or concurrently with [Config.ParallelObservers].
// If a Start hook fails, everything already started is stopped again in
// reverse order and the error names the observer that failed:
//
//	lb: start observer "db" (group "datasource"): dial tcp 127.0.0.1:5432: connection refused
//
// Values with Init, Start or Stop methods become observers with
// [ObserverOf]; plain functions are set on an [Observer] directly. As in
// LoopBack, observers can also be bindings in the app's context tagged
// [ObserverTag] (and [ObserverGroupTag]=group): the app resolves them before
// each Init and Start, so they get their dependencies from the container.
//
// # Running
//
// [App.Run] is the main loop of a program: it starts the app, waits for its
// context to be done or for SIGINT or SIGTERM ([Config.Signals]), and stops
// the app within [Config.GracePeriod] (default [DefaultGracePeriod], 10 s).
package lb
