package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Version30 is the OpenAPI version written by [Document.Downgrade30].
const Version30 = "3.0.3"

// Downgrade30 returns d rendered as an OpenAPI 3.0.3 document (pretty JSON,
// like [Document.JSON]), for tools that do not read 3.1 yet. d itself is
// not changed.
//
// Schemas are rewritten to their 3.0 equivalents: a "null" member of a type
// array becomes nullable: true (several remaining types become an anyOf);
// examples becomes example (the first one); const becomes a one-value enum;
// numeric exclusiveMinimum/exclusiveMaximum become minimum/maximum with the
// boolean flag; a $ref with sibling keywords is wrapped in allOf;
// contentEncoding base64 becomes format: byte and contentMediaType becomes
// format: binary; boolean schemas become {} and {"not": {}} (except as
// additionalProperties); prefixItems and patternProperties are folded into
// items and additionalProperties. Keywords 3.0 does not have ($id,
// $comment, $defs, unevaluatedProperties, …) are dropped, as are
// webhooks, jsonSchemaDialect, info.summary, license.identifier and
// components.pathItems.
func (d *Document) Downgrade30() ([]byte, error) {
	c, err := d.clone()
	if err != nil {
		return nil, err
	}
	c.OpenAPI = Version30
	c.JSONSchemaDialect = ""
	c.Webhooks = nil
	c.Info.Summary = ""
	if c.Info.License != nil {
		if c.Info.License.URL == "" && c.Info.License.Identifier != "" {
			c.Info.License.URL = "https://spdx.org/licenses/" + c.Info.License.Identifier + ".html"
		}
		c.Info.License.Identifier = ""
	}
	c.Components.PathItems = nil
	if c.Paths == nil {
		c.Paths = Paths{} // required in 3.0
	}
	c.rewriteSchemas(down30)
	return c.JSON()
}

// Downgrade30YAML is [Document.Downgrade30] rendered as YAML.
func (d *Document) Downgrade30YAML() ([]byte, error) {
	js, err := d.Downgrade30()
	if err != nil {
		return nil, err
	}
	return jsonToYAML(js)
}

// Upgrade31 rewrites d in place from OpenAPI 3.0 to 3.1 and sets OpenAPI
// to [Version]: in every schema, nullable: true becomes a "null" member of
// type (or an anyOf with {"type": "null"} for a schema without type),
// example becomes examples, and boolean exclusiveMinimum/exclusiveMaximum
// become numeric. [Load] calls it for 3.0 documents; call it on a 3.0
// document built in code. Schemas already in 3.1 form are left as they are.
func (d *Document) Upgrade31() {
	d.rewriteSchemas(up31)
	d.OpenAPI = Version
}

// clone deep-copies d through its JSON form.
func (d *Document) clone() (*Document, error) {
	b, err := marshal(d)
	if err != nil {
		return nil, fmt.Errorf("openapi: encode json: %w", err)
	}
	var c Document
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("openapi: copy document: %w", err)
	}
	return &c, nil
}

// keywords30 are the non-"x-" keys a 3.0 schema object may carry beyond the
// fields of Schema.
var keywords30 = map[string]bool{
	"nullable": true, "example": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"discriminator": true, "xml": true, "externalDocs": true,
}

func setExt(s *Schema, k string, v any) {
	if s.Extensions == nil {
		s.Extensions = make(map[string]any)
	}
	s.Extensions[k] = v
}

