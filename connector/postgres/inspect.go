package postgres

import (
	"context"
	"database/sql"
	"strings"

	"github.com/loopback-go/lb/connector/sqlconn"
)

type inspector struct{}

// Tables lists tables and views from information_schema.
func (inspector) Tables(ctx context.Context, q sqlconn.Querier, schema string, views bool) ([]sqlconn.TableInfo, error) {
	types := "('BASE TABLE')"
	if views {
		types = "('BASE TABLE','VIEW')"
	}
	cond := "table_schema = COALESCE(NULLIF($1, ''), current_schema())"
	if schema == "*" {
		cond = "table_schema NOT IN ('pg_catalog', 'information_schema') AND $1 = '*'"
	}
	rows, err := q.QueryContext(ctx, `SELECT table_schema, table_name, table_type FROM information_schema.tables
WHERE `+cond+` AND table_type IN `+types+` ORDER BY table_schema, table_name`, schema)
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

// Table describes a table from information_schema and pg_catalog.
func (inspector) Table(ctx context.Context, q sqlconn.Querier, schema, name string) (*sqlconn.TableInfo, error) {
	d := Dialect{}
	ref := d.Quote(name)
	if schema != "" {
		ref = d.Quote(schema) + "." + ref
	}
	ti := &sqlconn.TableInfo{Name: name}
	var kind string
	err := q.QueryRowContext(ctx, `SELECT n.nspname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'v', 'm', 'p')`, ref).Scan(&ti.Schema, &kind)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ti.View = kind == "v" || kind == "m"
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, COALESCE(character_maximum_length, 0),
  CASE WHEN data_type = 'numeric' THEN COALESCE(numeric_precision, 0) ELSE 0 END,
  CASE WHEN data_type = 'numeric' THEN COALESCE(numeric_scale, 0) ELSE 0 END,
  is_nullable = 'YES', COALESCE(column_default, ''),
  is_identity = 'YES' OR COALESCE(column_default, '') LIKE 'nextval(%'
FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, ti.Schema, name)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c sqlconn.ColumnInfo
		if err := rows.Scan(&c.Name, &c.DataType, &c.Length, &c.Precision, &c.Scale, &c.Nullable, &c.Default, &c.AutoIncrement); err != nil {
			rows.Close()
			return nil, err
		}
		if c.AutoIncrement && c.Default == "" {
			c.Default = "identity"
		}
		ti.Columns = append(ti.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT ic.relname, i.indisunique, i.indisprimary,
  string_agg(a.attname, chr(1) ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum))
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = to_regclass($1) GROUP BY ic.relname, i.indisunique, i.indisprimary ORDER BY ic.relname`, ref)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var ix sqlconn.IndexInfo
		var cols string
		if err := rows.Scan(&ix.Name, &ix.Unique, &ix.Primary, &cols); err != nil {
			rows.Close()
			return nil, err
		}
		ix.Columns = strings.Split(cols, "\x01")
		if ix.Primary {
			ti.PrimaryKey = ix.Columns
		}
		ti.Indexes = append(ti.Indexes, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT c.conname, a.attname, nf.nspname, cf.relname, af.attname
FROM pg_constraint c
JOIN pg_class cf ON cf.oid = c.confrelid JOIN pg_namespace nf ON nf.oid = cf.relnamespace
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
WHERE c.conrelid = to_regclass($1) AND c.contype = 'f' ORDER BY c.conname`, ref)
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
