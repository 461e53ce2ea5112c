package mongodb

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// query is a compiled where clause: a MongoDB query document, or, when
// the clause holds a condition the server cannot evaluate (like or regexp
// on an integer, which LoopBack compares by its decimal text and MongoDB
// cannot without $expr), a matcher evaluated on the documents in Go.
type query struct {
	doc   bson.D
	match func(map[string]any) bool // nil: doc says everything
}

// compileWhere compiles w for mm. Every value goes to the server as a
// value: maps and strings holding "$" are compared with $eq, never read as
// operators, and patterns are validated here (a 400 before the database).
func (mm *modelMap) compileWhere(w *filter.Where) (*query, error) {
	if w == nil {
		return &query{doc: bson.D{}}, nil
	}
	if mm.needsGo(w) {
		fn, err := mm.goWhere(w, "/where")
		if err != nil {
			return nil, err
		}
		return &query{doc: bson.D{}, match: fn}, nil
	}
	d, err := mm.whereDoc(w, "/where")
	if err != nil {
		return nil, err
	}
	return &query{doc: d}, nil
}

func isText(op filter.Op) bool {
	switch op {
	case filter.Like, filter.Nlike, filter.Ilike, filter.Nilike, filter.Regexp:
		return true
	}
	return false
}

// needsGo reports whether w compares the text of a non-string value.
func (mm *modelMap) needsGo(w *filter.Where) bool {
	if w == nil {
		return false
	}
	for _, c := range w.Conds {
		if isText(c.Op) {
			if p := mm.propAt(c.Path); p != nil && p.Type == model.Number {
				return true
			}
		}
	}
	for _, x := range w.And {
		if mm.needsGo(x) {
			return true
		}
	}
	for _, x := range w.Or {
		if mm.needsGo(x) {
			return true
		}
	}
	return false
}

func (mm *modelMap) whereDoc(w *filter.Where, path string) (bson.D, error) {
	var and bson.A
	for _, c := range w.Conds {
		e, err := mm.condDoc(c, path+"/"+filter.PointerEscape(c.Path)+"/"+string(c.Op))
		if err != nil {
			return nil, err
		}
		and = append(and, e)
	}
	for i, sub := range w.And {
		if sub == nil {
			continue
		}
		d, err := mm.whereDoc(sub, path+"/and/"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		and = append(and, d)
	}
	if len(w.Or) > 0 {
		var or bson.A
		for i, sub := range w.Or {
			if sub == nil {
				or = append(or, bson.D{})
				continue
			}
			d, err := mm.whereDoc(sub, path+"/or/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			or = append(or, d)
		}
		and = append(and, bson.D{{Key: "$or", Value: or}})
	}
	switch len(and) {
	case 0:
		return bson.D{}, nil
	case 1:
		return and[0].(bson.D), nil
	}
	return bson.D{{Key: "$and", Value: and}}, nil
}

// condValue converts a condition's value for the field it tests.
func (mm *modelMap) condValue(c filter.Cond, v any) any { return mm.propValue(c.Path, v) }

// bothForms reports whether a 24-hex-digit string compared with property
// path is to match an ObjectId too: on a string property that is neither
// the id nor declared an ObjectId, where data written by LoopBack (which
// stores strings that look like ObjectIds, such as foreign keys, as
// ObjectIds) may hold either form.
func (mm *modelMap) bothForms(path string) bool {
	if mm.oid[path] || mm.id != nil && path == mm.id.Name {
		return false
	}
	p := mm.def.Property(path)
	return p != nil && p.Type == model.String
}

// withObjectIDs adds the ObjectId form of every 24-hex-digit string.
func withObjectIDs(vs bson.A) bson.A {
	out := vs
	for _, v := range vs {
		if oid, ok := objectID(v); ok {
			out = append(out, oid)
		}
	}
	return out
}

func (mm *modelMap) condDoc(c filter.Cond, ptr string) (bson.D, error) {
	f := mm.fieldOf(c.Path)
	one := func(op string, v any) (bson.D, error) {
		return bson.D{{Key: f, Value: bson.D{{Key: op, Value: v}}}}, nil
	}
	list := func() bson.A {
		vs, _ := c.Value.([]any)
		out := make(bson.A, len(vs))
		for i, v := range vs {
			out[i] = mm.condValue(c, v)
		}
		return out
	}
	switch c.Op {
	case filter.Eq:
		v := mm.condValue(c, c.Value)
		if oid, ok := objectID(v); ok && mm.bothForms(c.Path) {
			return one("$in", bson.A{v, oid})
		}
		switch v.(type) {
		case string, int64, float64, bool, bson.DateTime, bson.ObjectID:
			// A scalar cannot be read as an operator; the plain form lets
			// the server use its fast paths (FerretDB pushes it down).
			return bson.D{{Key: f, Value: v}}, nil
		}
		return one("$eq", v)
	case filter.Neq:
		v := mm.condValue(c, c.Value)
		if oid, ok := objectID(v); ok && mm.bothForms(c.Path) {
			return one("$nin", bson.A{v, oid})
		}
		return one("$ne", v)
	case filter.Gt, filter.Gte, filter.Lt, filter.Lte:
		if c.Value == nil {
			return bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{}}}}}, nil // never matches null
		}
		return one("$"+string(c.Op), mm.condValue(c, c.Value))
	case filter.Inq, filter.Nin:
		vs := list()
		if mm.bothForms(c.Path) {
			vs = withObjectIDs(vs)
		}
		return one(map[filter.Op]string{filter.Inq: "$in", filter.Nin: "$nin"}[c.Op], vs)
	case filter.Between:
		vs := list()
		if len(vs) != 2 {
			return nil, fmt.Errorf("mongodb: between on %s: want two values", c.Path)
		}
		return bson.D{{Key: f, Value: bson.D{{Key: "$gte", Value: vs[0]}, {Key: "$lte", Value: vs[1]}}}}, nil
	case filter.Exists:
		if b, _ := c.Value.(bool); b {
			return one("$ne", nil)
		}
		return one("$eq", nil)
	case filter.Like, filter.Nlike, filter.Ilike, filter.Nilike, filter.Regexp:
		re, err := pattern(c, ptr)
		if err != nil {
			return nil, err
		}
		if c.Op == filter.Nlike || c.Op == filter.Nilike {
			return one("$not", re)
		}
		return bson.D{{Key: f, Value: re}}, nil
	}
	return nil, fmt.Errorf("mongodb: unknown operator %q", c.Op)
}

