package validate

import (
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/internal/num"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// mapper turns the library's error tree into AJV-shaped details.
type mapper struct {
	vd   *Validator
	inst any // the validated value
	out  []Detail
}

// fixLocations repairs the instance locations of propertyNames errors
// below e, whose own location is right. The library does not copy the
// location of a propertyNames error: it shares the array of the object
// validator's location, which the validation of later siblings
// overwrites. An error that is a direct cause of its object's error group
// takes the group's location; one that stands alone for its object (so for
// the properties or items between e and it) is placed by following the
// schema path from e's schema to the propertyNames keyword through the
// instance, to the objects that have the failing property name. Errors
// that cannot be told apart get those objects in order.
func (m *mapper) fixLocations(e *verr) {
	type key struct {
		url, name string
		depth     int
	}
	groups := map[key][]*verr{}
	var keys []key
	for _, c := range e.Causes {
		k, ok := c.ErrorKind.(*kind.PropertyNames)
		if !ok {
			m.fixLocations(c)
			continue
		}
		// The causes of c are relative to the property name.
		if len(c.InstanceLocation) <= len(e.InstanceLocation) {
			c.InstanceLocation = slices.Clone(e.InstanceLocation)
			continue
		}
		kk := key{c.SchemaURL, k.Property, len(c.InstanceLocation)}
		if _, seen := groups[kk]; !seen {
			keys = append(keys, kk)
		}
		groups[kk] = append(groups[kk], c)
	}
	for _, kk := range keys {
		found := m.objectsWith(e, kk.url, kk.name, kk.depth)
		for i, c := range groups[kk] {
			if i < len(found) {
				c.InstanceLocation = found[i]
			} else {
				c.InstanceLocation = slices.Clone(c.InstanceLocation)
			}
		}
	}
}

// located is a value of the instance with its location.
type located struct {
	v    any
	path []string
}

// objectsWith returns the locations, depth tokens long, of the objects
// below e's value that have property name and that the propertyNames
// schema at u applies to, in order.
func (m *mapper) objectsWith(e *verr, u, name string, depth int) [][]string {
	base, ok := lookup(m.inst, pointer(e.InstanceLocation))
	if !ok {
		return nil
	}
	cur := []located{{base, slices.Clone(e.InstanceLocation)}}
	from, _ := fragment(schemaOf(e))
	to, _ := fragment(u)
	to = strings.TrimSuffix(to, "/propertyNames")
	if rel, ok := strings.CutPrefix(to, from+"/"); ok {
		cur = m.follow(cur, from, strings.Split(rel, "/"))
	} else {
		cur = descend(cur, depth-len(e.InstanceLocation))
	}
	var out [][]string
	for _, l := range cur {
		if o, ok := l.v.(map[string]any); ok && len(l.path) == depth {
			if _, ok := o[name]; ok {
				out = append(out, l.path)
			}
		}
	}
	slices.SortFunc(out, comparePaths)
	return out
}

// follow applies the schema path toks, relative to the schema at from, to
// the values in cur: properties, items and the like lead to children;
// applicators stay on the value. A keyword it does not know makes it
// fall back to all the children.
func (m *mapper) follow(cur []located, from string, toks []string) []located {
	at := from
	for i := 0; i < len(toks); i++ {
		kw := unescape(toks[i])
		sch, _ := lookup(m.vd.doc, at)
		o, _ := sch.(map[string]any)
		at += "/" + toks[i]
		var next []located
		switch kw {
		case "properties", "patternProperties", "prefixItems":
			if i+1 >= len(toks) {
				return nil
			}
			arg := unescape(toks[i+1])
			at += "/" + toks[i+1]
			i++
			var re *regexp.Regexp
			if kw == "patternProperties" {
				re, _ = regexp.Compile(arg)
			}
			for _, l := range cur {
				for _, c := range children(l) {
					tok := c.path[len(c.path)-1]
					if kw == "properties" && tok == arg || kw == "prefixItems" && tok == arg || re != nil && re.MatchString(tok) {
						next = append(next, c)
					}
				}
			}
		case "additionalProperties":
			declared, _ := o["properties"].(map[string]any)
			for _, l := range cur {
				for _, c := range children(l) {
					if _, ok := declared[c.path[len(c.path)-1]]; !ok {
						next = append(next, c)
					}
				}
			}
		case "items":
			prefix, _ := o["prefixItems"].([]any)
			for _, l := range cur {
				for _, c := range children(l) {
					if n, _ := strconv.Atoi(c.path[len(c.path)-1]); n >= len(prefix) {
						next = append(next, c)
					}
				}
			}
		case "allOf", "anyOf", "oneOf", "dependentSchemas":
			if i+1 < len(toks) {
				at += "/" + toks[i+1]
			}
			i++
			next = cur
		case "then", "else", "not", "if":
			next = cur
		default:
			next = descend(cur, 1)
		}
		cur = next
	}
	return cur
}

// descend returns the values n levels below those of cur.
func descend(cur []located, n int) []located {
	for ; n > 0; n-- {
		var next []located
		for _, l := range cur {
			next = append(next, children(l)...)
		}
		cur = next
	}
	return cur
}

// children returns the members of an object or the items of an array.
func children(l located) []located {
	var out []located
	switch x := l.v.(type) {
	case map[string]any:
		for k, c := range x {
			out = append(out, located{c, append(slices.Clone(l.path), k)})
		}
	case []any:
		for i, c := range x {
			out = append(out, located{c, append(slices.Clone(l.path), strconv.Itoa(i))})
		}
	}
	return out
}

// comparePaths orders instance locations: array indices numerically,
// names as strings.
func comparePaths(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		x, errX := strconv.Atoi(a[i])
		y, errY := strconv.Atoi(b[i])
		if errX == nil && errY == nil {
			return x - y
		}
		return strings.Compare(a[i], b[i])
	}
	return len(a) - len(b)
}

