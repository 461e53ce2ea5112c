package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

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
	root *node
	pool sync.Pool // *state, reused when a value is valid
}

// Compile compiles s, resolving "#/components/schemas/Name" references
// against components (and "#/$defs/Name" against s.Defs). The schema is
// also checked by github.com/santhosh-tekuri/jsonschema/v6. It returns an
// error for an unresolvable reference, a pattern that does not compile, or a
// keyword this package does not implement (unevaluatedProperties,
// dependentSchemas, $dynamicRef, …), rather than silently ignoring it.
func Compile(s *openapi.Schema, components map[string]*openapi.Schema) (*Validator, error) {
	if s == nil {
		s = &openapi.Schema{}
	}
	c := &compiler{components: components, byName: map[string]*node{}, rootSchema: s}
	root, err := c.compile(s, "#")
	if err != nil {
		return nil, err
	}
	if err := checkWithLibrary(s, components); err != nil {
		return nil, err
	}
	return &Validator{root: root}, nil
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
// every error found, in AJV's order, or nil when v is valid.
func (vd *Validator) Validate(v any) []Detail {
	st, _ := vd.pool.Get().(*state)
	if st == nil {
		st = new(state)
	}
	st.path = st.buf[:0]
	st.errs = nil
	vd.root.validate(v, st)
	errs := st.errs
	st.errs = nil
	vd.pool.Put(st)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Valid reports whether v is valid; it is Validate without building errors
// for the caller.
func (vd *Validator) Valid(v any) bool { return len(vd.Validate(v)) == 0 }

// checkWithLibrary compiles s with the jsonschema library, which validates
// the schema against the 2020-12 meta-schema. The components are placed
// under a "components" key of the root so that "#/components/schemas/X"
// resolves as it does in an OpenAPI document.
func checkWithLibrary(s *openapi.Schema, components map[string]*openapi.Schema) error {
	js, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("validate: encode schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return fmt.Errorf("validate: decode schema: %w", err)
	}
	if obj, ok := doc.(map[string]any); ok && len(components) > 0 {
		cj, err := json.Marshal(components)
		if err != nil {
			return fmt.Errorf("validate: encode components: %w", err)
		}
		cs, err := jsonschema.UnmarshalJSON(bytes.NewReader(cj))
		if err != nil {
			return fmt.Errorf("validate: decode components: %w", err)
		}
		obj["components"] = map[string]any{"schemas": cs}
		doc = obj
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("mem:///schema.json", doc); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if _, err := c.Compile("mem:///schema.json"); err != nil {
		return fmt.Errorf("validate: invalid schema: %w", err)
	}
	return nil
}

// state is the per-call validation state.
type state struct {
	errs []Detail
	path []string
	buf  [16]string
}

func (st *state) pointer() string {
	if len(st.path) == 0 {
		return ""
	}
	n := 0
	for _, p := range st.path {
		n += 1 + len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range st.path {
		b.WriteByte('/')
		b.WriteString(p)
	}
	return b.String()
}

func (st *state) add(code, msg string, info map[string]any) {
	st.errs = append(st.errs, Detail{Path: st.pointer(), Code: code, Message: msg, Info: info})
}

// escape escapes a JSON pointer token.
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Type bits.
const (
	tNull uint8 = 1 << iota
	tBoolean
	tObject
	tArray
	tNumber
	tInteger
	tString
)

var typeBits = map[string]uint8{
	"null": tNull, "boolean": tBoolean, "object": tObject, "array": tArray,
	"number": tNumber, "integer": tInteger, "string": tString,
}

type prop struct {
	name  string
	token string
	node  *node
}

type patternProp struct {
	re   *regexp.Regexp
	node *node
}

type bound struct {
	limit   float64
	raw     any // the limit as written, for info
	message string
	info    map[string]any
}

// node is a compiled schema.
type node struct {
	boolean *bool

	types     uint8
	deferType uint8 // see deferredType
	typeInfo  any
	typeMsg   string

	ref *node

	hasConst  bool
	constVal  any
	enum      []any
	enumInfo  []any
	format    string
	strFormat func(string) bool
	numFormat func(float64, any) bool

	maximum, minimum, exclusiveMaximum, exclusiveMinimum *bound
	multipleOf                                           *bound

	maxLength, minLength *int
	pattern              *regexp.Regexp
	patternSrc           string

	maxItems, minItems *int
	uniqueItems        bool
	scalarItems        bool
	prefixItems        []*node
	items              *node

	maxProperties, minProperties *int
	required                     []string
	props                        []prop
	propIndex                    map[string]int
	patternProps                 []patternProp
	additional                   *node // nil: any additional property is allowed

	allOf, anyOf, oneOf []*node
	not                 *node

	// Keywords without a field in openapi.Schema, read from Extensions.
	ifNode, thenNode, elseNode *node
	dependentRequired          []depRequired
	dependentSchemas           []depSchema
	propertyNames              *node
	contains                   *node
	minContains, maxContains   *int
}

type depRequired struct {
	prop string
	deps []string
}

type depSchema struct {
	prop string
	node *node
}

type compiler struct {
	components map[string]*openapi.Schema
	byName     map[string]*node
	rootSchema *openapi.Schema
	root       *node
}

// unsupported lists the validation keywords that would be silently ignored.
var unsupported = []string{
	"unevaluatedProperties", "unevaluatedItems", "dependencies",
	"$dynamicRef", "$recursiveRef", "additionalItems",
}

func (c *compiler) compile(s *openapi.Schema, at string) (*node, error) {
	n := &node{}
	if c.root == nil {
		c.root = n
	}
	if s == nil {
		return n, nil
	}
	if b, ok := s.IsBool(); ok {
		n.boolean = &b
		return n, nil
	}
	for _, k := range unsupported {
		if _, ok := s.Extensions[k]; ok {
			return nil, fmt.Errorf("validate: %s: keyword %q is not supported", at, k)
		}
	}
	if s.Ref != "" {
		r, err := c.resolve(s.Ref, at)
		if err != nil {
			return nil, err
		}
		n.ref = r
	}
	for _, t := range s.Type {
		bit, ok := typeBits[t]
		if !ok {
			return nil, fmt.Errorf("validate: %s: unknown type %q", at, t)
		}
		n.types |= bit
	}
	if len(s.Type) == 1 {
		n.typeInfo = s.Type[0]
	} else if len(s.Type) > 1 {
		n.typeInfo = []any(toAnySlice(s.Type))
	}
	n.typeMsg = "must be " + strings.Join(s.Type, ",")
	n.deferType = n.deferredType(s)
	if s.Const != nil {
		n.hasConst, n.constVal = true, s.Const
	}
	if s.Enum != nil {
		n.enum = s.Enum
		n.enumInfo = s.Enum
	}
	if s.Format != "" {
		n.format = s.Format
		n.strFormat, n.numFormat = lookupFormat(s.Format)
	}
	n.maximum = newBound(s.Maximum, "<=")
	n.minimum = newBound(s.Minimum, ">=")
	n.exclusiveMaximum = newBound(s.ExclusiveMaximum, "<")
	n.exclusiveMinimum = newBound(s.ExclusiveMinimum, ">")
	if s.MultipleOf != nil {
		if *s.MultipleOf <= 0 {
			return nil, fmt.Errorf("validate: %s: multipleOf must be > 0", at)
		}
		n.multipleOf = &bound{limit: *s.MultipleOf, message: "must be multiple of " + jsNumber(*s.MultipleOf)}
	}
	n.maxLength, n.minLength = s.MaxLength, s.MinLength
	if s.Pattern != "" {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			return nil, fmt.Errorf("validate: %s: pattern: %w", at, err)
		}
		n.pattern, n.patternSrc = re, s.Pattern
	}
	n.maxItems, n.minItems, n.uniqueItems = s.MaxItems, s.MinItems, s.UniqueItems
	if s.UniqueItems && s.Items != nil {
		// AJV uses a faster algorithm, with another order of the reported
		// indices, when the items are declared scalar.
		n.scalarItems = len(s.Items.Type) > 0
		for _, t := range s.Items.Type {
			if t != "number" && t != "integer" && t != "string" && t != "boolean" {
				n.scalarItems = false
			}
		}
	}
	var err error
	for i, p := range s.PrefixItems {
		pn, err := c.compile(p, fmt.Sprintf("%s/prefixItems/%d", at, i))
		if err != nil {
			return nil, err
		}
		n.prefixItems = append(n.prefixItems, pn)
	}
	if s.Items != nil {
		if n.items, err = c.compile(s.Items, at+"/items"); err != nil {
			return nil, err
		}
	}
	n.maxProperties, n.minProperties = s.MaxProperties, s.MinProperties
	n.required = s.Required
	if len(s.Properties) > 0 {
		n.propIndex = make(map[string]int, len(s.Properties))
		for _, name := range s.PropertyNames() {
			pn, err := c.compile(s.Properties[name], at+"/properties/"+escape(name))
			if err != nil {
				return nil, err
			}
			n.propIndex[name] = len(n.props)
			n.props = append(n.props, prop{name: name, token: escape(name), node: pn})
		}
	}
	for _, pat := range slices.Sorted(maps.Keys(s.PatternProperties)) {
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("validate: %s: patternProperties: %w", at, err)
		}
		pn, err := c.compile(s.PatternProperties[pat], at+"/patternProperties/"+escape(pat))
		if err != nil {
			return nil, err
		}
		n.patternProps = append(n.patternProps, patternProp{re: re, node: pn})
	}
	if s.AdditionalProperties != nil {
		if n.additional, err = c.compile(s.AdditionalProperties, at+"/additionalProperties"); err != nil {
			return nil, err
		}
		if b := n.additional.boolean; b != nil && *b {
			n.additional = nil
		}
	}
	list := func(kw string, ss []*openapi.Schema) ([]*node, error) {
		var out []*node
		for i, x := range ss {
			xn, err := c.compile(x, fmt.Sprintf("%s/%s/%d", at, kw, i))
			if err != nil {
				return nil, err
			}
			out = append(out, xn)
		}
		return out, nil
	}
	if n.allOf, err = list("allOf", s.AllOf); err != nil {
		return nil, err
	}
	if n.anyOf, err = list("anyOf", s.AnyOf); err != nil {
		return nil, err
	}
	if n.oneOf, err = list("oneOf", s.OneOf); err != nil {
		return nil, err
	}
	if s.Not != nil {
		if n.not, err = c.compile(s.Not, at+"/not"); err != nil {
			return nil, err
		}
	}
	if len(s.Extensions) > 0 {
		if err := c.compileExtensions(n, s, at); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// compileExtensions compiles the validation keywords that openapi.Schema
// keeps in Extensions: if/then/else, dependentRequired, dependentSchemas,
// propertyNames, contains, minContains and maxContains.
func (c *compiler) compileExtensions(n *node, s *openapi.Schema, at string) error {
	sub := func(k string) (*node, error) {
		v, ok := s.Extensions[k]
		if !ok {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("validate: %s/%s: %w", at, k, err)
		}
		var x openapi.Schema
		if err := json.Unmarshal(b, &x); err != nil {
			return nil, fmt.Errorf("validate: %s/%s: %w", at, k, err)
		}
		return c.compile(&x, at+"/"+k)
	}
	count := func(k string) (*int, error) {
		v, ok := s.Extensions[k]
		if !ok {
			return nil, nil
		}
		f, ok := number(v)
		if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
			return nil, fmt.Errorf("validate: %s/%s: must be a non-negative integer", at, k)
		}
		i := int(f)
		return &i, nil
	}
	var err error
	if _, ok := s.Extensions["if"]; ok {
		if n.ifNode, err = sub("if"); err != nil {
			return err
		}
		if n.thenNode, err = sub("then"); err != nil {
			return err
		}
		if n.elseNode, err = sub("else"); err != nil {
			return err
		}
	}
	if n.propertyNames, err = sub("propertyNames"); err != nil {
		return err
	}
	if n.contains, err = sub("contains"); err != nil {
		return err
	}
	if n.minContains, err = count("minContains"); err != nil {
		return err
	}
	if n.maxContains, err = count("maxContains"); err != nil {
		return err
	}
	if v, ok := s.Extensions["dependentRequired"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("validate: %s/dependentRequired: must be an object", at)
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			list, ok := m[k].([]any)
			if !ok {
				return fmt.Errorf("validate: %s/dependentRequired/%s: must be an array of strings", at, k)
			}
			d := depRequired{prop: k}
			for _, e := range list {
				name, ok := e.(string)
				if !ok {
					return fmt.Errorf("validate: %s/dependentRequired/%s: must be an array of strings", at, k)
				}
				d.deps = append(d.deps, name)
			}
			n.dependentRequired = append(n.dependentRequired, d)
		}
	}
	if v, ok := s.Extensions["dependentSchemas"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("validate: %s/dependentSchemas: must be an object", at)
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			b, err := json.Marshal(m[k])
			if err != nil {
				return fmt.Errorf("validate: %s/dependentSchemas/%s: %w", at, k, err)
			}
			var x openapi.Schema
			if err := json.Unmarshal(b, &x); err != nil {
				return fmt.Errorf("validate: %s/dependentSchemas/%s: %w", at, k, err)
			}
			dn, err := c.compile(&x, at+"/dependentSchemas/"+escape(k))
			if err != nil {
				return err
			}
			n.dependentSchemas = append(n.dependentSchemas, depSchema{prop: k, node: dn})
		}
	}
	return nil
}

// resolve compiles the target of a $ref: "#", "#/components/schemas/Name"
// or "#/$defs/Name" (root $defs). Targets are compiled once, so recursive
// schemas work.
func (c *compiler) resolve(ref, at string) (*node, error) {
	if ref == "#" {
		return c.root, nil
	}
	var s *openapi.Schema
	var ok bool
	key := ref
	switch {
	case strings.HasPrefix(ref, openapi.ComponentPrefix):
		name := unescape(strings.TrimPrefix(ref, openapi.ComponentPrefix))
		s, ok = c.components[name]
	case strings.HasPrefix(ref, "#/$defs/"):
		s, ok = c.rootSchema.Defs[unescape(strings.TrimPrefix(ref, "#/$defs/"))]
	}
	if !ok || s == nil {
		return nil, fmt.Errorf("validate: %s: cannot resolve $ref %q", at, ref)
	}
	if n, ok := c.byName[key]; ok {
		return n, nil
	}
	// Register a placeholder before compiling, for recursive references.
	n := &node{}
	c.byName[key] = n
	compiled, err := c.compile(s, ref)
	if err != nil {
		return nil, err
	}
	*n = *compiled
	return n, nil
}

func unescape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func newBound(p *float64, cmp string) *bound {
	if p == nil {
		return nil
	}
	return &bound{limit: *p, raw: *p, message: "must be " + cmp + " " + jsNumber(*p), info: map[string]any{"comparison": cmp, "limit": *p}}
}

func toAnySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// jsNumber formats f the way JavaScript's String(number) does for the
// values that occur as schema limits.
func jsNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		if exp[0] == '+' || exp[0] == '-' {
			sign := exp[:1]
			exp = strings.TrimLeft(exp[1:], "0")
			return mant + "e" + sign + exp
		}
	}
	return s
}

