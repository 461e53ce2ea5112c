package openapi

import (
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
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
	JSONSchema(r *Registry) (*Schema, error)
}

// ComponentPrefix is the prefix of a reference to a component schema.
const ComponentPrefix = "#/components/schemas/"

// Describer describes struct types for a [Registry] in place of the
// Registry's own rules, for types that have a richer description
// elsewhere: the model package describes LoopBack models (structs with an
// lb id) by their model definition, so that a model has the same schemas
// in every document. DescribeStruct returns nil for a type it leaves to
// the Registry. It is called once per type, with the Registry's lock held:
// it must not call back into the Registry.
type Describer interface {
	DescribeStruct(t reflect.Type) (*Description, error)
}

// Description is a [Describer]'s description of a struct type.
type Description struct {
	// Name is the component that describes values of the type ("Todo").
	Name string
	// Response is the component that describes values of the type in
	// responses, when it differs from Name: the model with its relations
	// ("TodoWithRelations"). See [Registry.ResponseSchema].
	Response string
	// Schemas are the components to add, by name; Name and Response must
	// be among them. A component already present must be the same schema.
	Schemas map[string]*Schema
}

// RegistryConfig configures a [Registry]. The zero value describes every
// struct type by its fields.
type RegistryConfig struct {
	// Describer, when set, describes the struct types it knows.
	Describer Describer
}

// Registry turns Go types into JSON Schema 2020-12 and collects the
// schemas of named struct types as components, referenced with
// {"$ref": "#/components/schemas/Name"}.
//
// Reflection happens once per type; results are cached. Every schema the
// Registry returns is a fresh copy that the caller may modify. Invalid
// struct tags (a bad number, an unparsable pattern, a misspelt keyword such
// as minlength) are errors (*[TagError]) naming the type, the field and
// the tag; a type that failed leaves nothing behind.
//
// The zero value is not usable; call [NewRegistry]. A Registry is safe for
// concurrent use.
type Registry struct {
	mu         sync.Mutex
	describer  Describer
	components map[string]*Schema
	names      map[reflect.Type]string // named struct types → component name
	responses  map[reflect.Type]string // described types → response component name
	owners     map[string]reflect.Type // component name → type (nil: added by name)
	inline     map[reflect.Type]*Schema
}

// NewRegistry returns an empty Registry.
func NewRegistry(cfg RegistryConfig) *Registry {
	return &Registry{
		describer:  cfg.Describer,
		components: make(map[string]*Schema),
		names:      make(map[reflect.Type]string),
		responses:  make(map[reflect.Type]string),
		owners:     make(map[string]reflect.Type),
		inline:     make(map[reflect.Type]*Schema),
	}
}

// SchemaFor returns the schema of T; see [Registry.Schema].
func SchemaFor[T any](r *Registry) (*Schema, error) {
	return r.Schema(reflect.TypeFor[T]())
}

// Schema returns the schema of t. Named struct types (and the structs they
// reference) are added to the components and returned as a $ref; other
// types are returned inline. Pointers are dereferenced. The error names
// the type and field of a bad struct tag, or a type that has no JSON
// representation (a channel, a function, a map with struct keys).
func (r *Registry) Schema(t reflect.Type) (*Schema, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, err := r.transaction(func() (*Schema, error) { return r.schema(t) })
	return s.Clone(), err
}

// ResponseSchema is [Registry.Schema] for a value sent in a response: a
// type whose [Describer] gives it a response component (a model that can
// carry related instances) is described by that component, and so is the
// element type of a slice or array of it.
func (r *Registry) ResponseSchema(t reflect.Type) (*Schema, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() != reflect.Uint8 {
		items, err := r.ResponseSchema(t.Elem())
		if err != nil {
			return nil, err
		}
		s, err := r.Schema(t)
		if err != nil {
			return nil, err
		}
		s.Items = items
		return s, nil
	}
	s, err := r.Schema(t)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if n, ok := r.responses[t]; ok {
		return &Schema{Ref: ComponentPrefix + n}, nil
	}
	return s, nil
}