// verr is the library's error type.
type verr = jsonschema.ValidationError

// Ranks order the errors found at one instance location the way AJV
// evaluates keywords: a type error, the keywords of any type, then those
// of the value's type; errors of properties and items come after the
// keywords of their object or array.
const (
	rankType = iota
	rankRef
	rankConst
	rankEnum
	rankNot
	rankAnyOf
	rankOneOf
	rankAllOf
	rankIf
	rankMax // maximum, maxLength, maxItems, maxProperties
	rankMin // minimum, minLength, minItems, minProperties
	rankExclusiveMax
	rankExclusiveMin
	rankMultipleOf // multipleOf, pattern, uniqueItems, required
	rankDependentRequired
	rankItems // items of an array
	rankContains
	rankPropertyNames
	rankAdditional
	rankProperties // properties of an object
	rankDependentSchemas
	rankUnevaluated
	rankFormat
	rankOther
)

func kindRank(k jsonschema.ErrorKind) int {
	switch k.(type) {
	case *kind.Type, *kind.InvalidJsonValue:
		return rankType
	case *kind.Reference, *kind.RefCycle:
		return rankRef
	case *kind.Const:
		return rankConst
	case *kind.Enum:
		return rankEnum
	case *kind.Not:
		return rankNot
	case *kind.AnyOf:
		return rankAnyOf
	case *kind.OneOf:
		return rankOneOf
	case *kind.AllOf:
		return rankAllOf
	case *kind.Maximum, *kind.MaxLength, *kind.MaxItems, *kind.MaxProperties:
		return rankMax
	case *kind.Minimum, *kind.MinLength, *kind.MinItems, *kind.MinProperties:
		return rankMin
	case *kind.ExclusiveMaximum:
		return rankExclusiveMax
	case *kind.ExclusiveMinimum:
		return rankExclusiveMin
	case *kind.MultipleOf, *kind.Pattern, *kind.UniqueItems, *kind.Required:
		return rankMultipleOf
	case *kind.DependentRequired:
		return rankDependentRequired
	case *kind.Contains, *kind.MinContains, *kind.MaxContains:
		return rankContains
	case *kind.PropertyNames:
		return rankPropertyNames
	case *kind.AdditionalProperties:
		return rankAdditional
	case *kind.Format:
		return rankFormat
	}
	return rankOther
}

// item is an error to emit with its sort key.
type item struct {
	e      *verr
	parent *verr
	rank   int
	index  int    // property index in the schema, or item index
	name   string // tie-breaker
}

