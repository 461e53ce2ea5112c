package sqlconn

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/loopback-go/lb/model"
)

// Kind is how a column's values are stored and converted, derived from the
// property's LoopBack type.
type Kind int

// The column kinds.
const (
	KindString  Kind = iota // string
	KindInt                 // int64 (number with Integer set)
	KindFloat               // float64
	KindDecimal             // float64 stored as NUMERIC(p,s) / DECIMAL(p,s)
	KindBool                // bool
	KindTime                // time.Time
	KindJSON                // object, array or any: stored as JSON text
	KindBytes               // []byte
)

// Column is the mapping of one model property to a table column.
type Column struct {
	// Prop is the property the column stores.
	Prop *model.Property
	// Name is the column name, unquoted.
	Name string
	// Kind says how values are converted.
	Kind Kind
	// DataType is the explicit SQL type from the connector settings
	// ("dataType"), or "" for the dialect's default for Kind.
	DataType string
	// Length, Precision and Scale come from the dataLength, dataPrecision
	// and dataScale settings; 0 means unset.
	Length, Precision, Scale int
	// Nullable reports whether the column accepts NULL.
	Nullable bool
	// AutoIncrement marks a generated numeric id (identity, auto_increment, rowid).
	AutoIncrement bool
	// UUID marks a string id generated as a random UUID when absent.
	UUID bool
	// Indexed is true when the column needs a length-limited type to be
	// indexed (ids, indexed or unique properties, foreign keys).
	Indexed bool

	idx int // position in Table.Columns
}

// ForeignKey is a belongsTo relation mapped to columns.
type ForeignKey struct {
	// Name is the constraint name.
	Name string
	// Column is the referencing column of this table.
	Column string
	// Target is the referenced model name.
	Target string
	// TargetKey is the referenced property ("" means the target's id).
	TargetKey string
	// OnDelete is the relation's referential action.
	OnDelete model.OnDelete
}

// Table is the mapping of a model definition to a table: its name, its
// columns in property order and its keys. Build one with [NewTable]; a Table
// is immutable and safe for concurrent use.
type Table struct {
	// Def is the model definition.
	Def *model.Definition
	// Schema is the schema (PostgreSQL) or database (MySQL) name from the
	// model's connector settings; "" means the connection's default.
	Schema string
	// Name is the table name, unquoted.
	Name string
	// Columns in property order.
	Columns []*Column
	// ID holds the id columns in key order.
	ID []*Column
	// ForeignKeys holds the belongsTo relations of the model that declare
	// an onDelete action (the others get an index, not a constraint).
	ForeignKeys []ForeignKey
	// Indexes holds the indexes declared on properties and on the model,
	// with column names (not property names).
	Indexes []model.Index

	byProp map[string]*Column
	cache  sync.Map // dialect name → *prefixes
	// last is the prefixes looked up last, which saves the map look-up
	// (and the boxing of its key) when one dialect uses the table.
	last atomic.Pointer[prefixes]
}

// Column returns the column of the property named prop, or nil.
func (t *Table) Column(prop string) *Column { return t.byProp[prop] }

// settings returns the connector settings of key in m, or nil; SQLite
// settings may also be under LoopBack's connector name "sqlite3".
func settings(m map[string]map[string]any, key string) map[string]any {
	if m == nil {
		return nil
	}
	if s, ok := m[key]; ok {
		return s
	}
	if key == "sqlite" {
		return m["sqlite3"]
	}
	return nil
}

func settingString(s map[string]any, keys ...string) string {
	for _, k := range keys {
		if v, ok := s[k].(string); ok && v != "" {
			return v
		}
	}
	return ""
}

func settingInt(s map[string]any, key string) (int, error) {
	switch v := s[key].(type) {
	case nil:
		return 0, nil
	case int:
		return v, nil
	case int64:
		return int(v), nil
	case float64:
		if v != float64(int(v)) || v < 0 {
			return 0, fmt.Errorf("setting %s: %v is not a non-negative integer", key, v)
		}
		return int(v), nil
	case string:
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("setting %s: %w", key, err)
		}
		return n, nil
	default:
		return 0, fmt.Errorf("setting %s: unsupported value %T", key, v)
	}
}

