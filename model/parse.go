package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/loopback-go/lb/openapi"
)

// maxDefinitionSize bounds the size of a JSON or YAML definition.
const maxDefinitionSize = 4 << 20

// Parse builds a definition from LoopBack's JSON or YAML model-definition
// shape:
//
//	{"name": "Todo", "base": "Entity",
//	 "properties": {
//	   "id": {"type": "number", "id": true, "generated": true},
//	   "title": {"type": "string", "required": true, "jsonSchema": {"minLength": 1}},
//	   "tags": {"type": ["string"]},
//	   "isComplete": {"type": "boolean", "postgresql": {"columnName": "is_complete"}}},
//	 "settings": {"strict": false, "hidden": ["secret"], "postgresql": {"table": "todos"}},
//	 "relations": {"todoList": {"type": "belongsTo", "model": "TodoList", "foreignKey": "todoListId"}}}
//
// See the package documentation for every key. Errors are
// *[DefinitionError]s naming the model and the property.
func Parse(data []byte) (*Definition, error) {
	return ParseSource("", data)
}

// ParseSource is [Parse] for a definition read from source (a file name),
// which errors name.
func ParseSource(source string, data []byte) (*Definition, error) {
	if len(data) > maxDefinitionSize {
		return nil, &DefinitionError{Source: source, Err: fmt.Errorf("definition larger than %d bytes", maxDefinitionSize)}
	}
	doc, err := decodeOrdered(data)
	if err != nil {
		return nil, &DefinitionError{Source: source, Err: err}
	}
	root, ok := doc.(*omap)
	if !ok {
		return nil, &DefinitionError{Source: source, Err: errors.New("a model definition must be an object")}
	}
	p := &parser{source: source, def: &Definition{}}
	if err := p.model(root); err != nil {
		return nil, err
	}
	if err := finish(p.def, source); err != nil {
		return nil, err
	}
	return p.def, nil
}

// Load reads and parses the definition file at path (JSON or YAML).
func Load(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	return ParseSource(path, data)
}

// connectorNames are the data-source names whose settings objects a
// definition may carry at model or property level.
var connectorNames = []string{"postgresql", "mysql", "mssql", "oracle", "mongodb", "sqlite3", "sqlite",
	"db2", "dashdb", "informix", "cloudant", "couchdb", "cassandra", "redis", "kv-redis", "memory"}

// ignoredModelKeys are LoopBack 3 and 4 model keys that have no meaning
// here (remoting, ACLs, mixins ...) and are accepted without effect.
var ignoredModelKeys = []string{"idInjection", "forceId", "plural", "http", "acls", "methods", "mixins",
	"remoting", "validations", "replaceOnPUT", "public", "dataSource", "options", "excludeBaseProperties",
	"validateUpsert", "foreignKeys", "$schema", "comments", "trackChanges", "enableRemoteReplication"}

type parser struct {
	source string
	def    *Definition
}

func (p *parser) fail(prop string, err error) error {
	return &DefinitionError{Source: p.source, Model: p.def.Name, Property: prop, Err: err}
}

func (p *parser) model(root *omap) error {
	d := p.def
	if v, ok := root.get("name"); ok {
		s, ok := v.(string)
		if !ok {
			return p.fail("", errors.New("name must be a string"))
		}
		d.Name = s
	}
	if d.Name == "" {
		return p.fail("", errors.New("the definition has no name"))
	}
	for _, k := range root.keys {
		v := root.vals[k]
		var err error
		switch k {
		case "name":
		case "base":
			d.Base, err = str(v, "base")
		case "description":
			d.Description, err = description(v)
		case "properties":
			err = p.properties(v)
		case "relations":
			err = p.relations(v)
		case "settings":
			m, ok := v.(*omap)
			if !ok {
				return p.fail("", errors.New("settings must be an object"))
			}
			for _, sk := range m.keys {
				if err := p.setting(sk, m.vals[sk], false); err != nil {
					return err
				}
			}
		default:
			err = p.setting(k, v, true)
		}
		if err != nil {
			var de *DefinitionError
			if errors.As(err, &de) {
				return err
			}
			return p.fail("", err)
		}
	}
	return nil
}

