package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// marshal encodes v as compact JSON without HTML escaping, so that
// "Omit<Todo, 'id'>" stays readable in generated documents.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// objectWriter writes a JSON object key by key, in the order of the calls.
type objectWriter struct {
	buf bytes.Buffer
	n   int
	err error
}

func (w *objectWriter) begin() { w.buf.WriteByte('{') }

// raw writes key with an already encoded value.
func (w *objectWriter) raw(key string, value []byte) {
	if w.err != nil {
		return
	}
	if w.n > 0 {
		w.buf.WriteByte(',')
	}
	w.n++
	k, _ := marshal(key)
	w.buf.Write(k)
	w.buf.WriteByte(':')
	w.buf.Write(value)
}

// field writes key with value encoded as JSON.
func (w *objectWriter) field(key string, value any) {
	if w.err != nil {
		return
	}
	b, err := marshal(value)
	if err != nil {
		w.err = fmt.Errorf("%s: %w", key, err)
		return
	}
	w.raw(key, b)
}

// extensions writes the keys of ext sorted, skipping keys already written.
func (w *objectWriter) extensions(ext map[string]any) {
	keys := make([]string, 0, len(ext))
	for k := range ext {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w.field(k, ext[k])
	}
}

func (w *objectWriter) end() ([]byte, error) {
	w.buf.WriteByte('}')
	if w.err != nil {
		return nil, w.err
	}
	return w.buf.Bytes(), nil
}

// MarshalJSON writes s as a JSON Schema object. The output is deterministic:
// keywords come in a fixed conventional order ($ref, title, description,
// type, format, …), properties in PropertyOrder and then the remaining ones
// sorted, and Extensions last, sorted. Boolean schemas are written as true or
// false. A nil *Schema is written as null.
func (s *Schema) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	if b, ok := s.IsBool(); ok {
		return strconv.AppendBool(nil, b), nil
	}
	var w objectWriter
	w.begin()
	str := func(k, v string) {
		if v != "" {
			w.field(k, v)
		}
	}
	num := func(k string, v *float64) {
		if v != nil {
			w.field(k, *v)
		}
	}
	integer := func(k string, v *int) {
		if v != nil {
			w.field(k, *v)
		}
	}
	flag := func(k string, v bool) {
		if v {
			w.raw(k, []byte("true"))
		}
	}
	schemas := func(k string, v []*Schema) {
		if len(v) > 0 {
			w.field(k, v)
		}
	}
	schema := func(k string, v *Schema) {
		if v != nil {
			w.field(k, v)
		}
	}
	str("$ref", s.Ref)
	str("title", s.Title)
	str("description", s.Description)
	if len(s.Type) > 0 {
		w.field("type", s.Type)
	}
	str("format", s.Format)
	str("contentEncoding", s.ContentEncoding)
	str("contentMediaType", s.ContentMediaType)
	if s.Enum != nil {
		w.field("enum", s.Enum)
	}
	if s.Const != nil {
		w.field("const", s.Const)
	}
	if s.Default != nil {
		w.field("default", s.Default)
	}
	if len(s.Examples) > 0 {
		w.field("examples", s.Examples)
	}
	flag("deprecated", s.Deprecated)
	flag("readOnly", s.ReadOnly)
	flag("writeOnly", s.WriteOnly)
	num("minimum", s.Minimum)
	num("exclusiveMinimum", s.ExclusiveMinimum)
	num("maximum", s.Maximum)
	num("exclusiveMaximum", s.ExclusiveMaximum)
	num("multipleOf", s.MultipleOf)
	integer("minLength", s.MinLength)
	integer("maxLength", s.MaxLength)
	str("pattern", s.Pattern)
	schema("items", s.Items)
	schemas("prefixItems", s.PrefixItems)
	integer("minItems", s.MinItems)
	integer("maxItems", s.MaxItems)
	flag("uniqueItems", s.UniqueItems)
	if s.Properties != nil {
		p, err := s.marshalProperties()
		if err != nil {
			return nil, err
		}
		w.raw("properties", p)
	}
	if len(s.Required) > 0 {
		w.field("required", s.Required)
	}
	schema("additionalProperties", s.AdditionalProperties)
	if len(s.PatternProperties) > 0 {
		w.field("patternProperties", s.PatternProperties)
	}
	integer("minProperties", s.MinProperties)
	integer("maxProperties", s.MaxProperties)
	schemas("allOf", s.AllOf)
	schemas("anyOf", s.AnyOf)
	schemas("oneOf", s.OneOf)
	schema("not", s.Not)
	if len(s.Defs) > 0 {
		w.field("$defs", s.Defs)
	}
	w.extensions(s.Extensions)
	return w.end()
}

