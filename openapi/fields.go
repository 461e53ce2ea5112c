package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Field is one JSON property of a struct type, with its schema tags read
// and checked: the one description of a struct field that every schema of
// the framework is built from (the Registry's struct schemas, the model
// package's properties, the REST layer's parameters). Get the fields of a
// type with [Fields] and a field's schema with [Field.Schema].
type Field struct {
	// Name is the JSON name.
	Name string
	// Index is the path for reflect.Value.FieldByIndex (embedded structs
	// flattened).
	Index []int
	// Go is the Go struct field.
	Go reflect.StructField
	// OmitEmpty reports a json omitempty or omitzero option, or a field
	// reached through an embedded pointer: the field may be left out of
	// the encoded value.
	OmitEmpty bool
	// AsString reports the json ",string" option.
	AsString bool
	// Required reports the tag required:"true". It is the only thing that
	// makes a property required; pointers and omitempty do not.
	Required bool
	// Nullable reports the tag nullable:"true".
	Nullable bool
	// Description is the doc (or description) tag.
	Description string

	owner string            // type name, for errors
	tags  map[string]string // the schema tags present, checked
}

// TagError is the error for a bad schema tag: a value that does not parse,
// a keyword that does not apply to the field's type, or a misspelt tag.
type TagError struct {
	// Type is the name of the struct type, Field the Go name of the field.
	Type, Field string
	// Tag and Value are the tag key and its value as written.
	Tag, Value string
	// Err says what is wrong.
	Err error
}

func (e *TagError) Error() string {
	return fmt.Sprintf("openapi: %s.%s: tag %s=%q: %v", e.Type, e.Field, e.Tag, e.Value, e.Err)
}

func (e *TagError) Unwrap() error { return e.Err }

// schemaTags are the struct tag keys that describe a property's schema.
// Every other key is left to its own reader (json, lb, the REST layer's
// path, query, header, cookie, body and contentType), except near misses
// of these (minlength, read_only), which are errors.
var schemaTags = []string{
	"doc", "description", "title", "example", "enum", "format", "default",
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
	"deprecated", "readOnly", "writeOnly", "nullable", "required",
}

// typeLabel names t in errors.
func typeLabel(t reflect.Type) string {
	if t == nil {
		return "?"
	}
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

// Fields returns the JSON fields of struct type t (or a pointer to one) in
// declaration order, following encoding/json: json tag names, "-" skipped,
// unexported fields skipped, embedded structs without a json name
// flattened, the shallowest field winning a name conflict (ties broken by
// a json tag, otherwise both dropped). Each field's schema tags are read
// and checked; the first bad one is returned as a *[TagError].
func Fields(t reflect.Type) ([]Field, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("openapi: %v is not a struct type", t)
	}
	fs := jsonFields(t)
	out := make([]Field, 0, len(fs))
	for _, jf := range fs {
		f, err := newField(typeLabel(t), jf.sf)
		if err != nil {
			return nil, err
		}
		f.Name, f.Index = jf.name, jf.index
		f.OmitEmpty, f.AsString = jf.optional, jf.asString
		out = append(out, f)
	}
	return out, nil
}

// FieldOf reads the schema tags of one struct field of owner, for fields
// that are not JSON properties (the parameters of a REST input struct).
// Name is the Go field name.
func FieldOf(owner reflect.Type, sf reflect.StructField) (Field, error) {
	f, err := newField(typeLabel(owner), sf)
	if err != nil {
		return Field{}, err
	}
	f.Name, f.Index = sf.Name, sf.Index
	return f, nil
}

// newField reads and checks the schema tags of sf.
func newField(owner string, sf reflect.StructField) (Field, error) {
	f := Field{Go: sf, owner: owner}
	keys, err := tagKeys(sf.Tag)
	if err != nil {
		return f, &TagError{Type: owner, Field: sf.Name, Tag: "`" + string(sf.Tag) + "`", Err: err}
	}
	for _, key := range keys {
		value, _ := sf.Tag.Lookup(key)
		known := false
		for _, k := range schemaTags {
			if k == key {
				known = true
				break
			}
			if normTag(k) == normTag(key) {
				return f, f.fail(key, value, fmt.Errorf("unknown tag, did you mean %s?", k))
			}
		}
		if !known {
			continue
		}
		if f.tags == nil {
			f.tags = map[string]string{}
		}
		f.tags[key] = value
		if err := checkTag(key, value); err != nil {
			return f, f.fail(key, value, err)
		}
	}
	f.Required = f.tags["required"] == "true"
	f.Nullable = f.tags["nullable"] == "true"
	f.Description = f.tags["doc"]
	if d, ok := f.tags["description"]; ok {
		f.Description = d
	}
	return f, nil
}

func (f *Field) fail(key, value string, err error) error {
	return &TagError{Type: f.owner, Field: f.Go.Name, Tag: key, Value: value, Err: err}
}

