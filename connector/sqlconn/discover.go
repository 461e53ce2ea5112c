package sqlconn

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
)

// DiscoverModels lists the tables (and views with opts.Views) of a schema.
// With opts.All every schema the connection can see is listed (SQLite has
// one).
func (c *Connector) DiscoverModels(ctx context.Context, opts connector.DiscoverOptions) ([]connector.ModelInfo, error) {
	schema := opts.Schema
	if opts.All {
		schema = "*"
	}
	infos, err := c.d.Inspector().Tables(ctx, c.db, schema, opts.Views)
	if err != nil {
		return nil, c.mapError("discover models", nil, err)
	}
	out := make([]connector.ModelInfo, 0, len(infos))
	for _, ti := range infos {
		typ := "table"
		if ti.View {
			typ = "view"
		}
		out = append(out, connector.ModelInfo{Name: ti.Name, Schema: ti.Schema, Type: typ})
	}
	return out, nil
}

// DiscoverDefinition describes a table as a model definition: columns
// become properties (snake_case column names become camelCase property
// names, with the column name kept in the connector settings), the primary
// key becomes the id, and foreign keys become belongsTo relations.
func (c *Connector) DiscoverDefinition(ctx context.Context, table string, opts connector.DiscoverOptions) (*model.Definition, error) {
	ti, err := c.d.Inspector().Table(ctx, c.db, opts.Schema, table)
	if err != nil {
		return nil, c.mapError("discover "+table, nil, err)
	}
	if ti == nil {
		return nil, fmt.Errorf("discover %s: no such table or view", table)
	}
	return DefinitionOf(c.d.Name(), ti), nil
}

// DefinitionOf builds a model definition from a table description; dialect
// is the settings key ("postgresql", "mysql", "sqlite").
func DefinitionOf(dialect string, ti *TableInfo) *model.Definition {
	def := &model.Definition{Name: ti.Name}
	ms := map[string]any{"table": ti.Name}
	if ti.Schema != "" {
		ms["schema"] = ti.Schema
	}
	def.Settings.Connector = map[string]map[string]any{dialect: ms}
	pk := map[string]int{}
	for i, col := range ti.PrimaryKey {
		pk[strings.ToLower(col)] = i + 1
	}
	propOf := map[string]string{}
	for _, col := range ti.Columns {
		p := &model.Property{Name: PropertyName(col.Name)}
		p.Type, p.Integer = LoopBackType(col.DataType, col.Length, col.Precision, col.Scale)
		p.ID = pk[strings.ToLower(col.Name)]
		p.Generated = p.ID > 0 && col.AutoIncrement
		p.Nullable = col.Nullable
		p.Required = !col.Nullable && !p.Generated && col.Default == ""
		s := map[string]any{
			"columnName": col.Name,
			"dataType":   col.DataType,
			"nullable":   map[bool]string{true: "Y", false: "N"}[col.Nullable],
		}
		if col.Length > 0 {
			s["dataLength"] = col.Length
		}
		if col.Precision > 0 {
			s["dataPrecision"] = col.Precision
			s["dataScale"] = col.Scale
		}
		p.Connector = map[string]map[string]any{dialect: s}
		propOf[strings.ToLower(col.Name)] = p.Name
		def.Properties = append(def.Properties, p)
	}
	for _, fk := range ti.ForeignKeys {
		name := propOf[strings.ToLower(fk.Column)]
		if name == "" {
			continue
		}
		rel := strings.TrimSuffix(strings.TrimSuffix(name, "Id"), "ID")
		if rel == name || rel == "" {
			rel = name + "Rel"
		}
		def.Relations = append(def.Relations, &model.Relation{
			Name: rel, Type: model.BelongsTo, Target: fk.TargetTable,
			ForeignKey: name, KeyTo: PropertyName(fk.TargetColumn),
		})
	}
	for _, ix := range ti.Indexes {
		if ix.Primary {
			continue
		}
		props := make([]string, 0, len(ix.Columns))
		for _, col := range ix.Columns {
			props = append(props, propOf[strings.ToLower(col)])
		}
		def.Settings.Indexes = append(def.Settings.Indexes, model.Index{Name: ix.Name, Columns: props, Unique: ix.Unique})
	}
	return def
}

// PropertyName turns a column name into a property name: snake_case and
// kebab-case become camelCase ("is_complete" → "isComplete"); other names
// are kept.
func PropertyName(column string) string {
	if !strings.ContainsAny(column, "_-") {
		return column
	}
	var b strings.Builder
	up := false
	for i, r := range column {
		switch {
		case r == '_' || r == '-':
			up = b.Len() > 0
		case up:
			b.WriteRune(unicode.ToUpper(r))
			up = false
		case i == 0:
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return column
	}
	return b.String()
}

// LoopBackType maps a SQL type name (any engine, lower or upper case) to a
// LoopBack property type.
func LoopBackType(dataType string, length, precision, scale int) (model.Type, bool) {
	t := strings.ToLower(dataType)
	if i := strings.IndexByte(t, '('); i >= 0 {
		if strings.HasPrefix(t, "tinyint(1)") {
			return model.Boolean, false
		}
		t = t[:i]
	}
	t = strings.TrimSpace(strings.TrimSuffix(t, " unsigned"))
	switch t {
	case "bool", "boolean", "bit":
		return model.Boolean, false
	case "tinyint":
		if precision == 1 || length == 1 {
			return model.Boolean, false
		}
		return model.Number, true
	case "int", "integer", "smallint", "mediumint", "bigint", "int2", "int4", "int8", "serial", "bigserial", "smallserial", "year":
		return model.Number, true
	case "numeric", "decimal":
		return model.Number, scale == 0 && precision > 0
	case "real", "float", "double", "double precision", "float4", "float8", "money":
		return model.Number, false
	case "date", "datetime", "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "time", "time with time zone", "time without time zone":
		if strings.HasPrefix(t, "time") && !strings.HasPrefix(t, "timestamp") {
			return model.String, false
		}
		return model.Date, false
	case "json", "jsonb":
		return model.Object, false
	case "bytea", "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary":
		return model.Buffer, false
	}
	return model.String, false
}