// PropertyNames returns the names of s.Properties in the order they are
// written: PropertyOrder first (names without a property are skipped), then
// the others sorted.
func (s *Schema) PropertyNames() []string {
	names := make([]string, 0, len(s.Properties))
	seen := make(map[string]bool, len(s.Properties))
	for _, n := range s.PropertyOrder {
		if _, ok := s.Properties[n]; ok && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	rest := len(names)
	for n := range s.Properties {
		if !seen[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names[rest:])
	return names
}

func (s *Schema) marshalProperties() ([]byte, error) {
	var w objectWriter
	w.begin()
	for _, n := range s.PropertyNames() {
		w.field(n, s.Properties[n])
	}
	b, err := w.end()
	if err != nil {
		return nil, fmt.Errorf("properties.%w", err)
	}
	return b, nil
}

// UnmarshalJSON reads a JSON Schema object or a boolean schema. Properties
// keep their document order in PropertyOrder. Keys without a field
// (vendor extensions, keywords this type does not model, and the OpenAPI 3.0
// keywords nullable and example) are kept in Extensions; a boolean
// exclusiveMinimum or exclusiveMaximum (OpenAPI 3.0) is kept there too, for
// [Load] to convert. Numbers in enum, const, default and examples are
// decoded as json.Number so that large integers survive.
func (s *Schema) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch string(data) {
	case "true", "false":
		*s = *BoolSchema(string(data) == "true")
		return nil
	case "null":
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("schema must be an object or a boolean, got %s", data)
	}
	*s = Schema{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if err := s.setKeyword(key, raw); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	_, err = dec.Token()
	return err
}

// decodeAny decodes raw keeping numbers as json.Number.
func decodeAny(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeList decodes a JSON array, numbers as json.Number, into *dst.
func decodeList(raw []byte, dst *[]any) error {
	v, err := decodeAny(raw)
	if err != nil {
		return err
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("must be an array")
	}
	*dst = list
	return nil
}

func (s *Schema) setKeyword(key string, raw json.RawMessage) error {
	into := func(p any) error { return json.Unmarshal(raw, p) }
	switch key {
	case "$ref":
		return into(&s.Ref)
	case "title":
		return into(&s.Title)
	case "description":
		return into(&s.Description)
	case "type":
		return into(&s.Type)
	case "format":
		return into(&s.Format)
	case "contentEncoding":
		return into(&s.ContentEncoding)
	case "contentMediaType":
		return into(&s.ContentMediaType)
	case "enum":
		return decodeList(raw, &s.Enum)
	case "const":
		v, err := decodeAny(raw)
		s.Const = v
		return err
	case "default":
		v, err := decodeAny(raw)
		s.Default = v
		return err
	case "examples":
		return decodeList(raw, &s.Examples)
	case "deprecated":
		return into(&s.Deprecated)
	case "readOnly":
		return into(&s.ReadOnly)
	case "writeOnly":
		return into(&s.WriteOnly)
	case "minimum":
		return into(&s.Minimum)
	case "maximum":
		return into(&s.Maximum)
	case "exclusiveMinimum", "exclusiveMaximum":
		t := bytes.TrimSpace(raw)
		if string(t) == "true" || string(t) == "false" {
			return s.setExtension(key, raw)
		}
		if key == "exclusiveMinimum" {
			return into(&s.ExclusiveMinimum)
		}
		return into(&s.ExclusiveMaximum)
	case "multipleOf":
		return into(&s.MultipleOf)
	case "minLength":
		return into(&s.MinLength)
	case "maxLength":
		return into(&s.MaxLength)
	case "pattern":
		return into(&s.Pattern)
	case "items":
		return into(&s.Items)
	case "prefixItems":
		return into(&s.PrefixItems)
	case "minItems":
		return into(&s.MinItems)
	case "maxItems":
		return into(&s.MaxItems)
	case "uniqueItems":
		return into(&s.UniqueItems)
	case "properties":
		return s.unmarshalProperties(raw)
	case "required":
		return into(&s.Required)
	case "additionalProperties":
		return into(&s.AdditionalProperties)
	case "patternProperties":
		return into(&s.PatternProperties)
	case "minProperties":
		return into(&s.MinProperties)
	case "maxProperties":
		return into(&s.MaxProperties)
	case "allOf":
		return into(&s.AllOf)
	case "anyOf":
		return into(&s.AnyOf)
	case "oneOf":
		return into(&s.OneOf)
	case "not":
		return into(&s.Not)
	case "$defs":
		return into(&s.Defs)
	}
	return s.setExtension(key, raw)
}

func (s *Schema) setExtension(key string, raw []byte) error {
	v, err := decodeAny(raw)
	if err != nil {
		return err
	}
	if s.Extensions == nil {
		s.Extensions = make(map[string]any)
	}
	s.Extensions[key] = v
	return nil
}

func (s *Schema) unmarshalProperties(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("must be an object")
	}
	s.Properties = make(map[string]*Schema)
	s.PropertyOrder = nil
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name := tok.(string)
		var p Schema
		if err := dec.Decode(&p); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if _, dup := s.Properties[name]; !dup {
			s.PropertyOrder = append(s.PropertyOrder, name)
		}
		s.Properties[name] = &p
	}
	_, err = dec.Token()
	return err
}
