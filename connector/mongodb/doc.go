// Package mongodb is the MongoDB connector (LoopBack's
// loopback-connector-mongodb), over the official driver
// go.mongodb.org/mongo-driver/v2. It passes the conformance suite of
// connector/connectortest, tested on FerretDB (a MongoDB-wire-compatible
// server; .ci/ferretdb).
//
//	c, err := mongodb.Open("mongodb://localhost:27017/todo")
//	repo := repository.MustNew[Todo, string](c)
//
// # Configuration
//
// [Config] takes a URL or host, port, database, user and password (fields
// override the URL), pool settings and a connect timeout, as LoopBack's
// mongodb datasource does, and an operation Timeout (maxTimeMS) that
// bounds what a costly query, such as a client's regular expression, may
// take; [ConfigFromEnv] reads them from PREFIX_URL and
// friends. In `lb serve` a datasource with "connector": "mongodb" and a
// "url" (or host/port/database/user/password) opens one.
//
// # Models and documents
//
// A model is a collection named after the model, or after its
// "mongodb": {"collection": "…"} setting (Settings.Connector), or
// Settings.Table. A property is a field of its name, or of its
// "mongodb": {"fieldName": "…"} setting. The id property is _id:
//
//   - a string id that is generated (or has no default function) is an
//     ObjectId, answered as its 24-digit hex string, as LoopBack answers;
//     a 24-hex-digit string given for it (in a record or a filter) is
//     converted to an ObjectId, any other string is kept as a string;
//   - a generated number id takes the next value of a counter document in
//     the collection lb_sequences (an explicit id moves the counter past
//     it), so that ids are 1, 2, 3 as on the other connectors;
//   - a string id with the default function uuid is a uuid.
//
// Another string property declared {"mongodb": {"dataType": "ObjectId"}}
// (a foreign key to an ObjectId id) is stored as an ObjectId and answered
// as its hex string too. Because LoopBack stores strings that look like
// ObjectIds as ObjectIds, eq, neq, inq and nin with a 24-hex-digit string
// on any other string property match both forms, so that data written by
// a LoopBack app is found.
//
// Dates are BSON dates (millisecond precision), buffers BSON binary,
// nested objects embedded documents. A property that has no value is
// not stored (a null is stored as an absent field), so that unique
// indexes admit any number of instances without a value; eq null and
// exists false match both.
//
// # Queries
//
// Every where operator compiles to a MongoDB query: eq ($eq, so that a
// value is never read as an operator), neq ($ne: it matches a missing
// value, as on the other connectors), gt/gte/lt/lte (never matching
// null), inq/nin ($in/$nin; an empty inq matches nothing), between
// ($gte and $lte), exists (present and not null), and/or ($and/$or) and
// dotted paths into nested documents. like, nlike, ilike and nilike are
// regular expressions ($regex, and $not for nlike and nilike) matched
// anywhere in the value, as LoopBack's MongoDB connector reads them;
// ilike and nilike ignore case; nlike and nilike match an instance
// without a value. One difference: LoopBack's MongoDB connector passes
// the pattern to the server as it is, so that % and _ are literal there,
// while here % stands for any run of characters and _ for any one
// character, as in LoopBack's memory connector and on every other
// connector of this module (connectortest's LikeIsRegexp), so that a
// pattern finds the same instances everywhere; a pattern without % or _
// reads exactly as in LoopBack. regexp takes the flags i, m and s (g is
// ignored, as LoopBack warns). Every pattern is checked to compile (Go's
// RE2 syntax, a subset of the server's) before the query is sent: a bad
// one is a 400 naming the condition.
//
// like, ilike and regexp on an integer compare its decimal text, as the
// other connectors do. MongoDB can only do that with $expr, which FerretDB
// lacks, so a where clause that holds such a condition is evaluated by
// the connector on the documents it reads (the whole collection, in
// order); counts, updates and deletes then act on the ids it found.
//
// fields is a projection, order a sort (then _id, so that the order is
// stable), limit and skip are the cursor's. Inclusion of related models
// is the repository's: one $in query per relation and level.
//
// # Writes and errors
//
// UpdateAll is one updateMany ($set, and $unset for nulls); DeleteAll one
// deleteMany; both answer the number of instances matched. A duplicate
// id or unique value is a 409 (fault.Conflict) naming the property; a
// unique property set on more than one instance at once, or to a value
// another instance has, is refused before the write. A server that cannot
// be reached is a 503 (fault.Unavailable, code DATASOURCE_UNAVAILABLE)
// naming the data source; the driver reconnects by itself when it comes
// back. No text of the driver or the server reaches a client: it is kept
// in the wrapped error, for logs.
//
// # Migration and discovery
//
// Automigrate drops each model's collection (and its id counter) and
// creates its indexes; Autoupdate creates the missing collections and
// indexes, keeping data. A property with index or unique set, and every
// model-level index, becomes an index; unique ones are sparse (only the
// instances that have the value are indexed). DiscoverModels lists the
// collections; DiscoverDefinition infers a model from a sample of 100
// documents (the type all of a field's values share, any when they
// differ), for `lb discover`.
//
// # Transactions
//
// MongoDB has transactions only on replica sets and sharded clusters, and
// FerretDB has none. The connector does not implement
// connector.Transactor: repository.Begin and repository.Transact answer a
// 501 (fault.NotImplemented), and CreateAll is not atomic.
//
// # FerretDB
//
// The tests run on FerretDB 1.24 (SQLite or PostgreSQL handler), which
// .ci/run starts on 127.0.0.1:27017; set MONGODB_URL to test on another
// server. What FerretDB lacks, and how the connector copes:
//
//   - $expr: text comparisons of integers run in the connector (above);
//   - partial indexes: unique indexes are sparse instead;
//   - transactions (above);
//   - an update that violates a unique index is reported as an internal
//     error rather than a duplicate key: the connector checks unique
//     values before it updates.
package mongodb
