// Package connector is the contract between repositories and data sources,
// modelled on database/sql/driver: a small base interface every data source
// implements, optional capability interfaces found by type assertion, and a
// restricted set of value types at the boundary.
//
// Applications rarely use this package directly: they build a connector
// (memory.New, sqlite.Open, …) and hand it to a repository. Connector
// authors implement [Connector] and whichever capabilities their data source
// has, and prove it by running the conformance suite in
// connector/connectortest.
//
// # Records
//
// Instances cross the boundary as [Record] values (map[string]any) holding
// only nil, bool, int64, float64, string, time.Time, []byte, []any and
// map[string]any. The repository converts between Go structs or decoded
// JSON and records using the model definition; connectors convert between
// records and storage.
//
// # Queries
//
// Find, Count, UpdateAll and DeleteAll take the filter AST of package
// filter, already validated against the model: every property path exists
// and every value has the property's type. The memory connector evaluates
// the AST in memory; SQL connectors compile it to parameterized SQL.
// Default scopes, hidden properties, defaults and relations are the
// repository's business, not the connector's.
//
// # Capabilities
//
//   - [Transactor]: Begin returns a [Tx]; attach it to a context with
//     [WithTx] and every call made with that context runs inside it.
//   - [Migrator]: Automigrate / Autoupdate the storage of model definitions.
//   - [Discoverer]: describe the tables already in a database.
//   - [Executor]: run a native command with separate parameters.
//   - [KeyValue]: get/set/expire instances under string keys.
//   - [Pinger]: health checks.
//
// Two capabilities exist for speed only; a connector without them is
// served the same, through records:
//
//   - [JSONFinder]: find instances as rows that write their own JSON, for
//     callers that only write what they find (the CRUD REST API's GETs).
//   - [OwnedCreator]: create from a record the caller hands over, kept
//     instead of copied.
//
// # Errors
//
// Connectors report errors with fault kinds so that the REST layer maps
// them to LoopBack's status codes: [NotFoundError] (404 ENTITY_NOT_FOUND),
// [DuplicateError] (409), fault.Unavailable when the data source is down.
package connector