// FieldSchema returns the schema of one struct field of owner with its
// schema tags applied, and the field as [FieldOf] reads it; for fields
// that are not JSON properties (the parameters of a REST input struct).
func (r *Registry) FieldSchema(owner reflect.Type, sf reflect.StructField) (*Schema, Field, error) {
	f, err := FieldOf(owner, sf)
	if err != nil {
		return nil, f, err
	}
	base, err := r.Schema(sf.Type)
	if err != nil {
		return nil, f, err
	}
	s, err := f.Schema(base)
	return s, f, err
}

// transaction runs fn and, when it fails, forgets every type and component
// it added, so that a failed registration leaves nothing half-described.
// r.mu is held.
func (r *Registry) transaction(fn func() (*Schema, error)) (*Schema, error) {
	owners := make(map[string]bool, len(r.owners))
	for n := range r.owners {
		owners[n] = true
	}
	inline := make(map[reflect.Type]bool, len(r.inline))
	for t := range r.inline {
		inline[t] = true
	}
	s, err := fn()
	if err == nil {
		return s, nil
	}
	for n, t := range r.owners {
		if !owners[n] {
			delete(r.owners, n)
			delete(r.components, n)
			if t != nil {
				delete(r.names, t)
				delete(r.responses, t)
			}
		}
	}
	for t := range r.inline {
		if !inline[t] {
			delete(r.inline, t)
		}
	}
	return nil, err
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
	if err := r.addComponent(name, s); err != nil {
		return nil, err
	}
	if _, ok := r.owners[name]; !ok {
		r.owners[name] = nil
	}
	return &Schema{Ref: ComponentPrefix + name}, nil
}

