package filter

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Matcher is a compiled where clause: evaluating it does no parsing and no
// regular-expression compilation. A Matcher is immutable and safe for
// concurrent use; the nil *Matcher matches every record.
type Matcher struct {
	fn func(rec map[string]any) bool
}

// Compile compiles a where clause for repeated evaluation. A nil clause
// compiles to a matcher of every record. It fails on malformed conditions
// (an unknown operator, between without two values, a bad regexp), which a
// parsed and validated clause never has.
//
// The semantics are those of the SQL connectors, so that every connector
// answers a query alike:
//
//   - eq null matches a missing or null value; neq null a present one;
//   - neq, nin and the other negations also match a missing or null value
//     (they negate eq and inq), except nlike and nilike, which never
//     match null;
//   - gt, gte, lt, lte and between never match null; they compare numbers
//     (int64 and float64 alike), strings (bytewise), dates and booleans;
//   - like and ilike are anchored SQL patterns: % is any run, _ one
//     character, \ escapes; every other character is literal. ilike folds
//     case. The memory connector rewrites like, nlike, ilike and nilike
//     into regular expressions before it calls Compile, as LoopBack's
//     memory connector does (unanchored, % and _ as wildcards), so
//     "^a" or "a.c" act as regexps there; the SQL connectors keep these
//     anchored SQL patterns;
//   - regexp uses Go's RE2 syntax with the flags i, m and s;
//   - like, ilike and regexp compare strings, and integers by their
//     decimal text ("12%" matches 12 and 120); other values never match
//     (validation refuses these operators on other types);
//   - exists true matches a present, non-null value;
//   - a dotted path walks nested objects; a condition on an array (or
//     through an array of objects) matches when any element matches, and
//     eq with an array value also matches an equal array.
func Compile(w *Where) (*Matcher, error) {
	if w == nil {
		return nil, nil
	}
	fn, err := compileWhere(w, 0)
	if err != nil {
		return nil, err
	}
	return &Matcher{fn: fn}, nil
}

// Match reports whether rec satisfies the clause.
func (m *Matcher) Match(rec map[string]any) bool {
	if m == nil {
		return true
	}
	return m.fn(rec)
}

// Match reports whether rec satisfies w; a nil w matches everything. It
// compiles w on every call: use [Compile] to evaluate a clause against many
// records. A clause that does not compile matches nothing.
func Match(w *Where, rec map[string]any) bool {
	m, err := Compile(w)
	if err != nil {
		return false
	}
	return m.Match(rec)
}

func compileWhere(w *Where, depth int) (func(map[string]any) bool, error) {
	if depth > MaxDepth*2 {
		return nil, fmt.Errorf("where clause nested too deeply")
	}
	var conds, ands, ors []func(map[string]any) bool
	for i := range w.Conds {
		fn, err := compileCond(&w.Conds[i])
		if err != nil {
			return nil, err
		}
		conds = append(conds, fn)
	}
	for _, sub := range w.And {
		if sub == nil {
			continue
		}
		fn, err := compileWhere(sub, depth+1)
		if err != nil {
			return nil, err
		}
		ands = append(ands, fn)
	}
	for _, sub := range w.Or {
		if sub == nil {
			ors = append(ors, func(map[string]any) bool { return true })
			continue
		}
		fn, err := compileWhere(sub, depth+1)
		if err != nil {
			return nil, err
		}
		ors = append(ors, fn)
	}
	all := append(conds, ands...)
	if len(all) == 1 && len(ors) == 0 {
		return all[0], nil
	}
	return func(rec map[string]any) bool {
		for _, fn := range all {
			if !fn(rec) {
				return false
			}
		}
		if len(ors) == 0 {
			return true
		}
		for _, fn := range ors {
			if fn(rec) {
				return true
			}
		}
		return false
	}, nil
}

// test is a positive test on a leaf value; present is false when the path
// reaches nothing.
type test func(v any, present bool) bool

