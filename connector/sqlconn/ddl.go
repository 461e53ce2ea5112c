package sqlconn

import (
	"fmt"
	"strings"

	"github.com/loopback-go/lb/model"
)

// ColumnDef returns the column definition of c in CREATE TABLE or ADD
// COLUMN: quoted name, type, NOT NULL and default. inlinePK reports whether
// the definition already says PRIMARY KEY (SQLite's rowid alias).
func ColumnDef(d Dialect, c *Column) (def string, inlinePK bool) {
	var b strings.Builder
	b.WriteString(d.Quote(c.Name))
	b.WriteByte(' ')
	typ := c.DataType
	if typ == "" {
		typ, inlinePK = d.ColumnType(c)
	} else {
		typ = withSize(typ, c)
		if d.Name() == "mysql" && strings.EqualFold(typ, "VARCHAR") {
			typ += "(255)" // MySQL requires a length
		}
	}
	b.WriteString(typ)
	if !c.Nullable && !inlinePK {
		b.WriteString(" NOT NULL")
	}
	if c.UUID && c.DataType == "" {
		if def := d.UUIDDefault(); def != "" {
			b.WriteString(" DEFAULT ")
			b.WriteString(def)
		}
	}
	return b.String(), inlinePK
}

// withSize appends (length) or (precision, scale) to an explicit dataType
// that has none.
func withSize(typ string, c *Column) string {
	if strings.Contains(typ, "(") {
		return typ
	}
	switch {
	case c.Precision > 0 && c.Scale > 0:
		return fmt.Sprintf("%s(%d,%d)", typ, c.Precision, c.Scale)
	case c.Precision > 0:
		return fmt.Sprintf("%s(%d)", typ, c.Precision)
	case c.Length > 0:
		return fmt.Sprintf("%s(%d)", typ, c.Length)
	}
	return typ
}

// CreateTable returns the CREATE TABLE statement of t. Foreign keys are
// included only when fks is not nil (SQLite cannot add them later); the
// targets map a model name to its table.
func CreateTable(d Dialect, t *Table, fks []ForeignKeySQL) string {
	b := NewBuilder(d)
	b.WriteString("CREATE TABLE ")
	b.TableRef(t)
	b.WriteString(" (\n  ")
	inline := false
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(",\n  ")
		}
		def, pk := ColumnDef(d, c)
		inline = inline || pk
		b.WriteString(def)
	}
	if len(t.ID) > 0 && !inline {
		b.WriteString(",\n  PRIMARY KEY (")
		for i, c := range t.ID {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(c.Name)
		}
		b.WriteString(")")
	}
	for _, fk := range fks {
		b.WriteString(",\n  ")
		b.WriteString(fk.Clause(d))
	}
	b.WriteString("\n)")
	b.WriteString(d.TableOptions())
	return b.String()
}

// ForeignKeySQL is a foreign key resolved to its target table.
type ForeignKeySQL struct {
	Name         string
	Column       string
	TargetSchema string
	TargetTable  string
	TargetColumn string
	// OnDelete is the referential action, declared as ON DELETE
	// RESTRICT, CASCADE or SET NULL ("" declares none: NO ACTION).
	OnDelete model.OnDelete
}

// Clause returns "CONSTRAINT name FOREIGN KEY (col) REFERENCES t (col)",
// followed by the ON DELETE action when there is one.
func (fk ForeignKeySQL) Clause(d Dialect) string {
	target := d.Quote(fk.TargetTable)
	if fk.TargetSchema != "" {
		target = d.Quote(fk.TargetSchema) + "." + target
	}
	action := map[model.OnDelete]string{model.Restrict: " ON DELETE RESTRICT", model.Cascade: " ON DELETE CASCADE", model.SetNull: " ON DELETE SET NULL"}[fk.OnDelete]
	return fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)%s",
		d.Quote(fk.Name), d.Quote(fk.Column), target, d.Quote(fk.TargetColumn), action)
}

// CreateIndex returns the CREATE [UNIQUE] INDEX statement of an index of t
// (with column names).
func CreateIndex(d Dialect, t *Table, name string, columns []string, unique bool) string {
	b := NewBuilder(d)
	b.WriteString("CREATE ")
	if unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX ")
	if t.Schema != "" && d.Name() == "sqlite" {
		b.Ident(t.Schema)
		b.WriteString(".")
	}
	b.Ident(name)
	b.WriteString(" ON ")
	if d.Name() == "sqlite" {
		b.Ident(t.Name)
	} else {
		b.TableRef(t)
	}
	b.WriteString(" (")
	for i, c := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(c)
	}
	b.WriteString(")")
	return b.String()
}

// DropTable returns DROP TABLE IF EXISTS for t; a dialect may append to
// it (PostgreSQL adds CASCADE).
func DropTable(d Dialect, t *Table) string {
	b := NewBuilder(d)
	b.WriteString("DROP TABLE IF EXISTS ")
	b.TableRef(t)
	return b.String()
}

// AddColumn returns ALTER TABLE … ADD COLUMN for c. The column is added as
// nullable, whatever the definition says, so that adding it to a table
// with rows cannot fail.
func AddColumn(d Dialect, t *Table, c *Column) string {
	cc := *c
	cc.Nullable = true
	def, _ := ColumnDef(d, &cc)
	b := NewBuilder(d)
	b.WriteString("ALTER TABLE ")
	b.TableRef(t)
	b.WriteString(" ADD COLUMN ")
	b.WriteString(def)
	return b.String()
}

// AddForeignKey returns ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY.
func AddForeignKey(d Dialect, t *Table, fk ForeignKeySQL) string {
	b := NewBuilder(d)
	b.WriteString("ALTER TABLE ")
	b.TableRef(t)
	b.WriteString(" ADD ")
	b.WriteString(fk.Clause(d))
	return b.String()
}
