package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/internal/validate"
)

// Limits on untrusted filters.
const (
	// MaxDepth bounds the nesting of and/or clauses and of include scopes.
	MaxDepth = 16
	// MaxConditions bounds the number of conditions, inq/nin values and
	// order terms in one filter.
	MaxConditions = 1000
	// MaxJSONSize bounds the size of a JSON filter.
	MaxJSONSize = 64 << 10
)

// CodeInvalid is the error code of a malformed filter, LoopBack's code for
// a parameter that fails its schema.
const CodeInvalid = "INVALID_PARAMETER_VALUE"

// CodeInvalidInclusion is LoopBack's code for an include entry that names
// no relation.
const CodeInvalidInclusion = "INVALID_INCLUSION_FILTER"

// invalid returns a 400 INVALID_PARAMETER_VALUE error whose details hold
// one AJV-shaped entry (path is a JSON pointer into the filter). Its
// message quotes at most jsonmsg.MaxEcho characters of the path and the
// problem, which may echo the client's keys and values.
func invalid(path, code string, info map[string]any, format string, args ...any) *fault.Error {
	msg := fmt.Sprintf(format, args...)
	if info == nil {
		info = map[string]any{}
	}
	e := fault.New(fault.BadRequest, CodeInvalid, "Invalid filter: "+jsonmsg.Excerpt(pointerText(path)+msg)+".")
	e.Details = []validate.Detail{{Path: path, Code: code, Message: msg, Info: info}}
	return e
}

func pointerText(path string) string {
	if path == "" {
		return ""
	}
	return strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", ".") + " "
}

// ParseJSON parses a filter written as JSON ({"where": {...}, "limit": 2}).
// A document that is not JSON is a 400 INVALID_PARAMETER_VALUE error with
// details {"syntaxError": "<message>"}; other errors are those of
// [FromValue].
func ParseJSON(data []byte) (*Filter, error) {
	v, err := decodeJSON(data, "filter")
	if err != nil {
		return nil, err
	}
	return FromValue(v)
}

// decodeJSON decodes one bounded JSON value with numbers as json.Number;
// what names the parameter in error messages.
func decodeJSON(data []byte, what string) (any, error) {
	if len(data) > MaxJSONSize {
		return nil, invalid("", "maxLength", map[string]any{"limit": MaxJSONSize}, "must not be longer than %d bytes", MaxJSONSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	var msg string
	switch {
	case err != nil:
		msg = jsonmsg.Message(err, data)
	case dec.More():
		rest := int(dec.InputOffset())
		for rest < len(data) && strings.IndexByte(" \t\r\n", data[rest]) >= 0 {
			rest++
		}
		msg = jsonmsg.Unexpected(data, rest)
		err = errors.New("unexpected data after the JSON value")
	}
	if err != nil {
		e := fault.New(fault.BadRequest, CodeInvalid, "Invalid "+what+": "+msg+".")
		e.Details = map[string]any{"syntaxError": msg}
		e.Err = err
		return nil, e
	}
	return v, nil
}

// FromValue builds a filter from a decoded JSON value or the result of
// decoding the nested query-string form (internal/qs), where every scalar is
// a string: limit, skip and offset accept "2", exists accepts "true", and
// objects with keys "0", "1", ... stand for arrays. nil is the empty filter.
//
// Keys: where, fields (object of booleans or array of names), order
// (string, comma-separated string or array), limit (≥ 1), skip (≥ 0),
// offset (alias of skip), include (strings or {relation, scope}). Any other
// key, an unknown operator or a malformed value is a fault.BadRequest error
// with code INVALID_PARAMETER_VALUE and AJV-shaped details. Where values are
// kept as given; [Filter.Validate] coerces them to the property types.
func FromValue(v any) (*Filter, error) {
	p := &parser{}
	return p.filter(decoded(v, 0), "", 0)
}

// decoded converts the Go collections callers may hand in ([]string,
// map[string]string, []map[string]any) to decoded-JSON form. Decoded JSON
// is returned as is.
func decoded(v any, depth int) any {
	if depth > MaxDepth*4 {
		return v
	}
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = e
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = decoded(e, depth+1)
		}
		return out
	case []any:
		if !hasGoCollection(x, depth) {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = decoded(e, depth+1)
		}
		return out
	case map[string]any:
		if !hasGoCollection(x, depth) {
			return x
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = decoded(e, depth+1)
		}
		return out
	}
	return v
}

