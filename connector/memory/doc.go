// Package memory is the memory connector: every model's instances in
// memory, with optional persistence to a file in LoopBack's db.json format,
// transactions and a key-value store. It is the default data source for
// development and tests, and for small single-instance apps.
//
//	conn, err := memory.New(memory.Config{File: "data/db.json"})
//
// # Ids
//
// Each model has an auto-increment counter (LoopBack's ids.Todo): a numeric
// id that is absent is the counter's next value, and an explicit id moves
// the counter past it. A string id that is absent gets a uuid. A duplicate
// id is a fault.Conflict ("Duplicate entry for Todo.id"), and so is a
// value that breaks a unique property or unique index (nulls are exempt,
// as in SQL). Without an order, Find returns instances in id order.
//
// # Persistence
//
// With Config.File set, New loads the file (a LoopBack app's db.json loads
// as is) and every change is written back before the call that made it
// returns: the whole store is written to a temporary file in the same
// directory, synced, renamed over the file, and the directory is synced,
// so a crash at any moment leaves a complete file that holds every
// acknowledged write. Concurrent writers share one file write (group
// commit). Every write rewrites the whole file, which suits
// development-sized data. A file that does not parse is reported by New
// and never overwritten. Key-value data is persisted too (see Key-value).
//
// A change counts only once it is on disk. When the file write fails (a
// full disk, an I/O error), every change it would have saved, and any
// change made on top of them meanwhile, is undone, and each call that
// made one returns a fault.Unavailable error (503; its message names
// neither the file nor the system's error, which the error's chain and
// text keep for logs: errors.Is(err, syscall.ENOSPC)). A change that was
// on disk is never undone. A read that sees a change not yet on disk
// waits for its file write, and reads again if the change was undone: no
// client reads what a restart would not find. (So, with a file, reads
// made while writes are under way take about one file write longer.) In
// the rare case where only syncing the directory fails, the file is
// written again at once from the undone state (and by the next file
// write, should that fail too). A transaction starts from
// a state that is on disk, and its Commit fails, undoing it, when its
// file write fails.
//
// The temporary files a killed process leaves (.db.json.tmp-<digits>
// next to db.json) are removed by New; nothing else in the directory is
// touched. Two connectors (or processes) must not share one file.
//
// # Transactions
//
// Begin returns a transaction that holds the store's write lock until
// Commit or Rollback: transactions are serializable whatever isolation
// level is asked for. Calls made with the context returned by
// connector.WithTx run inside it; calls made without it wait until it ends.
// Rollback undoes the transaction's changes from an undo log.
//
// # Storage
//
// Each instance is kept as a row: a compact binary encoding of its record
// in an immutable Go string (LoopBack's memory connector keeps a JSON
// string per instance for the same reason). A row keeps the record's Go
// types exactly (int64 and float64, time.Time with its offset, []byte,
// nested objects and arrays) and is one pointer-free object for the
// garbage collector, which keeps collections short when the store holds
// millions of instances. While a model's ids are all integers (generated
// numeric ids) its rows are copied into large pointer-free chunks (an
// arena, compacted once freed rows outweigh live ones) and found by binary
// search over a sorted slice of ids: the collector sees a few objects
// however many instances are stored. The first id of another kind (a
// string id, a fractional number) moves the table to a map from key to row
// with a sorted key list. A todo of the example takes about 70 bytes of
// memory this way, against about 500 for a map holding the same record.
//
// Reads decode what they need: a where clause decodes only the properties
// it looks at, Find decodes the page it returns (records the caller owns),
// and [Connector.FindJSON] writes the rows as JSON without building
// records at all, which is how the CRUD REST API answers GET requests.
// Create encodes the record it is given and keeps nothing of it;
// [Connector.CreateOwned] returns the record handed over as the result.
// Scans decode each row, so a where clause over many instances costs more
// than with maps; the memory connector is meant for development-sized data.
//
// # Like
//
// As in LoopBack's memory connector, like, nlike, ilike and nilike take a
// regular expression, matched anywhere in the value, in which % stands for
// .* and _ for . (everything else is the expression's own syntax, Go's
// RE2: no lookaround or backreferences): {"like": "^d"} matches "destroy
// alderaan", "space" matches "play space invaders", "a.c" matches "abc".
// ilike and nilike ignore case; nlike and nilike also match an instance
// whose value is missing or null. A pattern that is not a valid
// expression ("(", a trailing backslash) is a 400 INVALID_PARAMETER_VALUE
// error naming the condition. The SQL connectors keep SQL LIKE.
//
// # Commands
//
// Execute runs a few administrative commands (ping, models, count,
// truncate, flush); see [Connector.Execute].
//
// # Key-value
//
// Get, Set (with TTL), Delete, DeleteAllKeys, Expire, TTL and Keys (glob
// patterns) implement connector.KeyValue, namespaced by model. Expired
// entries disappear lazily. With a file, key-value changes are written
// like model changes (on disk before the call returns, undone when the
// write fails) in a "kv" member next to LoopBack's "ids" and "models",
// written only when there is key-value data: model → key → {"value":
// {...}, "expires": <milliseconds since the epoch>}. Entries that expired
// while the store was closed are dropped when it opens; values are read
// back with the model's types.
package memory