// emit emits list, each a cause of the parent at the same index. A cause
// that lies in an if's then or else branch its parent does not lie in is
// (part of) the errors of that branch, so AJV's if error follows it, or
// the last of the causes in a row that lie in the same branch (the library
// lifts the causes of a branch's error group when it is the only error of
// the schema being validated or of a $ref's target).
func (m *mapper) emit(list, parents []*verr) {
	for i, c := range list {
		m.kind(c)
		ent := m.vd.entering(c, parents[i])
		for j := len(ent) - 1; j >= 0; j-- {
			b := ent[j]
			if i+1 < len(list) && slices.ContainsFunc(m.vd.entering(list[i+1], parents[i+1]), func(n branch) bool { return n.ptr == b.ptr }) {
				continue
			}
			loc := c.InstanceLocation[:max(0, len(c.InstanceLocation)-b.depth)]
			m.add(loc, "if", `must match "`+b.kw+`" schema`, map[string]any{"failingKeyword": b.kw})
		}
	}
}

// branch is a then or else schema on the way to another schema.
type branch struct {
	ptr   string // JSON pointer of the then or else schema
	kw    string // "then" or "else"
	depth int    // instance tokens from the branch's value to the schema's
}

// branches returns the then and else schemas the schema at u lies in,
// outermost first.
func (vd *Validator) branches(u string) []branch {
	p, ok := fragment(u)
	if !ok || p == "" {
		return nil
	}
	toks := strings.Split(p[1:], "/")
	var out []branch
	at := ""
	deeper := func() {
		for i := range out {
			out[i].depth++
		}
	}
	next := func(i int) int {
		if i+1 < len(toks) {
			at += "/" + toks[i+1]
		}
		return i + 1
	}
	for i := 0; i < len(toks); i++ {
		kw := unescape(toks[i])
		at += "/" + toks[i]
		switch {
		case kw == "properties" || kw == "patternProperties" || kw == "prefixItems":
			i = next(i)
			deeper()
		case kw == "additionalProperties" || kw == "items" || kw == "contains" || kw == "unevaluatedProperties":
			deeper()
		case schemaListKeywords[kw] || schemaMapKeywords[kw]:
			i = next(i)
		case kw == "components" && i == 0:
			i = next(next(i))
		case kw == "then" || kw == "else":
			out = append(out, branch{ptr: at, kw: kw})
		}
	}
	return out
}

// entering returns the branches e lies in and its parent does not.
func (vd *Validator) entering(e, parent *verr) []branch {
	bs := vd.branches(e.SchemaURL)
	if len(bs) == 0 || parent == nil {
		return bs
	}
	pp, _ := fragment(parent.SchemaURL)
	out := bs[:0:0]
	for _, b := range bs {
		if pp != b.ptr && !strings.HasPrefix(pp, b.ptr+"/") {
			out = append(out, b)
		}
	}
	return out
}

// children emits the causes of e, sorted.
func (m *mapper) children(e *verr) {
	var items []item
	m.collect(e, e.Causes, false, &items)
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.index != b.index {
			return a.index < b.index
		}
		return a.name < b.name
	})
	list, parents := make([]*verr, len(items)), make([]*verr, len(items))
	for i, it := range items {
		list[i], parents[i] = it.e, it.parent
	}
	m.emit(list, parents)
}

// collect gathers causes for sorting. The causes of an allOf are spliced
// in: those of the allOf entries Compile created rank as their own
// keyword, those of the schema's own allOf as allOf.
func (m *mapper) collect(container *verr, causes []*verr, inAllOf bool, items *[]item) {
	parent := container
	for _, c := range causes {
		if _, ok := c.ErrorKind.(*kind.AllOf); ok {
			m.collect(container, c.Causes, true, items)
			continue
		}
		it := item{e: c, parent: parent}
		switch {
		case inAllOf && !m.vd.synthetic(c.SchemaURL):
			it.rank = rankAllOf
		case len(c.InstanceLocation) > len(container.InstanceLocation):
			tok := c.InstanceLocation[len(container.InstanceLocation)]
			it.name = tok
			if _, ok := c.ErrorKind.(*kind.FalseSchema); ok && m.vd.role(c.SchemaURL) == "unevaluatedProperties" {
				it.rank = rankUnevaluated
			} else if n, err := strconv.Atoi(tok); err == nil && n >= 0 {
				it.rank, it.index = rankItems, n
			} else {
				it.rank, it.index = rankProperties, m.vd.propertyIndex(schemaOf(container), tok)
			}
		default:
			it.rank = kindRank(c.ErrorKind)
			switch {
			case len(m.vd.entering(c, parent)) > 0:
				it.rank = rankIf
			case c.SchemaURL != parent.SchemaURL && m.vd.role(c.SchemaURL) == "dependentSchemas":
				it.rank, it.name = rankDependentSchemas, c.SchemaURL
			}
			switch k := c.ErrorKind.(type) {
			case *kind.PropertyNames:
				it.name = k.Property
			case *kind.DependentRequired:
				it.name = k.Prop
			}
		}
		*items = append(*items, it)
	}
}