// hasGoCollection reports whether v holds, at any depth, a collection
// decoded converts.
func hasGoCollection(v any, depth int) bool {
	if depth > MaxDepth*4 {
		return false
	}
	switch x := v.(type) {
	case []string, map[string]string, []map[string]any:
		return true
	case []any:
		for _, e := range x {
			if hasGoCollection(e, depth+1) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if hasGoCollection(e, depth+1) {
				return true
			}
		}
	}
	return false
}

// WhereFromValue builds a where clause from a decoded value: the where
// parameter of count and updateAll. nil is the empty clause (nil *Where).
func WhereFromValue(v any) (*Where, error) {
	p := &parser{}
	return p.where(decoded(v, 0), "", 0)
}

// ParseWhereJSON parses a where clause written as JSON.
func ParseWhereJSON(data []byte) (*Where, error) {
	v, err := decodeJSON(data, "where")
	if err != nil {
		return nil, err
	}
	return WhereFromValue(v)
}

type parser struct {
	n int // conditions and list values seen
}

func (p *parser) count(path string, n int) error {
	p.n += n
	if p.n > MaxConditions {
		return invalid(path, "maxItems", map[string]any{"limit": MaxConditions}, "has more than %d conditions or values", MaxConditions)
	}
	return nil
}

// filter parses a filter object; in a scope, totalLimit is also accepted.
func (p *parser) filter(v any, path string, depth int) (*Filter, error) {
	if v == nil {
		return &Filter{}, nil
	}
	if depth > MaxDepth {
		return nil, invalid(path, "maxDepth", map[string]any{"limit": MaxDepth}, "is nested too deeply")
	}
	m, ok := v.(map[string]any)
	if !ok {
		if s, isStr := v.(string); isStr && depth == 0 {
			return ParseJSON([]byte(s))
		}
		return nil, invalid(path, "type", map[string]any{"type": "object"}, "must be object")
	}
	f := &Filter{}
	skipSet := false
	for _, k := range sortedKeys(m) {
		val := m[k]
		kp := path + "/" + k
		var err error
		switch k {
		case "where":
			f.Where, err = p.where(val, kp, depth)
		case "fields":
			f.Fields, err = p.fields(val, kp)
		case "order":
			f.Order, err = p.order(val, kp)
		case "limit":
			f.Limit, err = integer(val, kp, 1)
		case "skip":
			f.Skip, err = integer(val, kp, 0)
			skipSet = true
		case "offset":
			var n int
			n, err = integer(val, kp, 0)
			if !skipSet && m["skip"] == nil {
				f.Skip = n
			}
		case "include":
			f.Include, err = p.include(val, kp, depth)
		case "totalLimit":
			if depth == 0 || !strings.HasSuffix(path, "/scope") {
				err = unknownKey(path, k)
			}
		default:
			err = unknownKey(path, k)
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

func unknownKey(path, k string) error {
	return invalid(path, "additionalProperties", map[string]any{"additionalProperty": k},
		"must NOT have additional properties (%q)", k)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// integer reads a non-negative integer not below min: a JSON number, a Go
// integer or a decimal string from a query string.
func integer(v any, path string, min int) (int, error) {
	var n int64
	ok := false
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			n, ok = int64(x), true
		}
	case json.Number:
		n2, err := strconv.ParseInt(string(x), 10, 64)
		if err == nil {
			n, ok = n2, true
		} else if f, err := x.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
			n, ok = int64(f), true
		}
	case int:
		n, ok = int64(x), true
	case int64:
		n, ok = x, true
	case int32:
		n, ok = int64(x), true
	case string:
		n2, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err == nil {
			n, ok = n2, true
		}
	}
	if !ok || n > math.MaxInt64>>1 {
		return 0, invalid(path, "type", map[string]any{"type": "integer"}, "must be integer")
	}
	if n < int64(min) {
		return 0, invalid(path, "minimum", map[string]any{"comparison": ">=", "limit": min}, "must be >= %d", min)
	}
	return int(n), nil
}

// list reads an array, or an object with keys "0", "1", ... (the nested
// query-string form of long arrays), in index order.
func list(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case map[string]any:
		if len(x) == 0 {
			return nil, false
		}
		type item struct {
			i int
			v any
		}
		items := make([]item, 0, len(x))
		for k, e := range x {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || strconv.Itoa(i) != k {
				return nil, false
			}
			items = append(items, item{i, e})
		}
		slices.SortFunc(items, func(a, b item) int { return a.i - b.i })
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = it.v
		}
		return out, true
	}
	return nil, false
}