// Lookup returns the value of a schema tag of the field, as written.
func (f *Field) Lookup(key string) (string, bool) {
	v, ok := f.tags[key]
	return v, ok
}

// tagKeys lists the keys of a struct tag in the conventional
// `key:"value" key2:"value2"` form, or fails on a malformed tag.
func tagKeys(tag reflect.StructTag) ([]string, error) {
	var keys []string
	s := string(tag)
	for s != "" {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			break
		}
		i := 0
		for i < len(s) && s[i] > ' ' && s[i] != ':' && s[i] != '"' && s[i] != 0x7f {
			i++
		}
		if i == 0 || i+1 >= len(s) || s[i] != ':' || s[i+1] != '"' {
			return nil, errors.New("malformed struct tag")
		}
		key := s[:i]
		s = s[i+1:]
		i = 1
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			return nil, errors.New("malformed struct tag")
		}
		if _, err := strconv.Unquote(s[:i+1]); err != nil {
			return nil, errors.New("malformed struct tag")
		}
		s = s[i+1:]
		keys = append(keys, key)
	}
	return keys, nil
}

// normTag folds case, '_' and '-' so that misspellings can be detected.
func normTag(k string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, k)
}

// checkTag checks the tag values that do not depend on the field's type.
func checkTag(key, v string) error {
	switch key {
	case "required", "nullable", "deprecated", "readOnly", "writeOnly", "uniqueItems":
		_, err := tagBool(v)
		return err
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		_, err := tagNumber(v)
		return err
	case "multipleOf":
		n, err := tagNumber(v)
		if err == nil && *n <= 0 {
			return errors.New("not a number > 0")
		}
		return err
	case "minLength", "maxLength", "minItems", "maxItems":
		_, err := tagCount(v)
		return err
	case "pattern":
		if _, err := regexp.Compile(v); err != nil {
			return fmt.Errorf("not a regular expression: %w", err)
		}
	case "enum":
		if v == "" {
			return errors.New("not a comma-separated list")
		}
	}
	return nil
}

func tagBool(v string) (bool, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errors.New("not true or false")
}

func tagNumber(v string) (*float64, error) {
	var n json.Number
	if err := json.Unmarshal([]byte(v), &n); err != nil {
		return nil, errors.New("not a number")
	}
	f, err := n.Float64()
	if err != nil {
		return nil, errors.New("not a number")
	}
	return &f, nil
}

func tagCount(v string) (*int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || strconv.Itoa(n) != v {
		return nil, errors.New("not a non-negative integer")
	}
	return &n, nil
}