// schemaOf returns the location of the schema whose keywords produced the
// causes of e: the target of a $ref, else e's own.
func schemaOf(e *verr) string {
	if r, ok := e.ErrorKind.(*kind.Reference); ok {
		return r.URL
	}
	if s, ok := e.ErrorKind.(*kind.Schema); ok {
		return s.Location
	}
	return e.SchemaURL
}

// kind emits the details of e itself.
func (m *mapper) kind(e *verr) {
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		m.children(e)
	case *kind.AnyOf:
		m.emit(e.Causes, repeat(e, len(e.Causes)))
		m.add(loc, "anyOf", "must match a schema in anyOf", map[string]any{})
	case *kind.OneOf:
		var passing any
		if len(k.Subschemas) > 0 {
			passing = []any{k.Subschemas[0], k.Subschemas[1]}
		}
		m.emit(e.Causes, repeat(e, len(e.Causes)))
		m.add(loc, "oneOf", "must match exactly one schema in oneOf", map[string]any{"passingSchemas": passing})
	case *kind.PropertyNames:
		// The causes validate the name, a string at the object's location.
		start := len(m.out)
		m.emit(e.Causes, repeat(e, len(e.Causes)))
		p := pointer(loc)
		for i := start; i < len(m.out); i++ {
			m.out[i].Path = p
		}
		m.add(loc, "propertyNames", "property name must be valid", map[string]any{"propertyName": k.Property})
	case *kind.Type:
		m.typeError(e, k)
	case *kind.InvalidJsonValue:
		m.add(loc, "type", "must be a JSON value", map[string]any{})
	case *kind.RefCycle:
		m.add(loc, "$ref", "must not follow a reference cycle", map[string]any{})
	case *kind.FalseSchema:
		if m.vd.role(e.SchemaURL) == "unevaluatedProperties" && len(loc) > 0 {
			m.add(loc[:len(loc)-1], "unevaluatedProperties", "must NOT have unevaluated properties",
				map[string]any{"unevaluatedProperty": loc[len(loc)-1]})
			return
		}
		m.add(loc, "false schema", "boolean schema is false", map[string]any{})
	case *kind.Const:
		m.add(loc, "const", "must be equal to constant", map[string]any{"allowedValue": m.keyword(e, "const", k.Want)})
	case *kind.Enum:
		m.add(loc, "enum", "must be equal to one of the allowed values", map[string]any{"allowedValues": m.keyword(e, "enum", k.Want)})
	case *kind.Not:
		m.add(loc, "not", "must NOT be valid", map[string]any{})
	case *kind.Format:
		m.add(loc, "format", `must match format "`+k.Want+`"`, map[string]any{"format": k.Want})
	case *kind.Maximum:
		m.bound(e, "maximum", "<=")
	case *kind.Minimum:
		m.bound(e, "minimum", ">=")
	case *kind.ExclusiveMaximum:
		m.bound(e, "exclusiveMaximum", "<")
	case *kind.ExclusiveMinimum:
		m.bound(e, "exclusiveMinimum", ">")
	case *kind.MultipleOf:
		f := m.number(e, "multipleOf")
		m.add(loc, "multipleOf", "must be multiple of "+jsNumber(f), map[string]any{"multipleOf": f})
	case *kind.MaxLength:
		m.limit(loc, "maxLength", "must NOT have more than %d characters", k.Want)
	case *kind.MinLength:
		m.limit(loc, "minLength", "must NOT have fewer than %d characters", k.Want)
	case *kind.Pattern:
		p, _ := m.keyword(e, "pattern", k.Want).(string)
		m.add(loc, "pattern", `must match pattern "`+p+`"`, map[string]any{"pattern": p})
	case *kind.MaxItems:
		m.limit(loc, "maxItems", "must NOT have more than %d items", k.Want)
	case *kind.MinItems:
		m.limit(loc, "minItems", "must NOT have fewer than %d items", k.Want)
	case *kind.UniqueItems:
		m.uniqueItems(e, k)
	case *kind.Contains, *kind.MinContains, *kind.MaxContains:
		m.contains(e)
	case *kind.MaxProperties:
		m.limit(loc, "maxProperties", "must NOT have more than %d properties", k.Want)
	case *kind.MinProperties:
		m.limit(loc, "minProperties", "must NOT have fewer than %d properties", k.Want)
	case *kind.Required:
		for _, p := range k.Missing {
			m.add(loc, "required", "must have required property '"+p+"'", map[string]any{"missingProperty": p})
		}
	case *kind.DependentRequired:
		m.dependentRequired(e, k)
	case *kind.AdditionalProperties:
		// AJV follows the order of the request body; a Go map has none.
		for _, p := range slices.Sorted(slices.Values(k.Properties)) {
			m.add(loc, "additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": p})
		}
	default:
		code := "schema"
		if kp := e.ErrorKind.KeywordPath(); len(kp) > 0 {
			code = kp[0]
		}
		m.add(loc, code, "must pass \""+code+"\" keyword validation", map[string]any{})
	}
}

