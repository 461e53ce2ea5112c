package sqlconn

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/loopback-go/lb/model"
)

// resolveForeignKeys maps the belongsTo foreign keys of t to target tables
// among tables (by model name). Keys whose target model is not being
// migrated are left out.
func resolveForeignKeys(t *Table, tables map[string]*Table) []ForeignKeySQL {
	var out []ForeignKeySQL
	for _, fk := range t.ForeignKeys {
		target := tables[fk.Target]
		if target == nil {
			continue
		}
		var col *Column
		if fk.TargetKey != "" {
			col = target.Column(fk.TargetKey)
		} else if len(target.ID) == 1 {
			col = target.ID[0]
		}
		if col == nil {
			continue
		}
		out = append(out, ForeignKeySQL{Name: fk.Name, Column: fk.Column,
			TargetSchema: target.Schema, TargetTable: target.Name, TargetColumn: col.Name, OnDelete: fk.OnDelete})
	}
	return out
}

func (c *Connector) tablesOf(defs []*model.Definition) ([]*Table, map[string]*Table, error) {
	list := make([]*Table, 0, len(defs))
	byModel := make(map[string]*Table, len(defs))
	for _, def := range defs {
		t, err := c.Table(def)
		if err != nil {
			return nil, nil, err
		}
		list = append(list, t)
		byModel[def.Name] = t
	}
	return list, byModel, nil
}

// exec runs DDL statements on one connection, mapping errors.
func (c *Connector) execAll(ctx context.Context, q Querier, step string, stmts ...string) error {
	for _, s := range stmts {
		if s == "" {
			continue
		}
		c.observe(ctx, s)
		if _, err := q.ExecContext(ctx, s); err != nil {
			return c.mapError(fmt.Sprintf("%s: %s", step, firstLine(s)), nil, err)
		}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// create creates t with its indexes; foreign keys are inline when the
// dialect needs them there, otherwise returned to be added later.
func (c *Connector) create(ctx context.Context, q Querier, t *Table, tables map[string]*Table) ([]ForeignKeySQL, error) {
	if sc, ok := c.d.(SchemaCreator); ok && t.Schema != "" {
		if err := c.execAll(ctx, q, "create schema "+t.Schema, sc.CreateSchema(t.Schema)); err != nil {
			return nil, err
		}
	}
	fks := resolveForeignKeys(t, tables)
	var inline []ForeignKeySQL
	if c.d.InlineForeignKeys() {
		inline, fks = fks, nil
	}
	stmts := []string{CreateTable(c.d, t, inline)}
	for _, ix := range t.Indexes {
		stmts = append(stmts, CreateIndex(c.d, t, ix.Name, ix.Columns, ix.Unique))
	}
	if err := c.execAll(ctx, q, "create table "+t.Name, stmts...); err != nil {
		return nil, err
	}
	return fks, nil
}

// SchemaCreator is implemented by dialects that create the schema (or
// database) a model's settings name when it is missing.
type SchemaCreator interface {
	// CreateSchema returns the statement that creates schema if it does
	// not exist.
	CreateSchema(schema string) string
}

// Automigrate drops the tables of defs (data is lost) and creates them
// again, with their indexes, unique constraints and the foreign keys of
// belongsTo relations between the given models that declare onDelete.
func (c *Connector) Automigrate(ctx context.Context, defs []*model.Definition) error {
	tables, byModel, err := c.tablesOf(defs)
	if err != nil {
		return fmt.Errorf("automigrate: %w", err)
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return c.mapError("automigrate", nil, err)
	}
	defer conn.Close()
	if s := c.d.ForeignKeyChecks(false); s != "" {
		if err := c.execAll(ctx, conn, "automigrate", s); err != nil {
			return err
		}
		defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), c.d.ForeignKeyChecks(true)) }()
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if err := c.execAll(ctx, conn, "automigrate: drop", c.d.DropTable(tables[i])); err != nil {
			return err
		}
	}
	var pending []fkOf
	for _, t := range tables {
		fks, err := c.create(ctx, conn, t, byModel)
		if err != nil {
			return fmt.Errorf("automigrate: %w", err)
		}
		for _, fk := range fks {
			pending = append(pending, fkOf{t, fk})
		}
	}
	for _, p := range pending {
		if err := c.execAll(ctx, conn, "automigrate: foreign key", AddForeignKey(c.d, p.t, p.fk)); err != nil {
			return err
		}
	}
	return nil
}

type fkOf struct {
	t  *Table
	fk ForeignKeySQL
}

