// Package mysql is the MySQL and MariaDB connector, over
// github.com/go-sql-driver/mysql.
//
// # Opening
//
//	c, err := mysql.Open("mysql://app:secret@db:3306/todo")
//	c, err := mysql.Open("app:secret@tcp(db:3306)/todo") // driver DSN
//	c, err := mysql.New(mysql.Config{Host: "db", User: "app", Database: "todo", MaxOpenConns: 20})
//	cfg, err := mysql.ConfigFromEnv("TODO_DB") // TODO_DB_URL, TODO_DB_HOST, …
//
// The connector sets what it relies on whatever the URL says: times are
// parsed as UTC time.Time, UpdateAll counts matched rows (clientFoundRows),
// parameters are sent to the server separately (never interpolated), and
// one statement runs per call. Open and New check the connection; later the
// pool reconnects by itself and calls fail with fault.Unavailable while the
// server is down.
//
// # Types
//
// Integers are BIGINT, numbers DOUBLE (DECIMAL(p,s) with dataPrecision/
// dataScale), booleans TINYINT(1), dates DATETIME(6) in UTC, objects, arrays
// and any JSON, buffers LONGBLOB. Strings are TEXT, or VARCHAR(255) when
// they are indexed (ids, unique or indexed properties, foreign keys) and
// VARCHAR(n) with dataLength. A generated numeric id is BIGINT
// AUTO_INCREMENT; a generated string id is a uuid made by the connector.
// Tables are InnoDB, utf8mb4.
//
// # Operators
//
// like is case-sensitive (LIKE in the utf8mb4_bin collation), ilike
// compares lower-cased text, regexp is REGEXP of the pattern translated
// from Go's syntax (see sqlconn's "Operators on text") after an inline
// (?-i), so that the column's collation does not decide, and dotted keys
// reach into JSON columns with JSON_EXTRACT and a bound path.
//
// # Concurrency
//
// Multi-row updates and deletes end with ORDER BY the id, so that InnoDB
// takes their row locks in id order, and Config.MaxWriters bounds how many
// of them run at once per model (default: half of MaxOpenConns), so that a
// hot model never takes the pool from unrelated reads. InnoDB can still
// deadlock through secondary indexes (rows moving between index keys); a
// deadlocked statement is retried like on every SQL connector.
// BenchmarkContention measures 20 writers over overlapping rows ("moving":
// also changing an indexed column) while 4 readers read another table.
//
// Everything else — the filter compiler, migration, discovery, errors — is
// shared with the other SQL connectors: see package sqlconn.
package mysql
