package gen

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/loopback-go/lb/model"
)

// Discovered is a model found in a database: its definition (from a
// connector's DiscoverDefinition) and its table.
type Discovered struct {
	Def   *model.Definition
	Table string
}

// NameDiscovered renames discovered definitions from their table names to
// model names (todo_list → TodoList), retargets their belongsTo relations,
// and adds to each target found the inverse hasMany relation (todoLists,
// keyTo the foreign key). The definitions are modified.
func NameDiscovered(defs []*model.Definition) ([]Discovered, error) {
	byTable := map[string]string{}
	out := make([]Discovered, 0, len(defs))
	for _, d := range defs {
		name := goIdent(d.Name, "Table")
		if err := CheckName("model", name); err != nil {
			name = "Table" + name
		}
		for _, prev := range byTable {
			if prev == name {
				return nil, fmt.Errorf("tables %s and another both become model %s", d.Name, name)
			}
		}
		byTable[d.Name] = name
		out = append(out, Discovered{Def: d, Table: d.Name})
	}
	for _, x := range out {
		x.Def.Name = byTable[x.Table]
	}
	byName := map[string]*model.Definition{}
	for _, x := range out {
		byName[x.Def.Name] = x.Def
	}
	for _, x := range out {
		for _, r := range x.Def.Relations {
			if r.Type != model.BelongsTo {
				continue
			}
			target, ok := byTable[r.Target]
			if !ok {
				continue // a table that was not discovered: keep the name
			}
			r.Target = target
			t := byName[target]
			if t == nil || t.IDName() != r.KeyTo {
				continue
			}
			inv := Camel(x.Def.Name) + "s"
			if t.Property(inv) != nil || slices.ContainsFunc(t.Relations, func(o *model.Relation) bool { return o.Name == inv }) {
				continue
			}
			t.Relations = append(t.Relations, &model.Relation{Name: inv, Type: model.HasMany, Target: x.Def.Name, ForeignKey: r.ForeignKey})
		}
	}
	return out, nil
}

