package openapi

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// SchemaProvider is implemented by types that describe their own JSON
// Schema. The Registry calls JSONSchema on the zero value (or on a pointer
// to it) once, at registration. A struct type's schema goes to the
// components like any other struct; other kinds are inlined.
type SchemaProvider interface {
	JSONSchema(r *Registry) *Schema
}

// ComponentPrefix is the prefix of a reference to a component schema.
const ComponentPrefix = "#/components/schemas/"

// Registry turns Go types into JSON Schema 2020-12 and collects the
// schemas of named struct types as components, referenced with
// {"$ref": "#/components/schemas/Name"}.
//
// Reflection happens once per type; results are cached. Every schema the
// Registry returns is a fresh copy that the caller may modify. Invalid
// struct tags (a bad number, an unparsable pattern, a misspelt keyword such
// as minlength) are programmer errors: Schema panics with a message naming
// the type, the field and the tag.
//
// The zero value is not usable; call [NewRegistry]. A Registry is safe for
// concurrent use.
type Registry struct {
	mu         sync.Mutex
	components map[string]*Schema
	names      map[reflect.Type]string // named struct types → component name
	owners     map[string]reflect.Type // component name → type (nil: added by name)
	inline     map[reflect.Type]*Schema
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{
		components: make(map[string]*Schema),
		names:      make(map[reflect.Type]string),
		owners:     make(map[string]reflect.Type),
		inline:     make(map[reflect.Type]*Schema),
	}
}

// SchemaFor returns the schema of T; see [Registry.Schema].
func SchemaFor[T any](r *Registry) *Schema {
	return r.Schema(reflect.TypeFor[T]())
}

// Schema returns the schema of t. Named struct types (and the structs they
// reference) are added to the components and returned as a $ref; other
// types are returned inline. Pointers are dereferenced.
func (r *Registry) Schema(t reflect.Type) *Schema {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.schema(t).Clone()
}

// Components returns the component schemas collected so far, by name. The
// map is a copy; the schemas are shared and must not be modified.
func (r *Registry) Components() map[string]*Schema {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]*Schema, len(r.components))
	for k, v := range r.components {
		out[k] = v
	}
	return out
}

// Name returns the component name of a named struct type registered so
// far.
func (r *Registry) Name(t reflect.Type) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n, ok := r.names[t]
	return n, ok
}

// Add registers s as the component schema name (for example a model schema
// built by another package) and returns a reference to it. It returns an
// error when name is already taken by a different schema or is not a
// valid component name.
func (r *Registry) Add(name string, s *Schema) (*Schema, error) {
	if !validComponentName(name) {
		return nil, fmt.Errorf("openapi: invalid component name %q", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.components[name]; ok && old != s {
		a, _ := marshal(old)
		b, _ := marshal(s)
		if string(a) != string(b) {
			return nil, fmt.Errorf("openapi: component schema %q already registered with a different schema", name)
		}
	}
	r.components[name] = s
	if _, ok := r.owners[name]; !ok {
		r.owners[name] = nil
	}
	return &Schema{Ref: ComponentPrefix + name}, nil
}

func validComponentName(n string) bool {
	if n == "" {
		return false
	}
	for _, c := range n {
		if !(c == '.' || c == '-' || c == '_' || c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c))) {
			return false
		}
	}
	return true
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	numberType     = reflect.TypeFor[json.Number]()
	uuidType       = reflect.TypeFor[uuid.UUID]()
	providerType   = reflect.TypeFor[SchemaProvider]()
	textType       = reflect.TypeFor[encoding.TextMarshaler]()
	jsonType       = reflect.TypeFor[json.Marshaler]()
)

