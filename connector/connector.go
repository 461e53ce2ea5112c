package connector

import (
	"context"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Record is one model instance at the connector boundary: property name to
// value. Values are restricted to these types, recursively:
//
//	nil, bool, int64, float64, string, time.Time, []byte, []any, map[string]any
//
// Integer properties ([model.Property.Integer]) hold int64, other numbers
// float64, dates time.Time (in any location; connectors store instants) and
// buffers []byte. Nested objects are map[string]any and arrays []any whose
// elements follow the same rules. A property that is absent from a Record is
// not set; a property present with a nil value is null.
//
// Records passed to a connector belong to the caller until the call returns:
// a connector must copy what it keeps. Records a connector returns belong to
// the caller.
type Record = map[string]any

// JSONRows are instances a connector found and writes as JSON on demand,
// straight from its storage (see [JSONFinder]). They are a snapshot: later
// writes do not change them.
type JSONRows interface {
	// Len is the number of instances.
	Len() int
	// AppendJSON appends instance i as a JSON object of its visible
	// properties (hidden ones left out): the model's properties in
	// declaration order, then other keys in sorted order, values written
	// as LoopBack writes them. A property that has no value is left out,
	// unless it is nullable ([model.Property.Nullable]): then it is null.
	AppendJSON(b []byte, i int) ([]byte, error)
}

// Connector is the base contract every data source implements. The typed
// and record-level repositories need nothing else; the optional
// capabilities ([Transactor], [Migrator], [Discoverer], [Executor],
// [KeyValue], [Pinger], and the performance capabilities [JSONFinder] and
// [OwnedCreator]) are found by type assertion, like the optional
// interfaces of database/sql/driver.
//
// Every method receives the [model.Definition] of the model it works on;
// the connector maps it to storage (table and column names, types) however
// it likes, and must never take a table or column name from anywhere else.
// Filters and where clauses arrive validated against the definition: every
// path names a property of the model (dotted paths reach into nested
// objects) and every value is coerced to the property's type. A nil
// *filter.Filter or *filter.Where matches every instance. Include in a
// filter is handled by the repository; connectors ignore it.
//
// There is no FindByID, UpdateByID or DeleteByID: the repository expresses
// them as Find, UpdateAll and DeleteAll with the condition "id eq v" (a
// count of 0 becoming ENTITY_NOT_FOUND), which connectors may recognize to
// take a faster path.
//
// When ctx carries a transaction begun by this connector ([TxFrom]), every
// method runs inside it. A transaction from another connector is ignored.
//
// Errors are [fault] kinds: a duplicate id or unique value is fault.Conflict
// (see [DuplicateError]), a missing instance in ReplaceByID is
// fault.NotFound (see [NotFoundError]), a data source that cannot be
// reached is fault.Unavailable; anything else is a plain error (a 500).
//
// Implementations must be safe for concurrent use.
type Connector interface {
	// Create inserts rec and returns the instance as stored: with the
	// generated id (auto-increment numbers, or a uuid string when the id
	// property's DefaultFn asks for one) and any value the data source
	// filled in. An explicit numeric id is kept, and later generated ids are
	// greater than it. A duplicate id is a fault.Conflict.
	Create(ctx context.Context, def *model.Definition, rec Record) (Record, error)

	// Find returns the instances that match f.Where, ordered by f.Order
	// (by id ascending when f.Order is empty, and by id to break ties),
	// after skipping f.Skip and keeping at most f.Limit (0: no limit), with
	// only the properties f.Fields selects. A property that has no value
	// (unset, or SQL NULL) should be left out, and present with a nil
	// value when it is nullable ([model.Property.Nullable]); the
	// repository gives records that shape whatever a connector returns.
	Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]Record, error)

	// Count returns the number of instances that match w.
	Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error)

	// UpdateAll sets the properties in data (a nil value sets null) on every
	// instance that matches w and returns how many matched. data never
	// contains the id properties.
	UpdateAll(ctx context.Context, def *model.Definition, w *filter.Where, data Record) (int64, error)

	// DeleteAll deletes every instance that matches w and returns how many
	// were deleted.
	DeleteAll(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error)

	// ReplaceByID replaces every property of the instance whose id is id
	// with those of rec: properties absent from rec become null (or are
	// removed). rec carries the same id. An instance that does not exist is
	// a fault.NotFound error built by [NotFoundError].
	ReplaceByID(ctx context.Context, def *model.Definition, id any, rec Record) error

	// Close releases the connector's resources (connections, files). It
	// waits for pending writes to become durable.
	Close() error
}

