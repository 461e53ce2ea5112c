package memory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
)

// likeSource turns a like pattern into the regular expression LoopBack's
// memory connector (loopback-datasource-juggler, lib/connectors/memory.js)
// tests values with: every % becomes .* and every _ becomes ., and every
// other character is kept, so that the pattern is otherwise a regular
// expression ("^d", "a.c", "x|y"), matched anywhere in the value. (The
// juggler escapes the pattern's special characters and then unescapes
// them, which leaves them as they were; a backslash before % or _ stays a
// backslash, before the .* or . they become.)
func likeSource(pattern string) string {
	if !strings.ContainsAny(pattern, "%_") {
		return pattern
	}
	var b strings.Builder
	b.Grow(len(pattern) + 8)
	for i := range len(pattern) {
		switch c := pattern[i]; c {
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

// negLike is a nlike or nilike condition evaluated before the rewritten
// clause: key is set in the record to whether m does not match.
type negLike struct {
	key string
	m   *filter.Matcher
}

// likeClause rewrites the like, nlike, ilike and nilike conditions of w
// to LoopBack's memory connector semantics (see likeSource): like and
// ilike become regexp conditions (ilike ignoring case); nlike and nilike
// become a test of a key of their own that the caller sets to
// !neg.m.Match(rec) before matching the record (so they match a missing or
// null value, which the pattern does not match). w is returned as is when
// it has none. An invalid regular expression is a 400 error in the shape
// of the filter package's.
func likeClause(w *filter.Where) (*filter.Where, []negLike, error) {
	if w == nil || !hasLike(w) {
		return w, nil, nil
	}
	var negs []negLike
	var rewrite func(w *filter.Where, path string) (*filter.Where, error)
	rewrite = func(w *filter.Where, path string) (*filter.Where, error) {
		if w == nil {
			return nil, nil
		}
		out := &filter.Where{Conds: make([]filter.Cond, len(w.Conds))}
		for i, c := range w.Conds {
			out.Conds[i] = c
			p, ok := c.Value.(string)
			if !ok {
				continue // not a pattern: filter.Compile reports it
			}
			flags := ""
			switch c.Op {
			case filter.Ilike, filter.Nilike:
				flags = "i"
			case filter.Like, filter.Nlike:
			default:
				continue
			}
			src := likeSource(p)
			if _, err := regexp.Compile(src); err != nil {
				return nil, filter.InvalidPattern(path+"/"+filter.PointerEscape(c.Path)+"/"+string(c.Op), p, err)
			}
			rv := &filter.RegexpValue{Pattern: src, Flags: flags}
			pos := filter.Cond{Path: c.Path, Op: filter.Regexp, Value: rv}
			if c.Op == filter.Like || c.Op == filter.Ilike {
				out.Conds[i] = pos
				continue
			}
			m, err := filter.Compile(&filter.Where{Conds: []filter.Cond{pos}})
			if err != nil {
				return nil, fmt.Errorf("memory: %w", err)
			}
			key := "\x00nlike" + strconv.Itoa(len(negs))
			negs = append(negs, negLike{key: key, m: m})
			out.Conds[i] = filter.Cond{Path: key, Op: filter.Eq, Value: true}
		}
		for i, sub := range w.And {
			x, err := rewrite(sub, path+"/and/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out.And = append(out.And, x)
		}
		for i, sub := range w.Or {
			x, err := rewrite(sub, path+"/or/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out.Or = append(out.Or, x)
		}
		return out, nil
	}
	out, err := rewrite(w, "/where")
	if err != nil {
		return nil, nil, err
	}
	return out, negs, nil
}

// hasLike reports whether w has a like, nlike, ilike or nilike condition.
func hasLike(w *filter.Where) bool {
	if w == nil {
		return false
	}
	for _, c := range w.Conds {
		switch c.Op {
		case filter.Like, filter.Nlike, filter.Ilike, filter.Nilike:
			return true
		}
	}
	for _, x := range w.And {
		if hasLike(x) {
			return true
		}
	}
	for _, x := range w.Or {
		if hasLike(x) {
			return true
		}
	}
	return false
}

// setNegs sets the keys of the nlike and nilike conditions in rec.
func setNegs(rec connector.Record, negs []negLike) {
	for _, n := range negs {
		rec[n.key] = !n.m.Match(rec)
	}
}