// schema returns the cached (shared) schema of t. r.mu is held.
func (r *Registry) schema(t reflect.Type) *Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n, ok := r.names[t]; ok {
		return &Schema{Ref: ComponentPrefix + n}
	}
	if s, ok := r.inline[t]; ok {
		return s
	}
	named := t.Kind() == reflect.Struct && t.Name() != "" && t != timeType
	if named {
		name := r.componentName(t)
		r.names[t] = name
		r.owners[name] = t
		r.components[name] = &Schema{} // placeholder for recursive types
		done := false
		defer func() {
			if !done { // a panic (bad tag): forget the type
				delete(r.names, t)
				delete(r.owners, name)
				delete(r.components, name)
			}
		}()
		s := r.build(t)
		done = true
		if s.Title == "" {
			s.Title = name
		}
		r.components[name] = s
		return &Schema{Ref: ComponentPrefix + name}
	}
	s := r.build(t)
	r.inline[t] = s
	return s
}

// componentName picks a free component name for t: its Go name (generic
// arguments folded in, "Page[x.Todo]" → "PageTodo"), then the name prefixed
// with its package name ("other.Todo"), then a numbered suffix.
func (r *Registry) componentName(t reflect.Type) string {
	base := goName(t.Name())
	if _, taken := r.owners[base]; !taken {
		return base
	}
	pkg := t.PkgPath()
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		pkg = pkg[i+1:]
	}
	if pkg != "" {
		q := goName(pkg) + "." + base
		if _, taken := r.owners[q]; !taken {
			return q
		}
		base = q
	}
	for i := 2; ; i++ {
		q := fmt.Sprintf("%s%d", base, i)
		if _, taken := r.owners[q]; !taken {
			return q
		}
	}
}

// goName turns a Go type name, possibly generic with package-qualified
// arguments, into a component name made of letters and digits.
func goName(n string) string {
	var b strings.Builder
	upper := false
	word := make([]rune, 0, len(n))
	flush := func() {
		// Drop package paths: keep what follows the last '.' or '/'.
		for i, c := range word {
			if upper && i == 0 {
				c = unicode.ToUpper(c)
			}
			b.WriteRune(c)
		}
		word = word[:0]
	}
	for _, c := range n {
		switch {
		case c == '.' || c == '/':
			word = word[:0]
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '-'):
			word = append(word, c)
		default:
			flush()
			upper = true
		}
	}
	flush()
	return b.String()
}

// build computes the schema of t (not a pointer). r.mu is held.
func (r *Registry) build(t reflect.Type) *Schema {
	if t.Kind() == reflect.Interface {
		return &Schema{} // any value; there is no value to ask for a schema
	}
	if t.Implements(providerType) || reflect.PointerTo(t).Implements(providerType) {
		v := reflect.New(t)
		var p SchemaProvider
		if t.Implements(providerType) {
			p = v.Elem().Interface().(SchemaProvider)
		} else {
			p = v.Interface().(SchemaProvider)
		}
		s := func() *Schema {
			r.mu.Unlock() // the provider may call back into the registry
			defer r.mu.Lock()
			return p.JSONSchema(r)
		}()
		if s == nil {
			s = &Schema{}
		}
		return s
	}
	switch t {
	case timeType:
		return &Schema{Type: Types{"string"}, Format: "date-time"}
	case rawMessageType:
		return &Schema{}
	case numberType:
		return &Schema{Type: Types{"number"}}
	case uuidType:
		return &Schema{Type: Types{"string"}, Format: "uuid"}
	}
	if t.Implements(textType) || reflect.PointerTo(t).Implements(textType) {
		return &Schema{Type: Types{"string"}}
	}
	if t.Implements(jsonType) || reflect.PointerTo(t).Implements(jsonType) {
		// A custom encoding says nothing about its shape; implement
		// SchemaProvider to describe it.
		return &Schema{}
	}
	switch t.Kind() {
	case reflect.Bool:
		return &Schema{Type: Types{"boolean"}}
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return &Schema{Type: Types{"integer"}, Format: "int32"}
	case reflect.Int, reflect.Int64:
		return &Schema{Type: Types{"integer"}, Format: "int64"}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return &Schema{Type: Types{"integer"}, Format: "int32", Minimum: new(float64)}
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return &Schema{Type: Types{"integer"}, Format: "int64", Minimum: new(float64)}
	case reflect.Float32:
		return &Schema{Type: Types{"number"}, Format: "float"}
	case reflect.Float64:
		return &Schema{Type: Types{"number"}, Format: "double"}
	case reflect.String:
		return &Schema{Type: Types{"string"}}
	case reflect.Interface:
		return &Schema{}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(textType) {
			return &Schema{Type: Types{"string"}, ContentEncoding: "base64"}
		}
		return &Schema{Type: Types{"array"}, Items: r.schema(t.Elem()).Clone()}
	case reflect.Array:
		n := t.Len()
		return &Schema{Type: Types{"array"}, Items: r.schema(t.Elem()).Clone(), MinItems: &n, MaxItems: &n}
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			if !t.Key().Implements(textType) {
				panic(fmt.Sprintf("openapi: type %v: map key type %v cannot be encoded as JSON", t, t.Key()))
			}
		}
		return &Schema{Type: Types{"object"}, AdditionalProperties: r.schema(t.Elem()).Clone()}
	case reflect.Struct:
		return r.structSchema(t)
	}
	panic(fmt.Sprintf("openapi: type %v (%v) has no JSON Schema", t, t.Kind()))
}