func (m *mapper) add(loc []string, code, msg string, info map[string]any) {
	m.out = append(m.out, Detail{Path: pointer(loc), Code: code, Message: msg, Info: info})
}

func (m *mapper) limit(loc []string, code, format string, n int) {
	m.add(loc, code, strings.Replace(format, "%d", strconv.Itoa(n), 1), map[string]any{"limit": n})
}

func (m *mapper) typeError(e *verr, k *kind.Type) {
	var names []string
	var info any
	switch t := m.keyword(e, "type", nil).(type) {
	case string:
		names, info = []string{t}, t
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				names = append(names, s)
			}
		}
		info = t
	default:
		names = k.Want
		info = anySlice(k.Want)
		if len(k.Want) == 1 {
			info = k.Want[0]
		}
	}
	m.add(e.InstanceLocation, "type", "must be "+strings.Join(names, ","), map[string]any{"type": info})
}

func (m *mapper) bound(e *verr, code, cmp string) {
	f := m.number(e, code)
	m.add(e.InstanceLocation, code, "must be "+cmp+" "+jsNumber(f), map[string]any{"comparison": cmp, "limit": f})
}

// number returns the value of a numeric keyword of e's schema.
func (m *mapper) number(e *verr, kw string) float64 {
	f, _ := toFloat(m.keyword(e, kw, nil))
	return f
}

// keyword returns the value of kw in the schema that reported e, or def.
func (m *mapper) keyword(e *verr, kw string, def any) any {
	if o, ok := m.vd.schemaAt(e.SchemaURL).(map[string]any); ok {
		if v, ok := o[kw]; ok {
			return v
		}
	}
	return def
}

// uniqueItems reports a duplicate pair as AJV does: with i the later index
// and j the earlier one, except when the items are declared scalar (AJV
// then uses another algorithm, which names them the other way round).
func (m *mapper) uniqueItems(e *verr, k *kind.UniqueItems) {
	first, second := k.Duplicates[0], k.Duplicates[1]
	i, j := second, first
	if items, ok := m.keyword(e, "items", nil).(map[string]any); ok && scalarTypes(items) {
		i, j = first, second
	}
	m.add(e.InstanceLocation, "uniqueItems", "must NOT have duplicate items (items ## "+strconv.Itoa(j)+" and "+strconv.Itoa(i)+" are identical)",
		map[string]any{"i": i, "j": j})
}