func (p *parser) fields(v any, path string) (*Fields, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "" {
			return nil, invalid(path, "minLength", nil, "must name a property")
		}
		return &Fields{Include: []string{x}}, nil
	case map[string]any:
		if arr, ok := list(x); ok {
			return p.fields(arr, path)
		}
		var in, ex []string
		for _, k := range sortedKeys(x) {
			b, ok := boolValue(x[k])
			if !ok {
				return nil, invalid(path+"/"+k, "type", map[string]any{"type": "boolean"}, "must be boolean")
			}
			if b {
				in = append(in, k)
			} else {
				ex = append(ex, k)
			}
		}
		if len(in) == 0 && len(ex) == 0 {
			return nil, nil
		}
		if len(in) > 0 {
			return &Fields{Include: in}, nil
		}
		return &Fields{Exclude: ex}, nil
	case []any:
		if err := p.count(path, len(x)); err != nil {
			return nil, err
		}
		f := &Fields{}
		for i, e := range x {
			s, ok := e.(string)
			if !ok || s == "" {
				return nil, invalid(fmt.Sprintf("%s/%d", path, i), "type", map[string]any{"type": "string"}, "must be string")
			}
			if !slices.Contains(f.Include, s) {
				f.Include = append(f.Include, s)
			}
		}
		if len(f.Include) == 0 {
			return nil, nil
		}
		return f, nil
	}
	return nil, invalid(path, "type", map[string]any{"type": "object"}, "must be object or array")
}

// boolValue reads a boolean, or its query-string spelling.
func boolValue(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	case float64:
		if x == 1 || x == 0 {
			return x == 1, true
		}
	case json.Number:
		if x == "1" || x == "0" {
			return x == "1", true
		}
	case int:
		if x == 1 || x == 0 {
			return x == 1, true
		}
	case int64:
		if x == 1 || x == 0 {
			return x == 1, true
		}
	}
	return false, false
}

func (p *parser) order(v any, path string) ([]Order, error) {
	var terms []any
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		terms = []any{x}
	default:
		arr, ok := list(v)
		if !ok {
			return nil, invalid(path, "type", map[string]any{"type": "string"}, "must be string or array of strings")
		}
		terms = arr
	}
	var out []Order
	for i, t := range terms {
		s, ok := t.(string)
		tp := path
		if _, isStr := v.(string); !isStr {
			tp = fmt.Sprintf("%s/%d", path, i)
		}
		if !ok {
			return nil, invalid(tp, "type", map[string]any{"type": "string"}, "must be string")
		}
		for part := range strings.SplitSeq(s, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				if strings.TrimSpace(s) == "" {
					return nil, invalid(tp, "pattern", nil, "must name a property")
				}
				continue
			}
			o, err := orderTerm(part)
			if err != nil {
				return nil, invalid(tp, "pattern", nil, "%v", err)
			}
			out = append(out, o)
			if err := p.count(path, 1); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// orderTerm reads "title", "title ASC" or "title DESC".
func orderTerm(s string) (Order, error) {
	fields := strings.Fields(s)
	switch len(fields) {
	case 1:
		return Order{Property: fields[0]}, nil
	case 2:
		switch strings.ToUpper(fields[1]) {
		case "ASC":
			return Order{Property: fields[0]}, nil
		case "DESC":
			return Order{Property: fields[0], Desc: true}, nil
		}
	}
	return Order{}, fmt.Errorf("invalid order %q: want \"<property> [ASC|DESC]\"", s)
}

func (p *parser) include(v any, path string, depth int) ([]Inclusion, error) {
	var items []any
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		items = []any{x}
	case map[string]any:
		if arr, ok := list(x); ok {
			items = arr
		} else {
			items = []any{x}
		}
	case []any:
		items = x
	default:
		return nil, invalid(path, "type", map[string]any{"type": "array"}, "must be array")
	}
	if err := p.count(path, len(items)); err != nil {
		return nil, err
	}
	out := make([]Inclusion, 0, len(items))
	for i, it := range items {
		ip := fmt.Sprintf("%s/%d", path, i)
		switch x := it.(type) {
		case string:
			if x == "" {
				return nil, invalid(ip, "minLength", nil, "must name a relation")
			}
			out = append(out, Inclusion{Relation: x, short: true})
		case map[string]any:
			inc := Inclusion{}
			for _, k := range sortedKeys(x) {
				kp := ip + "/" + k
				switch k {
				case "relation":
					s, ok := x[k].(string)
					if !ok || s == "" {
						return nil, invalid(kp, "type", map[string]any{"type": "string"}, "must be string")
					}
					inc.Relation = s
				case "scope":
					if x[k] == nil {
						continue
					}
					scope, err := p.filter(x[k], kp, depth+1)
					if err != nil {
						return nil, err
					}
					if sm, ok := x[k].(map[string]any); ok {
						if tl, ok := sm["totalLimit"]; ok {
							if inc.TotalLimit, err = integer(tl, kp+"/totalLimit", 1); err != nil {
								return nil, err
							}
						}
					}
					inc.Scope = scope
				case "totalLimit":
					n, err := integer(x[k], kp, 1)
					if err != nil {
						return nil, err
					}
					inc.TotalLimit = n
				default:
					return nil, unknownKey(ip, k)
				}
			}
			if inc.Relation == "" {
				return nil, invalid(ip, "required", map[string]any{"missingProperty": "relation"}, "must have required property 'relation'")
			}
			out = append(out, inc)
		default:
			return nil, invalid(ip, "type", map[string]any{"type": "object"}, "must be string or object")
		}
	}
	return out, nil
}