// field is a struct field as encoding/json sees it, after flattening
// embedded structs.
type field struct {
	name     string
	tagged   bool
	depth    int
	index    []int
	sf       reflect.StructField
	optional bool // omitempty/omitzero, or reached through an embedded pointer
	asString bool // ",string" option
	owner    reflect.Type
}

// jsonFields lists the JSON fields of struct t following encoding/json's
// rules: embedded structs without a name are flattened, the shallowest
// field wins, ties are broken by a json tag, otherwise both are dropped.
func jsonFields(t reflect.Type) []field {
	var all []field
	var walk func(t reflect.Type, index []int, depth int, viaPtr bool, seen map[reflect.Type]bool)
	walk = func(t reflect.Type, index []int, depth int, viaPtr bool, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := sf.Type
			ptr := false
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
				ptr = true
			}
			if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct && !implementsSpecial(ft) {
				walk(ft, idx, depth+1, viaPtr || ptr, seen)
				continue
			}
			if !sf.IsExported() {
				continue
			}
			f := field{name: sf.Name, tagged: name != "", depth: depth, index: idx, sf: sf, owner: t}
			if name != "" {
				f.name = name
			}
			for _, o := range strings.Split(opts, ",") {
				switch o {
				case "omitempty", "omitzero":
					f.optional = true
				case "string":
					f.asString = true
				}
			}
			if viaPtr {
				f.optional = true
			}
			all = append(all, f)
		}
	}
	walk(t, nil, 0, false, map[reflect.Type]bool{})
	// Resolve name conflicts.
	byName := make(map[string][]int)
	for i, f := range all {
		byName[f.name] = append(byName[f.name], i)
	}
	var out []field
	for i, f := range all {
		idx := byName[f.name]
		if len(idx) == 1 {
			out = append(out, f)
			continue
		}
		best := -1
		ambiguous := false
		for _, j := range idx {
			g := all[j]
			switch {
			case best < 0:
				best = j
			case g.depth < all[best].depth || g.depth == all[best].depth && g.tagged && !all[best].tagged:
				best, ambiguous = j, false
			case g.depth == all[best].depth && g.tagged == all[best].tagged:
				ambiguous = true
			}
		}
		if best == i && !ambiguous {
			out = append(out, f)
		}
	}
	return out
}

func implementsSpecial(t reflect.Type) bool {
	if t == timeType {
		return true
	}
	p := reflect.PointerTo(t)
	return t.Implements(providerType) || p.Implements(providerType) ||
		t.Implements(jsonType) || p.Implements(jsonType) ||
		t.Implements(textType) || p.Implements(textType)
}

