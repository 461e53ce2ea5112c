package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/loopback-go/lb/openapi"
)

// Detail is one validation error in the shape LoopBack 4 (AJV) reports in
// an error's details: {"path":"/title","code":"type","message":"must be
// string","info":{"type":"string"}}.
type Detail struct {
	// Path is a JSON pointer to the failing value; "" is the root.
	Path string `json:"path"`
	// Code is the failing JSON Schema keyword ("type", "required", …).
	Code string `json:"code"`
	// Message is AJV 8's wording of the error.
	Message string `json:"message"`
	// Info holds the keyword's parameters ({"missingProperty":"title"}).
	// It is never nil.
	Info map[string]any `json:"info"`
}

// Validator validates decoded JSON values against one compiled schema. It
// is immutable and safe for concurrent use.
type Validator struct {
	sch *jsonschema.Schema
	// doc is the schema document given to the library (components under
	// /components/schemas, split keywords moved into allOf), used to read
	// keyword values when errors are mapped.
	doc any
	// order holds the key order of every object of doc, by JSON pointer.
	order map[string][]string
}

// resourceURL is the URL the schema document is registered under.
const resourceURL = "mem:///schema.json"

// splitMark is the $comment of the allOf entries Compile creates; see
// split.
const splitMark = "lb:split"

// Compile compiles s, resolving "#/components/schemas/Name" references
// against components (and "#/$defs/Name" against s.Defs), with
// github.com/santhosh-tekuri/jsonschema/v6. It returns an error for a schema
// that is invalid under the 2020-12 meta-schema, an unresolvable or
// external reference, a pattern that does not compile, or a keyword this
// package does not support (unevaluatedItems, draft-07 dependencies and
// additionalItems, $recursiveRef), rather than silently ignoring it.
func Compile(s *openapi.Schema, components map[string]*openapi.Schema) (*Validator, error) {
	if s == nil {
		s = &openapi.Schema{}
	}
	vd := &Validator{order: map[string][]string{}}
	doc, err := decodeOrdered(s, "", vd.order)
	if err != nil {
		return nil, fmt.Errorf("validate: schema: %w", err)
	}
	if obj, ok := doc.(map[string]any); ok && len(components) > 0 {
		comps, err := decodeOrdered(components, "/components/schemas", vd.order)
		if err != nil {
			return nil, fmt.Errorf("validate: components: %w", err)
		}
		obj["components"] = map[string]any{"schemas": comps}
	}
	if err := walkSchemas(doc, "#", true, func(o map[string]any, at string) error {
		return check(doc, o, at)
	}); err != nil {
		return nil, err
	}
	_ = walkSchemas(doc, "#", true, func(o map[string]any, _ string) error {
		split(o)
		return nil
	})
	vd.doc = doc

	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	for _, f := range formats() {
		c.RegisterFormat(f)
	}
	c.UseLoader(noLoader{})
	if err := c.AddResource(resourceURL, doc); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	sch, err := c.Compile(resourceURL)
	if err != nil {
		return nil, fmt.Errorf("validate: invalid schema: %w", err)
	}
	vd.sch = sch
	return vd, nil
}

// MustCompile is like Compile but panics on error; for schemas fixed at
// setup time.
func MustCompile(s *openapi.Schema, components map[string]*openapi.Schema) *Validator {
	v, err := Compile(s, components)
	if err != nil {
		panic(err)
	}
	return v
}

// Validate validates v, a decoded JSON value (map[string]any, []any,
// float64 or json.Number or any Go integer, string, bool, nil), and returns
// every error found, or nil when v is valid. The order is described in the
// package documentation.
func (vd *Validator) Validate(v any) (details []Detail) {
	defer func() {
		// The library panics on a json.Number that is not a number, which
		// no JSON decoder produces but a Go caller could.
		if r := recover(); r != nil {
			details = []Detail{notJSON()}
		}
	}()
	v = tame(v)
	err := vd.sch.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Detail{notJSON()}
	}
	m := mapper{vd: vd, inst: v}
	m.fixLocations(ve)
	m.emit([]*verr{ve}, []*verr{nil})
	if len(m.out) == 0 {
		// Not expected: the library reported an error without a leaf.
		return []Detail{{Code: "type", Message: ve.Error(), Info: map[string]any{}}}
	}
	return m.out
}

// Valid reports whether v is valid; it is Validate without building errors
// for the caller.
func (vd *Validator) Valid(v any) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
	}()
	return vd.sch.Validate(tame(v)) == nil
}