// operators maps operator names to ops.
var operators = map[string]Op{
	"eq": Eq, "neq": Neq, "gt": Gt, "gte": Gte, "lt": Lt, "lte": Lte,
	"inq": Inq, "nin": Nin, "between": Between, "exists": Exists,
	"like": Like, "nlike": Nlike, "ilike": Ilike, "nilike": Nilike, "regexp": Regexp,
}

func (p *parser) where(v any, path string, depth int) (*Where, error) {
	if v == nil {
		return nil, nil
	}
	if depth > MaxDepth {
		return nil, invalid(path, "maxDepth", map[string]any{"limit": MaxDepth}, "is nested too deeply")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(path, "type", map[string]any{"type": "object"}, "must be object")
	}
	w := &Where{}
	for _, k := range sortedKeys(m) {
		val := m[k]
		kp := path + "/" + k
		if k == "and" || k == "or" {
			clauses, ok := list(val)
			if !ok {
				return nil, invalid(kp, "type", map[string]any{"type": "array"}, "must be array")
			}
			if err := p.count(kp, len(clauses)); err != nil {
				return nil, err
			}
			for i, c := range clauses {
				sub, err := p.where(c, fmt.Sprintf("%s/%d", kp, i), depth+1)
				if err != nil {
					return nil, err
				}
				if sub == nil {
					sub = &Where{}
				}
				if k == "and" {
					w.And = append(w.And, sub)
				} else {
					w.Or = append(w.Or, sub)
				}
			}
			continue
		}
		if k == "" {
			return nil, invalid(path, "propertyName", nil, "must not have an empty property name")
		}
		conds, err := p.conditions(k, val, kp)
		if err != nil {
			return nil, err
		}
		w.Conds = append(w.Conds, conds...)
	}
	return w, nil
}

// conditions parses the value of one where key: a value (eq), or an object
// of operators.
func (p *parser) conditions(prop string, v any, path string) ([]Cond, error) {
	if err := p.count(path, 1); err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok || !hasOperator(m) {
		if arr, isList := v.([]any); isList {
			if err := p.count(path, len(arr)); err != nil {
				return nil, err
			}
		}
		return []Cond{{Path: prop, Op: Eq, Value: plainValue(v)}}, nil
	}
	var flags string
	if o, ok := m["options"]; ok {
		s, ok := o.(string)
		if !ok {
			return nil, invalid(path+"/options", "type", map[string]any{"type": "string"}, "must be string")
		}
		flags = s
	}
	var conds []Cond
	for _, k := range sortedKeys(m) {
		if k == "options" {
			continue
		}
		op, known := operators[k]
		kp := path + "/" + k
		if !known {
			return nil, invalid(kp, "operator", map[string]any{"operator": k}, "unknown operator %q", k)
		}
		val, err := p.operand(op, m[k], kp, flags)
		if err != nil {
			return nil, err
		}
		conds = append(conds, Cond{Path: prop, Op: op, Value: val})
	}
	return conds, nil
}

func hasOperator(m map[string]any) bool {
	for k := range m {
		if _, ok := operators[k]; ok {
			return true
		}
	}
	return false
}