// Autoupdate creates the missing tables of defs and adds what existing
// tables lack: columns (added as nullable), indexes and unique constraints,
// and the foreign keys of belongsTo relations that declare onDelete (on
// SQLite only with a new column, since SQLite cannot add a constraint to
// an existing one). A foreign key an earlier migration made for a relation
// without onDelete is dropped (PostgreSQL, MySQL). It never drops or
// changes a column, so no data is lost.
func (c *Connector) Autoupdate(ctx context.Context, defs []*model.Definition) error {
	tables, byModel, err := c.tablesOf(defs)
	if err != nil {
		return fmt.Errorf("autoupdate: %w", err)
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return c.mapError("autoupdate", nil, err)
	}
	defer conn.Close()
	var pending []fkOf
	for _, t := range tables {
		info, err := c.d.Inspector().Table(ctx, conn, t.Schema, t.Name)
		if err != nil {
			return c.mapError("autoupdate: inspect "+t.Name, t, err)
		}
		if info == nil {
			fks, err := c.create(ctx, conn, t, byModel)
			if err != nil {
				return fmt.Errorf("autoupdate: %w", err)
			}
			for _, fk := range fks {
				pending = append(pending, fkOf{t, fk})
			}
			continue
		}
		stmts, fks := c.alter(t, info, byModel)
		if err := c.execAll(ctx, conn, "autoupdate "+t.Name, stmts...); err != nil {
			return err
		}
		for _, fk := range fks {
			pending = append(pending, fkOf{t, fk})
		}
	}
	for _, p := range pending {
		if err := c.execAll(ctx, conn, "autoupdate: foreign key", AddForeignKey(c.d, p.t, p.fk)); err != nil {
			return err
		}
	}
	return nil
}

// alter returns the statements that bring an existing table up to t, and
// the foreign keys to add once every table exists.
func (c *Connector) alter(t *Table, info *TableInfo, tables map[string]*Table) ([]string, []ForeignKeySQL) {
	var stmts []string
	have := make(map[string]bool, len(info.Columns))
	for _, col := range info.Columns {
		have[strings.ToLower(col.Name)] = true
	}
	fkByColumn := map[string]ForeignKeySQL{}
	for _, fk := range resolveForeignKeys(t, tables) {
		fkByColumn[fk.Column] = fk
	}
	for _, col := range t.Columns {
		if have[strings.ToLower(col.Name)] {
			continue
		}
		stmt := AddColumn(c.d, t, col)
		if fk, ok := fkByColumn[col.Name]; ok && c.d.InlineForeignKeys() {
			// SQLite cannot add a constraint, but a new column may
			// reference another table.
			target := c.d.Quote(fk.TargetTable)
			if fk.TargetSchema != "" {
				target = c.d.Quote(fk.TargetSchema) + "." + target
			}
			stmt += " REFERENCES " + target + " (" + c.d.Quote(fk.TargetColumn) + ")"
		}
		stmts = append(stmts, stmt)
	}
	for _, ix := range t.Indexes {
		if !hasIndex(info, ix) {
			stmts = append(stmts, CreateIndex(c.d, t, ix.Name, ix.Columns, ix.Unique))
		}
	}
	var fks []ForeignKeySQL
	if !c.d.InlineForeignKeys() {
		for _, fk := range resolveForeignKeys(t, tables) {
			found := false
			for _, f := range info.ForeignKeys {
				if strings.EqualFold(f.Column, fk.Column) && strings.EqualFold(f.TargetTable, fk.TargetTable) {
					found = true
				}
			}
			if !found {
				fks = append(fks, fk)
			}
		}
		stmts = append(stmts, c.dropStaleForeignKeys(t, info)...)
	}
	return stmts, fks
}

// dropStaleForeignKeys returns the statements that drop the FOREIGN KEY
// constraints an earlier migration created (by their generated name) for
// belongsTo relations that declare no onDelete: such a relation is an
// index only, so that deleting its parent leaves the children.
func (c *Connector) dropStaleForeignKeys(t *Table, info *TableInfo) []string {
	var stmts []string
	for _, r := range t.Def.Relations {
		if r.Type != model.BelongsTo || r.OnDelete != "" || t.byProp[r.ForeignKey] == nil {
			continue
		}
		col := t.byProp[r.ForeignKey].Name
		name := constraintName("fk_" + t.Name + "_" + col)
		for _, f := range info.ForeignKeys {
			if !strings.EqualFold(f.Name, name) || !strings.EqualFold(f.Column, col) {
				continue
			}
			b := NewBuilder(c.d)
			b.WriteString("ALTER TABLE ")
			b.TableRef(t)
			if c.d.Name() == "mysql" {
				b.WriteString(" DROP FOREIGN KEY ")
			} else {
				b.WriteString(" DROP CONSTRAINT ")
			}
			b.Ident(f.Name)
			stmts = append(stmts, b.String())
		}
	}
	return stmts
}

func hasIndex(info *TableInfo, ix model.Index) bool {
	for _, have := range info.Indexes {
		if strings.EqualFold(have.Name, ix.Name) {
			return true
		}
		if len(have.Columns) != len(ix.Columns) || (ix.Unique && !have.Unique) {
			continue
		}
		same := true
		for i := range have.Columns {
			if !strings.EqualFold(have.Columns[i], ix.Columns[i]) {
				same = false
			}
		}
		if same {
			return true
		}
	}
	return false
}

var _ Querier = (*sql.Conn)(nil)