// Limits of the numbers given to the library as json.Number. It computes
// with exact rationals, so a number like 1e999999 costs it tens of
// milliseconds; a body full of them would be a denial of service.
const (
	maxNumberLen      = 400
	maxNumberExponent = 1000
)

// tame returns v with every json.Number beyond the limits replaced by its
// float64 value, as JavaScript's JSON.parse reads it (±Inf beyond the
// float64 range, which is reported as "must be a JSON value"). v is not
// modified: the maps and slices on the way to such a number are copied,
// and only then.
func tame(v any) any {
	t, _ := tamed(v)
	return t
}

// tamed is tame, also reporting whether anything was replaced.
func tamed(v any) (any, bool) {
	switch x := v.(type) {
	case json.Number:
		if wild(x) {
			f, _ := strconv.ParseFloat(string(x), 64)
			return f, true
		}
	case map[string]any:
		var cp map[string]any
		for k, e := range x {
			t, ch := tamed(e)
			if !ch {
				continue
			}
			if cp == nil {
				cp = maps.Clone(x)
			}
			cp[k] = t
		}
		if cp != nil {
			return cp, true
		}
	case []any:
		var cp []any
		for i, e := range x {
			t, ch := tamed(e)
			if !ch {
				continue
			}
			if cp == nil {
				cp = slices.Clone(x)
			}
			cp[i] = t
		}
		if cp != nil {
			return cp, true
		}
	}
	return v, false
}

// wild reports whether n is beyond the limits.
func wild(n json.Number) bool {
	s := string(n)
	if len(s) > maxNumberLen {
		return true
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return false
	}
	e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	return err != nil || e > maxNumberExponent || e < -maxNumberExponent
}

// notJSON is the detail of a value that is not a JSON value.
func notJSON() Detail {
	return Detail{Code: "type", Message: "must be a JSON value", Info: map[string]any{}}
}

// noLoader refuses every URL the schema document does not contain: only
// local references are supported, and nothing is read from disk or network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("validate: external reference %q is not supported", url)
}

// decodeOrdered encodes v as JSON and decodes it the way the jsonschema
// library does (numbers as json.Number), recording the key order of each
// object under its JSON pointer, prefixed with at.
func decodeOrdered(v any, at string, order map[string][]string) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return decodeValue(dec, at, order)
}

func decodeValue(dec *json.Decoder, at string, order map[string][]string) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := map[string]any{}
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				x, err := decodeValue(dec, at+"/"+escape(k), order)
				if err != nil {
					return nil, err
				}
				if _, dup := obj[k]; !dup {
					keys = append(keys, k)
				}
				obj[k] = x
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			order[at] = keys
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				x, err := decodeValue(dec, at+"/"+strconv.Itoa(len(arr)), order)
				if err != nil {
					return nil, err
				}
				arr = append(arr, x)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, io.ErrUnexpectedEOF
	}
	return tok, nil
}

