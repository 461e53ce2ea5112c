// Package graphql serves a GraphQL endpoint generated from the models at
// start-up, with no code generation step: the schema is built from the
// model definitions of record-level repositories (repository.Model), and
// queries are parsed and validated against it by
// github.com/vektah/gqlparser/v2, then executed over the repositories.
//
//	h, err := graphql.New(graphql.Config{Models: []*repository.Model{lists.Model(), todos.Model()}})
//	...
//	srv.Mount("/graphql", h) // POST and GET /graphql; GraphiQL for browsers
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
// editor for the query and variables and the formatted response; it has
// no schema-aware completion. The endpoint answers introspection
// (__schema, __type), so GraphQL tools (GraphiQL elsewhere, Altair, code
// generators) work against it.
//
// # Authorization
//
// [Config].Authorize is asked before each root field runs, with the model
// and LoopBack's operation name (find, findById, count, create,
// updateById, deleteById): it may refuse it (auth.Forbidden() is a 403
// field error, "Access denied") or return the where clause the caller is
// restricted to, an ownership rule: finds and counts get it added, and
// by-id operations on an instance outside it are refused with 403. For
// create it may set properties of the new instance (its owner). The
// restriction applies to the root field, not to the related instances
// read through relation fields.
//
// # Limits
//
// Subscriptions are not served. A relation selected twice under one
// field must have the same arguments. Relations nest at most 8 levels deep.
//
// # Mounting and authentication
//
// rest.Server.Mount serves the handler outside the REST operations (not
// in the OpenAPI document, no interceptors). [Mount] serves it as two
// operations, GraphQLController.query (GET) and .mutate (POST), so that
// operation options apply to it: with auth.Authenticate the endpoint
// answers LoopBack's 401 without a credential, and Config.Authorize reads
// the caller with auth.ProfileFrom.
package graphql
