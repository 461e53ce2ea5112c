package connectortest

import (
	"slices"
	"testing"

	"github.com/loopback-go/lb/filter"
)

func (s *suite) testWhere(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	re := func(pattern, flags string) *filter.RegexpValue {
		return &filter.RegexpValue{Pattern: pattern, Flags: flags}
	}
	// A like pattern without wildcards matches the whole value in SQL and
	// anywhere in it as a regular expression.
	likeWhole := []int64{}
	if s.likeRegexp {
		likeWhole = []int64{3}
	}
	tests := []struct {
		name string
		w    *filter.Where
		want []int64
	}{
		{"eq string", where("title", filter.Eq, "destroy alderaan"), []int64{2}},
		{"eq integer", where("priority", filter.Eq, int64(3)), []int64{2}},
		{"eq integer given as int", where("priority", filter.Eq, 3), []int64{2}},
		{"eq float", where("score", filter.Eq, 2.5), []int64{2}},
		{"eq boolean", where("isComplete", filter.Eq, true), []int64{2, 4}},
		{"eq date", where("due", filter.Eq, date("2026-02-01T00:00:00Z")), []int64{2}},
		{"eq null", where("desc", filter.Eq, nil), []int64{3}},
		{"eq id", where("id", filter.Eq, int64(4)), []int64{4}},
		{"neq", where("priority", filter.Neq, int64(3)), []int64{1, 3, 4, 5}},
		{"neq boolean", where("isComplete", filter.Neq, true), []int64{1, 3, 5}},
		{"gt", where("priority", filter.Gt, int64(3)), []int64{4, 5}},
		{"gte", where("priority", filter.Gte, int64(3)), []int64{2, 4, 5}},
		{"lt", where("score", filter.Lt, 1.5), []int64{3}},
		{"lte", where("score", filter.Lte, 1.5), []int64{1, 3}},
		{"gt date", where("due", filter.Gt, date("2026-02-01T00:00:00Z")), []int64{3, 5}},
		{"lt string", where("address.zip", filter.Lt, "70000"), []int64{2, 5}},
		{"inq", where("priority", filter.Inq, []any{int64(1), int64(5), int64(42)}), []int64{1, 4}},
		{"inq strings", where("title", filter.Inq, []any{"learn go", "nothing"}), []int64{5}},
		{"inq ids", where("id", filter.Inq, []any{int64(5), int64(2)}), []int64{2, 5}},
		{"inq empty", where("priority", filter.Inq, []any{}), []int64{}},
		{"nin", where("priority", filter.Nin, []any{int64(1), int64(5)}), []int64{2, 3, 5}},
		{"nin empty", where("priority", filter.Nin, []any{}), []int64{1, 2, 3, 4, 5}},
		{"between numbers", where("priority", filter.Between, []any{int64(2), int64(4)}), []int64{2, 3, 5}},
		{"between floats", where("score", filter.Between, []any{1.5, 3.0}), []int64{1, 2, 5}},
		{"between dates", where("due", filter.Between, []any{date("2026-01-15T00:00:00Z"), date("2026-03-01T00:00:00Z")}), []int64{2, 3}},
		{"exists true", where("desc", filter.Exists, true), []int64{1, 2, 4, 5}},
		{"exists false", where("due", filter.Exists, false), []int64{4}},
		{"like prefix", where("title", filter.Like, "play%"), []int64{3}},
		{"like contains", where("title", filter.Like, "%space%"), []int64{3}},
		{"like underscore", where("title", filter.Like, "learn g_"), []int64{5}},
		{"like whole value", where("title", filter.Like, "space"), likeWhole},
		{"nlike", where("title", filter.Nlike, "%a%"), []int64{4}},
		{"ilike", where("title", filter.Ilike, "TAKE%"), []int64{1}},
		{"ilike contains", where("desc", filter.Ilike, "%mwa%"), []int64{1}},
		{"nilike", where("title", filter.Nilike, "%A%"), []int64{4}},
		{"regexp", where("title", filter.Regexp, re("^play", "")), []int64{3}},
		{"regexp anywhere", where("title", filter.Regexp, re("rebel", "")), []int64{4}},
		{"regexp alternation", where("title", filter.Regexp, re("^(learn|crush) ", "")), []int64{4, 5}},
		{"regexp flag i", where("title", filter.Regexp, re("^TAKE", "i")), []int64{1}},
		{"regexp no match", where("title", filter.Regexp, re("^zzz", "i")), []int64{}},
		{"regexp string form", where("title", filter.Regexp, "/GALAXY$/i"), []int64{1}},
		{"and", and(where("isComplete", filter.Eq, false), where("priority", filter.Gt, int64(1))), []int64{3, 5}},
		{"or", or(where("priority", filter.Eq, int64(1)), where("title", filter.Eq, "learn go")), []int64{1, 5}},
		{"and of or", and(or(where("priority", filter.Eq, int64(1)), where("priority", filter.Eq, int64(5))), where("isComplete", filter.Eq, true)), []int64{4}},
		{"or of and", or(and(where("priority", filter.Gte, int64(4)), where("isComplete", filter.Eq, false)), where("id", filter.Eq, int64(2))), []int64{2, 5}},
		{"conds with or", &filter.Where{
			Conds: []filter.Cond{{Path: "isComplete", Op: filter.Eq, Value: false}},
			Or:    []*filter.Where{where("priority", filter.Eq, int64(1)), where("priority", filter.Eq, int64(4))},
		}, []int64{1, 5}},
		{"two conds on one property", &filter.Where{Conds: []filter.Cond{
			{Path: "priority", Op: filter.Gt, Value: int64(1)}, {Path: "priority", Op: filter.Lt, Value: int64(4)},
		}}, []int64{2, 3}},
		{"nested eq", where("address.city", filter.Eq, "Paris"), []int64{1, 3}},
		{"nested neq", and(where("address.city", filter.Neq, "Paris"), where("address", filter.Exists, true)), []int64{2, 5}},
		{"nested inq", where("address.zip", filter.Inq, []any{"69001", "10115"}), []int64{2, 5}},
		{"nested like", where("address.zip", filter.Like, "750%"), []int64{1, 3}},
		// Values from query strings arrive as strings and are coerced.
		{"id as string", where("id", filter.Eq, "2"), []int64{2}},
		{"integer as string", where("priority", filter.Gt, "3"), []int64{4, 5}},
		{"boolean as string", where("isComplete", filter.Eq, "true"), []int64{2, 4}},
		{"date as string", where("due", filter.Eq, "2026-02-01T00:00:00.000Z"), []int64{2}},
		{"inq as strings", where("id", filter.Inq, []any{"1", "3"}), []int64{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Find(e.ctx, &filter.Filter{Where: tt.w})
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("Find: got ids %v; want %v", ids(got), tt.want)
			}
			n, err := r.Count(e.ctx, tt.w)
			if err != nil || n != int64(len(tt.want)) {
				t.Errorf("Count: got (%d, %v); want (%d, nil)", n, err, len(tt.want))
			}
		})
	}
}
