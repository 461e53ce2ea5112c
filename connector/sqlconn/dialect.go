package sqlconn

import (
	"context"
	"database/sql"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
)

// Dialect is what differs between SQL engines. The sqlite, postgres and
// mysql packages each provide one; everything else (filter compilation,
// statements, conversion, migration, discovery) is shared and calls the
// dialect for the parts that differ.
//
// A Dialect must be safe for concurrent use.
type Dialect interface {
	// Name is the key of this dialect's settings in Property.Connector and
	// Settings.Connector: "sqlite", "postgresql" or "mysql".
	Name() string
	// Quote quotes an identifier (which may contain any character).
	Quote(ident string) string
	// Placeholder returns the marker of the n-th bound parameter, from 1.
	Placeholder(n int) string
	// ColumnType returns the SQL type of c when c.DataType is empty; for
	// generated ids it includes the identity / auto-increment clause and
	// reports inlinePK when PRIMARY KEY is part of it.
	ColumnType(c *Column) (sqlType string, inlinePK bool)
	// UUIDDefault returns the DEFAULT expression of a generated uuid id
	// column, or "" when the database cannot generate one (the connector
	// always generates a uuid itself when the value is absent).
	UUIDDefault() string
	// Returning reports whether INSERT … RETURNING is supported; otherwise
	// a generated id is read from sql.Result.LastInsertId.
	Returning() bool
	// Text returns an expression of the decimal text form of the integer
	// expression expr (like and regexp on an integer property compare it).
	Text(expr string) string
	// Match writes the like / nlike / ilike / nilike / regexp comparison
	// of expr with the pattern bound through b.
	Match(b *Builder, expr string, op filter.Op, pattern any) error
	// JSONPath writes an expression that extracts path from the JSON
	// column expression col, comparable with v (a string, number or bool).
	// The keys in path have been checked; the dialect should still bind
	// them as parameters where the engine allows it.
	JSONPath(b *Builder, col string, path []string, v any)
	// JSONValue converts a value compared with a JSON path expression into
	// the bound parameter.
	JSONValue(v any) any
	// ToDB converts a connector value for column c into a driver value.
	// Callers have already handled nil.
	ToDB(c *Column, v any) (any, error)
	// FromDB converts a scanned driver value of column c into a connector
	// value. Callers have already handled nil.
	FromDB(c *Column, v any) (any, error)
	// LimitOffset writes the LIMIT / OFFSET clause; limit 0 means none.
	LimitOffset(b *Builder, limit, offset int)
	// ClassifyError classifies a driver error; ok is false for errors the
	// dialect does not recognise (generic connectivity errors are
	// recognised by the shared code).
	ClassifyError(err error) (c Classified, ok bool)
	// Inspector returns the dialect's schema introspection.
	Inspector() Inspector
	// DropTable returns the statement that drops the table if it exists.
	DropTable(t *Table) string
	// ForeignKeyChecks returns the session statement that switches
	// foreign-key checks on or off during automigrate, or "" when the
	// dialect drops tables without it (PostgreSQL drops with CASCADE).
	ForeignKeyChecks(on bool) string
	// InlineForeignKeys reports whether foreign keys must be declared in
	// CREATE TABLE because ALTER TABLE cannot add them (SQLite).
	InlineForeignKeys() bool
	// TableOptions returns what follows the column list of CREATE TABLE
	// (MySQL's engine and character set), or "".
	TableOptions() string
	// TxOptions adapts the options of a transaction to what the engine
	// supports (SQLite only knows serializable).
	TxOptions(opts *sql.TxOptions) *sql.TxOptions
}

// Violation names the constraint a statement violated.
type Violation int

// The violations the shared code reports with dedicated messages.
const (
	NoViolation Violation = iota
	UniqueViolation
	ForeignKeyViolation
	NotNullViolation
	CheckViolation
	// LengthViolation is a string longer than its column.
	LengthViolation
	// EncodingViolation is text the column's character set cannot hold
	// (a NUL character, invalid UTF-8).
	EncodingViolation
	// PatternViolation is a like or regexp pattern the engine refuses.
	PatternViolation
	// ValueViolation is any other value the column or comparison cannot
	// take (out of range, malformed number or date).
	ValueViolation
)

// Classified is a driver error classified by a dialect.
type Classified struct {
	// Kind is the fault kind of the error.
	Kind fault.Kind
	// Violation is the violated constraint, if any.
	Violation Violation
	// Column is the column involved, when the engine says which.
	Column string
	// Retry is true for deadlocks and serialization failures: a statement
	// run outside a transaction may simply be run again.
	Retry bool
}

// Querier is what the shared code needs from *sql.DB, *sql.Tx or *sql.Conn.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Inspector reads the structure of a database: the tables and views of a
// schema and their columns, keys and indexes. It is used by discovery and
// by autoupdate.
type Inspector interface {
	// Tables lists the tables (and views when views is true) of schema;
	// "" means the connection's current schema or database.
	Tables(ctx context.Context, q Querier, schema string, views bool) ([]TableInfo, error)
	// Table describes one table, or returns nil when it does not exist.
	Table(ctx context.Context, q Querier, schema, name string) (*TableInfo, error)
}

// TableInfo describes a table or view found in a database.
type TableInfo struct {
	Schema      string
	Name        string
	View        bool
	Columns     []ColumnInfo
	PrimaryKey  []string
	ForeignKeys []ForeignKeyInfo
	Indexes     []IndexInfo
}

// ColumnInfo describes a column found in a database.
type ColumnInfo struct {
	Name string
	// DataType is the engine's type name in lower case ("integer",
	// "character varying", "varchar", "text", "timestamp with time zone").
	DataType      string
	Length        int
	Precision     int
	Scale         int
	Nullable      bool
	Default       string
	AutoIncrement bool
}

// ForeignKeyInfo describes a foreign key found in a database.
type ForeignKeyInfo struct {
	Name         string
	Column       string
	TargetSchema string
	TargetTable  string
	TargetColumn string
}

// IndexInfo describes an index found in a database.
type IndexInfo struct {
	Name    string
	Columns []string
	Unique  bool
	Primary bool
}