// DiscoverJSON returns LoopBack JSON model definitions
// (models/<name>.model.json), which lb serve and model.Parse read.
func DiscoverJSON(models []Discovered) ([]File, error) {
	var files []File
	for _, x := range models {
		d := x.Def
		props := orderedMap{}
		for _, p := range d.Properties {
			m := orderedMap{{"type", jsonType(p)}}
			if p.ID > 0 {
				m = append(m, kv{"id", p.ID})
			}
			if p.Generated {
				m = append(m, kv{"generated", true})
			}
			if p.Required {
				m = append(m, kv{"required", true})
			}
			if p.Nullable {
				m = append(m, kv{"nullable", true})
			}
			for _, dialect := range sortedKeys(p.Connector) {
				m = append(m, kv{dialect, p.Connector[dialect]})
			}
			props = append(props, kv{p.Name, m})
		}
		def := orderedMap{{"name", d.Name}, {"properties", props}}
		if len(d.Settings.Connector) > 0 {
			settings := orderedMap{}
			for _, dialect := range sortedKeys(d.Settings.Connector) {
				settings = append(settings, kv{dialect, d.Settings.Connector[dialect]})
			}
			def = append(def, kv{"settings", settings})
		}
		if len(d.Relations) > 0 {
			rels := orderedMap{}
			for _, r := range d.Relations {
				rm := orderedMap{{"type", string(r.Type)}, {"model", r.Target}, {"foreignKey", r.ForeignKey}}
				if r.KeyTo != "" && r.Type == model.BelongsTo {
					rm = append(rm, kv{"keyTo", r.KeyTo})
				}
				rels = append(rels, kv{r.Name, rm})
			}
			def = append(def, kv{"relations", rels})
		}
		data, err := json.MarshalIndent(def, "", "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: "models/" + Kebab(d.Name) + ".model.json", Data: append(data, '\n')})
	}
	return files, nil
}

func jsonType(p *model.Property) string {
	if p.Type == model.Number && p.Integer {
		return "number"
	}
	return string(p.Type)
}

// DiscoverGo returns a Go model file per discovered model: a struct whose
// tags give its table, columns, id and relations (belongsTo on the foreign
// key, hasMany on the target).
func DiscoverGo(models []Discovered) ([]File, error) {
	var files []File
	for _, x := range models {
		d := x.Def
		var b strings.Builder
		usesTime := false
		var settings []string
		settings = append(settings, "table="+x.Table)
		for _, dialect := range sortedKeys(d.Settings.Connector) {
			if s, ok := d.Settings.Connector[dialect]["schema"].(string); ok && s != "" {
				settings = append(settings, dialect+".schema="+s)
			}
		}
		fmt.Fprintf(&b, "\n// %s is the table %s, discovered by lb discover.\ntype %s struct {\n", d.Name, x.Table, d.Name)
		fmt.Fprintf(&b, "\t_ struct{} `lb:%q`\n", strings.Join(settings, ","))
		seen := map[string]bool{"_": true}
		belongs := map[string]*model.Relation{}
		for _, r := range d.Relations {
			if r.Type == model.BelongsTo {
				belongs[r.ForeignKey] = r
			}
		}
		for _, p := range d.Properties {
			field := goIdent(p.Name, "Field")
			for i := 2; seen[field]; i++ {
				field = goIdent(p.Name, "Field") + fmt.Sprint(i)
			}
			seen[field] = true
			typ := goTypeOfProperty(p)
			usesTime = usesTime || strings.Contains(typ, "time.Time")
			optional := !p.Required && p.ID == 0
			if optional && (typ == "bool" || typ == "float64" || typ == "int64" || typ == "time.Time") {
				typ = "*" + typ
			}
			var lbOpts []string
			if p.ID > 0 {
				id := "id"
				if len(d.ID()) > 1 {
					id = fmt.Sprintf("id=%d", p.ID)
				}
				lbOpts = append(lbOpts, id)
				if p.Generated {
					lbOpts = append(lbOpts, "generated")
				}
			}
			for _, dialect := range sortedKeys(p.Connector) {
				if col, ok := p.Connector[dialect]["columnName"].(string); ok && col != p.Name {
					lbOpts = append(lbOpts, "column="+col)
					break
				}
			}
			if r := belongs[p.Name]; r != nil {
				opt := "belongsTo"
				if r.Name != strings.TrimSuffix(p.Name, "Id") {
					opt += "=" + r.Name
				}
				lbOpts = append(lbOpts, opt, "target="+r.Target)
				if r.KeyTo != "" && r.KeyTo != "id" {
					lbOpts = append(lbOpts, "keyTo="+r.KeyTo)
				}
			}
			tag := fmt.Sprintf("json:%q", p.Name+omit(optional || p.Generated))
			if len(lbOpts) > 0 {
				tag += fmt.Sprintf(" lb:%q", strings.Join(lbOpts, ","))
			}
			if p.Required {
				tag += ` required:"true"`
			}
			if p.Nullable {
				tag += ` nullable:"true"`
			}
			fmt.Fprintf(&b, "\t%s %s `%s`\n", field, typ, tag)
		}
		for _, r := range d.Relations {
			if r.Type != model.HasMany {
				continue
			}
			field := goIdent(r.Name, "Rel")
			if seen[field] {
				continue
			}
			seen[field] = true
			fmt.Fprintf(&b, "\t%s []%s `json:%q lb:%q`\n", field, r.Target, r.Name+",omitempty", "hasMany,keyTo="+r.ForeignKey)
		}
		b.WriteString("}\n")
		head := "package main\n"
		if usesTime {
			head += "\nimport \"time\"\n"
		}
		files = append(files, File{Path: Snake(d.Name) + ".go", Data: []byte(head + b.String())})
	}
	return files, nil
}

func goTypeOfProperty(p *model.Property) string {
	switch p.Type {
	case model.String:
		return "string"
	case model.Number:
		if p.Integer {
			return "int64"
		}
		return "float64"
	case model.Boolean:
		return "bool"
	case model.Date:
		return "time.Time"
	case model.Buffer:
		return "[]byte"
	case model.Object:
		return "map[string]any"
	case model.Array:
		return "[]any"
	}
	return "any"
}

// kv and orderedMap write JSON objects with their keys in a given order.
type kv struct {
	K string
	V any
}

type orderedMap []kv

// MarshalJSON writes the pairs in order.
func (m orderedMap) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.K)
		v, err := json.Marshal(p.V)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
