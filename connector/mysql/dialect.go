package mysql

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
)

// Dialect is the MySQL / MariaDB dialect of package sqlconn. Its zero
// value is ready to use.
type Dialect struct{}

var _ sqlconn.Dialect = Dialect{}

// Name returns "mysql", the key of MySQL settings in model definitions.
func (Dialect) Name() string { return "mysql" }

// Quote quotes an identifier with backticks.
func (Dialect) Quote(ident string) string {
	return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
}

// Placeholder returns "?".
func (Dialect) Placeholder(int) string { return "?" }

// ColumnType maps a column to MySQL types; a generated numeric id is
// BIGINT AUTO_INCREMENT. Strings are TEXT unless they are indexed (ids,
// unique or indexed properties, foreign keys), which are VARCHAR(255).
func (Dialect) ColumnType(c *sqlconn.Column) (string, bool) {
	if c.AutoIncrement {
		return "BIGINT AUTO_INCREMENT", false
	}
	switch c.Kind {
	case sqlconn.KindInt:
		return "BIGINT", false
	case sqlconn.KindFloat:
		return "DOUBLE", false
	case sqlconn.KindDecimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", c.Precision, c.Scale), false
	case sqlconn.KindBool:
		return "TINYINT(1)", false
	case sqlconn.KindTime:
		return "DATETIME(6)", false
	case sqlconn.KindJSON:
		return "JSON", false
	case sqlconn.KindBytes:
		return "LONGBLOB", false
	}
	switch {
	case c.Length > 0:
		return fmt.Sprintf("VARCHAR(%d)", c.Length), false
	case c.UUID:
		return "VARCHAR(36)", false
	case c.Indexed:
		return "VARCHAR(255)", false
	}
	return "TEXT", false
}

// UUIDDefault returns (UUID()), an expression default (MySQL 8.0.13+,
// MariaDB 10.2+); the connector itself sends a random uuid.
func (Dialect) UUIDDefault() string { return "(UUID())" }

// Returning reports false: ids come from LastInsertId.
func (Dialect) Returning() bool { return false }

// RowLockOrder returns sqlconn.LockOrderBy: multi-row updates and deletes
// end with ORDER BY the id, so that InnoDB visits (and locks) their rows
// in id order.
func (Dialect) RowLockOrder() sqlconn.LockOrder { return sqlconn.LockOrderBy }

// Text returns CAST(expr AS CHAR).
func (Dialect) Text(expr string) string { return "CAST(" + expr + " AS CHAR)" }

// Match compiles like as LIKE in the utf8mb4_bin collation (case-sensitive),
// ilike as LIKE of lower-cased text, and regexp as REGEXP of the pattern
// translated from Go's syntax ([sqlconn.TranslateRegexp]) after an inline
// (?-i), so that the column's collation does not decide case sensitivity.
func (Dialect) Match(b *sqlconn.Builder, expr string, op filter.Op, pattern any) error {
	switch op {
	case filter.Like, filter.Nlike:
		// A binary collation: case-sensitive, character by character.
		b.WriteString("CONVERT(" + expr + " USING utf8mb4) COLLATE utf8mb4_bin")
		if op == filter.Nlike {
			b.WriteString(" NOT")
		}
		b.WriteString(" LIKE ")
		b.Arg(pattern)
	case filter.Ilike, filter.Nilike:
		b.WriteString("LOWER(" + expr + ")")
		if op == filter.Nilike {
			b.WriteString(" NOT")
		}
		b.WriteString(" LIKE LOWER(")
		b.Arg(pattern)
		b.WriteString(")")
	case filter.Regexp:
		// Go's syntax and flags, translated (case folding included), and
		// case-sensitive whatever the column's collation.
		p, err := sqlconn.TranslateRegexp(pattern.(*filter.RegexpValue), sqlconn.PCRE)
		if err != nil {
			return err
		}
		b.WriteString(expr)
		b.WriteString(" REGEXP ")
		b.Arg("(?-i)" + p)
	default:
		return fmt.Errorf("mysql: unsupported operator %s", op)
	}
	return nil
}

// JSONPath extracts with JSON_EXTRACT and a bound path; strings are
// unquoted.
func (Dialect) JSONPath(b *sqlconn.Builder, col string, path []string, v any) {
	p := sqlconn.JSONPathText(path)
	switch v.(type) {
	case float64, int64, int, bool:
		b.WriteString("JSON_EXTRACT(" + col + ", ")
		b.Arg(p)
		b.WriteString(")")
	default:
		b.WriteString("JSON_UNQUOTE(JSON_EXTRACT(" + col + ", ")
		b.Arg(p)
		b.WriteString("))")
	}
}

