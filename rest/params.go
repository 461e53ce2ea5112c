package rest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/openapi"
)

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER: LoopBack rejects
// integers beyond it.
const maxSafeInteger = 1<<53 - 1

// param decodes one parameter of an operation from a request, driven by its
// OpenAPI description: it finds the raw value, coerces it to the schema's
// type and validates it.
type param struct {
	name     string
	in       string
	required bool
	index    int             // position among path parameters
	schema   *openapi.Schema // resolved (no top-level $ref)
	typ      string          // JSON type: integer, number, boolean, string, object, array, or "" for any
	format   string
	item     *openapi.Schema // resolved items schema of an array
	itemTyp  string
	itemFmt  string
	json     bool // declared with content application/json, or an object
	check    *validator
	comps    map[string]*openapi.Schema
	prohibit prohibition
}

// newParam compiles a parameter. A path parameter's position is set by
// bindPath once the route's template is parsed.
func newParam(p *openapi.Parameter, comps map[string]*openapi.Schema, prohibit prohibition, eager bool) (*param, error) {
	d := &param{name: p.Name, in: p.In, required: p.Required || p.In == openapi.InPath, comps: comps, prohibit: prohibit}
	s := p.Schema
	if s == nil {
		for mt, m := range p.Content {
			if strings.Contains(mt, "json") && m != nil {
				s = m.Schema
				d.json = true
			}
		}
	}
	if s == nil {
		s = &openapi.Schema{}
	}
	d.schema = resolve(s, comps)
	d.typ, d.format = schemaType(d.schema), d.schema.Format
	if d.typ == "object" {
		d.json = true
	}
	if d.typ == "array" {
		d.item = resolve(d.schema.Items, comps)
		if d.item != nil {
			d.itemTyp, d.itemFmt = schemaType(d.item), d.item.Format
		}
	}
	if d.format == "" && d.schema.ContentEncoding == "base64" {
		d.format = "byte"
	}
	if d.json || d.typ == "array" || hasConstraints(d.schema) {
		v, err := newValidator(s, comps, fmt.Sprintf("parameter %q", p.Name), eager)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", p.Name, err)
		}
		d.check = v
	}
	return d, nil
}

// bindPath sets a path parameter's position among the template's names.
func (p *param) bindPath(names []string) error {
	if p.in != openapi.InPath {
		return nil
	}
	for i, n := range names {
		if n == p.name {
			p.index = i
			return nil
		}
	}
	return fmt.Errorf("path parameter %q is not in the path template", p.name)
}

// resolve follows local $refs ("#/components/schemas/Name") to the schema
// they name; a ref it cannot follow leaves s as it is.
func resolve(s *openapi.Schema, comps map[string]*openapi.Schema) *openapi.Schema {
	for i := 0; s != nil && s.Ref != "" && i < 16; i++ {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		if !ok || comps[name] == nil {
			break
		}
		s = comps[name]
	}
	return s
}

// schemaType is the schema's JSON type, ignoring "null"; "" when it has
// none or several.
func schemaType(s *openapi.Schema) string {
	if s == nil {
		return ""
	}
	t := ""
	for _, n := range s.Type {
		if n == "null" {
			continue
		}
		if t != "" {
			return ""
		}
		t = n
	}
	if t == "" && len(s.Properties) > 0 {
		return "object"
	}
	return t
}

// hasConstraints reports whether validating a coerced scalar against s can
// fail for more than its type.
func hasConstraints(s *openapi.Schema) bool {
	return len(s.Enum) > 0 || s.Const != nil || s.Minimum != nil || s.Maximum != nil ||
		s.ExclusiveMinimum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil ||
		s.MinLength != nil || s.MaxLength != nil || s.Pattern != "" ||
		len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil
}