// setting applies a model setting; top is true for keys at the top level
// of the document (LoopBack 3 style), where unknown keys are errors.
func (p *parser) setting(k string, v any, top bool) error {
	d := p.def
	switch k {
	case "strict":
		switch x := v.(type) {
		case bool:
			if x {
				d.Settings.Strict = StrictTrue
			} else {
				d.Settings.Strict = StrictFalse
			}
		case string:
			s, err := parseStrict(x)
			if err != nil {
				return p.fail("", err)
			}
			d.Settings.Strict = s
		default:
			return p.fail("", errors.New("strict must be true, false or \"filter\""))
		}
	case "hidden", "hiddenProperties":
		names, err := stringList(v, k)
		if err != nil {
			return p.fail("", err)
		}
		d.Settings.Hidden = append(d.Settings.Hidden, names...)
	case "scope":
		m, ok := v.(*omap)
		if !ok {
			return p.fail("", errors.New("scope must be an object"))
		}
		d.Settings.DefaultScope = plain(m).(map[string]any)
	case "indexes":
		return p.indexes(v)
	case "description":
		s, err := description(v)
		if err != nil {
			return p.fail("", err)
		}
		d.Description = s
	case "table", "collection", "tableName":
		s, err := str(v, k)
		if err != nil {
			return p.fail("", err)
		}
		d.Settings.Table = s
	case "nullForUnset":
		b, err := boolean(v, k)
		if err != nil {
			return p.fail("", err)
		}
		d.Settings.NullForUnset = b
	default:
		if slices.Contains(connectorNames, k) {
			m, ok := v.(*omap)
			if !ok {
				return p.fail("", fmt.Errorf("%s settings must be an object", k))
			}
			if d.Settings.Connector == nil {
				d.Settings.Connector = map[string]map[string]any{}
			}
			d.Settings.Connector[k] = normalizedMap(m)
			return nil
		}
		if slices.Contains(ignoredModelKeys, k) {
			return nil
		}
		if top {
			return p.fail("", fmt.Errorf("unknown key %q", k))
		}
		if d.Settings.Extra == nil {
			d.Settings.Extra = map[string]any{}
		}
		d.Settings.Extra[k] = normalizedPlain(v)
	}
	return nil
}

func normalizedPlain(v any) any {
	x, err := normalizeAny(plain(v))
	if err != nil {
		return plain(v)
	}
	return x
}

func normalizedMap(m *omap) map[string]any {
	x, _ := normalizedPlain(m).(map[string]any)
	return x
}

func (p *parser) indexes(v any) error {
	m, ok := v.(*omap)
	if !ok {
		return p.fail("", errors.New("indexes must be an object"))
	}
	for _, name := range m.keys {
		ix := Index{Name: name}
		spec, ok := m.vals[name].(*omap)
		if !ok {
			return p.fail("", fmt.Errorf("index %q must be an object", name))
		}
		for _, k := range spec.keys {
			x := spec.vals[k]
			switch k {
			case "keys":
				km, ok := x.(*omap)
				if !ok {
					return p.fail("", fmt.Errorf("index %q: keys must be an object", name))
				}
				ix.Columns = append(ix.Columns, km.keys...)
			case "columns":
				s, ok := x.(string)
				if !ok {
					return p.fail("", fmt.Errorf("index %q: columns must be a string", name))
				}
				for c := range strings.SplitSeq(s, ",") {
					ix.Columns = append(ix.Columns, strings.TrimSpace(c))
				}
			case "options":
				if om, ok := x.(*omap); ok {
					if u, ok := om.vals["unique"].(bool); ok {
						ix.Unique = u
					}
				}
			case "unique":
				u, ok := x.(bool)
				if !ok {
					return p.fail("", fmt.Errorf("index %q: unique must be a boolean", name))
				}
				ix.Unique = u
			case "kind", "type":
				if s, ok := x.(string); ok && strings.EqualFold(s, "unique") {
					ix.Unique = true
				}
			default:
				ix.Columns = append(ix.Columns, k)
			}
		}
		p.def.Settings.Indexes = append(p.def.Settings.Indexes, ix)
	}
	return nil
}

func (p *parser) properties(v any) error {
	m, ok := v.(*omap)
	if !ok {
		return p.fail("", errors.New("properties must be an object"))
	}
	props, err := p.propertyList(m, "")
	if err != nil {
		return err
	}
	p.def.Properties = props
	return nil
}

func (p *parser) propertyList(m *omap, prefix string) ([]*Property, error) {
	props := make([]*Property, 0, len(m.keys))
	for _, name := range m.keys {
		prop, err := p.property(name, m.vals[name], prefix+name)
		if err != nil {
			return nil, err
		}
		props = append(props, prop)
	}
	return props, nil
}

// property parses one property definition: a type shorthand ("string",
// ["string"]) or an object.
func (p *parser) property(name string, v any, path string) (*Property, error) {
	prop := &Property{Name: name}
	switch x := v.(type) {
	case string, []any:
		if err := p.setType(prop, x, path); err != nil {
			return nil, err
		}
		return prop, nil
	case *omap:
		return prop, p.propertyObject(prop, x, path)
	}
	return nil, p.fail(path, errors.New("a property must be a type name or an object"))
}

