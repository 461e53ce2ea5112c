package memory

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/loopback-go/lb/filter"
)

// matcher evaluates where clauses against records. It caches compiled
// regular expressions (like patterns and regexp values) by their source.
type matcher struct {
	mu sync.Mutex
	re map[string]*regexp.Regexp
}

const maxCachedRegexps = 1024

func (m *matcher) compile(src string) (*regexp.Regexp, error) {
	m.mu.Lock()
	re, ok := m.re[src]
	m.mu.Unlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.re == nil || len(m.re) >= maxCachedRegexps {
		m.re = make(map[string]*regexp.Regexp)
	}
	m.re[src] = re
	m.mu.Unlock()
	return re, nil
}

// match reports whether rec satisfies w.
func (m *matcher) match(w *filter.Where, rec map[string]any) (bool, error) {
	if w == nil {
		return true, nil
	}
	for i := range w.Conds {
		ok, err := m.cond(&w.Conds[i], rec)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, sub := range w.And {
		ok, err := m.match(sub, rec)
		if err != nil || !ok {
			return false, err
		}
	}
	if len(w.Or) == 0 {
		return true, nil
	}
	for _, sub := range w.Or {
		ok, err := m.match(sub, rec)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// lookup follows a dotted path into nested objects.
func lookup(rec map[string]any, path string) (any, bool) {
	if v, ok := rec[path]; ok || !strings.Contains(path, ".") {
		return v, ok
	}
	var cur any = rec
	for part := range strings.SplitSeq(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func (m *matcher) cond(c *filter.Cond, rec map[string]any) (bool, error) {
	v, _ := lookup(rec, c.Path)
	switch c.Op {
	case filter.Exists:
		want, _ := c.Value.(bool)
		return (v != nil) == want, nil
	case filter.Neq:
		ok, err := m.test(filter.Eq, c.Value, v)
		return !ok, err
	case filter.Nin:
		ok, err := m.test(filter.Inq, c.Value, v)
		return !ok, err
	case filter.Nlike:
		if v == nil {
			return false, nil
		}
		ok, err := m.test(filter.Like, c.Value, v)
		return !ok, err
	case filter.Nilike:
		if v == nil {
			return false, nil
		}
		ok, err := m.test(filter.Ilike, c.Value, v)
		return !ok, err
	}
	return m.test(c.Op, c.Value, v)
}

// test applies a positive operator to a stored value; an array value
// matches when any of its elements does.
func (m *matcher) test(op filter.Op, want, v any) (bool, error) {
	if arr, ok := v.([]any); ok && op != filter.Between {
		if op == filter.Eq {
			if w, ok := want.([]any); ok {
				return equal(arr, w), nil
			}
		}
		for _, e := range arr {
			ok, err := m.test(op, want, e)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	switch op {
	case filter.Eq:
		return equal(want, v), nil
	case filter.Inq:
		list, ok := want.([]any)
		if !ok {
			list = []any{want}
		}
		for _, e := range list {
			if equal(e, v) {
				return true, nil
			}
		}
		return false, nil
	case filter.Gt, filter.Gte, filter.Lt, filter.Lte:
		c, ok := compare(v, want)
		if !ok || v == nil || want == nil {
			return false, nil
		}
		switch op {
		case filter.Gt:
			return c > 0, nil
		case filter.Gte:
			return c >= 0, nil
		case filter.Lt:
			return c < 0, nil
		}
		return c <= 0, nil
	case filter.Between:
		list, ok := want.([]any)
		if !ok || len(list) != 2 || v == nil {
			return false, nil
		}
		lo, ok1 := compare(v, list[0])
		hi, ok2 := compare(v, list[1])
		return ok1 && ok2 && lo >= 0 && hi <= 0, nil
	case filter.Like, filter.Ilike:
		s, ok := v.(string)
		p, pok := want.(string)
		if !ok || !pok {
			return false, nil
		}
		re, err := m.compile(likeToRegexp(p, op == filter.Ilike))
		if err != nil {
			return false, fmt.Errorf("memory: %s pattern %q: %w", op, p, err)
		}
		return re.MatchString(s), nil
	case filter.Regexp:
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		re, err := m.compile(regexpSource(want))
		if err != nil {
			return false, fmt.Errorf("memory: regexp %v: %w", want, err)
		}
		return re.MatchString(s), nil
	}
	return false, fmt.Errorf("memory: unsupported operator %q", op)
}

// regexpSource turns a regexp condition value into Go syntax with flags.
func regexpSource(v any) string {
	var pattern, flags string
	switch r := v.(type) {
	case *filter.RegexpValue:
		pattern, flags = r.Pattern, r.Flags
	case filter.RegexpValue:
		pattern, flags = r.Pattern, r.Flags
	case string:
		pattern = r
		if len(r) >= 2 && r[0] == '/' {
			if end := strings.LastIndexByte(r, '/'); end > 0 {
				pattern, flags = r[1:end], r[end+1:]
			}
		}
	default:
		pattern = fmt.Sprint(v)
	}
	var goFlags strings.Builder
	for _, f := range flags {
		if f == 'i' || f == 'm' || f == 's' {
			goFlags.WriteRune(f)
		}
	}
	if goFlags.Len() > 0 {
		return "(?" + goFlags.String() + ")" + pattern
	}
	return pattern
}

// likeToRegexp translates a SQL LIKE pattern: % is any run of characters,
// _ one character, \ escapes the next one; the match is anchored.
func likeToRegexp(p string, fold bool) string {
	var b strings.Builder
	if fold {
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
	b.WriteString("$")
	return b.String()
}

// equal compares two record values; numbers compare by value across int64
// and float64, times by instant.
func equal(a, b any) bool {
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
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	}
	c, ok := compare(a, b)
	return ok && c == 0
}

// compare orders two scalar record values of comparable types. nil sorts
// before everything.
func compare(a, b any) (int, bool) {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0, true
		case a == nil:
			return -1, true
		}
		return 1, true
	}
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

// orderRank sorts values of different types in a fixed order so that a
// sort over mixed values is still a total order.
func orderRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64:
		return 2
	case string:
		return 3
	case time.Time:
		return 4
	case []byte:
		return 5
	}
	return 6
}

// sortCompare is compare extended to a total order over all values.
func sortCompare(a, b any) int {
	if c, ok := compare(a, b); ok {
		return c
	}
	ra, rb := orderRank(a), orderRank(b)
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}
