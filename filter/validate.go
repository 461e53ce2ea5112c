package filter

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// ValidateOptions adjust [Filter.ValidateWith]. The zero value is what
// [Filter.Validate] uses: the rules for a filter from a client.
type ValidateOptions struct {
	// Registry resolves relation targets, so that include scopes are
	// validated against them; without it only relation names are checked.
	Registry *model.Registry
	// AllowHidden lets where, order and fields name hidden properties.
	// Filters from clients must not (a where on a hidden property is an
	// oracle for its value); server code querying by, say, a password hash
	// sets it.
	AllowHidden bool
}

// Validate checks f against the model and coerces its where values to the
// property types, in place (see [Check] for a copy):
//
//   - every property in where, fields and order must exist (dotted paths
//     reach into nested objects; properties of type any, and free-form
//     objects, accept any path below them); models declared non-strict
//     accept unknown names. Hidden properties count as unknown;
//   - where values are coerced: "1" to 1 for numbers, "false" to false for
//     booleans, RFC 3339 strings to time.Time for dates, base64 to []byte
//     for buffers; an array given as an equality value becomes inq;
//   - include entries must name relations of the model.
//
// Errors are *fault.Error of kind BadRequest: INVALID_PARAMETER_VALUE
// naming the property, or INVALID_INCLUSION_FILTER with LoopBack's message
// (Invalid "filter.include" entries: "foo").
func (f *Filter) Validate(def *model.Definition) error {
	return f.ValidateWith(def, ValidateOptions{})
}

// ValidateWith is [Filter.Validate] with options.
func (f *Filter) ValidateWith(def *model.Definition, opts ValidateOptions) error {
	v := &validator{opts: opts}
	return v.filter(f, def, "", 0)
}

// Validate checks a where clause against the model and coerces its values
// in place, like [Filter.Validate]; error paths are relative to the clause.
func (w *Where) Validate(def *model.Definition) error {
	v := &validator{}
	return v.where(w, def, "", 0)
}

// ValidateWith is [Where.Validate] with options.
func (w *Where) ValidateWith(def *model.Definition, opts ValidateOptions) error {
	v := &validator{opts: opts}
	return v.where(w, def, "", 0)
}

// Check returns a validated copy of f, leaving f unchanged; a nil f gives an
// empty filter.
func Check(f *Filter, def *model.Definition, opts ValidateOptions) (*Filter, error) {
	c := f.Clone()
	if c == nil {
		c = &Filter{}
	}
	if err := c.ValidateWith(def, opts); err != nil {
		return nil, err
	}
	return c, nil
}

// Clone returns a deep copy of f's structure (condition values, which are
// treated as immutable, are shared).
func (f *Filter) Clone() *Filter {
	if f == nil {
		return nil
	}
	c := *f
	c.Where = f.Where.Clone()
	if f.Fields != nil {
		c.Fields = &Fields{Include: slices.Clone(f.Fields.Include), Exclude: slices.Clone(f.Fields.Exclude)}
	}
	c.Order = slices.Clone(f.Order)
	if f.Include != nil {
		c.Include = make([]Inclusion, len(f.Include))
		for i, inc := range f.Include {
			inc.Scope = inc.Scope.Clone()
			c.Include[i] = inc
		}
	}
	return &c
}

// Clone returns a deep copy of w's structure.
func (w *Where) Clone() *Where {
	if w == nil {
		return nil
	}
	c := &Where{Conds: slices.Clone(w.Conds)}
	for _, a := range w.And {
		c.And = append(c.And, a.Clone())
	}
	for _, o := range w.Or {
		c.Or = append(c.Or, o.Clone())
	}
	return c
}

type validator struct {
	opts ValidateOptions
}