func compileCond(c *Cond) (func(map[string]any) bool, error) {
	if c.Via != nil {
		return nil, fmt.Errorf("where %s: a condition across relation %s is evaluated by the repository, not on one record", c.Path, c.Via.Relation.Name)
	}
	op := c.Op
	if op == "" {
		op = Eq
	}
	negate := false
	switch op {
	case Neq:
		op, negate = Eq, true
	case Nin:
		op, negate = Inq, true
	case Nlike:
		op, negate = Like, true
	case Nilike:
		op, negate = Ilike, true
	}
	t, err := compileTest(op, c.Value)
	if err != nil {
		return nil, fmt.Errorf("where %s: %w", c.Path, err)
	}
	path := c.Path
	segs := strings.Split(path, ".")
	dotted := len(segs) > 1
	nullMatches := op != Like && op != Ilike // nlike and nilike never match null
	return func(rec map[string]any) bool {
		var v any
		var present, ok bool
		if v, present = rec[path]; present || !dotted {
			ok = evalLeaf(v, present, t)
		} else {
			ok = eval(rec, segs, t)
			v, present = lookup(rec, segs)
		}
		if !negate {
			return ok
		}
		if !nullMatches && (!present || v == nil) {
			return false
		}
		return !ok
	}, nil
}

// lookup follows segs through nested objects (not arrays).
func lookup(rec map[string]any, segs []string) (any, bool) {
	var cur any = rec
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[s]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// eval walks segs below v; arrays on the way match when any element does.
func eval(v map[string]any, segs []string, t test) bool {
	e, ok := v[segs[0]]
	if len(segs) == 1 {
		return evalLeaf(e, ok, t)
	}
	switch x := e.(type) {
	case map[string]any:
		return eval(x, segs[1:], t)
	case []any:
		for _, el := range x {
			if m, ok := el.(map[string]any); ok && eval(m, segs[1:], t) {
				return true
			}
		}
		return false
	}
	return t(nil, false)
}

// evalLeaf applies t to a value; an array matches when t matches it as a
// whole or any of its elements.
func evalLeaf(v any, present bool, t test) bool {
	if t(v, present) {
		return true
	}
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			if t(e, true) {
				return true
			}
		}
	}
	return false
}

func compileTest(op Op, want any) (test, error) {
	switch op {
	case Eq:
		if want == nil {
			return func(v any, present bool) bool { return !present || v == nil }, nil
		}
		return func(v any, _ bool) bool { return Equal(v, want) }, nil
	case Inq:
		vals, ok := want.([]any)
		if !ok {
			vals = []any{want}
		}
		return func(v any, present bool) bool {
			for _, w := range vals {
				if w == nil {
					if !present || v == nil {
						return true
					}
				} else if Equal(v, w) {
					return true
				}
			}
			return false
		}, nil
	case Gt, Gte, Lt, Lte:
		if want == nil {
			return func(any, bool) bool { return false }, nil
		}
		return func(v any, _ bool) bool {
			if v == nil {
				return false
			}
			c, ok := Compare(v, want)
			if !ok {
				return false
			}
			switch op {
			case Gt:
				return c > 0
			case Gte:
				return c >= 0
			case Lt:
				return c < 0
			}
			return c <= 0
		}, nil
	case Between:
		vals, ok := want.([]any)
		if !ok || len(vals) != 2 {
			return nil, fmt.Errorf("between takes two values")
		}
		lo, hi := vals[0], vals[1]
		return func(v any, _ bool) bool {
			if v == nil || lo == nil || hi == nil {
				return false
			}
			a, ok1 := Compare(v, lo)
			b, ok2 := Compare(v, hi)
			return ok1 && ok2 && a >= 0 && b <= 0
		}, nil
	case Exists:
		b, ok := want.(bool)
		if !ok {
			return nil, fmt.Errorf("exists takes true or false")
		}
		return func(v any, present bool) bool { return (present && v != nil) == b }, nil
	case Like, Ilike:
		p, ok := want.(string)
		if !ok {
			return nil, fmt.Errorf("%s takes a string pattern", op)
		}
		if op == Like {
			if fn := simpleLike(p); fn != nil {
				return func(v any, _ bool) bool {
					s, ok := matchText(v)
					return ok && fn(s)
				}, nil
			}
		}
		re := likeRegexp(p, op == Ilike)
		return func(v any, _ bool) bool {
			s, ok := matchText(v)
			return ok && re.MatchString(s)
		}, nil
	case Regexp:
		var rv *RegexpValue
		switch x := want.(type) {
		case *RegexpValue:
			rv = x
		case RegexpValue:
			rv = &x
		case string:
			var err error
			if rv, err = ParseRegexp(x); err != nil {
				return nil, err
			}
		}
		if rv == nil {
			return nil, fmt.Errorf("regexp takes a pattern")
		}
		re, err := rv.Regexp()
		if err != nil {
			return nil, err
		}
		return func(v any, _ bool) bool {
			s, ok := matchText(v)
			return ok && re.MatchString(s)
		}, nil
	}
	return nil, fmt.Errorf("unknown operator %q", op)
}

