package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/loopback-go/lb/openapi"
)

// Definer is implemented by Go model types that adjust the definition
// built from their struct tags: model-level indexes, the default scope,
// settings no tag expresses. [FromStruct] calls DefineModel on the zero
// value of the type once, before it validates the definition.
type Definer interface {
	DefineModel(d *Definition)
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	bytesType   = reflect.TypeFor[[]byte]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
	definerType = reflect.TypeFor[Definer]()
)

// FromStruct builds the definition of the model T from its struct tags (see
// the package documentation for the tag syntax). Reflection happens here,
// once: the definition keeps the conversion plan [ToRecord] and
// [FromRecord] use. Errors are *[DefinitionError]s naming the Go type and
// the field.
func FromStruct[T any]() (*Definition, error) {
	return FromType(reflect.TypeFor[T]())
}

// MustFromStruct is like [FromStruct] but panics on error; use it to
// declare models at program start.
func MustFromStruct[T any]() *Definition {
	d, err := FromStruct[T]()
	if err != nil {
		panic(err)
	}
	return d
}

// FromType is [FromStruct] for a reflect.Type; t must be a struct type or
// a pointer to one.
func FromType(t reflect.Type) (*Definition, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil, &DefinitionError{Source: fmt.Sprint(t), Err: errors.New("model type must be a struct")}
	}
	source := t.String()
	d := &Definition{Name: t.Name()}
	b := &structBuilder{source: source, codecs: map[reflect.Type]*structCodec{}}
	if err := b.fields(d, t, nil, &d.Properties, true, ""); err != nil {
		return nil, err
	}
	if t.Implements(definerType) {
		reflect.Zero(t).Interface().(Definer).DefineModel(d)
	} else if reflect.PointerTo(t).Implements(definerType) {
		reflect.New(t).Interface().(Definer).DefineModel(d)
	}
	codec, err := b.codec(t)
	if err != nil {
		return nil, err
	}
	d.codec = codec
	if err := finish(d, source); err != nil {
		return nil, err
	}
	return d, nil
}

// structBuilder turns Go struct types into properties and record codecs.
type structBuilder struct {
	source string
	codecs map[reflect.Type]*structCodec
}

func (b *structBuilder) fail(d *Definition, prop string, err error) error {
	name := ""
	if d != nil {
		name = d.Name
	}
	return &DefinitionError{Source: b.source, Model: name, Property: prop, Err: err}
}