// pattern returns the regular expression of a like, nlike, ilike, nilike
// or regexp condition, checked to compile (Go's RE2 syntax is a subset of
// what the server accepts). Like patterns are LoopBack's MongoDB and
// memory connectors' regular expressions: % is any run of characters, _
// any one character, everything else is regular-expression syntax,
// matched anywhere in the value; ilike and nilike ignore case.
func pattern(c filter.Cond, ptr string) (bson.Regex, error) {
	var src, flags, given string
	switch c.Op {
	case filter.Regexp:
		var rv *filter.RegexpValue
		switch x := c.Value.(type) {
		case *filter.RegexpValue:
			rv = x
		case string:
			var err error
			if rv, err = filter.ParseRegexp(x); err != nil {
				return bson.Regex{}, filter.InvalidPattern(ptr, x, err)
			}
		default:
			return bson.Regex{}, filter.InvalidPattern(ptr, fmt.Sprint(c.Value), errors.New("not a pattern"))
		}
		src, given = rv.Pattern, rv.String()
		for _, r := range rv.Flags {
			switch r {
			case 'i', 'm', 's':
				flags += string(r)
			case 'g', 'u', 'y':
			default:
				return bson.Regex{}, filter.InvalidPattern(ptr, given, fmt.Errorf("unknown flag %q", r))
			}
		}
	default:
		s, ok := c.Value.(string)
		if !ok {
			return bson.Regex{}, filter.InvalidPattern(ptr, fmt.Sprint(c.Value), errors.New("not a pattern"))
		}
		src, given = likeSource(s), s
		if c.Op == filter.Ilike || c.Op == filter.Nilike {
			flags = "i"
		}
	}
	goSrc := src
	if flags != "" {
		goSrc = "(?" + flags + ")" + src
	}
	if _, err := regexp.Compile(goSrc); err != nil {
		return bson.Regex{}, filter.InvalidPattern(ptr, given, err)
	}
	return bson.Regex{Pattern: src, Options: flags}, nil
}

