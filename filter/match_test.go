package filter

import (
	"testing"
	"time"
)

func TestMatchOperators(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	rec := map[string]any{
		"id":         int64(3),
		"title":      "Take over the galaxy",
		"score":      2.5,
		"done":       false,
		"nothing":    nil,
		"at":         day(10),
		"tags":       []any{"red", "blue"},
		"empty":      []any{},
		"address":    map[string]any{"city": "Paris", "zip": "75001"},
		"items":      []any{map[string]any{"sku": "a", "qty": int64(1)}, map[string]any{"sku": "b", "qty": int64(5)}},
		"dotted.key": "literal",
	}
	tests := []struct {
		name string
		w    *Where
		want bool
	}{
		{"eq string", Prop("title").Eq("Take over the galaxy"), true},
		{"eq string differs", Prop("title").Eq("take over the galaxy"), false},
		{"eq int vs float", Prop("id").Eq(3.0), true},
		{"eq float vs int", Prop("score").Eq(int64(2)), false},
		{"eq bool", Prop("done").Eq(false), true},
		{"eq date", Prop("at").Eq(day(10).In(time.FixedZone("x", 3600))), true},
		{"eq null on null", Prop("nothing").Eq(nil), true},
		{"eq null on missing", Prop("missing").Eq(nil), true},
		{"eq null on value", Prop("title").Eq(nil), false},
		{"eq missing", Prop("missing").Eq("x"), false},
		{"neq", Prop("id").Neq(int64(4)), true},
		{"neq same", Prop("id").Neq(int64(3)), false},
		{"neq matches missing", Prop("missing").Neq("x"), true},
		{"neq matches null", Prop("nothing").Neq("x"), true},
		{"neq null on value", Prop("title").Neq(nil), true},
		{"neq null on null", Prop("nothing").Neq(nil), false},
		{"gt", Prop("id").Gt(int64(2)), true},
		{"gt equal", Prop("id").Gt(int64(3)), false},
		{"gte", Prop("id").Gte(int64(3)), true},
		{"lt float", Prop("score").Lt(3.0), true},
		{"lte", Prop("score").Lte(2.5), true},
		{"gt string", Prop("title").Gt("T"), true},
		{"lt string", Prop("title").Lt("T"), false},
		{"gt date", Prop("at").Gt(day(9)), true},
		{"lt date", Prop("at").Lt(day(9)), false},
		{"gt missing", Prop("missing").Gt(int64(0)), false},
		{"gt null", Prop("nothing").Gt(int64(0)), false},
		{"gt type mismatch", Prop("title").Gt(int64(0)), false},
		{"inq", Prop("id").Inq(int64(1), int64(3)), true},
		{"inq miss", Prop("id").Inq(int64(1), int64(2)), false},
		{"inq with null", Prop("missing").Inq(nil, "x"), true},
		{"nin", Prop("id").Nin(int64(1), int64(2)), true},
		{"nin hit", Prop("id").Nin(int64(3)), false},
		{"nin missing", Prop("missing").Nin("x"), true},
		{"nin null listed", Prop("missing").Nin(nil), false},
		{"between", Prop("id").Between(int64(1), int64(3)), true},
		{"between out", Prop("id").Between(int64(4), int64(9)), false},
		{"between dates", Prop("at").Between(day(1), day(10)), true},
		{"between strings", Prop("title").Between("A", "U"), true},
		{"between null", Prop("nothing").Between(int64(0), int64(9)), false},
		{"exists", Prop("title").Exists(true), true},
		{"exists null", Prop("nothing").Exists(true), false},
		{"exists missing", Prop("missing").Exists(true), false},
		{"not exists missing", Prop("missing").Exists(false), true},
		{"not exists value", Prop("title").Exists(false), false},
		{"exists nested", Prop("address.city").Exists(true), true},
		{"like prefix", Prop("title").Like("Take%"), true},
		{"like is anchored", Prop("title").Like("over%"), false},
		{"like inner", Prop("title").Like("%over%"), true},
		{"like underscore", Prop("title").Like("_ake%"), true},
		{"like case", Prop("title").Like("take%"), false},
		{"like regexp chars are literal", Prop("title").Like("Take.*"), false},
		{"like caret literal", Prop("title").Like("^Take%"), false},
		{"like escaped percent", Prop("title").Like(`Take\%`), false},
		{"like on integer compares its text", Prop("id").Like("3"), true},
		{"like on integer no match", Prop("id").Like("30"), false},
		{"like on float never matches", Prop("score").Like("2%"), false},
		{"nlike", Prop("title").Nlike("%galaxy"), false},
		{"nlike miss", Prop("title").Nlike("%moon"), true},
		{"nlike null", Prop("nothing").Nlike("x%"), false},
		{"nlike missing", Prop("missing").Nlike("x%"), false},
		{"ilike", Prop("title").Ilike("take%GALAXY"), true},
		{"nilike", Prop("title").Nilike("TAKE%"), false},
		{"nilike miss", Prop("title").Nilike("MOON%"), true},
		{"regexp", Prop("title").Regexp("^Take"), true},
		{"regexp case", Prop("title").Regexp("^take"), false},
		{"regexp flag i", Prop("title").Regexp("/^take/i"), true},
		{"regexp inner", Prop("title").Regexp("gal.xy$"), true},
		{"regexp integer compares its text", Prop("id").Regexp("^3$"), true},
		{"nested eq", Prop("address.city").Eq("Paris"), true},
		{"nested miss", Prop("address.country").Eq("FR"), false},
		{"nested through scalar", Prop("title.x").Eq("y"), false},
		{"literal dotted key", Prop("dotted.key").Eq("literal"), true},
		{"array any element", Prop("tags").Eq("blue"), true},
		{"array no element", Prop("tags").Eq("green"), false},
		{"array whole", Prop("tags").Eq([]any{"red", "blue"}), true},
		{"array inq", Prop("tags").Inq("green", "red"), true},
		{"array neq element", Prop("tags").Neq("red"), false},
		{"array neq other", Prop("tags").Neq("green"), true},
		{"empty array neq", Prop("empty").Neq("x"), true},
		{"array like", Prop("tags").Like("bl%"), true},
		{"array of objects", Prop("items.sku").Eq("b"), true},
		{"array of objects gt", Prop("items.qty").Gt(int64(4)), true},
		{"array of objects miss", Prop("items.qty").Gt(int64(5)), false},
		{"and", And(Prop("id").Eq(int64(3)), Prop("done").Eq(false)), true},
		{"and fails", And(Prop("id").Eq(int64(3)), Prop("done").Eq(true)), false},
		{"or", Or(Prop("id").Eq(int64(9)), Prop("done").Eq(false)), true},
		{"or fails", Or(Prop("id").Eq(int64(9)), Prop("done").Eq(true)), false},
		{"conds and or", &Where{Conds: []Cond{{Path: "id", Op: Eq, Value: int64(3)}}, Or: []*Where{Prop("id").Eq(int64(1))}}, false},
		{"nil where", nil, true},
		{"empty where", &Where{}, true},
		{"empty op is eq", &Where{Conds: []Cond{{Path: "id", Value: int64(3)}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compile(tt.w)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Match(rec); got != tt.want {
				t.Errorf("Match = %v; want %v", got, tt.want)
			}
			if got := Match(tt.w, rec); got != tt.want {
				t.Errorf("filter.Match = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	for _, w := range []*Where{
		{Conds: []Cond{{Path: "a", Op: "near", Value: 1}}},
		{Conds: []Cond{{Path: "a", Op: Between, Value: []any{1}}}},
		{Conds: []Cond{{Path: "a", Op: Exists, Value: "yes"}}},
		{Conds: []Cond{{Path: "a", Op: Like, Value: 1}}},
		{Conds: []Cond{{Path: "a", Op: Regexp, Value: "("}}},
		{Or: []*Where{{Conds: []Cond{{Path: "a", Op: Regexp, Value: 1}}}}},
	} {
		if _, err := Compile(w); err == nil {
			t.Errorf("Compile(%s): got no error", dump(w))
		}
		if Match(w, map[string]any{"a": "x"}) {
			t.Errorf("Match(%s) of a bad clause = true; want false", dump(w))
		}
	}
}

func TestLikePattern(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold, want bool
	}{
		{"a%", "abc", false, true},
		{"a_c", "abc", false, true},
		{"a_c", "abbc", false, false},
		{"%", "", false, true},
		{"100\\%", "100%", false, true},
		{"100\\%", "1000", false, false},
		{"a\\_c", "a_c", false, true},
		{"a\\_c", "abc", false, false},
		{"(a)", "(a)", false, true},
		{"A%", "abc", true, true},
		{"a%", "a\nb", false, true},
		{"trailing\\", "trailing\\", false, true},
	}
	for _, tt := range tests {
		if got := likeRegexp(tt.pattern, tt.fold).MatchString(tt.s); got != tt.want {
			t.Errorf("like %q on %q (fold %v) = %v; want %v", tt.pattern, tt.s, tt.fold, got, tt.want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add(`{"or":[{"a":{"like":"x%"}},{"b.c":{"gt":1}}],"t":{"inq":[1,"2",null]}}`, `{"a":"xy","b":{"c":2},"t":[1,2]}`)
	f.Add(`{"a":{"regexp":"/^x/i"},"b":{"between":[1,9]},"c":{"exists":false}}`, `{"a":["X"],"b":5}`)
	f.Fuzz(func(t *testing.T, where, record string) {
		w, err := ParseWhereJSON([]byte(where))
		if err != nil {
			return
		}
		var rec map[string]any
		if err := jsonUnmarshalNumbers([]byte(record), &rec); err != nil {
			return
		}
		m, err := Compile(w)
		if err != nil {
			return
		}
		first := m.Match(rec)
		if second := m.Match(rec); first != second {
			t.Fatalf("Match is not deterministic")
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	w, err := ParseWhereJSON([]byte(`{"title":{"like":"%galaxy"},"or":[{"id":{"inq":[1,2,3]}},{"done":true}]}`))
	if err != nil {
		b.Fatal(err)
	}
	m, err := Compile(w)
	if err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{"id": int64(3), "title": "Take over the galaxy", "done": false}
	b.ReportAllocs()
	for b.Loop() {
		if !m.Match(rec) {
			b.Fatal("no match")
		}
	}
}

func TestSimpleLikeAgreesWithRegexp(t *testing.T) {
	patterns := []string{"", "%", "%%", "a", "ab%", "%ab", "%ab%", "a%b", "%a_b%", "%", "a%%"}
	inputs := []string{"", "a", "ab", "xab", "abx", "xabx", "ba", "a%b", "%"}
	for _, p := range patterns {
		fn := simpleLike(p)
		if fn == nil {
			continue
		}
		re := likeRegexp(p, false)
		for _, s := range inputs {
			if got, want := fn(s), re.MatchString(s); got != want {
				t.Errorf("like %q on %q: fast path %v; regexp %v", p, s, got, want)
			}
		}
	}
}