func settingBool(s map[string]any, key string) (value, set bool) {
	switch v := s[key].(type) {
	case bool:
		return v, true
	case string:
		switch strings.ToUpper(v) {
		case "Y", "YES", "TRUE", "1":
			return true, true
		case "N", "NO", "FALSE", "0":
			return false, true
		}
	}
	return false, false
}

// NewTable maps def to a table for the dialect whose settings key is
// dialect ("sqlite", "postgresql", "mysql"). Table and column names come from
// the model's and properties' connector settings (table, schema, columnName),
// then from Settings.Table, then from the model and property names.
func NewTable(dialect string, def *model.Definition) (*Table, error) {
	if def == nil {
		return nil, fmt.Errorf("sqlconn: nil model definition")
	}
	ms := settings(def.Settings.Connector, dialect)
	t := &Table{
		Def:    def,
		Schema: settingString(ms, "schema", "database"),
		Name:   settingString(ms, "table", "tableName"),
		byProp: make(map[string]*Column, len(def.Properties)),
	}
	if t.Name == "" {
		t.Name = def.Settings.Table
	}
	if t.Name == "" {
		t.Name = def.Name
	}
	if t.Name == "" {
		return nil, fmt.Errorf("sqlconn: model has no name")
	}
	fkProps := map[string]bool{}
	for _, r := range def.Relations {
		if r.Type == model.BelongsTo && r.ForeignKey != "" {
			fkProps[r.ForeignKey] = true
		}
	}
	seen := map[string]bool{}
	for _, p := range def.Properties {
		c, err := newColumn(dialect, p)
		if err != nil {
			return nil, fmt.Errorf("sqlconn: model %s: %w", def.Name, err)
		}
		if fkProps[p.Name] {
			c.Indexed = true
		}
		lower := strings.ToLower(c.Name)
		if seen[lower] {
			return nil, fmt.Errorf("sqlconn: model %s: two properties map to column %q", def.Name, c.Name)
		}
		seen[lower] = true
		c.idx = len(t.Columns)
		t.Columns = append(t.Columns, c)
		t.byProp[p.Name] = c
	}
	ids := make([]*Column, 0, 1)
	for _, c := range t.Columns {
		if c.Prop.ID > 0 {
			ids = append(ids, c)
		}
	}
	// Order by key position.
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j].Prop.ID < ids[j-1].Prop.ID; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
	if len(ids) == 0 {
		if c := t.byProp["id"]; c != nil {
			ids = append(ids, c)
		}
	}
	if len(ids) != 1 {
		for _, c := range ids {
			c.AutoIncrement, c.UUID = false, false
		}
	}
	t.ID = ids
	// A belongsTo foreign key is indexed (unless declared unique or
	// indexed): inclusion (key IN …) and queries across relations
	// (correlated EXISTS) look rows up by it. It becomes a FOREIGN KEY
	// constraint only when the relation declares onDelete: without one,
	// deleting the parent leaves its children, as in LoopBack and on
	// every connector.
	fkCols := map[string]bool{}
	for _, r := range def.Relations {
		if r.Type != model.BelongsTo || r.ForeignKey == "" || t.byProp[r.ForeignKey] == nil {
			continue
		}
		col := t.byProp[r.ForeignKey].Name
		fkCols[col] = true
		if r.OnDelete == "" {
			continue
		}
		t.ForeignKeys = append(t.ForeignKeys, ForeignKey{
			Name:      constraintName("fk_" + t.Name + "_" + col),
			Column:    col,
			Target:    r.Target,
			TargetKey: r.KeyTo,
			OnDelete:  r.OnDelete,
		})
	}
	for _, c := range t.Columns {
		if c.Prop.ID > 0 {
			continue
		}
		if c.Prop.Unique {
			t.Indexes = append(t.Indexes, model.Index{Name: constraintName("uq_" + t.Name + "_" + c.Name), Columns: []string{c.Name}, Unique: true})
		} else if c.Prop.Index || fkCols[c.Name] && !leadsIndex(def.Settings.Indexes, c.Prop.Name) {
			t.Indexes = append(t.Indexes, model.Index{Name: constraintName("ix_" + t.Name + "_" + c.Name), Columns: []string{c.Name}})
		}
	}
	for _, ix := range def.Settings.Indexes {
		cols := make([]string, len(ix.Columns))
		for i, p := range ix.Columns {
			c := t.byProp[p]
			if c == nil {
				return nil, fmt.Errorf("sqlconn: model %s: index %s names unknown property %q", def.Name, ix.Name, p)
			}
			c.Indexed = true
			cols[i] = c.Name
		}
		name := ix.Name
		if name == "" {
			prefix := "ix_"
			if ix.Unique {
				prefix = "uq_"
			}
			name = constraintName(prefix + t.Name + "_" + strings.Join(cols, "_"))
		}
		t.Indexes = append(t.Indexes, model.Index{Name: name, Columns: cols, Unique: ix.Unique})
	}
	return t, nil
}