// scalarTypes reports whether schema o declares only scalar types (in its
// own type or in a split allOf entry).
func scalarTypes(o map[string]any) bool {
	t, ok := o["type"]
	if !ok {
		all, _ := o["allOf"].([]any)
		for _, x := range all {
			if xo, ok := x.(map[string]any); ok && xo["$comment"] == splitMark && xo["type"] != nil {
				t = xo["type"]
			}
		}
	}
	var names []any
	switch x := t.(type) {
	case string:
		names = []any{x}
	case []any:
		names = x
	}
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		switch n {
		case "number", "integer", "string", "boolean":
		default:
			return false
		}
	}
	return true
}

func (m *mapper) contains(e *verr) {
	min := 1
	if f, ok := toFloat(m.keyword(e, "minContains", nil)); ok {
		min = int(f)
	}
	if f, ok := toFloat(m.keyword(e, "maxContains", nil)); ok {
		max := int(f)
		m.add(e.InstanceLocation, "contains", "must contain at least "+strconv.Itoa(min)+" and no more than "+strconv.Itoa(max)+" valid item(s)",
			map[string]any{"minContains": min, "maxContains": max})
		return
	}
	m.add(e.InstanceLocation, "contains", "must contain at least "+strconv.Itoa(min)+" valid item(s)", map[string]any{"minContains": min})
}

func (m *mapper) dependentRequired(e *verr, k *kind.DependentRequired) {
	var deps []string
	if dr, ok := m.keyword(e, "dependentRequired", nil).(map[string]any); ok {
		list, _ := dr[k.Prop].([]any)
		for _, x := range list {
			if s, ok := x.(string); ok {
				deps = append(deps, s)
			}
		}
	}
	if deps == nil {
		deps = k.Missing
	}
	word := "property"
	if len(deps) != 1 {
		word = "properties"
	}
	joined := strings.Join(deps, ", ")
	for _, p := range k.Missing {
		m.add(e.InstanceLocation, "dependentRequired", "must have "+word+" "+joined+" when property "+k.Prop+" is present",
			map[string]any{"property": k.Prop, "missingProperty": p, "depsCount": len(deps), "deps": joined})
	}
}

// pointer joins instance location tokens into a JSON pointer.
func pointer(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range loc {
		b.WriteByte('/')
		b.WriteString(escape(t))
	}
	return b.String()
}

// fragment returns the JSON pointer of a schema URL of the document.
func fragment(u string) (string, bool) {
	_, frag, ok := strings.Cut(u, "#")
	if !ok {
		return "", false
	}
	// The library escapes each token with url.PathEscape.
	p, err := url.PathUnescape(frag)
	if err != nil {
		return "", false
	}
	return p, true
}

// schemaAt returns the schema of the document at a schema URL.
func (vd *Validator) schemaAt(u string) any {
	p, ok := fragment(u)
	if !ok {
		return nil
	}
	s, _ := lookup(vd.doc, p)
	return s
}

// synthetic reports whether the schema at u is an allOf entry created by
// split.
func (vd *Validator) synthetic(u string) bool {
	o, ok := vd.schemaAt(u).(map[string]any)
	return ok && o["$comment"] == splitMark
}

// role returns the keyword by which the schema at u is reached from its
// parent schema ("then", "properties", "allOf", …), "" for the root.
func (vd *Validator) role(u string) string {
	p, ok := fragment(u)
	if !ok || p == "" {
		return ""
	}
	toks := strings.Split(p[1:], "/")
	role := ""
	for i := 0; i < len(toks); i++ {
		kw := unescape(toks[i])
		role = kw
		switch {
		case schemaListKeywords[kw], schemaMapKeywords[kw]:
			i++ // the index or name
		case kw == "components" && i == 0:
			i += 2 // "schemas" and the name
		}
	}
	return role
}

// propertyIndex returns the position of name among the properties declared
// by the schema at u, or a large number.
func (vd *Validator) propertyIndex(u, name string) int {
	if p, ok := fragment(u); ok {
		if i := slices.Index(vd.order[p+"/properties"], name); i >= 0 {
			return i
		}
	}
	return math.MaxInt32
}

func repeat(e *verr, n int) []*verr {
	out := make([]*verr, n)
	for i := range out {
		out[i] = e
	}
	return out
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func toFloat(v any) (float64, bool) { return num.Float(v) }

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
