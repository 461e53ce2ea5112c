// Package graphql serves a GraphQL endpoint generated from the models at
// start-up, with no code generation step: the schema is built from the
// model definitions of record-level repositories (repository.Model), and
// queries are parsed and validated against it by
// github.com/vektah/gqlparser/v2, then executed over the repositories.
//
//	h, err := graphql.New(graphql.Config{Models: []*repository.Model{lists.Model(), todos.Model()}})
//	...
//	srv.Mount("/graphql", h) // POST and GET /graphql, WebSocket; GraphiQL for browsers
//	// or, as REST operations with authentication:
//	err = graphql.Mount(srv, "/graphql", h, auth.Authenticate("jwt"))
//
// # Schema
//
// Each model is an object type with a field per visible property (hidden
// properties are left out): String, Int (integer numbers), Float, Boolean,
// DateTime (RFC 3339 text), lists of those, and JSON for nested objects
// and any other value. Required properties and the id are non-null. A
// relation whose target is served too is a field: [Todo!]! for hasMany,
// hasManyThrough and referencesMany (with the list arguments below),
// TodoList for belongsTo and hasOne. For models Todo and TodoList the
// root fields are:
//
//	todos(where: JSON, order: [String!], limit: Int, skip: Int): [Todo!]!
//	todo(id: Int!): Todo                      # null for an unknown id
//	todosCount(where: JSON): Int!
//	todoLists(...), todoList(id: Int!), todoListsCount(where: JSON)
//	createTodo(data: NewTodo!): Todo!         # mutations, unless Config.ReadOnly
//	updateTodo(id: Int!, data: TodoPartial!): Todo!
//	deleteTodo(id: Int!): Boolean!
//
// The list field is named by the model's plural, as the REST base path
// (crud.BasePath) in camel case. where is LoopBack's where clause, as a
// GraphQL object literal ({title: {like: "a%"}, or: [{id: 1}, {id: 2}]}),
// a JSON variable, or JSON text; order takes LoopBack's terms ("title
// DESC"). NewTodo leaves out a generated id and makes the required
// properties without a default non-null; TodoPartial makes every property
// optional. [Handler.SDL] returns the whole schema.
//
// # Execution
//
// A list or by-id field becomes one LoopBack filter whose inclusions are
// the relation fields selected below it, with their arguments as the
// inclusion's scope, so the repository reads each level of relations in
// one query, exactly as the REST API's filter[include] does (no N+1).
// Writes go through the same repository calls as the REST API, so
// defaults, validation (422 VALIDATION_FAILED), the default scope, hidden
// properties and referential integrity behave the same. update returns the
// instance read again after the change; delete answers true.
//
// # HTTP and errors
//
// The Handler speaks GraphQL over HTTP: POST with a JSON body {query,
// operationName, variables} (mutations only over POST) or GET with those
// as query parameters. A request that does not parse or validate is
// answered 400 with {"errors":[…]} whose extensions.code is
// GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED or BAD_USER_INPUT. A
// field that fails is an entry of "errors" with its path, and
// extensions carry LoopBack's code (ENTITY_NOT_FOUND, VALIDATION_FAILED
// …), the statusCode the REST API would answer and its details; the
// response is 200 and the data is null when the field is non-null. An
// error that is not the client's (a data source failing) is logged and
// written as "Internal Server Error": driver text never reaches clients.
//
// # GraphiQL
//
// A GET without a query from a browser (Accept: text/html) gets a
// self-contained query page, also available alone as [GraphiQL]. No Go
// module serves the GraphiQL React application's assets, and the page
// must not load them from a CDN, so it is a small page of our own: an
// editor for the query and variables, an Authorization value, and the
// formatted response; a subscription runs over a WebSocket and shows each
// result as it comes until Stop. It has no schema-aware completion. The endpoint answers introspection
// (__schema, __type), so GraphQL tools (GraphiQL elsewhere, Altair, code
// generators) work against it.
//
// # Authorization
//
// [Config].Authorize is asked before each root field runs (and once when
// a subscription starts), with the model
// and LoopBack's operation name (find, findById, count, create,
// updateById, deleteById): it may refuse it (auth.Forbidden() is a 403
// field error, "Access denied") or return the where clause the caller is
// restricted to, an ownership rule: finds and counts get it added, and
// by-id operations on an instance outside it are refused with 403. For
// create it may set properties of the new instance (its owner). The
// restriction applies to the root field, not to the related instances
// read through relation fields. A subscription is asked about as "find"
// with Operation.Subscription set, and the where returned is matched
// against each event's instance: a user only receives the changes of
// the instances they may read (their own, with an ownership rule).
//
// # Subscriptions
//
// With [Config].Bus (an events.Bus the repositories publish to with
// ObserveChanges), the schema has a Subscription type fed by the change
// events: a field per model, named by the model in lower camel case with
// "Changed" (todoChanged, todoListChanged), whose value is a change type
// named by the model with "Change":
//
//	todoChanged(where: JSON, kinds: [ChangeKind!]): TodoChange!
//	type TodoChange {
//	  kind: ChangeKind!    # CREATE, UPDATE, REPLACE or DELETE
//	  id: Int!             # the instance's id
//	  seq: Int!            # the event's sequence number on the bus
//	  instance: Todo!      # after the change; for a delete, as it was
//	  changed: [String!]!  # the properties the write set, sorted
//	  time: DateTime!      # when the change was published
//	}
//
// where is LoopBack's where clause, as for the list fields, validated
// against the model when the subscription starts (a bad one is an error
// of the operation) and matched against each event's instance; kinds
// keeps those kinds of change (all when absent). The instance is the
// model's object type, so any of its fields can be selected: relation
// fields make each event's instance be read again by id with the
// relations (one inclusion query per level, as for a by-id query); for a
// delete they are empty. A subscription selects exactly one field.
//
// # WebSocket: graphql-transport-ws
//
// A GET upgrading to a WebSocket with the subprotocol graphql-transport-ws
// (the protocol of the graphql-ws JavaScript library, of GraphiQL and of
// Apollo's current clients) on the same path is a connection of that
// protocol; an upgrade without that subprotocol is answered 400. The
// client sends, as JSON text messages:
//
//	{"type":"connection_init","payload":{"Authorization":"Bearer …"}}
//	{"id":"1","type":"subscribe","payload":{"query":"subscription { todoChanged { kind id instance { title } } }","variables":{}}}
//	{"id":"1","type":"complete"}         // stop operation 1
//	{"type":"ping"}                      // answered {"type":"pong"}
//
// and receives {"type":"connection_ack"}, then per operation
// {"id":"1","type":"next","payload":{"data":{…}}} for each result,
// {"id":"1","type":"complete"} when it ends (a query or mutation, which
// the socket also runs, has one next), or {"id":"1","type":"error",
// "payload":[…]} when it does not validate, its where is bad, it is
// refused, or it is dropped as too slow (code SLOW_CONSUMER). The
// protocol's close codes: 4400 for a message that is not the protocol's,
// 4401 for subscribe before connection_ack, 4403 when the credential is
// refused, 4408 without connection_init within [Config].InitTimeout, 4409
// for the id of an operation already running, 4429 for a second
// connection_init, 4500 when the server fails. Example_subscription is a
// Go client with github.com/coder/websocket.
//
// Limits: a connection runs at most [Config].MaxSubscriptions operations
// at once (one more is an error TOO_MANY_SUBSCRIPTIONS); messages are at
// most MaxBodyBytes; each subscription buffers SubscriptionBuffer events,
// and one whose client does not keep up is ended with the SLOW_CONSUMER
// error (its events are not buffered without bound); a write that the
// client does not read within WriteTimeout, or a ping not answered,
// closes the connection. The server pings every KeepAlive.
//
// # Event streams: graphql-sse
//
// A POST (or GET) whose Accept header asks for text/event-stream gets the
// result as an event stream, graphql-sse's "distinct connections" mode:
// "event: next" with the result as data, for each change of a
// subscription, and "event: complete" at the end. A request that does not
// validate is answered 400 in JSON.
//
// # Limits
//
// A relation selected twice under one field must have the same
// arguments. Relations nest at most 8 levels deep.
//
// # Mounting and authentication
//
// rest.Server.Mount serves the handler outside the REST operations (not
// in the OpenAPI document, no interceptors). [Mount] serves it as two
// operations, GraphQLController.query (GET) and .mutate (POST), so that
// operation options apply to it: with auth.Authenticate the endpoint
// answers LoopBack's 401 without a credential, and Config.Authorize reads
// the caller with auth.ProfileFrom; a WebSocket upgrade is one of those
// GET requests, so its credential must then be in its headers.
//
// Browsers cannot set headers on a WebSocket: for them, set
// [Config].Authenticate (an auth.Strategy, the one the REST API uses) and
// serve the handler without auth options. It authenticates each HTTP
// request (401 with extensions.code UNAUTHENTICATED when refused) and
// each WebSocket by its upgrade request's Authorization header or,
// without one, by the Authorization member of connection_init's payload
// (closed with 4403 when refused); the profile reaches Authorize as
// behind auth.Authenticate.
package graphql
