// Package sqlite is the SQLite connector, the embedded store new apps get
// by default. It uses modernc.org/sqlite, a pure-Go SQLite (no cgo), on a
// file or in memory.
//
// # Opening
//
//	c, err := sqlite.Open("file:data/todo.db") // file, created with its directory
//	c, err := sqlite.Open(":memory:")          // in memory, gone at Close
//	c, err := sqlite.New(sqlite.Config{File: "data/todo.db", BusyTimeout: 10 * time.Second})
//	cfg, err := sqlite.ConfigFromEnv("TODO_DB") // TODO_DB_URL, TODO_DB_FILE, …
//
// File databases run in WAL mode with foreign keys enforced; transactions
// take the write lock when they begin (BEGIN IMMEDIATE), so concurrent
// writers wait (up to BusyTimeout) instead of failing halfway. In-memory
// databases use one connection: a call made without the transaction's
// context while a transaction is open waits for it to end.
//
// # Types
//
// Integers are INTEGER, numbers REAL (NUMERIC with dataPrecision),
// booleans 0/1 in BOOLEAN columns, dates fixed-width UTC text in DATETIME
// columns (so text order is time order), objects, arrays and any JSON text,
// buffers BLOB. A generated numeric id is INTEGER PRIMARY KEY AUTOINCREMENT:
// ids are never reused.
//
// # Operators
//
// like is case-sensitive (compiled to GLOB), ilike folds case by Unicode
// rules (SQLite's own LIKE folds ASCII only), and regexp is a Go regular
// expression; both are Go functions registered with the driver for this
// data source only. Dotted keys reach
// into JSON columns with json_extract.
//
// Everything else — the filter compiler, migration, discovery, errors — is
// shared with the other SQL connectors: see package sqlconn.
package sqlite