// Schema returns base, the schema of the field's Go type, with the
// field's schema tags applied (base is not modified). Value constraints
// (enum, format, bounds, lengths, pattern) go to the items of an array
// schema, array constraints to the array; on a reference only doc,
// description, title, deprecated, readOnly, writeOnly, nullable, example
// and default (as JSON) apply. Values (enum members, example, default) are
// read as values of the schema's type: strings literally, other types as
// JSON. The error is a
// *[TagError] for a tag that does not apply to the type or a value of the
// wrong type.
func (f *Field) Schema(base *Schema) (*Schema, error) {
	ps := base.Clone()
	if ps == nil {
		ps = &Schema{}
	}
	tags := f.tags
	if len(tags) == 0 {
		return ps, nil
	}
	flag := func(k string) bool { return tags[k] == "true" }
	if ps.Ref != "" {
		for _, k := range []string{"format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
			"minLength", "maxLength", "pattern", "enum", "minItems", "maxItems", "uniqueItems"} {
			if v, ok := tags[k]; ok {
				return nil, f.fail(k, v, errors.New("not applicable to a field of struct type"))
			}
		}
		if flag("nullable") {
			ps = &Schema{AnyOf: []*Schema{ps, {Type: Types{"null"}}}}
		}
		ps.Description = f.Description
		ps.Title = tags["title"]
		ps.Deprecated, ps.ReadOnly, ps.WriteOnly = flag("deprecated"), flag("readOnly"), flag("writeOnly")
		// An example or default of a struct is its JSON.
		for _, k := range []string{"example", "default"} {
			v, ok := tags[k]
			if !ok {
				continue
			}
			x, err := decodeAny([]byte(v))
			if err != nil {
				return nil, f.fail(k, v, errors.New("not a JSON value"))
			}
			if k == "example" {
				ps.Examples = []any{x}
			} else {
				ps.Default = x
			}
		}
		return ps, nil
	}
	val := ps // where value constraints go
	isArray := ps.Type.Has("array") && ps.Items != nil
	if isArray {
		val = ps.Items
	}
	for _, k := range []string{"minItems", "maxItems", "uniqueItems"} {
		if v, ok := tags[k]; ok && !isArray {
			return nil, f.fail(k, v, errors.New("only applies to slices and arrays"))
		}
	}
	for _, k := range []string{"minLength", "maxLength", "pattern"} {
		if v, ok := tags[k]; ok && !val.Type.Has("string") {
			return nil, f.fail(k, v, errors.New("only applies to strings"))
		}
	}
	for _, k := range []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"} {
		if v, ok := tags[k]; ok && !val.Type.Has("number") && !val.Type.Has("integer") {
			return nil, f.fail(k, v, errors.New("only applies to numbers"))
		}
	}
	// The values were checked by newField; errors cannot happen here.
	num := func(k string) *float64 { n, _ := tagNumber(tags[k]); return n }
	count := func(k string) *int { n, _ := tagCount(tags[k]); return n }
	for k, v := range tags {
		switch k {
		case "doc", "description":
			ps.Description = f.Description
		case "title":
			ps.Title = v
		case "format":
			val.Format = v
		case "minimum":
			val.Minimum = num(k)
		case "maximum":
			val.Maximum = num(k)
		case "exclusiveMinimum":
			val.ExclusiveMinimum = num(k)
		case "exclusiveMaximum":
			val.ExclusiveMaximum = num(k)
		case "multipleOf":
			val.MultipleOf = num(k)
		case "minLength":
			val.MinLength = count(k)
		case "maxLength":
			val.MaxLength = count(k)
		case "minItems":
			ps.MinItems = count(k)
		case "maxItems":
			ps.MaxItems = count(k)
		case "uniqueItems":
			ps.UniqueItems = flag(k)
		case "pattern":
			val.Pattern = v
		case "deprecated":
			ps.Deprecated = flag(k)
		case "readOnly":
			ps.ReadOnly = flag(k)
		case "writeOnly":
			ps.WriteOnly = flag(k)
		}
	}
	// Values are read once the type constraints are known.
	if v, ok := tags["enum"]; ok {
		val.Enum = nil
		for _, e := range strings.Split(v, ",") {
			x, err := f.value("enum", strings.TrimSpace(e), val)
			if err != nil {
				return nil, err
			}
			val.Enum = append(val.Enum, x)
		}
	}
	if v, ok := tags["example"]; ok {
		x, err := f.listValue("example", v, ps, val, isArray)
		if err != nil {
			return nil, err
		}
		ps.Examples = []any{x}
	}
	if v, ok := tags["default"]; ok {
		x, err := f.listValue("default", v, ps, val, isArray)
		if err != nil {
			return nil, err
		}
		ps.Default = x
	}
	if flag("nullable") {
		if len(ps.Type) > 0 && !ps.Type.Has("null") {
			ps.Type = append(ps.Type, "null")
		} else if len(ps.Type) == 0 && !isEmpty(ps) {
			ps = &Schema{AnyOf: []*Schema{ps, {Type: Types{"null"}}}}
		}
		if ps.Enum != nil {
			ps.Enum = append(ps.Enum, nil)
		}
	}
	return ps, nil
}

// value reads a tag value (an enum member, example or default) as a
// value of schema s: strings are taken literally, other types as JSON.
func (f *Field) value(key, v string, s *Schema) (any, error) {
	if s.Type.Has("string") && !(len(v) > 0 && v[0] == '"') {
		return v, nil
	}
	x, err := decodeAny([]byte(v))
	if err != nil {
		if len(s.Type) == 0 {
			return v, nil
		}
		return nil, f.fail(key, v, fmt.Errorf("not a JSON value of type %s", strings.Join(s.Type, ",")))
	}
	if len(s.Type) > 0 && !valueHasType(x, s.Type) {
		return nil, f.fail(key, v, fmt.Errorf("not a value of type %s", strings.Join(s.Type, ",")))
	}
	return x, nil
}

// listValue reads an example or default: for arrays a JSON array, or a
// comma-separated list of item values.
func (f *Field) listValue(key, v string, ps, items *Schema, isArray bool) (any, error) {
	if !isArray || strings.HasPrefix(strings.TrimSpace(v), "[") {
		return f.value(key, v, ps)
	}
	var list []any
	for _, e := range strings.Split(v, ",") {
		x, err := f.value(key, strings.TrimSpace(e), items)
		if err != nil {
			return nil, err
		}
		list = append(list, x)
	}
	return list, nil
}

func valueHasType(x any, types Types) bool {
	for _, ty := range types {
		switch v := x.(type) {
		case nil:
			if ty == "null" {
				return true
			}
		case bool:
			if ty == "boolean" {
				return true
			}
		case string:
			if ty == "string" {
				return true
			}
		case json.Number:
			if ty == "number" {
				return true
			}
			if _, err := v.Int64(); ty == "integer" && err == nil {
				return true
			}
		case []any:
			if ty == "array" {
				return true
			}
		case map[string]any:
			if ty == "object" {
				return true
			}
		}
	}
	return false
}

func isEmpty(s *Schema) bool {
	b, _ := marshal(s)
	return string(b) == "{}"
}