// matchText returns the text like and regexp compare: a string, or the
// decimal text of an integer (as the SQL connectors compare it).
func matchText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	}
	return "", false
}

// LikePattern translates a SQL LIKE pattern to an anchored Go regular
// expression: % is any run of characters, _ one character, a backslash
// escapes the next character, anything else is literal.
func LikePattern(p string, foldCase bool) string {
	var b strings.Builder
	if foldCase {
		b.WriteString("(?is)^")
	} else {
		b.WriteString("(?s)^")
	}
	esc := false
	for _, r := range p {
		switch {
		case esc:
			b.WriteString(regexp.QuoteMeta(string(r)))
			esc = false
		case r == '\\':
			esc = true
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if esc {
		b.WriteString(`\\`)
	}
	b.WriteString("$")
	return b.String()
}

// simpleLike returns a string test for the common case-sensitive patterns
// "abc", "abc%", "%abc" and "%abc%" (no other wildcard or escape), or nil.
func simpleLike(p string) func(string) bool {
	lead := strings.HasPrefix(p, "%")
	trail := len(p) > 1 && strings.HasSuffix(p, "%")
	core := p
	if lead {
		core = core[1:]
	}
	if trail {
		core = core[:len(core)-1]
	}
	if strings.ContainsAny(core, "%_\\") {
		return nil
	}
	switch {
	case lead && trail:
		return func(s string) bool { return strings.Contains(s, core) }
	case lead:
		return func(s string) bool { return strings.HasSuffix(s, core) }
	case trail:
		return func(s string) bool { return strings.HasPrefix(s, core) }
	}
	return func(s string) bool { return s == core }
}

func likeRegexp(p string, fold bool) *regexp.Regexp {
	// Every character is quoted, so the expression always compiles.
	return regexp.MustCompile(LikePattern(p, fold))
}

// Equal reports whether two record values are equal: numbers by value
// across int64 and float64, dates by instant, arrays and objects deeply.
// nil equals only nil.
func Equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	}
	c, ok := Compare(a, b)
	return ok && c == 0
}

// Compare orders two scalar record values of comparable types: numbers
// (int64 and float64 alike), strings (bytewise), booleans (false first),
// dates and buffers. ok is false when they are not comparable; nil is not
// comparable with anything.
func Compare(a, b any) (c int, ok bool) {
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp3(x < y, x > y), true
		case float64:
			return cmp3(float64(x) < y, float64(x) > y), true
		}
	case float64:
		switch y := b.(type) {
		case int64:
			return cmp3(x < float64(y), x > float64(y)), true
		case float64:
			return cmp3(x < y, x > y), true
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp3(!x && y, x && !y), true
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), true
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return bytes.Compare(x, y), true
		}
	}
	return 0, false
}

func cmp3(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}