// Pinger is implemented by connectors that can check that their data source
// is reachable (health checks).
type Pinger interface {
	// Ping returns nil when the data source answers, or a fault.Unavailable
	// error.
	Ping(ctx context.Context) error
}

// JSONFinder is implemented by connectors that can write the instances a
// query selects as JSON straight from their storage, without building
// records, such as the memory connector. FindJSON has the semantics of
// [Connector.Find] for a filter without fields or inclusions (a filter
// that selects fields is an error); the rows it returns write the model's
// visible properties only, a nullable property that has no value as null
// and any other property that has no value left out (see
// [model.Property.Nullable]). The repository uses it for callers that only
// write what they find (the CRUD REST API's GET endpoints).
type JSONFinder interface {
	FindJSON(ctx context.Context, def *model.Definition, f *filter.Filter) (JSONRows, error)
}

// PartitionLimiter is implemented by connectors that apply a filter's
// Limit and Skip per group of instances ([filter.Filter.PartitionBy]) in
// the data source, as the SQL connectors do with ROW_NUMBER() OVER
// (PARTITION BY …): the repository then pages an inclusion's related
// instances per parent in the query. For other connectors it pages them in
// memory.
type PartitionLimiter interface {
	LimitsPerPartition() bool
}

// RelationQuerier is implemented by connectors that evaluate where
// conditions and order terms across relations ([filter.Cond.Via],
// [filter.Order.Via]: "todoList.color") in the data source, as the SQL
// connectors do with EXISTS and correlated subqueries. The repository
// hands such filters to a connector that reports true, when the related
// model is stored by the same connector; for any other it first finds the
// keys of the matching related instances with a query on the related
// model and replaces the condition with "key in keys" (and orders in
// memory). Connectors without it never see a filter with Via set.
type RelationQuerier interface {
	QueriesRelations() bool
}

// OwnedCreator is implemented by connectors that can keep the record a
// caller hands over rather than a copy of it, such as the memory
// connector. CreateOwned has the semantics of [Connector.Create], but its
// caller must neither use nor modify rec afterwards, whether the call
// succeeds or not, and the connector may return rec itself as the result.
type OwnedCreator interface {
	CreateOwned(ctx context.Context, def *model.Definition, rec Record) (Record, error)
}

// Migrator is implemented by connectors that manage a schema.
type Migrator interface {
	// Automigrate drops and recreates the storage of each definition
	// (tables, indexes); existing data is lost.
	Automigrate(ctx context.Context, defs []*model.Definition) error
	// Autoupdate creates missing storage and alters existing storage to
	// match each definition, keeping data.
	Autoupdate(ctx context.Context, defs []*model.Definition) error
}

// Executor is implemented by connectors that run native commands (SQL, or
// the connector's own command language).
type Executor interface {
	// Execute runs command with positional parameters args (values of the
	// Record types). Statements that return rows fill Result.Rows; others
	// fill RowsAffected and, where the data source reports one,
	// LastInsertID. Parameters are always passed separately from the
	// command, never spliced into it.
	Execute(ctx context.Context, command string, args ...any) (*Result, error)
}

// Result is what [Executor.Execute] returns.
type Result struct {
	// Rows holds the rows a query returned, nil for other statements.
	Rows []Record
	// RowsAffected is the number of rows a statement changed.
	RowsAffected int64
	// LastInsertID is the id generated by an insert, when known.
	LastInsertID any
}

// Discoverer is implemented by connectors that can describe the models
// already present in their data source (LoopBack's discovery; used by
// `lb discover`).
type Discoverer interface {
	// DiscoverModels lists the tables (and views when opts.Views is set).
	DiscoverModels(ctx context.Context, opts DiscoverOptions) ([]ModelInfo, error)
	// DiscoverDefinition builds a model definition for one table: columns
	// become properties with LoopBack types, the primary key becomes the
	// id. The definition's Name is the table name; callers rename it.
	DiscoverDefinition(ctx context.Context, table string, opts DiscoverOptions) (*model.Definition, error)
}

// DiscoverOptions narrow discovery. The zero value lists the tables of the
// connection's default schema.
type DiscoverOptions struct {
	// Schema (owner) to look in; empty means the default schema.
	Schema string
	// All lists tables of every schema the connection can see.
	All bool
	// Views includes views.
	Views bool
}

// ModelInfo names one table or view found by discovery.
type ModelInfo struct {
	// Name is the table or view name, as the data source spells it.
	Name string
	// Schema is its schema (owner); empty when the data source has none.
	Schema string
	// Type is "table" or "view".
	Type string
}