// number converts a decoded JSON number to float64.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !isRangeErr(err) {
			return 0, false
		}
		return f, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case float32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	}
	return 0, false
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// typeOf returns the type bits of v: a number that is integral has both
// tNumber and tInteger. An unsupported Go type gets 0.
func typeOf(v any) uint8 {
	switch x := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case string:
		return tString
	case map[string]any:
		return tObject
	case []any:
		return tArray
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			return tNumber | tInteger
		}
		return tNumber
	case json.Number:
		f, ok := number(x)
		if !ok {
			return 0
		}
		if f == math.Trunc(f) && !math.IsInf(f, 0) {
			return tNumber | tInteger
		}
		return tNumber
	case int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8:
		return tNumber | tInteger
	case float32:
		return typeOf(float64(x))
	}
	return 0
}

// validate checks v against n, appending errors in AJV 8's order: a type
// error first when the type cannot be checked by a keyword group, then the
// keywords that apply to any type ($ref, const, enum, not, anyOf, oneOf,
// allOf), then the keywords of the value's type (number, string, array,
// object groups), where a single declared type with keywords of its own
// reports its type error instead.
func (n *node) validate(v any, st *state) {
	if n.boolean != nil {
		if !*n.boolean {
			st.add("false schema", "boolean schema is false", map[string]any{})
		}
		return
	}
	t := typeOf(v)
	typeOK := n.types == 0 || t&n.types != 0
	if !typeOK && n.deferType == 0 {
		n.typeError(st)
	}
	if n.ref != nil {
		n.ref.validate(v, st)
	}
	if n.hasConst && !equal(v, n.constVal) {
		st.add("const", "must be equal to constant", map[string]any{"allowedValue": n.constVal})
	}
	if n.enum != nil {
		found := false
		for _, e := range n.enum {
			if equal(v, e) {
				found = true
				break
			}
		}
		if !found {
			st.add("enum", "must be equal to one of the allowed values", map[string]any{"allowedValues": n.enumInfo})
		}
	}
	if n.not != nil {
		mark := len(st.errs)
		n.not.validate(v, st)
		valid := len(st.errs) == mark
		st.errs = st.errs[:mark]
		if valid {
			st.add("not", "must NOT be valid", map[string]any{})
		}
	}
	if len(n.anyOf) > 0 {
		mark := len(st.errs)
		ok := false
		for _, b := range n.anyOf {
			before := len(st.errs)
			b.validate(v, st)
			if len(st.errs) == before {
				ok = true
				break
			}
		}
		if ok {
			st.errs = st.errs[:mark]
		} else {
			st.add("anyOf", "must match a schema in anyOf", map[string]any{})
		}
	}
	if len(n.oneOf) > 0 {
		mark := len(st.errs)
		passing := -1
		var both []any
		for i, b := range n.oneOf {
			before := len(st.errs)
			b.validate(v, st)
			if len(st.errs) == before {
				if passing >= 0 {
					both = []any{passing, i}
					break
				}
				passing = i
			}
		}
		switch {
		case both != nil:
			st.add("oneOf", "must match exactly one schema in oneOf", map[string]any{"passingSchemas": both})
		case passing >= 0:
			st.errs = st.errs[:mark]
		default:
			st.add("oneOf", "must match exactly one schema in oneOf", map[string]any{"passingSchemas": nil})
		}
	}
	for _, b := range n.allOf {
		b.validate(v, st)
	}
	if n.ifNode != nil && (n.thenNode != nil || n.elseNode != nil) {
		mark := len(st.errs)
		n.ifNode.validate(v, st)
		cond := len(st.errs) == mark
		st.errs = st.errs[:mark]
		branch, name := n.elseNode, "else"
		if cond {
			branch, name = n.thenNode, "then"
		}
		if branch != nil {
			branch.validate(v, st)
			if len(st.errs) > mark {
				st.add("if", `must match "`+name+`" schema`, map[string]any{"failingKeyword": name})
			}
		}
	}
	if t&tNumber != 0 {
		n.validateNumber(v, st)
	} else if n.deferType == tNumber && !typeOK {
		n.typeError(st)
	}
	if t == tString {
		n.validateString(v.(string), st)
	} else if n.deferType == tString && !typeOK {
		n.typeError(st)
	}
	if t == tArray {
		n.validateArray(v.([]any), st)
	} else if n.deferType == tArray && !typeOK {
		n.typeError(st)
	}
	if t == tObject {
		n.validateObject(v.(map[string]any), st)
	} else if n.deferType == tObject && !typeOK {
		n.typeError(st)
	}
}

