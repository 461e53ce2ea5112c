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
// Table mappings are built once per definition. SQLite and MySQL keep up to
// 128 / 64 prepared statements by SQL text (filters of the same shape share
// one); PostgreSQL relies on pgx's own statement cache. The repository
// benchmarks of each connector compare FindByID, a find of 10 rows and
// Create with hand-written database/sql (and native pgx) code.
//
// # Transactions
//
// [Connector.Begin] returns a connector.Tx; calls made with a context that
// carries it (connector.WithTx) run inside it. A call that fails inside a
// transaction rolls the transaction back, and later calls with it fail with
// connector.ErrTxDone. Calls without a transaction run in autocommit mode;
// a write that fails with a deadlock or a serialization failure is run
// again (up to five times) outside a transaction, and is a fault.Conflict
// inside one.
//
// # Errors
//
// Unique and primary-key violations become fault.Conflict ("Duplicate entry
// for Todo.id"), foreign-key violations fault.Conflict, not-null and check
// violations fault.Invalid, and a database that cannot be reached
// fault.Unavailable with a message naming the data source. The pool
// reconnects by itself when the database comes back.
//
// # Testing a dialect
//
// Package sqlconn/sqltest runs the SQL-specific tests (every operator,
// types, errors, transactions, migration, discovery, injection with a
// canary table, odd identifiers) and the repository benchmarks against a
// real database; connector/connectortest runs the connector conformance
// suite.
package sqlconn
