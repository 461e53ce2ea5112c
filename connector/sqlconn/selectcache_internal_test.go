package sqlconn

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// plainDialect is the part of a Dialect that Select uses.
type plainDialect struct{ Dialect }

func (plainDialect) Name() string                              { return "testdb" }
func (plainDialect) Quote(s string) string                     { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func (plainDialect) Placeholder(n int) string                  { return "$" + strconv.Itoa(n) }
func (plainDialect) ToDB(c *Column, v any) (any, error)        { return CommonToDB(c, v) }
func (plainDialect) LimitOffset(b *Builder, limit, offset int) { LimitOffset(b, limit, offset, "") }

// TestSelectShapesBounded checks that the cache of filter shapes keeps at
// most MaxSelectShapes statements, and that filters of other shapes still
// compile, and that filters it must not cache are left out.
func TestSelectShapesBounded(t *testing.T) {
	props := []*model.Property{{Name: "id", Type: model.Number, Integer: true, ID: 1}}
	for i := range 20 {
		props = append(props, &model.Property{Name: fmt.Sprint("p", i), Type: model.String})
	}
	tb, err := NewTable("testdb", &model.Definition{Name: "T", Properties: props})
	if err != nil {
		t.Fatal(err)
	}
	d := plainDialect{}
	ops := []filter.Op{filter.Eq, filter.Neq, filter.Gt, filter.Gte, filter.Lt, filter.Lte}
	n := 0
	for i := range 20 {
		for _, op := range ops {
			for _, limit := range []int{0, 5} {
				f := &filter.Filter{Where: w(fmt.Sprint("p", i), op, "x"), Limit: limit}
				q, err := Select(d, tb, f)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(q.SQL, fmt.Sprintf(`"p%d"`, i)) {
					t.Fatalf("%v: %s", f, q.SQL)
				}
				n++
			}
		}
	}
	if got := tb.prefixes(d).selects.len(); n <= MaxSelectShapes || got != MaxSelectShapes {
		t.Errorf("%d shapes compiled, %d cached; want %d", n, got, MaxSelectShapes)
	}
	// Not cached: inq, null, or clauses, projections.
	tb2, _ := NewTable("testdb", &model.Definition{Name: "T", Properties: props})
	for _, f := range []*filter.Filter{
		{Where: w("p1", filter.Inq, []any{"a", "b"})},
		{Where: w("p1", filter.Eq, nil)},
		{Where: &filter.Where{Or: []*filter.Where{w("p1", filter.Eq, "a"), w("p2", filter.Eq, "b")}}},
		{Fields: &filter.Fields{Include: []string{"p1"}}},
		{Where: w("nope", filter.Eq, "a")},
	} {
		_, _ = Select(d, tb2, f)
	}
	if got := tb2.prefixes(d).selects.len(); got != 0 {
		t.Errorf("%d shapes cached; want none", got)
	}
}

func w(path string, op filter.Op, v any) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: path, Op: op, Value: v}}}
}

// TestSelectEmptyFilterCached checks that the statement of a filter with
// nothing in it (GET /todos) is cached like the others, and that the
// cached statement is the one compiled.
func TestSelectEmptyFilterCached(t *testing.T) {
	tb, err := NewTable("testdb", &model.Definition{Name: "T", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1}, {Name: "title", Type: model.String}}})
	if err != nil {
		t.Fatal(err)
	}
	d := plainDialect{}
	first, err := Select(d, tb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := tb.prefixes(d).selects.len(); got != 1 {
		t.Fatalf("%d shapes cached after the empty filter; want 1", got)
	}
	for _, f := range []*filter.Filter{nil, {}} {
		q, err := Select(d, tb, f)
		if err != nil {
			t.Fatal(err)
		}
		if q.SQL != first.SQL || len(q.Args) != 0 || len(q.Columns) != 2 {
			t.Errorf("Select(%v) = %q %v %d columns; want %q, no args, 2 columns", f, q.SQL, q.Args, len(q.Columns), first.SQL)
		}
	}
	if got := tb.prefixes(d).selects.len(); got != 1 {
		t.Errorf("%d shapes cached; want 1", got)
	}
}