// decode returns the parameter's value (nil when it is absent and optional)
// or a 400 error in LoopBack's shape.
func (p *param) decode(c *call) (any, error) {
	var (
		raw     string
		present bool
		many    []string
	)
	switch p.in {
	case openapi.InPath:
		if p.index < len(c.pv) {
			raw, present = c.pv[p.index], true
		}
	case openapi.InQuery:
		q, err := c.queryValues()
		if err != nil {
			return nil, err
		}
		if vs := q[p.name]; len(vs) > 0 {
			if p.typ == "object" && (len(vs) > 1 || nestedAlso(q, p.name)) {
				// where={…}&where[id]=1 or where sent twice: qs merges the
				// values into an array, which LoopBack refuses. Using only
				// the first would drop the rest.
				form, err := c.queryForm()
				if err != nil {
					return nil, err
				}
				return p.fromForm(form[p.name])
			}
			raw, present, many = vs[0], true, vs
		} else if p.json || p.typ == "array" {
			form, err := c.queryForm()
			if err != nil {
				return nil, err
			}
			if v, ok := form[p.name]; ok {
				return p.fromForm(v)
			}
		}
	case openapi.InHeader:
		raw, present = headerValue(c.r.Header, p.name)
	case openapi.InCookie:
		raw, present = cookieValue(c.r.Header, p.name)
	}
	if !present || raw == "" && (len(many) <= 1) {
		if p.required {
			return nil, errMissingParam(p.name)
		}
		return nil, nil
	}
	switch {
	case p.typ == "array":
		if p.in != openapi.InQuery {
			many = strings.Split(raw, ",")
			if p.in == openapi.InHeader {
				for i, m := range many {
					many[i] = strings.TrimSpace(m) // "1, 2", as repeated headers are joined
				}
			}
		} else if len(many) == 1 && strings.HasPrefix(raw, "[") {
			return p.fromJSON(raw)
		}
		return p.decodeArray(many)
	case p.json:
		return p.fromJSON(raw)
	}
	v, ok := coerceScalar(p.typ, p.format, raw)
	if !ok {
		return nil, errInvalidParam(p.name, raw, nil)
	}
	if p.check != nil {
		checked := v
		if p.typ == "string" {
			checked = raw // dates and bytes are validated as the strings they came as
		}
		if _, err := p.validate(checked, raw); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// nestedAlso reports whether q has a key other than name that the nested
// query-string form puts under name (name[x], [name][x]).
func nestedAlso(q url.Values, name string) bool {
	for k := range q {
		if len(k) > len(name) && (strings.HasPrefix(k, name) && k[len(name)] == '[' ||
			k[0] == '[' && strings.HasPrefix(k[1:], name) && k[len(name)+1] == ']') {
			return true
		}
	}
	return false
}

// decodeArray coerces the items of an array parameter.
func (p *param) decodeArray(many []string) (any, error) {
	out := make([]any, len(many))
	for i, s := range many {
		v, ok := coerceScalar(p.itemTyp, p.itemFmt, s)
		if !ok {
			return nil, errInvalidParam(p.name, s, nil)
		}
		out[i] = v
	}
	return p.validate(out, out)
}

// fromJSON decodes a JSON-text parameter.
func (p *param) fromJSON(raw string) (any, error) {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, errInvalidParam(p.name, raw, map[string]any{"syntaxError": jsonmsg.Message(err, []byte(raw))})
	}
	if key := p.prohibit.prohibitedKey(v); key != "" {
		return nil, errInvalidParam(p.name, raw, map[string]any{"syntaxError": "JSON string cannot contain \"" + key + "\" key."})
	}
	if err := p.notObject(v, raw); err != nil {
		return nil, err
	}
	return p.validate(v, v)
}

// notObject is LoopBack's answer to a value of an object parameter that
// parses but is an array or a scalar: INVALID_PARAMETER_VALUE quoting the
// value as it was sent, without details (coerceObject in @loopback/rest).
// null is left to the schema.
func (p *param) notObject(v, sent any) error {
	if p.typ != "object" || v == nil {
		return nil
	}
	if _, ok := v.(map[string]any); ok {
		return nil
	}
	return errInvalidParam(p.name, sent, nil)
}

// fromForm takes a value of the nested query-string form and coerces its
// strings to the schema's types.
func (p *param) fromForm(v any) (any, error) {
	if key := p.prohibit.prohibitedKey(v); key != "" {
		return nil, errInvalidParam(p.name, v, map[string]any{"syntaxError": "JSON string cannot contain \"" + key + "\" key."})
	}
	if items, ok := stringItems(v); ok && p.typ == "array" && p.itemTyp != "object" && p.itemTyp != "array" {
		return p.decodeArray(items) // ids[]=1&ids[]=2 as ids=1&ids=2
	}
	if err := p.notObject(v, v); err != nil {
		return nil, err
	}
	v = coerceTree(v, p.schema, p.comps, 0)
	return p.validate(v, v)
}

// stringItems returns the strings of a nested query-string array.
func stringItems(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, it := range arr {
		if out[i], ok = it.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

// validate checks v against the schema; shown is what the error message
// quotes.
func (p *param) validate(v, shown any) (any, error) {
	if p.check == nil {
		return v, nil
	}
	details, err := p.check.validate(v)
	if err != nil {
		return nil, err
	}
	if len(details) > 0 {
		return nil, errInvalidParam(p.name, shown, details)
	}
	return v, nil
}

// headerValue returns the value of a header as Node.js gives it to
// LoopBack: a header sent several times is its values joined with ", ",
// except for the headers Node keeps only the first of (Content-Type,
// Authorization, User-Agent …). Using only the first value would drop the
// others.
func headerValue(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	switch {
	case len(vs) == 0:
		return "", false
	case len(vs) == 1 || singleHeader(http.CanonicalHeaderKey(name)):
		return vs[0], true
	}
	return strings.Join(vs, ", "), true
}

// singleHeader reports whether Node.js keeps only the first of repeated
// headers named k (canonical form), as IncomingMessage does.
func singleHeader(k string) bool {
	switch k {
	case "Age", "Authorization", "Content-Length", "Content-Type", "Etag", "Expires", "From", "Host",
		"If-Modified-Since", "If-Unmodified-Since", "Last-Modified", "Location", "Max-Forwards",
		"Proxy-Authorization", "Referer", "Retry-After", "Server", "User-Agent":
		return true
	}
	return false
}

// cookieValue returns the value of the first cookie named name in the
// Cookie headers, read as Express's cookie module reads it: pairs split
// at ";", name and value trimmed, surrounding double quotes removed, and
// percent-escapes decoded when they decode (else the value is kept as
// sent). Unlike http.Request.Cookie, a value with characters RFC 6265
// does not allow (a JSON text, a space) is read, not dropped.
func cookieValue(h http.Header, name string) (string, bool) {
	for _, line := range h.Values("Cookie") {
		for pair := range strings.SplitSeq(line, ";") {
			k, v, ok := strings.Cut(pair, "=")
			if !ok || strings.TrimSpace(k) != name {
				continue
			}
			v = strings.TrimSpace(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			if strings.IndexByte(v, '%') >= 0 {
				v = qs.DecodeURIComponent(v)
			}
			return v, true
		}
	}
	return "", false
}

// prohibition is the set of keys rejected in JSON values.
type prohibition map[string]bool

// coerceScalar converts a string to the Go value of a JSON type:
// integer → int64 (a safe integer), number → float64, boolean → bool
// (true/false/1/0, any case), string with format date or date-time →
// time.Time, format byte → []byte, other strings unchanged. ok is false when
// the string does not fit.
// smallWhole parses 1 to 15 decimal digits (no sign: "-0" is -0 for
// ParseFloat): the value ParseFloat returns for them, exactly.
func smallWhole(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	return float64(n), true
}

func coerceScalar(typ, format, s string) (any, bool) {
	switch typ {
	case "integer", "number":
		if strings.ContainsAny(s, "xX_pP") {
			return nil, false // Go's hex and underscore forms, which JavaScript's Number rejects
		}
	}
	switch typ {
	case "integer":
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > maxSafeInteger {
				return nil, false
			}
			n = int64(f)
		}
		if n > maxSafeInteger || n < -maxSafeInteger {
			return nil, false
		}
		return n, true
	case "number":
		if f, ok := smallWhole(s); ok {
			return f, true // a whole number id, the common case, without ParseFloat
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, false
		}
		return f, true
	case "boolean":
		switch strings.ToLower(s) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
		return nil, false
	case "string":
		switch format {
		case "date-time":
			t, err := time.Parse(time.RFC3339Nano, s)
			return t, err == nil
		case "date":
			t, err := time.Parse(time.DateOnly, s)
			return t, err == nil
		case "byte":
			b, err := base64.StdEncoding.DecodeString(s)
			return b, err == nil
		}
		return s, true
	case "object", "array":
		return nil, false
	}
	return s, true
}

// coerceTree converts the strings of a nested query-string or url-encoded
// value to the types its schema declares. Strings that do not convert are
// left for validation to report.
func coerceTree(v any, s *openapi.Schema, comps map[string]*openapi.Schema, depth int) any {
	s = resolve(s, comps)
	if s == nil || depth > 32 {
		return v
	}
	if alts := alternatives(s); alts != nil {
		return coerceAlternatives(v, alts, comps, depth)
	}
	switch x := v.(type) {
	case string:
		switch t := schemaType(s); t {
		case "integer", "number", "boolean":
			if c, ok := coerceScalar(t, "", x); ok {
				if i, isInt := c.(int64); isInt {
					return float64(i) // decoded-JSON numbers are float64
				}
				return c
			}
		case "array":
			return []any{coerceTree(x, s.Items, comps, depth+1)}
		}
		return x
	case map[string]any:
		for k, e := range x {
			ps := s.Properties[k]
			if ps == nil && s.AdditionalProperties != nil {
				if _, isBool := s.AdditionalProperties.IsBool(); !isBool {
					ps = s.AdditionalProperties
				}
			}
			if ps != nil {
				x[k] = coerceTree(e, ps, comps, depth+1)
			}
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = coerceTree(e, s.Items, comps, depth+1)
		}
		return x
	}
	return v
}

// alternatives returns the branches of a schema that is only a oneOf or
// anyOf (no type of its own); nil otherwise.
func alternatives(s *openapi.Schema) []*openapi.Schema {
	if schemaType(s) != "" {
		return nil
	}
	if len(s.OneOf) > 0 {
		return s.OneOf
	}
	return s.AnyOf
}

// coerceAlternatives coerces v for each branch in turn, on a copy, and
// returns the first result that fits its branch; v unchanged when none
// does, for validation to report.
func coerceAlternatives(v any, alts []*openapi.Schema, comps map[string]*openapi.Schema, depth int) any {
	for _, alt := range alts {
		c := coerceTree(deepCopy(v), alt, comps, depth+1)
		if fits(c, alt, comps, depth+1) {
			return c
		}
	}
	return v
}

// deepCopy copies the maps and slices of a decoded value, so that trying
// a branch does not change the value the next branch sees.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// fits is a cheap structural check of a coerced value against a schema,
// used to choose among oneOf/anyOf branches: JSON types, enums, the
// properties an object may have and the items of arrays. Full validation
// runs afterwards on the chosen value.
func fits(v any, s *openapi.Schema, comps map[string]*openapi.Schema, depth int) bool {
	s = resolve(s, comps)
	if s == nil || depth > 32 {
		return true
	}
	if b, ok := s.IsBool(); ok {
		return b
	}
	if alts := alternatives(s); alts != nil {
		for _, alt := range alts {
			if fits(v, alt, comps, depth+1) {
				return true
			}
		}
		return false
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return sameScalar(e, v) }) {
		return false
	}
	t := schemaType(s)
	switch x := v.(type) {
	case nil:
		return t == "" || slices.Contains(s.Type, "null")
	case bool:
		return t == "" || t == "boolean"
	case float64:
		return t == "" || t == "number" || t == "integer" && x == math.Trunc(x)
	case int64:
		return t == "" || t == "number" || t == "integer"
	case string:
		return t == "" || t == "string"
	case map[string]any:
		if t != "" && t != "object" {
			return false
		}
		for k, e := range x {
			ps := s.Properties[k]
			if ps == nil {
				ps = s.AdditionalProperties
			}
			if ps != nil && !fits(e, ps, comps, depth+1) {
				return false
			}
		}
		return true
	case []any:
		if t != "" && t != "array" {
			return false
		}
		for _, e := range x {
			if !fits(e, s.Items, comps, depth+1) {
				return false
			}
		}
		return true
	}
	return true
}

// sameScalar reports whether an enum member equals a decoded value.
func sameScalar(e, v any) bool {
	if e == nil || v == nil {
		return e == nil && v == nil
	}
	e, v = scalar(e), scalar(v)
	return e != nil && v != nil && e == v
}

// scalar normalizes a comparable JSON scalar (numbers as float64); nil for
// null, objects and arrays.
func scalar(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float64, bool, string:
		return n
	}
	return nil
}

// prohibitedKey returns the first prohibited key found anywhere in a decoded
// JSON value: "__proto__", a "constructor" object with a "prototype" key
// (reported as "constructor.prototype"), or a configured key.
func (pk prohibition) prohibitedKey(v any) string {
	return findProhibited(v, pk, 0)
}

func findProhibited(v any, pk prohibition, depth int) string {
	if depth > 10000 {
		return ""
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if pk[k] {
				return k
			}
			if k == "constructor" {
				if m, ok := e.(map[string]any); ok {
					if _, ok := m["prototype"]; ok {
						return "constructor.prototype"
					}
				}
			}
			if key := findProhibited(e, pk, depth+1); key != "" {
				return key
			}
		}
	case []any:
		for _, e := range x {
			if key := findProhibited(e, pk, depth+1); key != "" {
				return key
			}
		}
	}
	return ""
}