var extraPropertyKeys = []string{"length", "precision", "scale", "dataType", "dataLength", "dataPrecision",
	"dataScale", "comments", "title", "useDefaultIdType", "updateOnly", "autoIncrement"}

func (p *parser) propertyObject(prop *Property, m *omap, path string) error {
	typ, ok := m.get("type")
	if !ok {
		return p.fail(path, errors.New("no type"))
	}
	if err := p.setType(prop, typ, path); err != nil {
		return err
	}
	var defaultValue any
	hasDefault := false
	for _, k := range m.keys {
		v := m.vals[k]
		var err error
		switch k {
		case "type", "name":
		case "id":
			switch x := v.(type) {
			case bool:
				if x {
					prop.ID = 1
				}
			case json.Number:
				n, nerr := x.Int64()
				if nerr != nil || n < 1 {
					err = fmt.Errorf("id must be true or a positive position, not %s", x)
				}
				prop.ID = int(n)
			default:
				err = errors.New("id must be true or a positive position")
			}
		case "generated":
			prop.Generated, err = boolean(v, k)
		case "required":
			prop.Required, err = boolean(v, k)
		case "nullable":
			prop.Nullable, err = boolean(v, k)
		case "hidden":
			prop.Hidden, err = boolean(v, k)
		case "unique":
			prop.Unique, err = boolean(v, k)
		case "index":
			switch x := v.(type) {
			case bool:
				prop.Index = x
			case *omap:
				prop.Index = true
				if u, ok := x.vals["unique"].(bool); ok {
					prop.Unique = u
				}
			default:
				err = errors.New("index must be a boolean or an object")
			}
		case "default":
			defaultValue, hasDefault = plain(v), true
		case "defaultFn":
			prop.DefaultFn, err = str(v, k)
		case "description", "doc":
			prop.Description, err = description(v)
		case "jsonSchema":
			prop.JSONSchema, err = jsonSchema(v)
		case "itemType", "items":
			if prop.Type != Array {
				err = fmt.Errorf("%s given for a %s property", k, prop.Type)
				break
			}
			prop.Items, err = p.property("", v, path+"[]")
			if err != nil {
				return err
			}
		case "properties":
			nested, ok := v.(*omap)
			if !ok {
				err = errors.New("properties must be an object")
				break
			}
			if prop.Type != Object {
				err = fmt.Errorf("nested properties given for a %s property", prop.Type)
				break
			}
			prop.Properties, err = p.propertyList(nested, path+".")
			if err != nil {
				return err
			}
		case "columnName", "column":
			prop.Column, err = str(v, k)
		default:
			if slices.Contains(connectorNames, k) {
				cm, ok := v.(*omap)
				if !ok {
					err = fmt.Errorf("%s settings must be an object", k)
					break
				}
				if prop.Connector == nil {
					prop.Connector = map[string]map[string]any{}
				}
				prop.Connector[k] = normalizedMap(cm)
				break
			}
			if slices.Contains(extraPropertyKeys, k) {
				if prop.Extra == nil {
					prop.Extra = map[string]any{}
				}
				prop.Extra[k] = normalizedPlain(v)
				break
			}
			err = fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			var de *DefinitionError
			if errors.As(err, &de) {
				return err
			}
			return p.fail(path, err)
		}
	}
	if hasDefault {
		if defaultValue == nil {
			prop.Default = nil
		} else {
			n, err := normalize(prop, defaultValue)
			if err != nil {
				return p.fail(path, fmt.Errorf("default: %w", err))
			}
			prop.Default = n
		}
	}
	return nil
}

// setType reads a property type: a builtin name, a model name, or an array
// shorthand (["string"], [{"type": "number"}]).
func (p *parser) setType(prop *Property, t any, path string) error {
	switch x := t.(type) {
	case string:
		if x == "integer" {
			prop.Type, prop.Integer = Number, true
			return nil
		}
		if strings.EqualFold(x, "geopoint") {
			prop.Type = Object
			return nil
		}
		if bt, ok := builtinType(x); ok {
			prop.Type = bt
			return nil
		}
		// Another model's name; builtin names are lowercase, so a lowercase
		// name that is not a builtin is a typo ("strng"), not a model.
		if !isIdentifier(x) || !unicode.IsUpper([]rune(x)[0]) {
			return p.fail(path, fmt.Errorf("unknown type %q", x))
		}
		prop.Type, prop.Model = Object, x
		return nil
	case []any:
		prop.Type = Array
		if len(x) == 0 {
			prop.Items = &Property{Type: Any}
			return nil
		}
		if len(x) > 1 {
			return p.fail(path, errors.New("an array type lists one item type"))
		}
		item, err := p.property("", x[0], path+"[]")
		if err != nil {
			return err
		}
		prop.Items = item
		return nil
	}
	return p.fail(path, errors.New("type must be a string or an array of one type"))
}

