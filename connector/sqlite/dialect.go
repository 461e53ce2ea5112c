package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
)

// Dialect is the SQLite dialect of package sqlconn. Its zero value is
// ready to use.
type Dialect struct{}

var _ sqlconn.Dialect = Dialect{}

// timeFormat stores dates as fixed-width UTC text, so that text order is
// time order.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// Name returns "sqlite", the key of SQLite settings in model definitions.
func (Dialect) Name() string { return "sqlite" }

// Quote quotes an identifier with double quotes.
func (Dialect) Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns "?".
func (Dialect) Placeholder(int) string { return "?" }

// ColumnType maps a column to SQLite's types; a generated numeric id is the
// rowid alias "INTEGER PRIMARY KEY AUTOINCREMENT" (ids are never reused).
func (Dialect) ColumnType(c *sqlconn.Column) (string, bool) {
	if c.AutoIncrement {
		return "INTEGER PRIMARY KEY AUTOINCREMENT", true
	}
	switch c.Kind {
	case sqlconn.KindInt:
		return "INTEGER", false
	case sqlconn.KindFloat:
		return "REAL", false
	case sqlconn.KindDecimal:
		if c.Scale > 0 {
			return fmt.Sprintf("NUMERIC(%d,%d)", c.Precision, c.Scale), false
		}
		return fmt.Sprintf("NUMERIC(%d)", c.Precision), false
	case sqlconn.KindBool:
		return "BOOLEAN", false
	case sqlconn.KindTime:
		return "DATETIME", false
	case sqlconn.KindBytes:
		return "BLOB", false
	case sqlconn.KindString:
		if c.Length > 0 {
			return fmt.Sprintf("VARCHAR(%d)", c.Length), false
		}
	}
	return "TEXT", false // strings and JSON
}

// UUIDDefault returns an expression that builds a random (version 4)
// uuid from randomblob; the connector itself sends one made in Go.
func (Dialect) UUIDDefault() string {
	return "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || " +
		"substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"
}

// Returning reports true: SQLite has INSERT … RETURNING since 3.35.
func (Dialect) Returning() bool { return true }

// globPattern turns a LIKE pattern (% and _, with backslash escapes as in
// PostgreSQL and MySQL) into a GLOB pattern, so that like is case-sensitive
// as in the other connectors.
func globPattern(like string) string {
	var b strings.Builder
	escaped := false
	for _, r := range like {
		switch {
		case escaped:
			escaped = false
			writeGlobLiteral(&b, r)
		case r == '\\':
			escaped = true
		case r == '%':
			b.WriteByte('*')
		case r == '_':
			b.WriteByte('?')
		default:
			writeGlobLiteral(&b, r)
		}
	}
	if escaped {
		b.WriteByte('\\')
	}
	return b.String()
}

func writeGlobLiteral(b *strings.Builder, r rune) {
	if r == '*' || r == '?' || r == '[' {
		b.WriteByte('[')
		b.WriteRune(r)
		b.WriteByte(']')
		return
	}
	b.WriteRune(r)
}

// Text returns CAST(expr AS TEXT).
func (Dialect) Text(expr string) string { return "CAST(" + expr + " AS TEXT)" }

// Match compiles like (case-sensitive, as GLOB), ilike (LIKE of both sides
// folded to lower case by Unicode rules, with lb_fold, a Go function
// registered with the driver) and regexp (a Go regexp function, likewise).
func (Dialect) Match(b *sqlconn.Builder, expr string, op filter.Op, pattern any) error {
	switch op {
	case filter.Like, filter.Nlike:
		b.WriteString(expr)
		if op == filter.Nlike {
			b.WriteString(" NOT")
		}
		b.WriteString(" GLOB ")
		b.Arg(globPattern(pattern.(string)))
	case filter.Ilike, filter.Nilike:
		b.WriteString("lb_fold(" + expr + ")")
		if op == filter.Nilike {
			b.WriteString(" NOT")
		}
		b.WriteString(" LIKE lb_fold(")
		b.Arg(pattern)
		b.WriteString(`) ESCAPE '\'`)
	case filter.Regexp:
		rv := pattern.(*filter.RegexpValue)
		b.WriteString(expr)
		b.WriteString(" REGEXP ")
		b.Arg(goPattern(rv))
	default:
		return fmt.Errorf("sqlite: unsupported operator %s", op)
	}
	return nil
}

