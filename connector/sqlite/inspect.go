package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/loopback-go/lb/connector/sqlconn"
)

type inspector struct{}

func master(schema string) string {
	if schema == "" || schema == "*" {
		return "sqlite_master"
	}
	return Dialect{}.Quote(schema) + ".sqlite_master"
}

// Tables lists tables and views from sqlite_master.
func (inspector) Tables(ctx context.Context, q sqlconn.Querier, schema string, views bool) ([]sqlconn.TableInfo, error) {
	types := "('table')"
	if views {
		types = "('table','view')"
	}
	rows, err := q.QueryContext(ctx, "SELECT name, type FROM "+master(schema)+
		" WHERE type IN "+types+" AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqlconn.TableInfo
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		out = append(out, sqlconn.TableInfo{Name: name, View: typ == "view"})
	}
	return out, rows.Err()
}

// Table describes a table with the table_info, foreign_key_list and
// index_list pragmas.
func (in inspector) Table(ctx context.Context, q sqlconn.Querier, schema, name string) (*sqlconn.TableInfo, error) {
	var typ string
	err := q.QueryRowContext(ctx, "SELECT type FROM "+master(schema)+" WHERE name = ? AND type IN ('table','view')", name).Scan(&typ)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ti := &sqlconn.TableInfo{Name: name, View: typ == "view"}
	sch := schema
	if sch == "" {
		sch = "main"
	}
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", COALESCE(dflt_value, ''), pk FROM pragma_table_info(?, ?) ORDER BY cid`, name, sch)
	if err != nil {
		return nil, fmt.Errorf("table_info: %w", err)
	}
	type pkCol struct {
		name string
		pos  int
		typ  string
	}
	var pks []pkCol
	for rows.Next() {
		var c sqlconn.ColumnInfo
		var notNull, pk int
		var dtype string
		if err := rows.Scan(&c.Name, &dtype, &notNull, &c.Default, &pk); err != nil {
			rows.Close()
			return nil, err
		}
		base, a, b := sizeOf(dtype)
		c.DataType = strings.ToLower(base)
		switch c.DataType {
		case "numeric", "decimal":
			c.Precision, c.Scale = a, b
		default:
			c.Length = a
		}
		c.Nullable = notNull == 0 && pk == 0
		if pk > 0 {
			pks = append(pks, pkCol{c.Name, pk, c.DataType})
		}
		ti.Columns = append(ti.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := 1; i < len(pks); i++ {
		for j := i; j > 0 && pks[j].pos < pks[j-1].pos; j-- {
			pks[j], pks[j-1] = pks[j-1], pks[j]
		}
	}
	for _, p := range pks {
		ti.PrimaryKey = append(ti.PrimaryKey, p.name)
	}
	if len(pks) == 1 && pks[0].typ == "integer" { // rowid alias
		for i := range ti.Columns {
			if ti.Columns[i].Name == pks[0].name {
				ti.Columns[i].AutoIncrement = true
			}
		}
	}
	if ti.View {
		return ti, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT id, "table", "from", COALESCE("to", '') FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq`, name, sch)
	if err != nil {
		return nil, fmt.Errorf("foreign_key_list: %w", err)
	}
	for rows.Next() {
		var id int
		var fk sqlconn.ForeignKeyInfo
		if err := rows.Scan(&id, &fk.TargetTable, &fk.Column, &fk.TargetColumn); err != nil {
			rows.Close()
			return nil, err
		}
		fk.Name = fmt.Sprintf("fk_%s_%d", name, id)
		ti.ForeignKeys = append(ti.ForeignKeys, fk)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, fk := range ti.ForeignKeys {
		if fk.TargetColumn == "" { // references the target's primary key
			target, err := in.Table(ctx, q, schema, fk.TargetTable)
			if err == nil && target != nil && len(target.PrimaryKey) == 1 {
				ti.ForeignKeys[i].TargetColumn = target.PrimaryKey[0]
			}
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT name, "unique", origin FROM pragma_index_list(?, ?) ORDER BY seq`, name, sch)
	if err != nil {
		return nil, fmt.Errorf("index_list: %w", err)
	}
	var ixs []sqlconn.IndexInfo
	for rows.Next() {
		var ix sqlconn.IndexInfo
		var unique int
		var origin string
		if err := rows.Scan(&ix.Name, &unique, &origin); err != nil {
			rows.Close()
			return nil, err
		}
		ix.Unique, ix.Primary = unique != 0, origin == "pk"
		ixs = append(ixs, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range ixs {
		rows, err := q.QueryContext(ctx, `SELECT COALESCE(name, '') FROM pragma_index_info(?, ?) ORDER BY seqno`, ixs[i].Name, sch)
		if err != nil {
			return nil, fmt.Errorf("index_info: %w", err)
		}
		for rows.Next() {
			var col string
			if err := rows.Scan(&col); err != nil {
				rows.Close()
				return nil, err
			}
			ixs[i].Columns = append(ixs[i].Columns, col)
		}
		rows.Close()
	}
	ti.Indexes = ixs
	return ti, nil
}