// down30 rewrites one schema (its subschemas already rewritten) to 3.0.
func down30(s *Schema, at slot) *Schema {
	if b, ok := s.IsBool(); ok {
		if at == slotAdditional {
			return s
		}
		if b {
			return &Schema{}
		}
		return &Schema{Not: &Schema{}}
	}
	for k := range s.Extensions {
		if !strings.HasPrefix(k, "x-") && !keywords30[k] {
			delete(s.Extensions, k)
		}
	}
	if len(s.Defs) > 0 {
		s.Defs = nil
	}
	if s.Type.Has("null") {
		var rest Types
		for _, t := range s.Type {
			if t != "null" {
				rest = append(rest, t)
			}
		}
		setExt(s, "nullable", true)
		switch len(rest) {
		case 0:
			s.Type = nil
			if s.Enum == nil {
				s.Enum = []any{nil}
			}
		case 1:
			s.Type = rest
		default:
			s.Type = nil
			alts := make([]*Schema, len(rest))
			for i, t := range rest {
				alts[i] = &Schema{Type: Types{t}}
			}
			if s.AnyOf == nil {
				s.AnyOf = alts
			} else {
				s.AllOf = append(s.AllOf, &Schema{AnyOf: alts})
			}
		}
	} else if len(s.Type) > 1 {
		alts := make([]*Schema, len(s.Type))
		for i, t := range s.Type {
			alts[i] = &Schema{Type: Types{t}}
		}
		s.Type = nil
		if s.AnyOf == nil {
			s.AnyOf = alts
		} else {
			s.AllOf = append(s.AllOf, &Schema{AnyOf: alts})
		}
	}
	// anyOf [X, {type: null}] (already rewritten to {enum: [null],
	// nullable: true}) is 3.0's nullable X.
	if n := len(s.AnyOf); n > 1 {
		rest := s.AnyOf[:0:0]
		for _, a := range s.AnyOf {
			if !isNull30(a) {
				rest = append(rest, a)
			}
		}
		if len(rest) < n {
			setExt(s, "nullable", true)
			if len(rest) == 1 {
				s.AnyOf = nil
				s.AllOf = append(rest, s.AllOf...)
			} else {
				s.AnyOf = rest
			}
		}
	}
	if s.Const != nil {
		if s.Enum == nil {
			s.Enum = []any{s.Const}
		}
		s.Const = nil
	}
	if len(s.Examples) > 0 {
		setExt(s, "example", s.Examples[0])
		s.Examples = nil
	}
	if s.ExclusiveMinimum != nil {
		if s.Minimum == nil || *s.ExclusiveMinimum >= *s.Minimum {
			s.Minimum = s.ExclusiveMinimum
			setExt(s, "exclusiveMinimum", true)
		}
		s.ExclusiveMinimum = nil
	}
	if s.ExclusiveMaximum != nil {
		if s.Maximum == nil || *s.ExclusiveMaximum <= *s.Maximum {
			s.Maximum = s.ExclusiveMaximum
			setExt(s, "exclusiveMaximum", true)
		}
		s.ExclusiveMaximum = nil
	}
	if s.ContentEncoding != "" || s.ContentMediaType != "" {
		if s.Format == "" {
			if strings.EqualFold(s.ContentEncoding, "base64") {
				s.Format = "byte"
			} else {
				s.Format = "binary"
			}
		}
		s.ContentEncoding, s.ContentMediaType = "", ""
	}
	if len(s.PrefixItems) > 0 {
		if s.Items == nil {
			s.Items = &Schema{AnyOf: s.PrefixItems}
		} else if isFalse30(s.Items) {
			s.Items = &Schema{AnyOf: s.PrefixItems}
		} else {
			s.Items = &Schema{AnyOf: append(s.PrefixItems, s.Items)}
		}
		s.PrefixItems = nil
	}
	if len(s.PatternProperties) > 0 {
		if s.AdditionalProperties == nil {
			var alts []*Schema
			for _, k := range slices.Sorted(maps.Keys(s.PatternProperties)) {
				alts = append(alts, s.PatternProperties[k])
			}
			s.AdditionalProperties = &Schema{AnyOf: alts}
		}
		s.PatternProperties = nil
	}
	if s.Ref != "" {
		ref := s.Ref
		s.Ref = ""
		if isEmpty(s) {
			return &Schema{Ref: ref}
		}
		s.AllOf = append([]*Schema{{Ref: ref}}, s.AllOf...)
	}
	return s
}

// up31 rewrites one schema of an OpenAPI 3.0 document to 3.1: nullable
// becomes a "null" type member, example becomes examples, boolean
// exclusiveMinimum/exclusiveMaximum become numeric.
func up31(s *Schema, _ slot) *Schema {
	if _, ok := s.IsBool(); ok || s.Extensions == nil {
		return s
	}
	ext := s.Extensions
	if v, ok := ext["example"]; ok {
		if s.Examples == nil {
			s.Examples = []any{v}
		}
		delete(ext, "example")
	}
	if v, ok := ext["exclusiveMinimum"].(bool); ok {
		if v && s.Minimum != nil {
			s.ExclusiveMinimum, s.Minimum = s.Minimum, nil
		}
		delete(ext, "exclusiveMinimum")
	}
	if v, ok := ext["exclusiveMaximum"].(bool); ok {
		if v && s.Maximum != nil {
			s.ExclusiveMaximum, s.Maximum = s.Maximum, nil
		}
		delete(ext, "exclusiveMaximum")
	}
	if v, ok := ext["nullable"]; ok {
		delete(ext, "nullable")
		if len(ext) == 0 {
			s.Extensions = nil
		}
		if v == true {
			switch {
			case len(s.Type) > 0:
				if !s.Type.Has("null") {
					s.Type = append(s.Type, "null")
				}
				if s.Enum != nil {
					s.Enum = appendNull(s.Enum)
				}
			case s.Ref != "" || len(s.AllOf) > 0 || len(s.OneOf) > 0 || len(s.AnyOf) > 0:
				return &Schema{AnyOf: []*Schema{s, {Type: Types{"null"}}}}
			}
		}
	}
	if len(ext) == 0 {
		s.Extensions = nil
	}
	return s
}

func appendNull(enum []any) []any {
	for _, e := range enum {
		if e == nil {
			return enum
		}
	}
	return append(enum, nil)
}

// isNull30 reports whether s is the 3.0 rendering of {"type": "null"}.
func isNull30(s *Schema) bool {
	if s == nil || len(s.Enum) != 1 || s.Enum[0] != nil || len(s.Extensions) != 1 || s.Extensions["nullable"] != true {
		return false
	}
	c := *s
	c.Enum, c.Extensions = nil, nil
	return isEmpty(&c)
}

// isFalse30 reports whether s is the 3.0 rendering of the false schema.
func isFalse30(s *Schema) bool {
	if s == nil || s.Not == nil || !isEmpty(s.Not) {
		return false
	}
	c := *s
	c.Not = nil
	return isEmpty(&c)
}