func (n *node) typeError(st *state) {
	st.add("type", n.typeMsg, map[string]any{"type": n.typeInfo})
}

// deferredType returns the group whose position reports a type error: the
// single declared type when the schema has keywords of that type's group
// (AJV then checks the type in that group), 0 otherwise.
func (n *node) deferredType(s *openapi.Schema) uint8 {
	if len(s.Type) != 1 {
		return 0
	}
	switch s.Type[0] {
	case "number":
		if s.Maximum != nil || s.Minimum != nil || s.ExclusiveMaximum != nil || s.ExclusiveMinimum != nil || s.MultipleOf != nil || s.Format != "" {
			return tNumber
		}
	case "string":
		if s.MaxLength != nil || s.MinLength != nil || s.Pattern != "" || s.Format != "" {
			return tString
		}
	case "array":
		if s.MaxItems != nil || s.MinItems != nil || s.UniqueItems || s.Items != nil || len(s.PrefixItems) > 0 || s.Extensions["contains"] != nil {
			return tArray
		}
	case "object":
		if s.MaxProperties != nil || s.MinProperties != nil || len(s.Required) > 0 || s.AdditionalProperties != nil || s.Properties != nil || len(s.PatternProperties) > 0 ||
			s.Extensions["propertyNames"] != nil || s.Extensions["dependentRequired"] != nil || s.Extensions["dependentSchemas"] != nil {
			return tObject
		}
	}
	return 0
}