// fields appends the properties of struct type t to props. top is true for
// the model itself, where relations and model settings are allowed. The
// JSON fields and their schema tags come from openapi.Fields, the one
// reader of those tags; only the lb tag is read here.
func (b *structBuilder) fields(d *Definition, t reflect.Type, index []int, props *[]*Property, top bool, prefix string) error {
	if top {
		for i := range t.NumField() {
			if f := t.Field(i); f.Name == "_" {
				if err := b.modelSettings(d, t, f, f.Tag.Get("lb")); err != nil {
					return err
				}
			}
		}
	}
	fs, err := openapi.Fields(t)
	if err != nil {
		return b.fail(d, "", err)
	}
	for _, f := range fs {
		idx := append(append([]int(nil), index...), f.Index...)
		lbTag := f.Go.Tag.Get("lb")
		if lbTag == "-" {
			continue
		}
		if viaPointer(t, f.Index) {
			return b.fail(d, prefix+f.Name, errors.New("embedded pointer structs are not supported"))
		}
		opts, err := parseTag(lbTag)
		if err != nil {
			return b.fail(d, prefix+f.Name, err)
		}
		if top {
			if kind := relationKind(opts); kind != "" && isNavigational(f.Go.Type) {
				if err := b.navRelation(d, f.Go, idx, f.Name, kind, opts); err != nil {
					return err
				}
				continue
			}
		}
		p, err := b.property(d, f.Go.Type, &f, f.Name, opts, prefix+f.Name)
		if err != nil {
			return err
		}
		p.GoField = idx
		if findProperty(*props, f.Name) != nil {
			return b.fail(d, prefix+f.Name, errors.New("declared twice"))
		}
		*props = append(*props, p)
		if top {
			if kind := relationKind(opts); kind != "" {
				if err := b.keyRelation(d, f.Name, kind, opts); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// viaPointer reports whether the field at index in t is reached through
// an embedded pointer.
func viaPointer(t reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Pointer {
			return true
		}
		t = ft
	}
	return false
}

// modelSettings reads the lb tag of a blank field: name, base, strict,
// table and connector settings ("postgresql.table=todos").
func (b *structBuilder) modelSettings(d *Definition, t reflect.Type, f reflect.StructField, tag string) error {
	// The description (or doc) tag is a schema tag, read as every other.
	field, err := openapi.FieldOf(t, f)
	if err != nil {
		return b.fail(d, "", err)
	}
	if field.Description != "" {
		d.Description = field.Description
	}
	opts, err := parseTag(tag)
	if err != nil {
		return b.fail(d, "", err)
	}
	for _, o := range opts {
		switch o.key {
		case "name", "model":
			d.Name = o.value
		case "base":
			d.Base = o.value
		case "strict":
			s, err := parseStrict(o.value)
			if err != nil {
				return b.fail(d, "", err)
			}
			d.Settings.Strict = s
		case "table", "collection":
			d.Settings.Table = o.value
		case "nullForUnset":
			switch o.value {
			case "", "true":
				d.Settings.NullForUnset = true
			case "false":
				d.Settings.NullForUnset = false
			default:
				return b.fail(d, "", fmt.Errorf("nullForUnset must be true or false, not %q", o.value))
			}
		case "hidden":
			for h := range strings.SplitSeq(o.value, "|") {
				d.Settings.Hidden = append(d.Settings.Hidden, strings.TrimSpace(h))
			}
		default:
			conn, key, ok := strings.Cut(o.key, ".")
			if !ok || conn == "" || key == "" {
				return b.fail(d, "", fmt.Errorf("unknown model option %q", o.key))
			}
			setConnector(&d.Settings.Connector, conn, key, o.value)
		}
	}
	return nil
}

func setConnector(m *map[string]map[string]any, conn, key string, value any) {
	if *m == nil {
		*m = map[string]map[string]any{}
	}
	if (*m)[conn] == nil {
		(*m)[conn] = map[string]any{}
	}
	(*m)[conn][key] = value
}

func parseStrict(s string) (Strictness, error) {
	switch strings.ToLower(s) {
	case "", "true":
		return StrictTrue, nil
	case "false":
		return StrictFalse, nil
	case "filter":
		return StrictFilter, nil
	}
	return "", fmt.Errorf("strict must be true, false or \"filter\", not %q", s)
}

func relationKind(opts []tagOption) RelationType {
	for _, o := range opts {
		switch RelationType(o.key) {
		case BelongsTo, HasMany, HasOne, HasManyThrough, ReferencesMany:
			return RelationType(o.key)
		}
	}
	return ""
}

// isNavigational reports whether t can hold related instances: a struct, a
// pointer to one or a slice of them (time.Time excluded).
func isNavigational(t reflect.Type) bool {
	if t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t != timeType
}

func elemStruct(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// navRelation declares a relation from a navigational field.
func (b *structBuilder) navRelation(d *Definition, f reflect.StructField, idx []int, name string, kind RelationType, opts []tagOption) error {
	many := f.Type.Kind() == reflect.Slice
	if many != (kind == HasMany || kind == HasManyThrough || kind == ReferencesMany) {
		return &DefinitionError{Source: b.source, Model: d.Name, Relation: name,
			Err: fmt.Errorf("a %s relation needs a %s field, not %s", kind, map[bool]string{true: "slice", false: "struct or pointer"}[kind == HasMany || kind == HasManyThrough || kind == ReferencesMany], f.Type)}
	}
	r := d.Relation(name)
	if r == nil {
		r = &Relation{Name: name, Type: kind, Target: elemStruct(f.Type).Name()}
		d.Relations = append(d.Relations, r)
	} else if r.Type != kind {
		return &DefinitionError{Source: b.source, Model: d.Name, Relation: name, Err: fmt.Errorf("declared as %s and %s", r.Type, kind)}
	}
	r.GoField = idx
	return b.relationOptions(d, r, opts)
}

// keyRelation declares a belongsTo relation from its foreign key property.
func (b *structBuilder) keyRelation(d *Definition, prop string, kind RelationType, opts []tagOption) error {
	if kind != BelongsTo {
		return b.fail(d, prop, fmt.Errorf("%s belongs on a struct or slice field that holds the related instances", kind))
	}
	name := ""
	for _, o := range opts {
		if o.key == "belongsTo" && o.value != "" {
			name = o.value
		}
	}
	if name == "" {
		name = strings.TrimSuffix(prop, "Id")
		if name == prop || name == "" {
			return b.fail(d, prop, errors.New("belongsTo on a foreign key not ending in Id needs a relation name: belongsTo=<name>"))
		}
	}
	r := d.Relation(name)
	if r == nil {
		r = &Relation{Name: name, Type: BelongsTo}
		d.Relations = append(d.Relations, r)
	}
	r.ForeignKey, r.KeyFrom = prop, prop
	if err := b.relationOptions(d, r, opts); err != nil {
		return err
	}
	if r.Target == "" {
		return &DefinitionError{Source: b.source, Model: d.Name, Relation: name, Err: errors.New("belongsTo needs target=<Model>")}
	}
	return nil
}

func (b *structBuilder) relationOptions(d *Definition, r *Relation, opts []tagOption) error {
	for _, o := range opts {
		switch o.key {
		case "belongsTo", "hasMany", "hasOne", "hasManyThrough", "referencesMany":
		case "target", "model":
			r.Target = o.value
		case "foreignKey":
			r.ForeignKey = o.value
		case "keyFrom":
			r.KeyFrom = o.value
		case "keyTo":
			r.KeyTo = o.value
		case "onDelete":
			r.OnDelete = OnDelete(o.value)
		case "polymorphic":
			r.Polymorphic = o.value
			if r.Polymorphic == "" {
				r.Polymorphic = r.Name + "Type"
			}
		case "through":
			if r.Through == nil {
				r.Through = &Through{}
			}
			r.Through.Model = o.value
		case "throughKeyFrom":
			if r.Through == nil {
				r.Through = &Through{}
			}
			r.Through.KeyFrom = o.value
		case "throughKeyTo":
			if r.Through == nil {
				r.Through = &Through{}
			}
			r.Through.KeyTo = o.value
		default:
			if r.GoField != nil {
				return &DefinitionError{Source: b.source, Model: d.Name, Relation: r.Name, Err: fmt.Errorf("unknown relation option %q", o.key)}
			}
		}
	}
	return nil
}

// movedOption returns the schema tag that replaces an lb option that is
// a schema tag now, or "".
func movedOption(key string) string {
	switch key {
	case "required":
		return `required:"true"`
	case "nullable":
		return `nullable:"true"`
	case "default":
		return `default:"<value>" (or lb:"defaultFn=now" for the current time)`
	}
	return ""
}

// property builds the property for a Go type with its tags; f is nil for
// array items, which have no tags.
func (b *structBuilder) property(d *Definition, t reflect.Type, f *openapi.Field, name string, opts []tagOption, path string) (*Property, error) {
	p := &Property{Name: name}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	typ, integer, err := goType(t)
	if err != nil {
		return nil, b.fail(d, path, err)
	}
	p.Type, p.Integer = typ, integer
	for _, o := range opts {
		switch o.key {
		case "id":
			p.ID = 1
			if o.value != "" {
				n, err := strconv.Atoi(o.value)
				if err != nil || n < 1 {
					return nil, b.fail(d, path, fmt.Errorf("id position must be a positive integer, not %q", o.value))
				}
				p.ID = n
			}
		case "generated":
			p.Generated = true
		case "hidden":
			p.Hidden = true
		case "index":
			p.Index = true
		case "unique":
			p.Unique = true
		case "defaultFn":
			p.DefaultFn = o.value
		case "type":
			tt, ok := builtinType(o.value)
			if !ok {
				return nil, b.fail(d, path, fmt.Errorf("unknown type %q", o.value))
			}
			p.Type, p.Integer = tt, o.value == "integer"
		case "integer":
			p.Integer = true
		case "column":
			p.Column = o.value
		case "belongsTo", "hasMany", "hasOne", "hasManyThrough", "referencesMany", "target", "model", "foreignKey", "keyFrom", "keyTo", "onDelete", "polymorphic":
			// relation options, handled by the caller
		default:
			if tag := movedOption(o.key); tag != "" {
				return nil, b.fail(d, path, fmt.Errorf("%s is not an lb option: use the schema tag %s", o.key, tag))
			}
			conn, key, ok := strings.Cut(o.key, ".")
			if !ok || conn == "" || key == "" {
				return nil, b.fail(d, path, fmt.Errorf("unknown lb option %q", o.key))
			}
			setConnector(&p.Connector, conn, key, o.value)
		}
	}
	if p.Type == Object && t.Kind() == reflect.Struct && t != timeType {
		if err := b.fields(d, t, nil, &p.Properties, false, path+"."); err != nil {
			return nil, err
		}
	}
	if p.Type == Array {
		et := t.Elem()
		for et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		item, err := b.property(d, et, nil, "", nil, path+"[]")
		if err != nil {
			return nil, err
		}
		p.Items = item
	}
	if f == nil {
		return p, nil
	}
	p.Required, p.Nullable, p.Description = f.Required, f.Nullable, f.Description
	// The schema tags apply to the property's own schema, as every other
	// schema of the field gets them; what they add is kept as JSONSchema,
	// the default as the property's default.
	base := propertySchema(&Property{Type: p.Type, Integer: p.Integer, Properties: p.Properties, Items: p.Items}, DefaultRefPrefix)
	s, err := f.Schema(base)
	if err != nil {
		return nil, b.fail(d, path, err)
	}
	if s.Default != nil {
		p.Default, s.Default = s.Default, nil
	}
	if !sameSchema(s, base) {
		p.JSONSchema = s
	}
	return p, nil
}

// sameSchema reports whether two schemas have the same JSON form.
func sameSchema(a, b *openapi.Schema) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// goType maps a Go type (pointers removed) to a LoopBack type.
func goType(t reflect.Type) (Type, bool, error) {
	switch {
	case t == timeType:
		return Date, false, nil
	case t == rawJSONType:
		return Any, false, nil
	case t == bytesType || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return Buffer, false, nil
	}
	switch t.Kind() {
	case reflect.String:
		return String, false, nil
	case reflect.Bool:
		return Boolean, false, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Number, true, nil
	case reflect.Float32, reflect.Float64:
		return Number, false, nil
	case reflect.Struct:
		return Object, false, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return "", false, fmt.Errorf("map keys must be strings, not %s", t.Key())
		}
		return Object, false, nil
	case reflect.Slice, reflect.Array:
		return Array, false, nil
	case reflect.Interface:
		return Any, false, nil
	}
	return "", false, fmt.Errorf("unsupported Go type %s", t)
}

// builtinType resolves a LoopBack type name, case-insensitively.
func builtinType(s string) (Type, bool) {
	switch strings.ToLower(s) {
	case "string":
		return String, true
	case "number", "integer":
		return Number, true
	case "boolean":
		return Boolean, true
	case "date":
		return Date, true
	case "object":
		return Object, true
	case "array":
		return Array, true
	case "any":
		return Any, true
	case "buffer":
		return Buffer, true
	}
	return "", false
}

// parseTime reads an RFC 3339 date-time or a date (YYYY-MM-DD).
func parseTime(s string) (time.Time, error) {
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return tm, nil
	}
	if tm, err := time.Parse(time.DateOnly, s); err == nil {
		return tm, nil
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date", s)
}