func (v *validator) filter(f *Filter, def *model.Definition, path string, depth int) error {
	if f == nil {
		return nil
	}
	if depth > MaxDepth {
		return invalid(path, "maxDepth", map[string]any{"limit": MaxDepth}, "is nested too deeply")
	}
	if f.Limit < 0 {
		return invalid(path+"/limit", "minimum", map[string]any{"comparison": ">=", "limit": 1}, "must be >= 1")
	}
	if f.Skip < 0 {
		return invalid(path+"/skip", "minimum", map[string]any{"comparison": ">=", "limit": 0}, "must be >= 0")
	}
	if err := v.where(f.Where, def, path+"/where", depth); err != nil {
		return err
	}
	if f.Fields != nil {
		for _, list := range [][]string{f.Fields.Include, f.Fields.Exclude} {
			for _, name := range list {
				if p := def.Property(name); (p == nil || p.Hidden && !v.opts.AllowHidden) && !lenient(def) {
					return unknownProperty(path+"/fields", name, def)
				}
			}
		}
	}
	for i := range f.Order {
		o := &f.Order[i]
		if link, err := v.relatedPath(def, o.Property, fmt.Sprintf("%s/order/%d", path, i)); err != nil || link != nil {
			if err != nil {
				return err
			}
			if link.Relation.Type != model.BelongsTo && link.Relation.Type != model.HasOne {
				return invalid(fmt.Sprintf("%s/order/%d", path, i), "relation", map[string]any{"relation": link.Relation.Name},
					"cannot order by %q: relation %s is a %s relation (order across belongsTo and hasOne relations only)", o.Property, link.Relation.Name, link.Relation.Type)
			}
			if _, err := v.property(link.Target, RelatedPath(o.Property)); err != nil {
				return unknownProperty(fmt.Sprintf("%s/order/%d", path, i), o.Property, def)
			}
			o.Via = link
			continue
		}
		if _, err := v.property(def, o.Property); err != nil {
			return unknownProperty(fmt.Sprintf("%s/order/%d", path, i), o.Property, def)
		}
	}
	var bad []string
	for _, inc := range f.Include {
		rel := def.Relation(inc.Relation)
		if rel == nil {
			if inc.short {
				b, _ := json.Marshal(inc.Relation)
				bad = append(bad, string(b))
			} else {
				b, _ := json.Marshal(map[string]string{"relation": inc.Relation})
				bad = append(bad, string(b))
			}
			continue
		}
		if inc.TotalLimit < 0 {
			return invalid(path+"/include", "minimum", map[string]any{"comparison": ">=", "limit": 1}, "totalLimit must be >= 1")
		}
		if inc.Scope != nil && v.opts.Registry != nil {
			target, ok := v.opts.Registry.Lookup(rel.Target)
			if !ok {
				return fmt.Errorf("validate include %q: target model %s is not registered", inc.Relation, rel.Target)
			}
			if err := v.filter(inc.Scope, target, path+"/include/"+inc.Relation+"/scope", depth+1); err != nil {
				return err
			}
		}
	}
	if len(bad) > 0 {
		e := fault.New(fault.BadRequest, CodeInvalidInclusion, `Invalid "filter.include" entries: `+strings.Join(bad, "; "))
		e.Name = "Error"
		return e
	}
	return nil
}

func lenient(def *model.Definition) bool { return def.Settings.Strict == model.StrictFalse }

func unknownProperty(path, name string, def *model.Definition) error {
	return invalid(path, "property", map[string]any{"property": name},
		"unknown property %q of model %s", name, def.Name)
}

// property resolves a path; nil with no error means a free-form path of a
// lenient model (no coercion).
func (v *validator) property(def *model.Definition, path string) (*model.Property, error) {
	head, _, _ := strings.Cut(path, ".")
	if top := def.Property(head); top != nil && top.Hidden && !v.opts.AllowHidden {
		return nil, fmt.Errorf("hidden")
	}
	p, ok := def.Path(path)
	if !ok {
		if lenient(def) && def.Property(head) == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("unknown")
	}
	return p, nil
}

// relatedPath resolves a path that starts with a relation name
// ("todoList.color") when the validator has a registry: the link of the
// relation, or nil for a path of the model's own properties. Relations
// across hasManyThrough are refused (fault.BadRequest).
func (v *validator) relatedPath(def *model.Definition, path, errPath string) (*model.Link, error) {
	head, _, dotted := strings.Cut(path, ".")
	if !dotted || v.opts.Registry == nil || def.Property(head) != nil || def.Relation(head) == nil {
		return nil, nil
	}
	link, err := v.opts.Registry.Resolve(def, head)
	if err != nil {
		return nil, unknownProperty(errPath, path, def)
	}
	if link.Relation.Type == model.HasManyThrough || link.Relation.Type == model.ReferencesMany || link.Relation.Polymorphic != "" {
		return nil, invalid(errPath, "relation", map[string]any{"relation": head},
			"cannot query across relation %s: %s relations are not supported in where and order", head, link.Relation.Type)
	}
	return link, nil
}