func (n *node) validateNumber(v any, st *state) {
	f, _ := number(v)
	if b := n.maximum; b != nil && !(f <= b.limit) {
		st.add("maximum", b.message, b.infoCopy())
	}
	if b := n.minimum; b != nil && !(f >= b.limit) {
		st.add("minimum", b.message, b.infoCopy())
	}
	if b := n.exclusiveMaximum; b != nil && !(f < b.limit) {
		st.add("exclusiveMaximum", b.message, b.infoCopy())
	}
	if b := n.exclusiveMinimum; b != nil && !(f > b.limit) {
		st.add("exclusiveMinimum", b.message, b.infoCopy())
	}
	if b := n.multipleOf; b != nil && !isMultiple(f, b.limit) {
		st.add("multipleOf", b.message, map[string]any{"multipleOf": b.limit})
	}
	if n.numFormat != nil && !n.numFormat(f, v) {
		st.add("format", `must match format "`+n.format+`"`, map[string]any{"format": n.format})
	}
}

func (b *bound) infoCopy() map[string]any {
	return map[string]any{"comparison": b.info["comparison"], "limit": b.info["limit"]}
}

// isMultiple follows AJV: the division result must be an integer (with
// AJV's default, no multipleOfPrecision).
func isMultiple(f, m float64) bool {
	q := f / m
	return q == math.Trunc(q) && !math.IsInf(q, 0)
}