// addComponent sets a component, unless the name holds a different schema.
// r.mu is held.
func (r *Registry) addComponent(name string, s *Schema) error {
	if old, ok := r.components[name]; ok && old != s {
		a, _ := marshal(old)
		b, _ := marshal(s)
		if string(a) != string(b) {
			return fmt.Errorf("openapi: component schema %q already registered with a different schema", name)
		}
	}
	r.components[name] = s
	return nil
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
func (r *Registry) schema(t reflect.Type) (*Schema, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n, ok := r.names[t]; ok {
		return &Schema{Ref: ComponentPrefix + n}, nil
	}
	if s, ok := r.inline[t]; ok {
		return s, nil
	}
	named := t.Kind() == reflect.Struct && t.Name() != "" && t != timeType
	if named && r.describer != nil && !implementsSpecial(t) {
		d, err := r.describer.DescribeStruct(t)
		if err != nil {
			return nil, err
		}
		if d != nil {
			return r.described(t, d)
		}
	}
	if named {
		name := r.componentName(t)
		r.names[t] = name
		r.owners[name] = t
		r.components[name] = &Schema{} // placeholder for recursive types
		s, err := r.build(t)
		if err != nil {
			delete(r.names, t)
			delete(r.owners, name)
			delete(r.components, name)
			return nil, err
		}
		if s.Title == "" {
			s.Title = name
		}
		r.components[name] = s
		return &Schema{Ref: ComponentPrefix + name}, nil
	}
	s, err := r.build(t)
	if err != nil {
		return nil, err
	}
	r.inline[t] = s
	return s, nil
}

// described adds the components of a Describer's description of t.
// r.mu is held.
func (r *Registry) described(t reflect.Type, d *Description) (*Schema, error) {
	if d.Schemas[d.Name] == nil || d.Response != "" && d.Schemas[d.Response] == nil {
		return nil, fmt.Errorf("openapi: type %v: the description has no component %q", t, d.Name)
	}
	if o, ok := r.owners[d.Name]; ok && o != nil && o != t {
		return nil, fmt.Errorf("openapi: type %v: component %q already describes type %v", t, d.Name, o)
	}
	for _, n := range slices.Sorted(maps.Keys(d.Schemas)) {
		if !validComponentName(n) {
			return nil, fmt.Errorf("openapi: type %v: invalid component name %q", t, n)
		}
		if err := r.addComponent(n, d.Schemas[n]); err != nil {
			return nil, fmt.Errorf("type %v: %w", t, err)
		}
		if _, ok := r.owners[n]; !ok {
			r.owners[n] = nil
		}
	}
	r.owners[d.Name] = t
	r.names[t] = d.Name
	if d.Response != "" {
		r.responses[t] = d.Response
	}
	return &Schema{Ref: ComponentPrefix + d.Name}, nil
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
func (r *Registry) build(t reflect.Type) (*Schema, error) {
	if t.Kind() == reflect.Interface {
		return &Schema{}, nil // any value; there is no value to ask for a schema
	}
	if t.Implements(providerType) || reflect.PointerTo(t).Implements(providerType) {
		v := reflect.New(t)
		var p SchemaProvider
		if t.Implements(providerType) {
			p = v.Elem().Interface().(SchemaProvider)
		} else {
			p = v.Interface().(SchemaProvider)
		}
		s, err := func() (*Schema, error) {
			r.mu.Unlock() // the provider may call back into the registry
			defer r.mu.Lock()
			return p.JSONSchema(r)
		}()
		if err != nil {
			return nil, fmt.Errorf("openapi: type %v: %w", t, err)
		}
		if s == nil {
			s = &Schema{}
		}
		return s, nil
	}
	switch t {
	case timeType:
		return &Schema{Type: Types{"string"}, Format: "date-time"}, nil
	case rawMessageType:
		return &Schema{}, nil
	case numberType:
		return &Schema{Type: Types{"number"}}, nil
	case uuidType:
		return &Schema{Type: Types{"string"}, Format: "uuid"}, nil
	}
	if t.Implements(textType) || reflect.PointerTo(t).Implements(textType) {
		return &Schema{Type: Types{"string"}}, nil
	}
	if t.Implements(jsonType) || reflect.PointerTo(t).Implements(jsonType) {
		// A custom encoding says nothing about its shape; implement
		// SchemaProvider to describe it.
		return &Schema{}, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return &Schema{Type: Types{"boolean"}}, nil
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return &Schema{Type: Types{"integer"}, Format: "int32"}, nil
	case reflect.Int, reflect.Int64:
		return &Schema{Type: Types{"integer"}, Format: "int64"}, nil
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return &Schema{Type: Types{"integer"}, Format: "int32", Minimum: new(float64)}, nil
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return &Schema{Type: Types{"integer"}, Format: "int64", Minimum: new(float64)}, nil
	case reflect.Float32:
		return &Schema{Type: Types{"number"}, Format: "float"}, nil
	case reflect.Float64:
		return &Schema{Type: Types{"number"}, Format: "double"}, nil
	case reflect.String:
		return &Schema{Type: Types{"string"}}, nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(textType) {
			return &Schema{Type: Types{"string"}, ContentEncoding: "base64"}, nil
		}
		items, err := r.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return &Schema{Type: Types{"array"}, Items: items.Clone()}, nil
	case reflect.Array:
		n := t.Len()
		items, err := r.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return &Schema{Type: Types{"array"}, Items: items.Clone(), MinItems: &n, MaxItems: &n}, nil
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			if !t.Key().Implements(textType) {
				return nil, fmt.Errorf("openapi: type %v: map key type %v cannot be encoded as JSON", t, t.Key())
			}
		}
		values, err := r.schema(t.Elem())
		if err != nil {
			return nil, err
		}
		return &Schema{Type: Types{"object"}, AdditionalProperties: values.Clone()}, nil
	case reflect.Struct:
		return r.structSchema(t)
	}
	return nil, fmt.Errorf("openapi: type %v (%v) has no JSON Schema", t, t.Kind())
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

// structSchema describes a struct by its fields. A property is required
// only when tagged required:"true". r.mu is held.
func (r *Registry) structSchema(t reflect.Type) (*Schema, error) {
	fields, err := Fields(t)
	if err != nil {
		return nil, err
	}
	s := &Schema{Type: Types{"object"}, Properties: map[string]*Schema{}, AdditionalProperties: BoolSchema(false)}
	for _, f := range fields {
		ft := f.Go.Type
		var base *Schema
		if f.AsString && isScalarKind(ft) {
			base = &Schema{Type: Types{"string"}}
		} else {
			if base, err = r.schema(ft); err != nil {
				return nil, err
			}
		}
		ps, err := f.Schema(base)
		if err != nil {
			return nil, err
		}
		s.Properties[f.Name] = ps
		s.PropertyOrder = append(s.PropertyOrder, f.Name)
		if f.Required {
			s.Required = append(s.Required, f.Name)
		}
	}
	return s, nil
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