func (v *validator) where(w *Where, def *model.Definition, path string, depth int) error {
	if w == nil {
		return nil
	}
	if depth > MaxDepth*2 {
		return invalid(path, "maxDepth", map[string]any{"limit": MaxDepth}, "is nested too deeply")
	}
	for i := range w.Conds {
		c := &w.Conds[i]
		cp := path + "/" + c.Path
		link, err := v.relatedPath(def, c.Path, cp)
		if err != nil {
			return err
		}
		target, prop := def, c.Path
		if link != nil {
			target, prop = link.Target, RelatedPath(c.Path)
		}
		p, err := v.property(target, prop)
		if err != nil {
			return unknownProperty(cp, c.Path, def)
		}
		if c.Op == "" {
			c.Op = Eq
		}
		if err := coerceCond(c, p, cp); err != nil {
			return err
		}
		c.Via = link
	}
	for i, sub := range w.And {
		if err := v.where(sub, def, fmt.Sprintf("%s/and/%d", path, i), depth+1); err != nil {
			return err
		}
	}
	for i, sub := range w.Or {
		if err := v.where(sub, def, fmt.Sprintf("%s/or/%d", path, i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// scalarOf returns the property whose type a value compared with p must
// have: p itself, or the element type of an array. Free-form properties
// give nil (no coercion).
func scalarOf(p *model.Property) *model.Property {
	for p != nil && p.Type == model.Array && p.Items != nil {
		p = p.Items
	}
	if p == nil {
		return nil
	}
	switch p.Type {
	case model.String, model.Number, model.Boolean, model.Date, model.Buffer:
		return p
	}
	return nil
}

func coerceCond(c *Cond, p *model.Property, path string) error {
	s := scalarOf(p)
	opPath := path + "/" + string(c.Op)
	coerceList := func(vals []any) ([]any, error) {
		out := make([]any, len(vals))
		for i, e := range vals {
			x, err := coerce(s, e, fmt.Sprintf("%s/%d", opPath, i))
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	switch c.Op {
	case Eq, Neq:
		switch x := c.Value.(type) {
		case []any:
			if p != nil && p.Type == model.Array {
				vals, err := coerceList(x)
				if err != nil {
					return err
				}
				c.Value = vals
				return nil
			}
			if s == nil {
				return nil
			}
			vals, err := coerceList(x)
			if err != nil {
				return err
			}
			c.Value = vals
			if c.Op == Eq {
				c.Op = Inq
			} else {
				c.Op = Nin
			}
			return nil
		case map[string]any:
			if s != nil {
				keys := make([]string, 0, len(x))
				for k := range x {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				if len(keys) == 0 {
					return invalid(path, "type", map[string]any{"type": jsonType(s)}, "must be %s", jsonType(s))
				}
				return invalid(path+"/"+keys[0], "operator", map[string]any{"operator": keys[0]}, "unknown operator %q", keys[0])
			}
			return nil
		}
		x, err := coerce(s, c.Value, path)
		if err != nil {
			return err
		}
		c.Value = x
	case Gt, Gte, Lt, Lte:
		x, err := coerce(s, c.Value, opPath)
		if err != nil {
			return err
		}
		c.Value = x
	case Inq, Nin, Between:
		vals, ok := c.Value.([]any)
		if !ok {
			if c.Op == Between {
				return invalid(opPath, "type", map[string]any{"type": "array"}, "must be an array of two values")
			}
			vals = []any{c.Value}
		}
		if c.Op == Between && len(vals) != 2 {
			return invalid(opPath, "type", map[string]any{"type": "array"}, "must be an array of two values")
		}
		out, err := coerceList(vals)
		if err != nil {
			return err
		}
		c.Value = out
	case Exists:
		b, ok := boolValue(c.Value)
		if !ok {
			return invalid(opPath, "type", map[string]any{"type": "boolean"}, "must be boolean")
		}
		c.Value = b
	case Like, Nlike, Ilike, Nilike:
		x, ok := c.Value.(string)
		if !ok {
			return invalid(opPath, "type", map[string]any{"type": "string"}, "must be string")
		}
		if err := matchable(s, c.Op, opPath); err != nil {
			return err
		}
		if err := checkText(x, opPath); err != nil {
			return err
		}
	case Regexp:
		if err := matchable(s, c.Op, opPath); err != nil {
			return err
		}
		if x, ok := c.Value.(string); ok {
			if err := checkText(x, opPath); err != nil {
				return err
			}
		}
		switch x := c.Value.(type) {
		case string:
			rv, err := ParseRegexp(x)
			if err != nil {
				return invalid(opPath, "format", map[string]any{"format": "regex"}, "%v", err)
			}
			c.Value = rv
		case *RegexpValue:
			if _, err := x.Regexp(); err != nil {
				return invalid(opPath, "format", map[string]any{"format": "regex"}, "%v", err)
			}
		case RegexpValue:
			if _, err := x.Regexp(); err != nil {
				return invalid(opPath, "format", map[string]any{"format": "regex"}, "%v", err)
			}
			c.Value = &x
		default:
			return invalid(opPath, "type", map[string]any{"type": "string"}, "must be string")
		}
	default:
		return invalid(opPath, "operator", map[string]any{"operator": string(c.Op)}, "unknown operator %q", c.Op)
	}
	return nil
}

// matchable refuses like, ilike and regexp (and their negations) on a
// property that is neither a string nor an integer: they compare text, and
// integers are compared by their decimal text on every connector, while
// the text of other types (floats, booleans, dates) differs between
// databases.
func matchable(p *model.Property, op Op, path string) error {
	if p == nil || p.Type == model.String || (p.Type == model.Number && p.Integer) {
		return nil
	}
	return invalid(path, "type", map[string]any{"type": "string"},
		"operator %s applies to string and integer properties, not to %s", op, describeType(p))
}

// checkText refuses a string that no database compares alike (see
// model.TextProblem).
func checkText(s, path string) error {
	if p := model.TextProblem(s); p != "" {
		return invalid(path, "format", map[string]any{"format": "text"}, "%s", p)
	}
	return nil
}

func jsonType(p *model.Property) string {
	switch p.Type {
	case model.Number:
		if p.Integer {
			return "integer"
		}
		return "number"
	case model.Boolean:
		return "boolean"
	}
	return "string"
}

// coerce converts a where value to the record type of property p; a nil p
// (free-form) keeps the value. nil stays nil.
func coerce(p *model.Property, v any, path string) (any, error) {
	if p == nil || v == nil {
		return v, nil
	}
	bad := func() error {
		return invalid(path, "type", map[string]any{"type": jsonType(p)}, "must be %s", describeType(p))
	}
	switch p.Type {
	case model.String:
		switch x := v.(type) {
		case string:
			if err := checkText(x, path); err != nil {
				return nil, err
			}
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		case bool:
			return strconv.FormatBool(x), nil
		}
		return nil, bad()
	case model.Number:
		switch x := v.(type) {
		case int64:
			if p.Integer {
				return x, nil
			}
			return float64(x), nil
		case int:
			return coerce(p, int64(x), path)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, bad()
			}
			if p.Integer && x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return int64(x), nil
			}
			return x, nil
		case json.Number:
			return coerce(p, plainValue(x), path)
		case string:
			t := strings.TrimSpace(x)
			if p.Integer {
				if n, err := strconv.ParseInt(t, 10, 64); err == nil {
					return n, nil
				}
			}
			f, err := strconv.ParseFloat(t, 64)
			if err != nil || t == "" || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, bad()
			}
			return coerce(p, f, path)
		}
		return nil, bad()
	case model.Boolean:
		if b, ok := boolValue(v); ok {
			return b, nil
		}
		return nil, bad()
	case model.Date:
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t, nil
			}
			if t, err := time.Parse(time.DateOnly, x); err == nil {
				return t, nil
			}
		case int64:
			return time.UnixMilli(x).UTC(), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return time.UnixMilli(int64(x)).UTC(), nil
			}
		}
		return nil, bad()
	case model.Buffer:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			if b, err := base64.StdEncoding.DecodeString(x); err == nil {
				return b, nil
			}
		}
		return nil, bad()
	}
	return v, nil
}

func describeType(p *model.Property) string {
	switch p.Type {
	case model.Number:
		if p.Integer {
			return "integer"
		}
		return "number"
	case model.Date:
		return "a date (RFC 3339)"
	case model.Buffer:
		return "base64"
	}
	return string(p.Type)
}