// Keywords whose value is a schema, an array of schemas or an object of
// schemas.
var (
	schemaKeywords = map[string]bool{
		"items": true, "additionalProperties": true, "not": true, "if": true, "then": true, "else": true,
		"contains": true, "propertyNames": true, "unevaluatedProperties": true, "unevaluatedItems": true,
		"contentSchema": true, "additionalItems": true,
	}
	schemaListKeywords = map[string]bool{"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true}
	schemaMapKeywords  = map[string]bool{
		"properties": true, "patternProperties": true, "$defs": true, "definitions": true, "dependentSchemas": true,
	}
)

// walkSchemas calls fn for every schema object in doc, parents first,
// with its location as a URI fragment ("#/properties/a"). root says whether
// doc is the document root, whose "components" hold schemas too.
func walkSchemas(doc any, at string, root bool, fn func(o map[string]any, at string) error) error {
	o, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	if err := fn(o, at); err != nil {
		return err
	}
	for k, v := range o {
		switch {
		case schemaKeywords[k]:
			if err := walkSchemas(v, at+"/"+escape(k), false, fn); err != nil {
				return err
			}
		case schemaListKeywords[k]:
			list, _ := v.([]any)
			for i, x := range list {
				if err := walkSchemas(x, at+"/"+k+"/"+strconv.Itoa(i), false, fn); err != nil {
					return err
				}
			}
		case schemaMapKeywords[k]:
			m, _ := v.(map[string]any)
			for name, x := range m {
				if err := walkSchemas(x, at+"/"+k+"/"+escape(name), false, fn); err != nil {
					return err
				}
			}
		case k == "components" && root:
			c, _ := v.(map[string]any)
			m, _ := c["schemas"].(map[string]any)
			for name, x := range m {
				if err := walkSchemas(x, at+"/components/schemas/"+escape(name), false, fn); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// unsupported lists keywords that are rejected at Compile: draft-07
// keywords the 2020-12 validator would ignore silently, and
// unevaluatedItems, whose errors have no AJV-shaped mapping here.
var unsupported = []string{"unevaluatedItems", "dependencies", "additionalItems", "$recursiveRef"}

// check rejects unsupported keywords and references that do not point into
// the document.
func check(doc any, o map[string]any, at string) error {
	for _, k := range unsupported {
		if _, ok := o[k]; ok {
			return fmt.Errorf("validate: %s: keyword %q is not supported", at, k)
		}
	}
	ref, ok := o["$ref"].(string)
	if !ok {
		return nil
	}
	if ref == "#" {
		return nil
	}
	if !strings.HasPrefix(ref, "#/") {
		return fmt.Errorf("validate: %s: cannot resolve $ref %q: only local references are supported", at, ref)
	}
	if _, ok := lookup(doc, ref[1:]); !ok {
		return fmt.Errorf("validate: %s: cannot resolve $ref %q", at, ref)
	}
	return nil
}

// lookup resolves a JSON pointer (not URL-encoded) in doc.
func lookup(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescape(tok)
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// anyTypeKeywords are the keywords AJV evaluates whatever the type of the
// value, after a type error too.
var anyTypeKeywords = []string{"const", "enum", "$ref", "$dynamicRef", "not", "allOf", "anyOf", "oneOf", "if"}

// typeKeywords are the keywords that apply to values of one JSON type.
var typeKeywords = map[string][]string{
	"number": {"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"},
	"string": {"maxLength", "minLength", "pattern"},
	"array":  {"maxItems", "minItems", "uniqueItems", "items", "prefixItems", "contains"},
	"object": {
		"maxProperties", "minProperties", "required", "dependentRequired", "propertyNames",
		"additionalProperties", "properties", "dependentSchemas", "patternProperties",
	},
}

// annotations are keywords that assert nothing.
var annotations = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true, "example": true, "$comment": true,
	"readOnly": true, "writeOnly": true, "deprecated": true, "$id": true, "$schema": true, "$anchor": true,
	"$dynamicAnchor": true, "$defs": true, "definitions": true, "$vocabulary": true, "components": true,
	"contentEncoding": true, "contentMediaType": true, "nullable": true, "discriminator": true, "xml": true,
	"externalDocs": true,
}

// split moves type, const, enum and format of o into allOf entries of their
// own (marked with splitMark) when o has other keywords those would hide:
// the jsonschema library stops evaluating a schema at its first failing
// type, const, enum or format, where AJV goes on and reports the other
// keywords too (const, enum, $ref, not, anyOf, oneOf, allOf and if after a
// type error; length, pattern, … after a format or enum error).
func split(o map[string]any) {
	need := false
	if t, hasType := o["type"]; hasType {
		for _, k := range anyTypeKeywords {
			if _, ok := o[k]; ok {
				need = true
			}
		}
		// AJV applies the keywords of a value's JSON type whatever type is
		// declared: {"type":"integer","minimum":1} reports both errors for
		// 0.5.
		declared := map[any]bool{}
		switch x := t.(type) {
		case string:
			declared[x] = true
		case []any:
			for _, n := range x {
				declared[n] = true
			}
		}
		for group, kws := range typeKeywords {
			if declared[group] {
				continue
			}
			for _, k := range kws {
				if _, ok := o[k]; ok {
					need = true
				}
			}
		}
	}
	if !need {
		early, others := 0, 0
		for k := range o {
			switch {
			case k == "const" || k == "enum" || k == "format":
				early++
			case k == "type" || annotations[k] || strings.HasPrefix(k, "x-"):
			default:
				others++
			}
		}
		need = early > 0 && early+others > 1
	}
	if !need {
		return
	}
	all, _ := o["allOf"].([]any)
	for _, k := range []string{"type", "const", "enum", "format"} {
		if v, ok := o[k]; ok {
			all = append(all, map[string]any{k: v, "$comment": splitMark})
			delete(o, k)
		}
	}
	o["allOf"] = all
}

// escape escapes a JSON pointer token.
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescape(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