func (p *parser) relations(v any) error {
	m, ok := v.(*omap)
	if !ok {
		return p.fail("", errors.New("relations must be an object"))
	}
	for _, name := range m.keys {
		r := &Relation{Name: name}
		rfail := func(err error) error {
			return &DefinitionError{Source: p.source, Model: p.def.Name, Relation: name, Err: err}
		}
		spec, ok := m.vals[name].(*omap)
		if !ok {
			return rfail(errors.New("a relation must be an object"))
		}
		var keyThrough string
		for _, k := range spec.keys {
			x := spec.vals[k]
			var err error
			switch k {
			case "type":
				var s string
				s, err = str(x, k)
				r.Type = RelationType(s)
			case "model", "target":
				r.Target, err = str(x, k)
			case "foreignKey":
				r.ForeignKey, err = str(x, k)
			case "keyFrom":
				r.KeyFrom, err = str(x, k)
			case "keyTo":
				r.KeyTo, err = str(x, k)
			case "keyThrough":
				keyThrough, err = str(x, k)
			case "onDelete":
				var s string
				s, err = str(x, k)
				r.OnDelete = OnDelete(s)
			case "through":
				switch t := x.(type) {
				case string:
					r.Through = &Through{Model: t}
				case *omap:
					r.Through = &Through{}
					for _, tk := range t.keys {
						if tk == "polymorphic" {
							// LoopBack's place for it: the discriminator is
							// a property of the through model.
							if r.Polymorphic, err = polymorphicOf(t.vals[tk], name); err != nil {
								return rfail(err)
							}
							continue
						}
						s, serr := str(t.vals[tk], "through."+tk)
						if serr != nil {
							return rfail(serr)
						}
						switch tk {
						case "model":
							r.Through.Model = s
						case "keyFrom":
							r.Through.KeyFrom = s
						case "keyTo":
							r.Through.KeyTo = s
						default:
							return rfail(fmt.Errorf("unknown key \"through.%s\"", tk))
						}
					}
				default:
					err = errors.New("through must be a model name or an object")
				}
			case "polymorphic":
				r.Polymorphic, err = polymorphicOf(x, name)
			case "name", "options", "scope", "targetsMany", "source", "primaryKey",
				"properties", "invert", "disableInclude", "default", "embed":
			default:
				err = fmt.Errorf("unknown key %q", k)
			}
			if err != nil {
				return rfail(err)
			}
		}
		if r.Type == HasMany && r.Through != nil {
			// LoopBack 3: hasMany with through, foreignKey and keyThrough.
			r.Type = HasManyThrough
			if r.Through.KeyFrom == "" {
				r.Through.KeyFrom = r.ForeignKey
			}
			if r.Through.KeyTo == "" {
				r.Through.KeyTo = keyThrough
			}
			r.ForeignKey = ""
		}
		p.def.Relations = append(p.def.Relations, r)
	}
	return nil
}

func str(v any, key string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", key)
	}
	return s, nil
}

func boolean(v any, key string) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s must be a boolean", key)
	}
	return b, nil
}

func stringList(v any, key string) ([]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s must be an array of strings", key)
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%s must be an array of strings", key)
		}
		out[i] = s
	}
	return out, nil
}

// description reads a description: a string or an array of lines.
func description(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []any:
		lines, err := stringList(x, "description")
		if err != nil {
			return "", err
		}
		return strings.Join(lines, "\n"), nil
	}
	return "", errors.New("description must be a string or an array of strings")
}

func jsonSchema(v any) (*openapi.Schema, error) {
	m, ok := v.(*omap)
	if !ok {
		return nil, errors.New("jsonSchema must be an object")
	}
	data, err := json.Marshal(plain(m))
	if err != nil {
		return nil, fmt.Errorf("jsonSchema: %w", err)
	}
	var s openapi.Schema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("jsonSchema: %w", err)
	}
	return &s, nil
}

// polymorphicOf reads a relation's polymorphic option: true (the
// discriminator is the relation name plus "Type"), false, or
// {"discriminator": "<property>"}.
func polymorphicOf(x any, name string) (string, error) {
	switch pv := x.(type) {
	case bool:
		if pv {
			return name + "Type", nil
		}
		return "", nil
	case *omap:
		d, _ := pv.vals["discriminator"].(string)
		if d == "" {
			d = name + "Type"
		}
		return d, nil
	}
	return "", errors.New(`polymorphic must be true or {"discriminator": "<property>"}`)
}