// constraintName keeps generated index and constraint names within the
// 63 bytes PostgreSQL and the 64 MySQL allow: a long name is cut and ends
// with a hash of the whole.
func constraintName(name string) string {
	const max = 60
	if len(name) <= max {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	suffix := fmt.Sprintf("_%08x", h.Sum32())
	cut := max - len(suffix)
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + suffix
}

func newColumn(dialect string, p *model.Property) (*Column, error) {
	s := settings(p.Connector, dialect)
	c := &Column{Prop: p, Name: p.Name}
	if n := settingString(s, "columnName", "column", "field"); n != "" {
		c.Name = n
	} else if p.Column != "" {
		c.Name = p.Column
	}
	if c.Name == "" {
		return nil, fmt.Errorf("property with no name")
	}
	c.DataType = settingString(s, "dataType")
	var err error
	if c.Length, err = settingInt(s, "dataLength"); err != nil {
		return nil, fmt.Errorf("property %s: %w", p.Name, err)
	}
	if c.Precision, err = settingInt(s, "dataPrecision"); err != nil {
		return nil, fmt.Errorf("property %s: %w", p.Name, err)
	}
	if c.Scale, err = settingInt(s, "dataScale"); err != nil {
		return nil, fmt.Errorf("property %s: %w", p.Name, err)
	}
	switch p.Type {
	case model.String, "":
		c.Kind = KindString
	case model.Number:
		switch {
		case p.Integer && c.Scale == 0:
			c.Kind = KindInt
		case c.Precision > 0:
			c.Kind = KindDecimal
		default:
			c.Kind = KindFloat
		}
	case model.Boolean:
		c.Kind = KindBool
	case model.Date:
		c.Kind = KindTime
	case model.Object, model.Array, model.Any:
		c.Kind = KindJSON
	case model.Buffer:
		c.Kind = KindBytes
	default:
		return nil, fmt.Errorf("property %s: unsupported type %q", p.Name, p.Type)
	}
	c.Nullable = !p.Required && p.ID == 0
	if v, ok := settingBool(s, "nullable"); ok {
		c.Nullable = v
	}
	if p.ID > 0 {
		c.Nullable = false
		c.Indexed = true
		if p.Generated {
			switch c.Kind {
			case KindInt, KindFloat:
				c.Kind = KindInt
				c.AutoIncrement = true
			case KindString:
				c.UUID = true
			}
		}
	}
	if p.ID > 0 && c.Kind == KindString && (p.DefaultFn == "uuid" || p.DefaultFn == "uuidv4" || p.DefaultFn == "guid") {
		c.UUID = true
	}
	if p.Index || p.Unique {
		c.Indexed = true
	}
	return c, nil
}

// leadsIndex reports whether one of the model's indexes starts with prop.
func leadsIndex(ixs []model.Index, prop string) bool {
	for _, ix := range ixs {
		if len(ix.Columns) > 0 && ix.Columns[0] == prop {
			return true
		}
	}
	return false
}