func (n *node) validateString(s string, st *state) {
	if n.maxLength != nil || n.minLength != nil {
		// AJV counts Unicode code points (its ucs2length).
		l := utf8.RuneCountInString(s)
		if n.maxLength != nil && l > *n.maxLength {
			st.add("maxLength", "must NOT have more than "+strconv.Itoa(*n.maxLength)+" characters", map[string]any{"limit": *n.maxLength})
		}
		if n.minLength != nil && l < *n.minLength {
			st.add("minLength", "must NOT have fewer than "+strconv.Itoa(*n.minLength)+" characters", map[string]any{"limit": *n.minLength})
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		st.add("pattern", `must match pattern "`+n.patternSrc+`"`, map[string]any{"pattern": n.patternSrc})
	}
	if n.strFormat != nil && !n.strFormat(s) {
		st.add("format", `must match format "`+n.format+`"`, map[string]any{"format": n.format})
	}
}

func (n *node) validateArray(a []any, st *state) {
	if n.maxItems != nil && len(a) > *n.maxItems {
		st.add("maxItems", "must NOT have more than "+strconv.Itoa(*n.maxItems)+" items", map[string]any{"limit": *n.maxItems})
	}
	if n.minItems != nil && len(a) < *n.minItems {
		st.add("minItems", "must NOT have fewer than "+strconv.Itoa(*n.minItems)+" items", map[string]any{"limit": *n.minItems})
	}
	if n.uniqueItems && len(a) > 1 {
		if i, j, dup := duplicates(a, n.scalarItems); dup {
			st.add("uniqueItems", "must NOT have duplicate items (items ## "+strconv.Itoa(j)+" and "+strconv.Itoa(i)+" are identical)", map[string]any{"i": i, "j": j})
		}
	}
	for i, x := range a {
		var sub *node
		if i < len(n.prefixItems) {
			sub = n.prefixItems[i]
		} else {
			sub = n.items
		}
		if sub == nil {
			continue
		}
		st.path = append(st.path, strconv.Itoa(i))
		sub.validate(x, st)
		st.path = st.path[:len(st.path)-1]
	}
	if n.contains != nil {
		min := 1
		if n.minContains != nil {
			min = *n.minContains
		}
		matches := 0
		for i, x := range a {
			mark := len(st.errs)
			st.path = append(st.path, strconv.Itoa(i))
			n.contains.validate(x, st)
			st.path = st.path[:len(st.path)-1]
			if len(st.errs) == mark {
				matches++
			}
			st.errs = st.errs[:mark]
		}
		if matches < min || n.maxContains != nil && matches > *n.maxContains {
			if n.maxContains == nil {
				st.add("contains", "must contain at least "+strconv.Itoa(min)+" valid item(s)", map[string]any{"minContains": min})
			} else {
				st.add("contains", "must contain at least "+strconv.Itoa(min)+" and no more than "+strconv.Itoa(*n.maxContains)+" valid item(s)",
					map[string]any{"minContains": min, "maxContains": *n.maxContains})
			}
		}
	}
}

// duplicates finds a pair of equal items the way AJV does: for declared
// scalar items it walks from the end and reports (i, j) with i < j; for
// other items it compares each item with those before it, from the end.
func duplicates(a []any, scalar bool) (i, j int, ok bool) {
	if scalar {
		for i := len(a) - 1; i >= 0; i-- {
			for j := len(a) - 1; j > i; j-- {
				if equal(a[i], a[j]) {
					// No item after i repeats (that would have been found
					// first), so j is the only match.
					return i, j, true
				}
			}
		}
		return 0, 0, false
	}
	for i := len(a) - 1; i > 0; i-- {
		for j := i - 1; j >= 0; j-- {
			if equal(a[i], a[j]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func (n *node) validateObject(o map[string]any, st *state) {
	if n.maxProperties != nil && len(o) > *n.maxProperties {
		st.add("maxProperties", "must NOT have more than "+strconv.Itoa(*n.maxProperties)+" properties", map[string]any{"limit": *n.maxProperties})
	}
	if n.minProperties != nil && len(o) < *n.minProperties {
		st.add("minProperties", "must NOT have fewer than "+strconv.Itoa(*n.minProperties)+" properties", map[string]any{"limit": *n.minProperties})
	}
	for _, r := range n.required {
		if _, ok := o[r]; !ok {
			st.add("required", "must have required property '"+r+"'", map[string]any{"missingProperty": r})
		}
	}
	for _, d := range n.dependentRequired {
		if _, ok := o[d.prop]; !ok {
			continue
		}
		for _, dep := range d.deps {
			if _, ok := o[dep]; !ok {
				word := "property"
				if len(d.deps) != 1 {
					word = "properties"
				}
				deps := strings.Join(d.deps, ", ")
				st.add("dependentRequired", "must have "+word+" "+deps+" when property "+d.prop+" is present",
					map[string]any{"property": d.prop, "missingProperty": dep, "depsCount": len(d.deps), "deps": deps})
			}
		}
	}
	if n.propertyNames != nil {
		for _, k := range slices.Sorted(maps.Keys(o)) {
			mark := len(st.errs)
			n.propertyNames.validate(k, st)
			if len(st.errs) > mark {
				st.add("propertyNames", "property name must be valid", map[string]any{"propertyName": k})
			}
		}
	}
	if n.additional != nil {
		var extra []string
		for k := range o {
			if _, ok := n.propIndex[k]; ok {
				continue
			}
			matched := false
			for _, pp := range n.patternProps {
				if pp.re.MatchString(k) {
					matched = true
					break
				}
			}
			if !matched {
				extra = append(extra, k)
			}
		}
		// AJV reports them in the order of the instance; a Go map has
		// none, so they are sorted.
		sort.Strings(extra)
		for _, k := range extra {
			if b := n.additional.boolean; b != nil && !*b {
				st.add("additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": k})
				continue
			}
			st.path = append(st.path, escape(k))
			n.additional.validate(o[k], st)
			st.path = st.path[:len(st.path)-1]
		}
	}
	for _, p := range n.props {
		x, ok := o[p.name]
		if !ok {
			continue
		}
		st.path = append(st.path, p.token)
		p.node.validate(x, st)
		st.path = st.path[:len(st.path)-1]
	}
	for _, d := range n.dependentSchemas {
		if _, ok := o[d.prop]; ok {
			d.node.validate(o, st)
		}
	}
	if len(n.patternProps) > 0 {
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, pp := range n.patternProps {
			for _, k := range keys {
				if pp.re.MatchString(k) {
					st.path = append(st.path, escape(k))
					pp.node.validate(o[k], st)
					st.path = st.path[:len(st.path)-1]
				}
			}
		}
	}
}

// equal is JSON equality: numbers compare by value whatever their Go type.
func equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv) {
				return false
			}
		}
		return true
	}
	if xs, ok := a.(json.Number); ok {
		if ys, ok := b.(json.Number); ok && xs == ys {
			return true
		}
	}
	fa, ok := number(a)
	if !ok {
		return false
	}
	fb, ok := number(b)
	return ok && fa == fb
}
