package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/loopback-go/lb/connector/sqlconn"
)

type inspector struct{}

const schemaCond = "table_schema = COALESCE(NULLIF(?, ''), DATABASE())"

// Tables lists tables and views from information_schema.
func (inspector) Tables(ctx context.Context, q sqlconn.Querier, schema string, views bool) ([]sqlconn.TableInfo, error) {
	types := "('BASE TABLE')"
	if views {
		types = "('BASE TABLE','VIEW')"
	}
	cond := schemaCond
	if schema == "*" {
		cond = "table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') AND ? = '*'"
	}
	rows, err := q.QueryContext(ctx, "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE "+
		cond+" AND table_type IN "+types+" ORDER BY table_schema, table_name", schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqlconn.TableInfo
	for rows.Next() {
		var ti sqlconn.TableInfo
		var typ string
		if err := rows.Scan(&ti.Schema, &ti.Name, &typ); err != nil {
			return nil, err
		}
		ti.View = typ == "VIEW"
		out = append(out, ti)
	}
	return out, rows.Err()
}

// Table describes a table from information_schema.
func (inspector) Table(ctx context.Context, q sqlconn.Querier, schema, name string) (*sqlconn.TableInfo, error) {
	ti := &sqlconn.TableInfo{Name: name}
	var typ string
	err := q.QueryRowContext(ctx, "SELECT table_schema, table_type FROM information_schema.tables WHERE "+schemaCond+" AND table_name = ?",
		schema, name).Scan(&ti.Schema, &typ)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ti.View = typ == "VIEW"
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, column_type, COALESCE(character_maximum_length, 0),
  CASE WHEN data_type IN ('decimal', 'numeric') THEN COALESCE(numeric_precision, 0) ELSE 0 END,
  CASE WHEN data_type IN ('decimal', 'numeric') THEN COALESCE(numeric_scale, 0) ELSE 0 END,
  is_nullable = 'YES', COALESCE(column_default, ''), extra LIKE '%auto_increment%'
FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`, ti.Schema, name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c sqlconn.ColumnInfo
		var colType string
		var length int64
		if err := rows.Scan(&c.Name, &c.DataType, &colType, &length, &c.Precision, &c.Scale, &c.Nullable, &c.Default, &c.AutoIncrement); err != nil {
			rows.Close()
			return nil, err
		}
		if length < 1<<24 {
			c.Length = int(length)
		}
		if c.DataType == "tinyint" && colType == "tinyint(1)" {
			c.DataType = colType
		}
		if c.Default == "NULL" { // MariaDB reports no default as the text NULL
			c.Default = ""
		}
		ti.Columns = append(ti.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := markJSON(ctx, q, ti); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT index_name, non_unique = 0, column_name FROM information_schema.statistics
WHERE table_schema = ? AND table_name = ? ORDER BY index_name, seq_in_index`, ti.Schema, name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var ixName, col string
		var unique bool
		if err := rows.Scan(&ixName, &unique, &col); err != nil {
			rows.Close()
			return nil, err
		}
		if n := len(ti.Indexes); n > 0 && ti.Indexes[n-1].Name == ixName {
			ti.Indexes[n-1].Columns = append(ti.Indexes[n-1].Columns, col)
			continue
		}
		ti.Indexes = append(ti.Indexes, sqlconn.IndexInfo{Name: ixName, Unique: unique, Primary: ixName == "PRIMARY", Columns: []string{col}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, ix := range ti.Indexes {
		if ix.Primary {
			ti.PrimaryKey = ix.Columns
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT constraint_name, column_name, referenced_table_schema, referenced_table_name, referenced_column_name
FROM information_schema.key_column_usage
WHERE table_schema = ? AND table_name = ? AND referenced_table_name IS NOT NULL ORDER BY constraint_name, ordinal_position`, ti.Schema, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var fk sqlconn.ForeignKeyInfo
		if err := rows.Scan(&fk.Name, &fk.Column, &fk.TargetSchema, &fk.TargetTable, &fk.TargetColumn); err != nil {
			return nil, err
		}
		ti.ForeignKeys = append(ti.ForeignKeys, fk)
	}
	return ti, rows.Err()
}

// markJSON gives MariaDB's JSON columns (LONGTEXT with a json_valid check)
// the data type json, as MySQL reports them.
func markJSON(ctx context.Context, q sqlconn.Querier, ti *sqlconn.TableInfo) error {
	rows, err := q.QueryContext(ctx, `SELECT check_clause FROM information_schema.check_constraints
WHERE constraint_schema = ? AND table_name = ?`, ti.Schema, ti.Name)
	if err != nil {
		return nil // MySQL before 8.0.16 has no check_constraints: JSON is reported as json anyway
	}
	defer rows.Close()
	for rows.Next() {
		var clause string
		if err := rows.Scan(&clause); err != nil {
			return err
		}
		for i := range ti.Columns {
			if ti.Columns[i].DataType == "longtext" && clause == "json_valid(`"+strings.ReplaceAll(ti.Columns[i].Name, "`", "``")+"`)" {
				ti.Columns[i].DataType = "json"
			}
		}
	}
	return rows.Err()
}
