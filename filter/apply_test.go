package filter

import (
	"reflect"
	"testing"
)

func ids(recs []map[string]any) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = r["id"]
	}
	return out
}

func sample() []map[string]any {
	return []map[string]any{
		{"id": int64(3), "title": "b", "n": 2.0},
		{"id": int64(1), "title": "a", "n": nil},
		{"id": int64(4), "title": "b", "n": 1.0},
		{"id": int64(2), "title": "c"},
	}
}

func TestSort(t *testing.T) {
	d := todoDef(t)
	tests := []struct {
		name  string
		order []Order
		want  []any
	}{
		{"default by id", nil, []any{int64(1), int64(2), int64(3), int64(4)}},
		{"title asc stable", []Order{{Property: "title"}}, []any{int64(1), int64(3), int64(4), int64(2)}},
		{"title desc then id desc", []Order{{Property: "title", Desc: true}, {Property: "id", Desc: true}}, []any{int64(2), int64(4), int64(3), int64(1)}},
		{"nulls first", []Order{{Property: "n"}}, []any{int64(1), int64(2), int64(4), int64(3)}},
		{"nulls last desc", []Order{{Property: "n", Desc: true}}, []any{int64(3), int64(4), int64(1), int64(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := sample()
			Sort(recs, tt.order, d)
			if got := ids(recs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v; want %v", got, tt.want)
			}
		})
	}
}

func TestSortCompareTotal(t *testing.T) {
	vals := []any{nil, true, int64(1), 2.5, "a", []any{1}}
	for i := range vals {
		for j := range vals {
			c := SortCompare(vals[i], vals[j])
			switch {
			case i < j && c >= 0, i > j && c <= 0, i == j && c != 0:
				t.Errorf("SortCompare(%v, %v) = %d", vals[i], vals[j], c)
			}
		}
	}
}

func TestProject(t *testing.T) {
	rec := map[string]any{"id": int64(1), "title": "a", "desc": "d"}
	if got := Project(rec, &Fields{Include: []string{"title", "missing"}}); !reflect.DeepEqual(got, map[string]any{"title": "a"}) {
		t.Errorf("include: got %v", got)
	}
	if got := Project(rec, &Fields{Exclude: []string{"desc"}}); !reflect.DeepEqual(got, map[string]any{"id": int64(1), "title": "a"}) {
		t.Errorf("exclude: got %v", got)
	}
	if got := Project(rec, nil); len(got) != 3 {
		t.Errorf("nil fields: got %v", got)
	}
	if len(rec) != 3 {
		t.Errorf("input modified: %v", rec)
	}
}

func TestPage(t *testing.T) {
	s := []int{1, 2, 3, 4, 5}
	tests := []struct {
		limit, skip int
		want        []int
	}{
		{0, 0, []int{1, 2, 3, 4, 5}},
		{2, 0, []int{1, 2}},
		{2, 1, []int{2, 3}},
		{10, 3, []int{4, 5}},
		{0, 5, []int{}},
		{1, 9, []int{}},
	}
	for _, tt := range tests {
		if got := Page(s, tt.limit, tt.skip); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Page(limit %d, skip %d) = %v; want %v", tt.limit, tt.skip, got, tt.want)
		}
	}
}

func TestApply(t *testing.T) {
	d := todoDef(t)
	f, err := ParseJSON([]byte(`{"where":{"title":{"neq":"c"}},"order":"title DESC","limit":2,"skip":1,"fields":["id"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Validate(d); err != nil {
		t.Fatal(err)
	}
	recs := sample()
	got, err := Apply(recs, f, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"id": int64(4)}, {"id": int64(1)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
	if recs[0]["id"] != int64(3) || len(recs[0]) != 3 {
		t.Errorf("input modified: %v", recs)
	}
}

func TestBuilder(t *testing.T) {
	f := New().
		Where(Prop("isComplete").Eq(false)).
		Where(Or(Prop("title").Like("buy%"), Prop("tags").Inq("urgent"))).
		Order("title DESC", "id").
		Limit(10).Skip(5).
		Fields("id", "title").
		Include("todoList", New().Limit(1).Filter()).
		Filter()
	want := &Filter{
		Where: &Where{And: []*Where{
			{Conds: []Cond{{Path: "isComplete", Op: Eq, Value: false}}},
			{Or: []*Where{
				{Conds: []Cond{{Path: "title", Op: Like, Value: "buy%"}}},
				{Conds: []Cond{{Path: "tags", Op: Inq, Value: []any{"urgent"}}}},
			}},
		}},
		Order:   []Order{{Property: "title", Desc: true}, {Property: "id"}},
		Limit:   10,
		Skip:    5,
		Fields:  &Fields{Include: []string{"id", "title"}},
		Include: []Inclusion{{Relation: "todoList", Scope: &Filter{Limit: 1}}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got %s; want %s", dump(f), dump(want))
	}
	if err := f.Validate(todoDef(t)); err != nil {
		t.Errorf("built filter does not validate: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("Order with a bad term did not panic")
		}
	}()
	New().Order("title SIDEWAYS")
}
