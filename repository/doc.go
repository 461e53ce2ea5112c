// Package repository gives models their data-access API over any
// connector: LoopBack's DefaultCrudRepository as the typed [CRUD] (and the
// record-level [Model] for models defined without Go types), the
// key-value repository [KV], and transactions.
//
//	todos := repository.New[Todo, int64](conn, model.MustFromStruct[Todo]())
//	todo, err := todos.Create(ctx, &Todo{Title: "write the docs"})
//	list, err := todos.Find(ctx, &filter.Filter{Limit: 10})
//	err = todos.UpdateByID(ctx, todo.ID, repository.Patch{"isComplete": true})
//
// # Methods
//
// Create, CreateAll, Save, Find, FindOne, FindByID, Exists, Count, Update,
// UpdateAll, UpdateByID, ReplaceByID, Delete, DeleteAll, DeleteByID and
// Execute behave as LoopBack's: UpdateAll and DeleteAll return how many
// instances they touched, FindByID refuses a filter with a where clause,
// the ...ByID methods fail with ENTITY_NOT_FOUND when the instance does not
// exist. Partial updates take a [Patch] (property name to value), built by
// hand, from a decoded JSON body or with [CRUD.PatchOf].
//
// [Model.FindJSON] and [Model.FindByIDJSON] serve callers that only write
// what they find as JSON (the CRUD REST API): on a connector that is a
// [JSONFinder] (the memory connector) the instances are written straight
// from the connector's storage, without building records.
// [Model.Create] hands its normalized copy of the data to an
// [OwnedCreator] connector, which keeps it instead of copying it again.
//
// # What the repository adds to the connector
//
//   - default values and default functions (uuid, now) on create and replace;
//   - model-level validation: a required property that is missing or blank,
//     or an unknown property of a strict model, is a fault.Invalid error
//     named ValidationError with LoopBack's message and details; so is, on
//     every connector alike, text that some database cannot store (a NUL
//     character, invalid UTF-8, anywhere in a value) and a string longer
//     than its property's declared maximum, the smallest of its JSON
//     schema maxLength, its "length" setting and any connector's
//     "dataLength" (code "length.max", counted in characters);
//   - filter validation: unknown properties and values that do not fit
//     their property are a fault.BadRequest before anything reaches the
//     data source;
//   - the model's default scope, merged into every query;
//   - hidden properties removed from every result (server code that needs
//     them, to check a password hash say, uses a context from [WithHidden]).
//
// # Relations
//
// Add the repositories of an application to a [Registry] and a filter's
// include resolves hasMany, hasOne, belongsTo and hasManyThrough relations
// through it, with scopes (where, fields, order, nested include; limit and
// skip per parent, totalLimit overall):
//
//	var repos repository.Registry
//	repos.Add(todoLists.Model(), todos.Model())
//	lists, err := todoLists.Find(ctx, filter.New().Include("todos").Filter())
//
// Related instances are put under the relation's name; typed models
// receive them in their navigational fields.
//
// [Model.Related] returns the repository of one relation ([Related]) for
// the relation endpoints: Find, Create, UpdateAll and DeleteAll of the
// instances related to a source instance, and Get for belongsTo and
// hasOne.
//
// # Errors
//
// Errors carry fault kinds, which the REST layer maps to LoopBack's status
// codes: fault.NotFound (ENTITY_NOT_FOUND, "Entity not found: Todo with id
// 99"), fault.Conflict ("Duplicate entry for Todo.id"), fault.Invalid
// (ValidationError), fault.BadRequest, fault.NotImplemented (Execute or
// transactions on a connector without them).
//
// # Transactions
//
// [Begin] returns a context that carries the transaction: pass it to any
// repository call on the same connector and the call runs inside it.
// [Transact] wraps a function in a transaction that commits when it
// returns nil and rolls back otherwise.
package repository