// likeSource turns a like pattern into a regular expression: every % is
// .* and every _ is ., other characters are kept.
func likeSource(p string) string {
	if !strings.ContainsAny(p, "%_") {
		return p
	}
	var b strings.Builder
	for i := range len(p) {
		switch c := p[i]; c {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteByte('.')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// goWhere compiles w to a Go matcher of records: text conditions test the
// text of strings and the decimal text of integers; the others are the
// filter package's (the semantics of the other connectors).
func (mm *modelMap) goWhere(w *filter.Where, path string) (func(map[string]any) bool, error) {
	var fns []func(map[string]any) bool
	for _, c := range w.Conds {
		if !isText(c.Op) {
			m, err := filter.Compile(&filter.Where{Conds: []filter.Cond{c}})
			if err != nil {
				return nil, fmt.Errorf("mongodb: %w", err)
			}
			fns = append(fns, m.Match)
			continue
		}
		rx, err := pattern(c, path+"/"+filter.PointerEscape(c.Path)+"/"+string(c.Op))
		if err != nil {
			return nil, err
		}
		src := rx.Pattern
		if rx.Options != "" {
			src = "(?" + rx.Options + ")" + src
		}
		re := regexp.MustCompile(src) // checked by pattern
		neg := c.Op == filter.Nlike || c.Op == filter.Nilike
		p := c.Path
		fns = append(fns, func(rec map[string]any) bool {
			s, ok := textAt(rec, p)
			return ok && re.MatchString(s) != neg || !ok && neg
		})
	}
	for i, sub := range w.And {
		if sub == nil {
			continue
		}
		fn, err := mm.goWhere(sub, path+"/and/"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		fns = append(fns, fn)
	}
	if len(w.Or) > 0 {
		var ors []func(map[string]any) bool
		for i, sub := range w.Or {
			if sub == nil {
				ors = append(ors, func(map[string]any) bool { return true })
				continue
			}
			fn, err := mm.goWhere(sub, path+"/or/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			ors = append(ors, fn)
		}
		fns = append(fns, func(rec map[string]any) bool {
			for _, fn := range ors {
				if fn(rec) {
					return true
				}
			}
			return false
		})
	}
	return func(rec map[string]any) bool {
		for _, fn := range fns {
			if !fn(rec) {
				return false
			}
		}
		return true
	}, nil
}

// textAt returns the text a like or regexp compares at a dotted path.
func textAt(rec map[string]any, path string) (string, bool) {
	var v any = rec
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		v = m[k]
	}
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		if x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10), true
		}
	}
	return "", false
}

// byID reports whether w selects by id equality alone (at most one
// instance: no sort needed, which lets the server take its fast path).
func (mm *modelMap) byID(w *filter.Where) bool {
	return mm.id != nil && w != nil && len(w.Conds) == 1 && len(w.And) == 0 && len(w.Or) == 0 &&
		w.Conds[0].Op == filter.Eq && w.Conds[0].Path == mm.id.Name && w.Conds[0].Value != nil
}

// sortDoc is the sort of an order: the given terms, then the id.
func (mm *modelMap) sortDoc(order []filter.Order) bson.D {
	d := make(bson.D, 0, len(order)+1)
	seen := false
	for _, o := range order {
		f := mm.fieldOf(o.Property)
		if f == "_id" {
			seen = true
		}
		dir := 1
		if o.Desc {
			dir = -1
		}
		d = append(d, bson.E{Key: f, Value: dir})
	}
	if !seen {
		d = append(d, bson.E{Key: "_id", Value: 1})
	}
	return d
}

// projection is the projection of fields, nil for every field.
func (mm *modelMap) projection(fields *filter.Fields) bson.D {
	if fields == nil {
		return nil
	}
	if len(fields.Include) > 0 {
		d := bson.D{}
		id := false
		for _, p := range fields.Include {
			f := mm.fieldOf(p)
			if f == "_id" {
				id = true
			}
			d = append(d, bson.E{Key: f, Value: 1})
		}
		if !id {
			d = append(d, bson.E{Key: "_id", Value: 0})
		}
		return d
	}
	if len(fields.Exclude) > 0 {
		d := bson.D{}
		for _, p := range fields.Exclude {
			d = append(d, bson.E{Key: mm.fieldOf(p), Value: 0})
		}
		return d
	}
	return nil
}
