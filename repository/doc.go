// Package repository gives models their data-access API over any
// connector: LoopBack's DefaultCrudRepository as the typed [CRUD] (and the
// record-level [Model] for models defined without Go types), the
// key-value repository [KV], and transactions.
//
//	todos, err := repository.New[Todo, int64](conn)
//	todo, err := todos.Create(ctx, &Todo{Title: "write the docs"})
//	list, err := todos.Find(ctx, &filter.Filter{Limit: 10})
//
// [New] derives the model definition from Todo's struct tags and checks
// that int64 is the Go type of its id property; [MustNew] panics instead of
// returning an error, for program start; [NewFromDefinition] takes a
// definition adjusted by hand.
//
// # Methods
//
// Create, CreateAll, Save, Find, FindOne, FindByID, Exists, Count, Update,
// UpdateAll, UpdateByID, ReplaceByID, Delete, DeleteAll, DeleteByID and
// Execute behave as LoopBack's: UpdateAll and DeleteAll return how many
// instances they touched, FindByID refuses a filter with a where clause,
// the ...ByID methods fail with ENTITY_NOT_FOUND when the instance does not
// exist.
//
// # Change events
//
// [Model.ObserveChanges] (and CRUD's) reports every instance a write
// changes to a [ChangeObserver] (package events' Bus): after the write
// outside a transaction, at the commit of a transaction begun by [Begin]
// or [Transact], never for one rolled back. Unobserved models pay nothing.
//
// # Typed partial updates and filters
//
// Partial updates take a [Patch] (property name to value). Build it from
// a typed instance with [CRUD.PatchOf], naming the properties to write, or
// one property at a time with a typed handle's Set; the string form
// (Patch{"isComplete": true}, or a decoded JSON body) stays for names known
// only at run time:
//
//	title := repository.MustFieldOf(todos, func(t *Todo) *string { return &t.Title })
//	done := repository.MustFieldOf(todos, func(t *Todo) *bool { return &t.IsComplete })
//	patch, err := todos.PatchOf(&edited, title.Name())
//	err = todos.UpdateByID(ctx, id, done.Set(patch, true))
//	open, err := todos.Find(ctx, filter.New().Where(done.Eq(false)).Order(title.Asc()).Filter())
//
// A [Field] is found once, from the address of a struct field, by
// [FieldOf]; its conditions (Eq, Gt, Inq, Between …) take values of the
// field's Go type, so a renamed field or a value of the wrong type fails
// to compile. filter.Prop("title") is the string form. An id in a patch is
// ignored (ids never change); ReplaceByID with another id than the one it
// is given is a fault.BadRequest, as in LoopBack.
//
// [Model.FindJSON] and [Model.FindByIDJSON] serve callers that only write
// what they find as JSON (the CRUD REST API): on a connector that is a
// [connector.JSONFinder] (the memory connector) the instances are written straight
// from the connector's storage, without building records.
// [Model.Create] hands its normalized copy of the data to an
// [connector.OwnedCreator] connector, which keeps it instead of copying it again.
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
//     them, to check a password hash say, uses a context from [WithHidden]);
//   - one shape for every result: a property with no value is left out,
//     or null when it is nullable (see model.Property.Nullable), whatever
//     the connector returned.
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
// A referencesMany relation includes the instances its array of keys
// names, in the array's order. A polymorphic belongsTo relation includes,
// for each instance, the instance of the model its discriminator names
// (one query per model named; a name that is not the target or a model
// based on it is a 400 when written and includes nothing when read); the
// target model must be in the registry too. A polymorphic hasOne relation
// does the same with the discriminator of the source instance (the model
// that holds its foreign key), a polymorphic hasManyThrough relation with
// the discriminator of each through instance (in the order of the through
// instances). Their accessors read (Get, Find) the same way; writes
// through them are a 400 INVALID_RELATION: write the concrete model.
//
// Related instances are put under the relation's name; typed models
// receive them in their navigational fields. [Model.AppendJSON] writes an
// instance with its inclusions as JSON, each related instance in its own
// model's declared property order.
//
// Relation writes keep their integrity on every connector: creating
// through a hasMany or hasOne relation of a source that does not exist, or
// setting a belongsTo foreign key (on create, update or replace) to a
// parent that does not exist, is ENTITY_NOT_FOUND naming the parent
// ("Entity not found: TodoList with id 99"), and nothing is written; a
// second hasOne instance is a fault.Conflict. The check runs in the
// write's transaction when the connector has them. Foreign keys are
// checked against the repositories of the [Registry]; a repository in no
// registry leaves them to the data source.
//
// [Model.Related] returns the repository of one relation ([Related]) for
// the relation endpoints: Find, Create, UpdateAll and DeleteAll of the
// instances related to a source instance, and Get for belongsTo and
// hasOne; for hasManyThrough also CreateWith (with data for the through
// instance), Link, Unlink and UnlinkAll, which write the through instances
// only (linking a missing instance is ENTITY_NOT_FOUND naming it, linking
// a pair twice a fault.Conflict).
//
// Deleting an instance applies the onDelete action of the belongsTo
// relations that refer to its model (model.Relation.OnDelete: restrict is
// a 409 FOREIGN_KEY_VIOLATION, cascade deletes the referring instances,
// setNull clears their key), the same way on every connector and in one
// transaction when the connector has them. Without one nothing is done,
// as in LoopBack: the parent goes and its children keep their foreign key,
// on every connector (SQL migration declares a FOREIGN KEY constraint
// only for a relation with onDelete).
//
// # Queries across relations
//
// In a repository that is in a [Registry], where conditions and order
// terms may name a property of a related model: the relation name, a dot,
// the property. For belongsTo and hasOne the related instance must match;
// for hasMany at least one related instance must (each condition on its
// own); an instance with no related instance matches no such condition.
// Order terms may cross belongsTo and hasOne relations:
//
//	{"where": {"todoList.color": "red"}}              todos in a red list
//	{"where": {"todos.isComplete": false}}            lists with an open todo
//	{"order": ["todoList.title ASC", "id DESC"]}
//
// The same works in Count, UpdateAll and DeleteAll. SQL connectors
// evaluate them in the database (correlated EXISTS and scalar subqueries,
// see connector.RelationQuerier); for other connectors, and related models
// on another connector, the repository finds the matching related keys
// with one query per condition and orders in memory. Values are coerced to
// the related property's type; an unknown property is a 400 naming it;
// hasManyThrough relations and ordering across hasMany are refused (400).
// The related model's default scope applies: a related instance it hides
// neither matches nor gives an order value (such relations are evaluated
// by the repository, not in the database).
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
