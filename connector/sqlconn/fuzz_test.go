package sqlconn_test

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
)

// fuzzReader turns fuzz input into a stream of choices.
type fuzzReader struct{ data []byte }

func (r *fuzzReader) next() int {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return int(b)
}

// str takes a string of up to 16 bytes from the input.
func (r *fuzzReader) str() string {
	n := r.next() % 17
	if n > len(r.data) {
		n = len(r.data)
	}
	s := string(r.data[:n])
	r.data = r.data[n:]
	return s
}

// marker wraps a value so that the test can tell whether a value reached
// the SQL text.
const marker = "\u00ab"

var ops = []filter.Op{"", filter.Eq, filter.Neq, filter.Gt, filter.Gte, filter.Lt, filter.Lte, filter.Inq, filter.Nin,
	filter.Between, filter.Exists, filter.Like, filter.Nlike, filter.Ilike, filter.Nilike, filter.Regexp, "bogus"}

func (r *fuzzReader) path() string {
	paths := []string{"id", "title", "isComplete", "due", "meta", "meta.a", "meta.a.b", "meta.0"}
	c := r.next() % (len(paths) + 2)
	switch {
	case c < len(paths):
		return paths[c]
	case c == len(paths):
		return "meta." + r.str()
	}
	return r.str()
}

func (r *fuzzReader) value(depth int) any {
	switch r.next() % 9 {
	case 0:
		return nil
	case 1:
		return marker + r.str() + marker
	case 2:
		return int64(r.next()) - 100
	case 3:
		return float64(r.next()) / 7
	case 4:
		return r.next()%2 == 0
	case 5:
		return time.Unix(int64(r.next())*86400, 0).UTC()
	case 6:
		if depth > 1 {
			return nil
		}
		n := r.next() % 5
		l := make([]any, n)
		for i := range l {
			l[i] = r.value(depth + 1)
		}
		return l
	case 7:
		return &filter.RegexpValue{Pattern: regexp.QuoteMeta(marker + r.str()), Flags: []string{"", "i", "g", "x"}[r.next()%4]}
	}
	return "/" + regexp.QuoteMeta(marker+r.str()) + "/i"
}

func (r *fuzzReader) where(depth int) *filter.Where {
	if r.next()%5 == 0 {
		return nil
	}
	w := &filter.Where{}
	for n := r.next() % 4; n > 0; n-- {
		w.Conds = append(w.Conds, filter.Cond{Path: r.path(), Op: ops[r.next()%len(ops)], Value: r.value(0)})
	}
	if depth < 3 {
		for n := r.next() % 3; n > 0; n-- {
			w.And = append(w.And, r.where(depth+1))
		}
		for n := r.next() % 3; n > 0; n-- {
			w.Or = append(w.Or, r.where(depth+1))
		}
	}
	return w
}

func (r *fuzzReader) filter() *filter.Filter {
	f := &filter.Filter{Where: r.where(0), Limit: r.next() - 20, Skip: r.next() - 20}
	for n := r.next() % 3; n > 0; n-- {
		f.Order = append(f.Order, filter.Order{Property: r.path(), Desc: r.next()%2 == 0})
	}
	switch r.next() % 3 {
	case 1:
		f.Fields = &filter.Fields{Include: []string{r.path()}}
	case 2:
		f.Fields = &filter.Fields{Exclude: []string{r.path()}}
	}
	return f
}

var dollar = regexp.MustCompile(`\$([0-9]+)`)

// checkBound fails when a value reached the SQL text or the placeholders do
// not match the arguments one to one.
func checkBound(t *testing.T, d sqlconn.Dialect, q *sqlconn.Query) {
	t.Helper()
	if strings.Contains(q.SQL, marker) {
		t.Fatalf("%s: a value reached the SQL text: %s", d.Name(), q.SQL)
	}
	if d.Name() == "postgresql" {
		seen := map[int]bool{}
		for _, m := range dollar.FindAllStringSubmatch(q.SQL, -1) {
			n, _ := strconv.Atoi(m[1])
			if n < 1 || n > len(q.Args) {
				t.Fatalf("placeholder $%d with %d args: %s", n, len(q.Args), q.SQL)
			}
			seen[n] = true
		}
		if len(seen) != len(q.Args) {
			t.Fatalf("%d placeholders for %d args: %s", len(seen), len(q.Args), q.SQL)
		}
		return
	}
	if n := strings.Count(q.SQL, "?"); n != len(q.Args) {
		t.Fatalf("%s: %d placeholders for %d args: %s", d.Name(), n, len(q.Args), q.SQL)
	}
}

// FuzzSelect compiles random filters on a fixed model for every dialect:
// the compiler never panics, rejects bad input with fault.BadRequest only,
// and never puts a value into the SQL text.
func FuzzSelect(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x03\x01\x01\x05hello\x00\x00\x00"))
	f.Add([]byte("\x01\x02\x05\x06\x07\x03\x01abc\x02\x05\x00\x00\x01\x01\x02\x02\x04"))
	dialects := []sqlconn.Dialect{postgres.Dialect{}, mysql.Dialect{}, sqlite.Dialect{}}
	tables := make([]*sqlconn.Table, len(dialects))
	for i, d := range dialects {
		tb, err := sqlconn.NewTable(d.Name(), todoDef())
		if err != nil {
			f.Fatal(err)
		}
		tables[i] = tb
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, d := range dialects {
			flt := (&fuzzReader{data: data}).filter()
			q, err := sqlconn.Select(d, tables[i], flt)
			if err != nil {
				if !errors.Is(err, fault.BadRequest) {
					t.Fatalf("%s: error of kind %v: %v", d.Name(), fault.KindOf(err), err)
				}
				continue
			}
			checkBound(t, d, q)
			if uq, err := sqlconn.Update(d, tables[i], flt.Where, map[string]any{"title": marker}); err == nil {
				checkBound(t, d, uq)
			}
			if dq, err := sqlconn.Delete(d, tables[i], flt.Where); err == nil {
				checkBound(t, d, dq)
			}
		}
	})
}

// FuzzParseRegexp parses regexp values in the "/pattern/flags" form: no
// panic, and an accepted value has a pattern Go compiles and known flags.
func FuzzParseRegexp(f *testing.F) {
	for _, s := range []string{"^a", "/^a/i", "/a/gim", "//", "/", "/(/", "/a/z", "a/b/c", `/\d+/s`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rv, err := sqlconn.ParseRegexp(s)
		if err != nil {
			return
		}
		if _, err := regexp.Compile(rv.Pattern); err != nil {
			t.Fatalf("accepted %q with a pattern that does not compile: %v", s, err)
		}
		if strings.Trim(rv.Flags, "igms") != "" {
			t.Fatalf("accepted %q with flags %q", s, rv.Flags)
		}
	})
}
