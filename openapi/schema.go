package openapi

import (
	"encoding/json"
)

// Schema is a JSON Schema 2020-12 object as OpenAPI 3.1 embeds it.
//
// The zero value is the empty schema, which accepts any value. A boolean
// schema (true or false, as used by additionalProperties: false) is written
// with [BoolSchema]. Fields follow the JSON Schema vocabulary names; keys that
// have no field (vendor extensions such as x-typescript-type) go in
// Extensions and are written inline.
type Schema struct {
	// Ref is "$ref"; when set, the other fields are usually empty.
	Ref string `json:"$ref,omitempty"`

	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`

	// Type is one type name ("string") or several (["string", "null"]).
	Type Types `json:"type,omitempty"`

	Format  string `json:"format,omitempty"`
	Enum    []any  `json:"enum,omitempty"`
	Const   any    `json:"const,omitempty"`
	Default any    `json:"default,omitempty"`

	// Examples follows JSON Schema 2020-12; OpenAPI 3.0 rendering turns the
	// first one into "example".
	Examples []any `json:"examples,omitempty"`

	Deprecated bool `json:"deprecated,omitempty"`
	ReadOnly   bool `json:"readOnly,omitempty"`
	WriteOnly  bool `json:"writeOnly,omitempty"`

	// Numbers.
	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum *float64 `json:"exclusiveMaximum,omitempty"`
	MultipleOf       *float64 `json:"multipleOf,omitempty"`

	// Strings.
	MinLength *int   `json:"minLength,omitempty"`
	MaxLength *int   `json:"maxLength,omitempty"`
	Pattern   string `json:"pattern,omitempty"`

	// Arrays.
	Items       *Schema `json:"items,omitempty"`
	MinItems    *int    `json:"minItems,omitempty"`
	MaxItems    *int    `json:"maxItems,omitempty"`
	UniqueItems bool    `json:"uniqueItems,omitempty"`

	// Objects. PropertyOrder keeps Properties in declaration order when the
	// schema is written; keys missing from it are written sorted, after it.
	Properties           map[string]*Schema `json:"-"`
	PropertyOrder        []string           `json:"-"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *Schema            `json:"additionalProperties,omitempty"`
	MinProperties        *int               `json:"minProperties,omitempty"`
	MaxProperties        *int               `json:"maxProperties,omitempty"`

	// PrefixItems is "prefixItems" (tuple validation).
	PrefixItems []*Schema `json:"prefixItems,omitempty"`

	// ContentEncoding is "contentEncoding", e.g. "base64" for []byte.
	ContentEncoding string `json:"contentEncoding,omitempty"`
	// ContentMediaType is "contentMediaType", e.g. "application/octet-stream".
	ContentMediaType string `json:"contentMediaType,omitempty"`

	// PatternProperties is "patternProperties".
	PatternProperties map[string]*Schema `json:"patternProperties,omitempty"`

	// Composition.
	AllOf []*Schema `json:"allOf,omitempty"`
	AnyOf []*Schema `json:"anyOf,omitempty"`
	OneOf []*Schema `json:"oneOf,omitempty"`
	Not   *Schema   `json:"not,omitempty"`

	// Defs is "$defs".
	Defs map[string]*Schema `json:"$defs,omitempty"`

	// Extensions holds extra keys, written inline (for example
	// "x-typescript-type").
	Extensions map[string]any `json:"-"`

	// boolean is set for the boolean schemas true and false.
	boolean *bool
}

// BoolSchema returns the boolean schema b: true accepts everything, false
// nothing. It is what additionalProperties: false is made of.
func BoolSchema(b bool) *Schema { return &Schema{boolean: &b} }

// IsBool reports whether s is a boolean schema, and which one.
func (s *Schema) IsBool() (value, ok bool) {
	if s == nil || s.boolean == nil {
		return false, false
	}
	return *s.boolean, true
}

// Types is the "type" keyword: one JSON type name or several. It is written
// as a plain string when it holds one name.
type Types []string

// MarshalJSON writes a single type as a string and several as an array.
func (t Types) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// UnmarshalJSON reads a string or an array of strings.
func (t *Types) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = Types{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*t = many
	return nil
}

// Has reports whether name is one of the types.
func (t Types) Has(name string) bool {
	for _, n := range t {
		if n == name {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of s (values inside Enum, Const, Default,
// Examples and Extensions are shared: treat them as immutable). Clone of
// nil is nil.
func (s *Schema) Clone() *Schema {
	if s == nil {
		return nil
	}
	c := *s
	if s.boolean != nil {
		b := *s.boolean
		c.boolean = &b
	}
	c.Enum = cloneSlice(s.Enum)
	c.Examples = cloneSlice(s.Examples)
	c.Required = cloneSlice(s.Required)
	c.PropertyOrder = cloneSlice(s.PropertyOrder)
	c.Type = cloneSlice(s.Type)
	c.Minimum = clonePtr(s.Minimum)
	c.Maximum = clonePtr(s.Maximum)
	c.ExclusiveMinimum = clonePtr(s.ExclusiveMinimum)
	c.ExclusiveMaximum = clonePtr(s.ExclusiveMaximum)
	c.MultipleOf = clonePtr(s.MultipleOf)
	c.MinLength = clonePtr(s.MinLength)
	c.MaxLength = clonePtr(s.MaxLength)
	c.MinItems = clonePtr(s.MinItems)
	c.MaxItems = clonePtr(s.MaxItems)
	c.MinProperties = clonePtr(s.MinProperties)
	c.MaxProperties = clonePtr(s.MaxProperties)
	c.Items = s.Items.Clone()
	c.AdditionalProperties = s.AdditionalProperties.Clone()
	c.Not = s.Not.Clone()
	c.PrefixItems = cloneSchemas(s.PrefixItems)
	c.AllOf = cloneSchemas(s.AllOf)
	c.AnyOf = cloneSchemas(s.AnyOf)
	c.OneOf = cloneSchemas(s.OneOf)
	c.Properties = cloneSchemaMap(s.Properties)
	c.PatternProperties = cloneSchemaMap(s.PatternProperties)
	c.Defs = cloneSchemaMap(s.Defs)
	if s.Extensions != nil {
		c.Extensions = make(map[string]any, len(s.Extensions))
		for k, v := range s.Extensions {
			c.Extensions[k] = v
		}
	}
	return &c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneSchemas(s []*Schema) []*Schema {
	if s == nil {
		return nil
	}
	out := make([]*Schema, len(s))
	for i, x := range s {
		out[i] = x.Clone()
	}
	return out
}

func cloneSchemaMap(m map[string]*Schema) map[string]*Schema {
	if m == nil {
		return nil
	}
	out := make(map[string]*Schema, len(m))
	for k, v := range m {
		out[k] = v.Clone()
	}
	return out
}