func (r *Registry) structSchema(t reflect.Type) *Schema {
	s := &Schema{Type: Types{"object"}, Properties: map[string]*Schema{}, AdditionalProperties: BoolSchema(false)}
	for _, f := range jsonFields(t) {
		tags := parseTags(t, f.sf)
		ft := f.sf.Type
		optional := f.optional || ft.Kind() == reflect.Pointer
		var ps *Schema
		if f.asString && isScalarKind(ft) {
			ps = &Schema{Type: Types{"string"}}
		} else {
			ps = r.schema(ft).Clone()
		}
		if v, ok := tags["required"]; ok {
			optional = !parseBool(t, f.sf, "required", v)
		}
		ps = applyTags(t, f.sf, ps, tags)
		s.Properties[f.name] = ps
		s.PropertyOrder = append(s.PropertyOrder, f.name)
		if !optional {
			s.Required = append(s.Required, f.name)
		}
	}
	return s
}

func isScalarKind(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// schemaTags are the struct tag keys the Registry reads.
var schemaTags = []string{
	"doc", "description", "example", "enum", "format", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
	"pattern", "minItems", "maxItems", "uniqueItems", "default", "deprecated",
	"readOnly", "writeOnly", "nullable", "required", "title",
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

// parseTags reads the struct tag of sf into a map. It panics on a tag key
// that is a misspelling of a schema tag (minlength, read_only, …).
func parseTags(t reflect.Type, sf reflect.StructField) map[string]string {
	out := make(map[string]string)
	tag := string(sf.Tag)
	for tag != "" {
		i := 0
		for i < len(tag) && tag[i] == ' ' {
			i++
		}
		tag = tag[i:]
		if tag == "" {
			break
		}
		i = 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		if i == 0 || i+1 >= len(tag) || tag[i] != ':' || tag[i+1] != '"' {
			panic(fmt.Sprintf("openapi: type %v field %s: malformed struct tag `%s`", t, sf.Name, sf.Tag))
		}
		key := tag[:i]
		tag = tag[i+1:]
		i = 1
		for i < len(tag) && tag[i] != '"' {
			if tag[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(tag) {
			panic(fmt.Sprintf("openapi: type %v field %s: malformed struct tag `%s`", t, sf.Name, sf.Tag))
		}
		value, ok := sf.Tag.Lookup(key)
		if !ok {
			panic(fmt.Sprintf("openapi: type %v field %s: malformed struct tag `%s`", t, sf.Name, sf.Tag))
		}
		tag = tag[i+1:]
		known := false
		for _, k := range schemaTags {
			if k == key {
				known = true
				break
			}
			if normTag(k) == normTag(key) {
				panic(fmt.Sprintf("openapi: type %v field %s: unknown tag %q (did you mean %q?)", t, sf.Name, key, k))
			}
		}
		if known {
			out[key] = value
		}
	}
	return out
}

func tagPanic(t reflect.Type, sf reflect.StructField, key, value string, err error) {
	panic(fmt.Sprintf("openapi: type %v field %s: tag %s:%q: %v", t, sf.Name, key, value, err))
}

func parseBool(t reflect.Type, sf reflect.StructField, key, v string) bool {
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	tagPanic(t, sf, key, v, fmt.Errorf("want true or false"))
	return false
}

func parseFloat(t reflect.Type, sf reflect.StructField, key, v string) *float64 {
	var f float64
	if _, err := fmt.Sscan(v, &f); err != nil || fmt.Sprint(f) == "NaN" {
		tagPanic(t, sf, key, v, fmt.Errorf("want a number"))
	}
	var n json.Number
	if err := json.Unmarshal([]byte(v), &n); err != nil {
		tagPanic(t, sf, key, v, fmt.Errorf("want a JSON number"))
	}
	return &f
}

func parseCount(t reflect.Type, sf reflect.StructField, key, v string) *int {
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 0 || fmt.Sprint(n) != v {
		tagPanic(t, sf, key, v, fmt.Errorf("want a non-negative integer"))
	}
	return &n
}

// parseValue parses a tag value (example, default, enum member) as a value
// of the schema s: strings are taken literally, other types as JSON.
func parseValue(t reflect.Type, sf reflect.StructField, key, v string, s *Schema) any {
	if s.Type.Has("string") && !(len(v) > 0 && v[0] == '"') {
		return v
	}
	x, err := decodeAny([]byte(v))
	if err != nil {
		if len(s.Type) == 0 {
			return v
		}
		tagPanic(t, sf, key, v, fmt.Errorf("want a JSON value of type %s", strings.Join(s.Type, ",")))
	}
	if len(s.Type) > 0 && !valueHasType(x, s.Type) {
		tagPanic(t, sf, key, v, fmt.Errorf("want a value of type %s", strings.Join(s.Type, ",")))
	}
	return x
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

// applyTags applies the schema tags of a field to its schema ps. Value
// constraints (enum, format, bounds, lengths, pattern) go to the items of
// an array field; array constraints to the array.
func applyTags(t reflect.Type, sf reflect.StructField, ps *Schema, tags map[string]string) *Schema {
	if len(tags) == 0 {
		return ps
	}
	if ps.Ref != "" {
		if _, ok := tags["nullable"]; ok && parseBool(t, sf, "nullable", tags["nullable"]) {
			ps = &Schema{AnyOf: []*Schema{ps, {Type: Types{"null"}}}}
		}
		if v, ok := tags["doc"]; ok {
			ps.Description = v
		}
		if v, ok := tags["description"]; ok {
			ps.Description = v
		}
		if v, ok := tags["deprecated"]; ok {
			ps.Deprecated = parseBool(t, sf, "deprecated", v)
		}
		if v, ok := tags["readOnly"]; ok {
			ps.ReadOnly = parseBool(t, sf, "readOnly", v)
		}
		if v, ok := tags["writeOnly"]; ok {
			ps.WriteOnly = parseBool(t, sf, "writeOnly", v)
		}
		for _, k := range []string{"format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "enum", "minItems", "maxItems", "uniqueItems"} {
			if _, ok := tags[k]; ok {
				tagPanic(t, sf, k, tags[k], fmt.Errorf("not applicable to a field of struct type"))
			}
		}
		return ps
	}
	val := ps // where value constraints go
	isArray := ps.Type.Has("array") && ps.Items != nil
	if isArray {
		val = ps.Items
	}
	for _, k := range []string{"minItems", "maxItems", "uniqueItems"} {
		if _, ok := tags[k]; ok && !isArray {
			tagPanic(t, sf, k, tags[k], fmt.Errorf("only applies to slices and arrays"))
		}
	}
	for _, k := range []string{"minLength", "maxLength", "pattern"} {
		if _, ok := tags[k]; ok && !val.Type.Has("string") {
			tagPanic(t, sf, k, tags[k], fmt.Errorf("only applies to strings"))
		}
	}
	for _, k := range []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"} {
		if _, ok := tags[k]; ok && !val.Type.Has("number") && !val.Type.Has("integer") {
			tagPanic(t, sf, k, tags[k], fmt.Errorf("only applies to numbers"))
		}
	}
	for k, v := range tags {
		switch k {
		case "doc", "description":
			ps.Description = v
		case "title":
			ps.Title = v
		case "format":
			val.Format = v
		case "minimum":
			val.Minimum = parseFloat(t, sf, k, v)
		case "maximum":
			val.Maximum = parseFloat(t, sf, k, v)
		case "exclusiveMinimum":
			val.ExclusiveMinimum = parseFloat(t, sf, k, v)
		case "exclusiveMaximum":
			val.ExclusiveMaximum = parseFloat(t, sf, k, v)
		case "multipleOf":
			val.MultipleOf = parseFloat(t, sf, k, v)
			if *val.MultipleOf <= 0 {
				tagPanic(t, sf, k, v, fmt.Errorf("want a number > 0"))
			}
		case "minLength":
			val.MinLength = parseCount(t, sf, k, v)
		case "maxLength":
			val.MaxLength = parseCount(t, sf, k, v)
		case "minItems":
			ps.MinItems = parseCount(t, sf, k, v)
		case "maxItems":
			ps.MaxItems = parseCount(t, sf, k, v)
		case "uniqueItems":
			ps.UniqueItems = parseBool(t, sf, k, v)
		case "pattern":
			if err := checkPattern(v); err != nil {
				tagPanic(t, sf, k, v, err)
			}
			val.Pattern = v
		case "deprecated":
			ps.Deprecated = parseBool(t, sf, k, v)
		case "readOnly":
			ps.ReadOnly = parseBool(t, sf, k, v)
		case "writeOnly":
			ps.WriteOnly = parseBool(t, sf, k, v)
		}
	}
	// Values are parsed after the type constraints are known.
	if v, ok := tags["enum"]; ok {
		if v == "" {
			tagPanic(t, sf, "enum", v, fmt.Errorf("want a comma-separated list"))
		}
		val.Enum = nil
		for _, e := range strings.Split(v, ",") {
			val.Enum = append(val.Enum, parseValue(t, sf, "enum", strings.TrimSpace(e), val))
		}
	}
	if v, ok := tags["example"]; ok {
		ps.Examples = []any{exampleValue(t, sf, v, ps, val, isArray)}
	}
	if v, ok := tags["default"]; ok {
		ps.Default = exampleValue(t, sf, v, ps, val, isArray)
	}
	if v, ok := tags["nullable"]; ok && parseBool(t, sf, "nullable", v) {
		if len(ps.Type) > 0 && !ps.Type.Has("null") {
			ps.Type = append(ps.Type, "null")
		} else if len(ps.Type) == 0 && !isEmpty(ps) {
			ps = &Schema{AnyOf: []*Schema{ps, {Type: Types{"null"}}}}
		}
		if ps.Enum != nil {
			ps.Enum = append(ps.Enum, nil)
		}
	}
	return ps
}

// exampleValue parses an example or default: for arrays a JSON array, or a
// comma-separated list of item values.
func exampleValue(t reflect.Type, sf reflect.StructField, v string, ps, items *Schema, isArray bool) any {
	if !isArray {
		return parseValue(t, sf, "example", v, ps)
	}
	if strings.HasPrefix(strings.TrimSpace(v), "[") {
		return parseValue(t, sf, "example", v, ps)
	}
	var list []any
	for _, e := range strings.Split(v, ",") {
		list = append(list, parseValue(t, sf, "example", strings.TrimSpace(e), items))
	}
	return list
}

func isEmpty(s *Schema) bool {
	b, _ := marshal(s)
	return string(b) == "{}"
}

// Fields returns the JSON fields of struct type t in declaration order:
// name (as written on the wire), the index path for reflect.Value.FieldByIndex,
// and whether the field is optional by the Registry's rules. It lets other
// packages walk structs exactly as the Registry does.
func Fields(t reflect.Type) []StructField {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	fs := jsonFields(t)
	out := make([]StructField, len(fs))
	for i, f := range fs {
		opt := f.optional || f.sf.Type.Kind() == reflect.Pointer
		if v, ok := f.sf.Tag.Lookup("required"); ok {
			opt = v == "false"
		}
		out[i] = StructField{Name: f.name, Index: f.index, Field: f.sf, Optional: opt}
	}
	return out
}

// StructField is one JSON field of a struct, as listed by [Fields].
type StructField struct {
	// Name is the JSON name.
	Name string
	// Index is the path for reflect.Value.FieldByIndex (embedded structs
	// flattened).
	Index []int
	// Field is the Go struct field.
	Field reflect.StructField
	// Optional reports whether the field may be absent.
	Optional bool
}

// checkPattern reports whether p compiles as a regular expression (the
// validator uses Go's RE2 syntax, a subset of ECMA-262 in practice).
func checkPattern(p string) error {
	_, err := regexp.Compile(p)
	return err
}