// JSONValue binds booleans as the JSON text JSON_EXTRACT returns.
func (Dialect) JSONValue(v any) any {
	if bv, ok := v.(bool); ok {
		if bv {
			return "true"
		}
		return "false"
	}
	return v
}

// ToDB converts with the common rules.
func (Dialect) ToDB(c *sqlconn.Column, v any) (any, error) { return sqlconn.CommonToDB(c, v) }

// FromDB converts with the common rules (TINYINT(1) to bool, DECIMAL and
// JSON from text).
func (Dialect) FromDB(c *sqlconn.Column, v any) (any, error) { return sqlconn.CommonFromDB(c, v) }

// LimitOffset writes LIMIT ? OFFSET ?.
func (Dialect) LimitOffset(b *sqlconn.Builder, limit, offset int) {
	sqlconn.LimitOffset(b, limit, offset, "18446744073709551615")
}

// columnOf returns the column an error message names ("for column
// 'title'", "for column `db`.`t`.`title`"), or "".
func columnOf(msg string) string {
	if m := forColumn.FindStringSubmatch(msg); m != nil {
		return m[1] + m[2]
	}
	return ""
}

var (
	forColumn = regexp.MustCompile("(?i)column (?:`[^`]*`\\.)*`([^`]+)`|(?i)column '([^']+)'")
	dupKey    = regexp.MustCompile(`for key '(?:[^'.]*\.)?([^']+)'`)
	nullField = regexp.MustCompile(`(?:Column|Field) '([^']+)'`)
)

// ClassifyError maps MySQL error numbers to fault kinds.
func (Dialect) ClassifyError(err error) (sqlconn.Classified, bool) {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1062, 1586: // duplicate entry
			key := ""
			if m := dupKey.FindStringSubmatch(me.Message); m != nil {
				key = m[1]
			}
			return sqlconn.Classified{Kind: fault.Conflict, Violation: sqlconn.UniqueViolation, Column: key}, true
		case 1451, 1452, 1216, 1217:
			return sqlconn.Classified{Kind: fault.Conflict, Violation: sqlconn.ForeignKeyViolation}, true
		case 1048, 1364:
			col := ""
			if m := nullField.FindStringSubmatch(me.Message); m != nil {
				col = m[1]
			}
			return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.NotNullViolation, Column: col}, true
		case 3819, 4025:
			return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.CheckViolation}, true
		case 1406: // data too long
			return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.LengthViolation, Column: columnOf(me.Message)}, true
		case 1366, 1300: // incorrect string value, invalid character string
			return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.EncodingViolation, Column: columnOf(me.Message)}, true
		case 1139, 3685, 3686, 3687, 3688, 3689, 3690, 3691, 3692, 3693, 3694, 3695, 3696, 3697, 3698, 3699:
			// regexp errors: MariaDB's PCRE (1139), MySQL 8's ICU (36xx)
			return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.PatternViolation}, true
		case 1264, 1265, 1292, 3140, 1690, 1367:
			return sqlconn.Classified{Kind: fault.Invalid, Violation: sqlconn.ValueViolation, Column: columnOf(me.Message)}, true
		case 1213: // deadlock
			return sqlconn.Classified{Kind: fault.Conflict, Retry: true}, true
		case 1040, 1053, 1205, 1317, 1927, 2002, 2003, 2006, 2013, 3024:
			return sqlconn.Classified{Kind: fault.Unavailable}, true
		}
		return sqlconn.Classified{}, false
	}
	if errors.Is(err, gomysql.ErrInvalidConn) {
		return sqlconn.Classified{Kind: fault.Unavailable}, true
	}
	return sqlconn.Classified{}, false
}

// Inspector returns the information_schema introspection.
func (Dialect) Inspector() sqlconn.Inspector { return inspector{} }

// DropTable returns DROP TABLE IF EXISTS.
func (d Dialect) DropTable(t *sqlconn.Table) string { return sqlconn.DropTable(d, t) }

// CreateSchema returns CREATE DATABASE IF NOT EXISTS (a MySQL schema is a
// database).
func (d Dialect) CreateSchema(schema string) string {
	return "CREATE DATABASE IF NOT EXISTS " + d.Quote(schema) + " CHARACTER SET utf8mb4"
}

// ForeignKeyChecks switches FOREIGN_KEY_CHECKS for the session.
func (Dialect) ForeignKeyChecks(on bool) string {
	if on {
		return "SET FOREIGN_KEY_CHECKS = 1"
	}
	return "SET FOREIGN_KEY_CHECKS = 0"
}

// InlineForeignKeys reports false.
func (Dialect) InlineForeignKeys() bool { return false }

// TxOptions keeps the options: InnoDB has every isolation level.
func (Dialect) TxOptions(o *sql.TxOptions) *sql.TxOptions { return o }

// TableOptions returns the options of CREATE TABLE.
func (Dialect) TableOptions() string { return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" }
