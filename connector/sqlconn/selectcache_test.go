package sqlconn_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/filter"
)

// TestSelectShapeCache checks that a statement served from the cache of
// filter shapes is the one a table without a cache compiles: same text,
// arguments converted from the new values, same columns, same errors.
func TestSelectShapeCache(t *testing.T) {
	day := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	// Each shape with two sets of values: the first fills the cache, the
	// second is compiled from it.
	shapes := []struct {
		name  string
		build func(v int) *filter.Filter
	}{
		{"no filter", func(int) *filter.Filter { return &filter.Filter{} }},
		{"by id", func(v int) *filter.Filter { return &filter.Filter{Where: w("id", filter.Eq, int64(v))} }},
		{"by id limit", func(v int) *filter.Filter { return &filter.Filter{Where: w("id", "", int64(v)), Limit: v} }},
		{"limit skip", func(v int) *filter.Filter { return &filter.Filter{Limit: v, Skip: 2 * v} }},
		{"skip only", func(v int) *filter.Filter { return &filter.Filter{Skip: v} }},
		{"neq gt", func(v int) *filter.Filter {
			return &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{
				{Path: "title", Op: filter.Neq, Value: fmt.Sprint("t", v)}, {Path: "due", Op: filter.Gt, Value: day.AddDate(0, 0, v)}}}}
		}},
		{"lt lte gte on a renamed column", func(v int) *filter.Filter {
			return &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{
				{Path: "id", Op: filter.Lt, Value: int64(v)}, {Path: "id", Op: filter.Gte, Value: int64(-v)},
				{Path: "isComplete", Op: filter.Lte, Value: v%2 == 0}}}}
		}},
		{"order", func(v int) *filter.Filter {
			return &filter.Filter{Order: []filter.Order{{Property: "title", Desc: true}, {Property: "id"}}, Limit: v}
		}},
		{"coerced value", func(v int) *filter.Filter { return &filter.Filter{Where: w("title", filter.Eq, int64(v))} }},
	}
	for _, d := range []sqlconn.Dialect{postgres.Dialect{}, mysql.Dialect{}, sqlite.Dialect{}} {
		cached, err := sqlconn.NewTable(d.Name(), todoDef())
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range shapes {
			if _, err := sqlconn.Select(d, cached, sh.build(3)); err != nil {
				t.Fatalf("%s %s: %v", d.Name(), sh.name, err)
			}
			f := sh.build(7)
			got, err := sqlconn.Select(d, cached, f)
			if err != nil {
				t.Fatalf("%s %s: %v", d.Name(), sh.name, err)
			}
			fresh, _ := sqlconn.NewTable(d.Name(), todoDef())
			want, err := sqlconn.Select(d, fresh, f)
			if err != nil {
				t.Fatal(err)
			}
			if got.SQL != want.SQL || !reflect.DeepEqual(got.Args, want.Args) || got.Empty != want.Empty ||
				len(got.Columns) != len(want.Columns) || len(got.Patterns) != len(want.Patterns) {
				t.Errorf("%s %s: cached %q %#v; want %q %#v", d.Name(), sh.name, got.SQL, got.Args, want.SQL, want.Args)
			}
		}
		// The values of a cached shape are still checked.
		bad := &filter.Filter{Where: w("title", filter.Eq, "a\x00b")}
		fresh, _ := sqlconn.NewTable(d.Name(), todoDef())
		_, errFresh := sqlconn.Select(d, fresh, bad)
		_, errCached := sqlconn.Select(d, cached, bad)
		if errFresh == nil || errCached == nil || errFresh.Error() != errCached.Error() {
			t.Errorf("%s: NUL in a value of a cached shape: %v; uncached: %v", d.Name(), errCached, errFresh)
		}
		badDate := &filter.Filter{Where: w("due", filter.Gt, "not a date")}
		_, errFresh = sqlconn.Select(d, fresh, badDate)
		_, errCached = sqlconn.Select(d, cached, badDate)
		if errFresh == nil || errCached == nil || errFresh.Error() != errCached.Error() {
			t.Errorf("%s: bad date in a cached shape: %v; uncached: %v", d.Name(), errCached, errFresh)
		}
	}
}

// TestInsertTextCache checks that INSERT statements served from the cache
// of column sets are the ones a table without a cache compiles.
func TestInsertTextCache(t *testing.T) {
	recs := []map[string]any{
		{"title": "a", "isComplete": true},
		{"title": "b", "isComplete": false},
		{"title": "c"},
		{"title": "d", "id": int64(9), "due": time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)},
		{"title": "e", "id": nil},
		{},
		{"title": "f", "meta": map[string]any{"k": 1.0}},
	}
	for _, d := range []sqlconn.Dialect{postgres.Dialect{}, mysql.Dialect{}, sqlite.Dialect{}} {
		cached, _ := sqlconn.NewTable(d.Name(), todoDef())
		for round := range 2 {
			for i, rec := range recs {
				for _, returning := range []bool{true, false} {
					got, err := sqlconn.Insert(d, cached, rec, returning)
					if err != nil {
						t.Fatal(err)
					}
					fresh, _ := sqlconn.NewTable(d.Name(), todoDef())
					want, err := sqlconn.Insert(d, fresh, rec, returning)
					if err != nil {
						t.Fatal(err)
					}
					if got.SQL != want.SQL || !reflect.DeepEqual(got.Args, want.Args) || len(got.Columns) != len(want.Columns) {
						t.Errorf("%s round %d record %d returning %v: %q %#v; want %q %#v",
							d.Name(), round, i, returning, got.SQL, got.Args, want.SQL, want.Args)
					}
				}
			}
		}
	}
}