// plainValue converts json.Number to int64 or float64, recursively, so
// that values in the AST are record-typed.
func plainValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plainValue(e)
		}
		return out
	}
	return v
}

func isScalar(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return false
	}
	return true
}

func (p *parser) operand(op Op, v any, path, flags string) (any, error) {
	switch op {
	case Eq, Neq:
		if arr, ok := v.([]any); ok {
			if err := p.count(path, len(arr)); err != nil {
				return nil, err
			}
		}
		return plainValue(v), nil
	case Gt, Gte, Lt, Lte:
		if !isScalar(v) {
			return nil, invalid(path, "type", nil, "must be a single value")
		}
		return plainValue(v), nil
	case Inq, Nin:
		arr, ok := list(v)
		if !ok {
			if !isScalar(v) {
				return nil, invalid(path, "type", map[string]any{"type": "array"}, "must be array")
			}
			arr = []any{v}
		}
		if err := p.count(path, len(arr)); err != nil {
			return nil, err
		}
		for i, e := range arr {
			if !isScalar(e) {
				return nil, invalid(fmt.Sprintf("%s/%d", path, i), "type", nil, "must be a single value")
			}
		}
		return plainValue(arr), nil
	case Between:
		arr, ok := list(v)
		if !ok || len(arr) != 2 || !isScalar(arr[0]) || !isScalar(arr[1]) {
			return nil, invalid(path, "type", map[string]any{"type": "array"}, "must be an array of two values")
		}
		return plainValue(arr), nil
	case Exists:
		b, ok := boolValue(v)
		if !ok {
			return nil, invalid(path, "type", map[string]any{"type": "boolean"}, "must be boolean")
		}
		return b, nil
	case Like, Nlike, Ilike, Nilike:
		s, ok := v.(string)
		if !ok {
			return nil, invalid(path, "type", map[string]any{"type": "string"}, "must be string")
		}
		return s, nil
	case Regexp:
		s, ok := v.(string)
		if !ok {
			return nil, invalid(path, "type", map[string]any{"type": "string"}, "must be string")
		}
		rv, err := ParseRegexp(s)
		if err != nil {
			return nil, invalid(path, "format", map[string]any{"format": "regex"}, "%v", err)
		}
		if flags != "" {
			rv.Flags += flags
			if rv.re, err = rv.compile(); err != nil {
				return nil, invalid(path, "format", map[string]any{"format": "regex"}, "%v", err)
			}
		}
		return rv, nil
	}
	return nil, invalid(path, "operator", nil, "unknown operator %q", op)
}

// ParseRegexp reads a regexp condition value: "^a" or "/^a/i", and compiles
// it. Flags i, m and s change the match; g is accepted and ignored. The
// pattern uses Go's RE2 syntax, which covers the common JavaScript
// patterns (no lookaround or backreferences).
func ParseRegexp(s string) (*RegexpValue, error) {
	rv := &RegexpValue{Pattern: s}
	if len(s) >= 2 && s[0] == '/' {
		if i := strings.LastIndexByte(s, '/'); i > 0 {
			rv.Pattern, rv.Flags = s[1:i], s[i+1:]
		}
	}
	re, err := rv.compile()
	if err != nil {
		return nil, err
	}
	rv.re = re
	return rv, nil
}

// compile compiles the pattern with its flags.
func (r *RegexpValue) compile() (*regexp.Regexp, error) {
	var goFlags strings.Builder
	for _, f := range r.Flags {
		switch f {
		case 'i', 'm', 's':
			if !strings.ContainsRune(goFlags.String(), f) {
				goFlags.WriteRune(f)
			}
		case 'g':
		default:
			return nil, fmt.Errorf("unsupported regexp flag %q", f)
		}
	}
	src := r.Pattern
	if goFlags.Len() > 0 {
		src = "(?" + goFlags.String() + ")" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, fmt.Errorf("invalid regexp /%s/: %s", jsonmsg.Excerpt(r.Pattern), se.Code)
		}
		return nil, fmt.Errorf("invalid regexp /%s/: %w", jsonmsg.Excerpt(r.Pattern), err)
	}
	return re, nil
}

// Regexp returns the compiled regular expression of r (compiled once by the
// parser, or now for a value built by hand).
func (r *RegexpValue) Regexp() (*regexp.Regexp, error) {
	if r.re != nil {
		return r.re, nil
	}
	return r.compile()
}

// String writes r as "/pattern/flags".
func (r *RegexpValue) String() string { return "/" + r.Pattern + "/" + r.Flags }