// goPattern turns a LoopBack regexp into a Go regexp with inline flags.
func goPattern(rv *filter.RegexpValue) string {
	flags := ""
	for _, f := range rv.Flags {
		if f == 'i' || f == 'm' || f == 's' {
			flags += string(f)
		}
	}
	if flags == "" {
		return rv.Pattern
	}
	return "(?" + flags + ")" + rv.Pattern
}

// JSONPath extracts with json_extract and a bound path.
func (Dialect) JSONPath(b *sqlconn.Builder, col string, path []string, _ any) {
	b.WriteString("json_extract(")
	b.WriteString(col)
	b.WriteString(", ")
	b.Arg(sqlconn.JSONPathText(path))
	b.WriteString(")")
}

// JSONValue binds booleans as 1 and 0, as json_extract returns them.
func (Dialect) JSONValue(v any) any {
	if bv, ok := v.(bool); ok {
		if bv {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// ToDB stores booleans as 0/1 and dates as fixed-width UTC text.
func (Dialect) ToDB(c *sqlconn.Column, v any) (any, error) {
	switch c.Kind {
	case sqlconn.KindBool:
		bv, err := sqlconn.AsBool(v)
		if err != nil {
			return nil, err
		}
		if bv {
			return int64(1), nil
		}
		return int64(0), nil
	case sqlconn.KindTime:
		t, err := sqlconn.AsTime(v)
		if err != nil {
			return nil, err
		}
		return t.UTC().Format(timeFormat), nil
	}
	return sqlconn.CommonToDB(c, v)
}

// FromDB converts SQLite values back.
func (Dialect) FromDB(c *sqlconn.Column, v any) (any, error) {
	if c.Kind == sqlconn.KindTime {
		if t, ok := v.(time.Time); ok {
			return t.UTC(), nil
		}
	}
	return sqlconn.CommonFromDB(c, v)
}

// LimitOffset writes LIMIT ? OFFSET ? (LIMIT -1 when only skipping).
func (Dialect) LimitOffset(b *sqlconn.Builder, limit, offset int) {
	sqlconn.LimitOffset(b, limit, offset, "-1")
}

var constraintColumn = regexp.MustCompile(`constraint failed: ([^ ,()]+)`)

// ClassifyError maps SQLite result codes to fault kinds.
func (Dialect) ClassifyError(err error) (sqlconn.Classified, bool) {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return sqlconn.Classified{}, false
	}
	col := ""
	if all := constraintColumn.FindAllStringSubmatch(se.Error(), -1); all != nil {
		col = all[len(all)-1][1]
		if i := strings.LastIndexByte(col, '.'); i >= 0 {
			col = col[i+1:]
		}
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_ROWID:
		return sqlconn.Classified{Kind: fault.Conflict, Violation: sqlconn.UniqueViolation, Column: col}, true
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlconn.Classified{Kind: fault.Conflict, Violation: sqlconn.ForeignKeyViolation}, true
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.NotNullViolation, Column: col}, true
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.CheckViolation}, true
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL:
		return sqlconn.Classified{Kind: fault.Unavailable}, true
	}
	return sqlconn.Classified{}, false
}

// Inspector returns SQLite's schema introspection.
func (Dialect) Inspector() sqlconn.Inspector { return inspector{} }

// DropTable returns DROP TABLE IF EXISTS.
func (d Dialect) DropTable(t *sqlconn.Table) string { return sqlconn.DropTable(d, t) }

// ForeignKeyChecks switches the foreign_keys pragma.
func (Dialect) ForeignKeyChecks(on bool) string {
	if on {
		return "PRAGMA foreign_keys = ON"
	}
	return "PRAGMA foreign_keys = OFF"
}

// InlineForeignKeys reports true: SQLite cannot add constraints later.
func (Dialect) InlineForeignKeys() bool { return true }

// TableOptions returns "".
func (Dialect) TableOptions() string { return "" }

// TxOptions drops the isolation level: SQLite transactions are always
// serializable.
func (Dialect) TxOptions(o *sql.TxOptions) *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: o.ReadOnly}
}

// sizeOf parses "VARCHAR(20)" or "NUMERIC(10,2)".
func sizeOf(typ string) (base string, a, b int) {
	i := strings.IndexByte(typ, '(')
	if i < 0 {
		return strings.TrimSpace(typ), 0, 0
	}
	base = strings.TrimSpace(typ[:i])
	inner := strings.TrimSuffix(strings.TrimSpace(typ[i+1:]), ")")
	first, second, _ := strings.Cut(inner, ",")
	a, _ = strconv.Atoi(strings.TrimSpace(first))
	b, _ = strconv.Atoi(strings.TrimSpace(second))
	return base, a, b
}
