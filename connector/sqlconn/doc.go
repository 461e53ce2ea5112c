// Package sqlconn is the shared engine of the SQL connectors (sqlite,
// postgres, mysql): it maps model definitions to tables, compiles the
// filter AST to parameterized SQL, converts values, generates DDL for
// automigrate and autoupdate, discovers tables as model definitions and
// maps driver errors to fault kinds. Each SQL connector supplies a
// [Dialect] for what its engine does differently.
//
// # Safety
//
// Every value of a filter or record is a bound parameter. Table and column
// names come only from model definitions and are quoted by the dialect;
// property names in a filter (where, fields, order) must name a property of
// the model, or the call fails with fault.BadRequest before any SQL runs.
// Keys of dotted paths into JSON columns must name a declared nested
// property, or (for free-form objects) be plain identifiers, and are bound
// as parameters where the engine allows it.
//
// # Mapping
//
// The table is Settings.Connector[dialect]["table"], then Settings.Table,
// then the model name; a column is Property.Connector[dialect]["columnName"],
// then Property.Column, then the property name. The dialect keys are
// "postgresql", "mysql" and "sqlite" (LoopBack's "sqlite3" works too). The settings dataType, dataLength, dataPrecision,
// dataScale and nullable override the defaults, as in LoopBack:
//
//	{"postgresql": {"columnName": "is_complete", "dataType": "boolean", "nullable": "N"}}
//
// A belongsTo foreign key column is indexed; it is a FOREIGN KEY
// constraint (ON DELETE RESTRICT, CASCADE or SET NULL) only when the
// relation declares onDelete, so that deleting a parent without one leaves
// its children, as LoopBack and the other connectors do.
//
// Generated numeric ids are identity / auto-increment / rowid columns;
// generated string ids get a random UUID when absent.
//
// Properties a model does not define (non-strict models) are not stored:
// a table has only the model's columns.
//
// A NULL column is a property with no value: it is left out of the record
// read back, unless the property is nullable (model.Property.Nullable, or
// the model's nullForUnset setting), which answers null. Records returned
// by Create have the same shape. So an instance reads the same as on the
// memory connector, and as the model's schema describes it.
//
// # Performance
//
// Table mappings are built once per definition, with the quoted table and
// column names. The text of a SELECT is kept per filter shape
// ([MaxSelectShapes] per table: flat comparisons of properties with scalar
// values, order, whether there is a limit and a skip; never the values,
// which are converted and bound on each call), and the text of an INSERT
// per set of columns, so a request of a known shape compiles no SQL.
// SQLite and MySQL keep up to 128 / 64 prepared statements by SQL text
// (filters of the same shape share one); PostgreSQL relies on pgx's own
// statement cache (each connection prepares a statement once).
//
// A dialect may run the hot paths natively ([Options.Native], [Native]):
// PostgreSQL runs find, count, create, update and delete outside
// transactions on pgx's own connection (through database/sql's Conn.Raw,
// on the same pool), decoding each column into a typed destination chosen
// from its type, with the values database/sql would give; this saves
// database/sql's goroutine per query and a conversion and a copy of every
// value. Transactions, migration, discovery and Execute keep database/sql.
//
// The repository benchmarks of each connector compare FindByID, a find of
// 10 rows and Create with hand-written database/sql (and native pgx) code,
// in time (x-NAME) and in process CPU per call (cpu-x-NAME).
//
// # Transactions
//
// [Connector.Begin] returns a connector.Tx; calls made with a context that
// carries it (connector.WithTx) run inside it. A call that fails inside a
// transaction rolls the transaction back, and later calls with it fail with
// connector.ErrTxDone. Calls without a transaction run in autocommit mode;
// a write that fails with a deadlock or a serialization failure is run
// again outside a transaction ([MaxAttempts] tries in all, after random
// pauses of up to 10ms, 20ms, 40ms, 80ms), and is a fault.Conflict
// (CONCURRENT_UPDATE) inside one or when the tries run out.
//
// # Concurrent writes
//
// A multi-row UpdateAll or DeleteAll locks its rows in id order where the
// dialect supports it ([RowLockOrderer]; PostgreSQL: WHERE id IN (SELECT
// id … ORDER BY id FOR UPDATE); MySQL: … ORDER BY id), so that concurrent writes over
// overlapping rows queue instead of deadlocking. Writes of one row by id
// keep the plain statement. At most [Options.MaxWriters] multi-row writes
// of one model run at once outside transactions (by default half the
// pool); the others wait for a turn without holding a connection, so that
// one hot model never takes the pool from unrelated reads. PostgreSQL's
// Config.StatementTimeout bounds how long any statement may run.
//
// # Operators on text
//
// like, nlike, ilike, nilike and regexp apply to string properties (and
// strings inside JSON columns) and to integer properties, which are
// compared by their decimal text ("12%" matches 12 and 120) on every
// connector; on other types they are a 400 naming the property and the
// operator. In like patterns % and _ are wildcards and a backslash escapes
// the next character; a backslash at the end of a pattern is a literal
// backslash. regexp patterns are Go's RE2 syntax with the flags i, m, s
// (and g, ignored): a pattern Go refuses is a 400 on every connector, and
// on PostgreSQL and MySQL the pattern is translated ([TranslateRegexp])
// so that it matches exactly what Go's regexp matches: \b is an ASCII
// word boundary, . does not match a newline without the s flag, $ is the
// end of the text without the m flag, case folding follows Unicode's
// simple folding. Perl features RE2 lacks (backreferences, lookaround,
// possessive quantifiers) are refused everywhere. A translation longer
// than [MaxRegexpSize] (huge Unicode classes repeated many times) is a 400.
//
// # Errors
//
// Unique and primary-key violations become fault.Conflict ("Duplicate entry
// for Todo.id"), foreign-key violations fault.Conflict, not-null and check
// violations fault.Invalid, and a database that cannot be reached
// fault.Unavailable with a message naming the data source. The pool
// reconnects by itself when the database comes back.
//
// No message carries the driver's text (it stays the wrapped cause, for
// logs and errors.As). Text with a NUL character or invalid UTF-8, and
// strings longer than their column's dataLength, are refused before the
// database: in a record with LoopBack's 422 ValidationError naming the
// property ("The `Todo` instance is not valid. Details: `title` is too
// long (at most 20 characters)."), in a filter with a 400
// INVALID_PARAMETER_VALUE naming the property. What the database still
// refuses is mapped the same way: a value of a write is a 422
// ValidationError naming the column's property when the engine says which,
// a value of a read (find, count) a 400 that never speaks of an instance,
// and a pattern the engine refuses a 400 naming the like and regexp
// conditions of the statement.
//
// # Testing a dialect
//
// Package sqlconn/sqltest runs the SQL-specific tests (every operator,
// types, errors, transactions, migration, discovery, injection with a
// canary table, odd identifiers) and the repository benchmarks against a
// real database; connector/connectortest runs the connector conformance
// suite.
package sqlconn
