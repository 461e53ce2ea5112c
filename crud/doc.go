// Package crud serves a model's repository as LoopBack's CRUD REST API: the
// eight endpoints LoopBack 4's rest-crud package (and `lb4 controller` with
// the REST template) generate, with the same routes, status codes, error
// bodies, filter syntax and OpenAPI description.
//
// # Mounting a model
//
// One call exposes a typed repository on a REST server, so that Go code
// and the REST API share one repository:
//
//	conn, _ := memory.New(memory.Config{})
//	todos, err := repository.New[Todo, int64](conn)
//	...
//	srv := rest.New(rest.Config{Port: 3000})
//	if err := crud.Mount(srv, todos, crud.Options{}); err != nil { ... }
//
// Mount returns an error, never panics: a model it cannot serve, a bad
// base path or a path another route already serves is reported before
// anything is registered. Models without a Go type (definitions read from
// JSON or YAML) have a record-level repository.Model and use
// [MountModel]; zero-code apps get the same API with `lb serve DIR`
// (cmd/lb).
//
// # Endpoints
//
// For a model Todo, at the base path /todos ([BasePath]: the plural of the
// model name in kebab case, "TodoList" → "/todo-lists"):
//
//	POST   /todos          200 the created instance; the body schema (NewTodo) excludes a generated id
//	GET    /todos/count    200 {"count": n}; ?where= (JSON or where[title]=x)
//	GET    /todos          200 array of instances; ?filter= (JSON or filter[where][title]=x&filter[limit]=2)
//	PATCH  /todos          200 {"count": n}; ?where=, body TodoPartial
//	GET    /todos/{id}     200 the instance; ?filter= without where (400 if present)
//	PATCH  /todos/{id}     204; body TodoPartial; {} is 400 INVALID_BODY_DEFINITION; an id in the body is ignored
//	PUT    /todos/{id}     204; body Todo, required properties enforced; another id in the body is 400 (name "Error")
//	DELETE /todos/{id}     204
//
// There is no DELETE /todos. An unknown id is 404 with code
// ENTITY_NOT_FOUND. A numeric id is a JSON-schema number, as LoopBack
// declares it: /todos/1.5 is a 404, /todos/abc a 400. The filter schema
// of a model without relations has no include, so an include there is
// a 400 naming it as an additional property. A where that is sent but
// decodes to nothing (?where= or a bare ?where) is a 400 rather than a
// count, update or delete of every instance (LoopBack ignores it); a where
// clause on an unknown property is 400
// INVALID_PARAMETER_VALUE naming it (LoopBack's memory connector silently
// matches nothing); an empty or null POST body is 422 VALIDATION_FAILED
// (LoopBack answers 500). With [Options].ReadOnly only the three GET
// endpoints are served.
//
// # Relation endpoints
//
// When the repository is in a repository.Registry with its related
// models, Mount also serves each
// relation of the model as the controllers `lb4 relation` generates
// (Options.NoRelations turns this off):
//
//	GET|POST|PATCH|DELETE /todo-lists/{id}/todos   hasMany, hasManyThrough, hasOne
//	GET                   /todos/{id}/todo-list    belongsTo
//
// A polymorphic hasOne or hasManyThrough relation has its GET endpoint
// only: its instances live in the models a discriminator names, whose own
// endpoints write them.
//
// GET takes filter; PATCH and DELETE take where and answer {"count": n};
// POST answers the created target with the foreign key set (its body
// schema, NewTodoInTodoList, makes the foreign key optional). Operations
// are named TodoListTodoController.find/create/patch/delete and
// TodoTodoListController.getTodoList.
//
// # OpenAPI description
//
// Operations are named as LoopBack names them (TodoController.create,
// .count, .find, .updateAll, .findById, .updateById, .replaceById,
// .deleteById), tagged TodoController, and reference the component schemas
// Todo, NewTodo, TodoPartial, TodoWithRelations, loopback.Count,
// Todo.Filter (findById) and Todo.Filter1 (find), with LoopBack's response
// descriptions. Unlike LoopBack's document, ours goes through mainstream
// client generators: oapi-codegen (Go) and openapi-typescript both
// generate clients from it (tested in this package).
//
// # Responses
//
// Instances are written with their properties in declaration order, as
// LoopBack writes them; hidden properties never leave the server (request
// schemas accept them, so that a password can be set).
package crud
