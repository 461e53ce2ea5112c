package connectortest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/repository"
)

const limitedModel = "Limited"

// limitedDef has strings with a declared maximum length: one by JSON
// schema, one by the column length of every SQL connector.
func (s *suite) limitedDef() *model.Definition {
	five := 5
	four := map[string]any{"dataLength": 4}
	return &model.Definition{
		Name: s.n(limitedModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "code", Type: model.String, JSONSchema: &openapi.Schema{MaxLength: &five}},
			{Name: "name", Type: model.String, Connector: map[string]map[string]any{
				"postgresql": four, "mysql": four, "sqlite": four}},
		},
	}
}

// driverText are fragments of database driver messages, which must never
// reach a client.
var driverText = []string{"SQLSTATE", "ERROR:", "Error 1", "Error 3", "sqlite", "SQL logic", "pgx", "mysql", "syntax error", "operator does not exist"}

// wantClean checks err is a fault of kind whose message carries no driver
// text, and that a 400 never says an instance is invalid.
func wantClean(t *testing.T, err error, kind fault.Kind) *fault.Error {
	t.Helper()
	fe := wantFault(t, err, kind)
	for _, frag := range driverText {
		if strings.Contains(fe.Message, frag) {
			t.Errorf("message %q carries driver text %q", fe.Message, frag)
		}
	}
	if kind == fault.BadRequest && strings.Contains(fe.Message, "instance") {
		t.Errorf("message of a bad filter %q speaks of an instance", fe.Message)
	}
	return fe
}

// testReliability pins what issue 11 found on the SQL connectors: like and
// regexp on non-string properties, database refusals of bad text, long
// strings and patterns, and concurrent updates of overlapping rows.
func (s *suite) testReliability(t *testing.T) {
	t.Run("LikeOnIntegers", s.testLikeOnIntegers)
	t.Run("LikeOnOtherTypes", s.testLikeOnOtherTypes)
	t.Run("TrailingBackslash", s.testTrailingBackslash)
	t.Run("BadText", s.testBadText)
	t.Run("MaxLength", s.testMaxLength)
	t.Run("InvalidRegexp", s.testInvalidRegexp)
	t.Run("OverlappingUpdates", s.testOverlappingUpdates)
}

// whereCase is a where clause and the ids of the seeded todos it matches.
type whereCase struct {
	name string
	w    *filter.Where
	want []int64
}

// wantIDs checks that each case's Find answers its ids in order, and its
// Count their number.
func (e *env) wantIDs(r *repository.Model, tests []whereCase) {
	e.t.Helper()
	for _, tt := range tests {
		e.t.Run(tt.name, func(t *testing.T) {
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

// testLikeOnIntegers: like, ilike and regexp compare an integer's decimal
// text on every connector.
func (s *suite) testLikeOnIntegers(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r) // priorities 1, 3, 2, 5, 4 for ids 1 to 5
	re := &filter.RegexpValue{Pattern: "^[12]$"}
	e.wantIDs(r, []whereCase{
		{"like", where("priority", filter.Like, "1"), []int64{1}},
		{"like any", where("priority", filter.Like, "%"), []int64{1, 2, 3, 4, 5}},
		{"like one character", where("priority", filter.Like, "_"), []int64{1, 2, 3, 4, 5}},
		{"like two characters", where("priority", filter.Like, "__"), []int64{}},
		{"nlike", where("priority", filter.Nlike, "1"), []int64{2, 3, 4, 5}},
		{"ilike", where("priority", filter.Ilike, "5"), []int64{4}},
		{"nilike", where("priority", filter.Nilike, "5"), []int64{1, 2, 3, 5}},
		{"regexp", where("priority", filter.Regexp, re), []int64{1, 3}},
		{"like on the id", where("id", filter.Like, "2%"), []int64{2}},
	})
}

// testLikeOnOtherTypes: like and regexp on a float, boolean or date are a
// 400 naming the property and the operator, and change nothing.
func (s *suite) testLikeOnOtherTypes(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	tests := []struct {
		prop string
		op   filter.Op
		v    any
	}{
		{"score", filter.Like, "1%"},
		{"isComplete", filter.Ilike, "t%"},
		{"due", filter.Nlike, "2026%"},
		{"due", filter.Regexp, &filter.RegexpValue{Pattern: "^2026"}},
	}
	for _, tt := range tests {
		t.Run(tt.prop+" "+string(tt.op), func(t *testing.T) {
			w := where(tt.prop, tt.op, tt.v)
			_, err := r.Find(e.ctx, &filter.Filter{Where: w})
			fe := wantClean(t, err, fault.BadRequest)
			if !strings.Contains(fe.Message, tt.prop) || !strings.Contains(fe.Message, string(tt.op)) {
				t.Errorf("message %q does not name %s and %s", fe.Message, tt.prop, tt.op)
			}
			_, err = r.Count(e.ctx, w)
			wantClean(t, err, fault.BadRequest)
			_, err = r.UpdateAll(e.ctx, connector.Record{"title": "changed"}, w)
			wantClean(t, err, fault.BadRequest)
			_, err = r.DeleteAll(e.ctx, w)
			wantClean(t, err, fault.BadRequest)
		})
	}
	if n, err := r.Count(e.ctx, where("title", filter.Eq, "changed")); err != nil || n != 0 {
		t.Errorf("refused updates changed %d instances (%v); want 0", n, err)
	}
	if n, err := r.Count(e.ctx, nil); err != nil || n != 5 {
		t.Errorf("after refused deletes: got (%d, %v) instances; want 5", n, err)
	}
}

// testTrailingBackslash: a like pattern ending with a backslash matches a
// literal backslash on every connector with SQL LIKE; where like is a
// regular expression, a trailing backslash is an invalid pattern (400) and
// an escaped one a literal backslash.
func (s *suite) testTrailingBackslash(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	for _, title := range []string{`ends with \`, `back\slash`, `two \\`} { // ids 6, 7, 8
		if _, err := r.Create(e.ctx, connector.Record{"title": title}); err != nil {
			t.Fatalf("Create %q: %v", title, err)
		}
	}
	if s.likeRegexp {
		e.wantIDs(r, []whereCase{
			// unanchored: any title holding a backslash
			{"like escaped backslash", where("title", filter.Like, `%\\`), []int64{6, 7, 8}},
			{"like escaped percent", where("title", filter.Like, `back\%`), []int64{7}},
		})
		for _, w := range []*filter.Where{
			where("title", filter.Like, `ends with \`),
			where("title", filter.Like, `%\`),
			where("title", filter.Like, `%\\\`),
			where("title", filter.Ilike, `ENDS%\`),
			where("title", filter.Nlike, `%\`),
			where("title", filter.Nilike, `%WITH \`),
		} {
			_, err := r.Find(e.ctx, &filter.Filter{Where: w})
			wantClean(t, err, fault.BadRequest)
		}
		return
	}
	e.wantIDs(r, []whereCase{
		{"like whole value", where("title", filter.Like, `ends with \`), []int64{6}},
		{"like suffix", where("title", filter.Like, `%\`), []int64{6, 8}},
		{"like escaped backslash", where("title", filter.Like, `%\\`), []int64{6, 8}},
		{"like two backslashes", where("title", filter.Like, `%\\\`), []int64{8}},
		{"like escaped percent", where("title", filter.Like, `back\%`), []int64{}},
		{"ilike suffix", where("title", filter.Ilike, `ENDS%\`), []int64{6}},
		{"nlike suffix", where("title", filter.Nlike, `%\`), []int64{1, 2, 3, 4, 5, 7}},
		{"nilike suffix", where("title", filter.Nilike, `%WITH \`), []int64{1, 2, 3, 4, 5, 7, 8}},
	})
}

// testBadText: text with a NUL character or invalid UTF-8 is refused
// before the database on every connector: a 422 naming the property in a
// write, a 400 in a filter; nothing is stored.
func (s *suite) testBadText(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	writes := []struct {
		name, prop string
		rec        connector.Record
	}{
		{"NUL", "title", connector.Record{"title": "a\x00b"}},
		{"invalid UTF-8", "title", connector.Record{"title": "caf\xe9"}},
		{"NUL in a nested object", "address", connector.Record{"title": "ok", "address": map[string]any{"city": "x\x00"}}},
		{"invalid UTF-8 in an array", "tags", connector.Record{"title": "ok", "tags": []any{"\xff"}}},
	}
	for _, tt := range writes {
		t.Run("create "+tt.name, func(t *testing.T) {
			_, err := r.Create(e.ctx, tt.rec)
			fe := wantClean(t, err, fault.Invalid)
			if fe.Name != "ValidationError" || !strings.Contains(fe.Message, "`"+tt.prop+"`") {
				t.Errorf("got (%q, %q); want a ValidationError naming %s", fe.Name, fe.Message, tt.prop)
			}
			err = r.UpdateByID(e.ctx, int64(1), tt.rec)
			wantClean(t, err, fault.Invalid)
			_, err = r.UpdateAll(e.ctx, tt.rec, nil)
			wantClean(t, err, fault.Invalid)
		})
	}
	if n, err := r.Count(e.ctx, nil); err != nil || n != 5 {
		t.Errorf("after refused creates: got (%d, %v) instances; want 5", n, err)
	}
	if got, err := r.FindByID(e.ctx, int64(1), nil); err != nil || got["title"] != "Take over the galaxy" {
		t.Errorf("after refused updates: got (%v, %v); want the seeded title", got["title"], err)
	}
	reads := []struct {
		name, prop string
		w          *filter.Where
	}{
		{"eq NUL", "title", where("title", filter.Eq, "a\x00")},
		{"inq invalid UTF-8", "title", where("title", filter.Inq, []any{"ok", "\xff"})},
		{"like NUL", "title", where("title", filter.Like, "%\x00%")},
		{"ilike invalid UTF-8", "desc", where("desc", filter.Ilike, "\xc3%")},
		{"nested eq NUL", "address.city", where("address.city", filter.Eq, "\x00")},
	}
	for _, tt := range reads {
		t.Run("find "+tt.name, func(t *testing.T) {
			_, err := r.Find(e.ctx, &filter.Filter{Where: tt.w})
			fe := wantClean(t, err, fault.BadRequest)
			if !strings.Contains(fe.Message, tt.prop) {
				t.Errorf("message %q does not name %s", fe.Message, tt.prop)
			}
			_, err = r.Count(e.ctx, tt.w)
			wantClean(t, err, fault.BadRequest)
			_, err = r.DeleteAll(e.ctx, tt.w)
			wantClean(t, err, fault.BadRequest)
		})
	}
}

// testMaxLength: a string longer than its declared maximum (JSON schema
// maxLength, or a column length) is refused on every connector, counted
// in characters.
func (s *suite) testMaxLength(t *testing.T) {
	def := s.limitedDef()
	e := s.setup(t, def)
	r := e.repo(def)
	ok := []connector.Record{{"code": "abcde", "name": "abcd"}, {"code": "ééééé", "name": "日本語です"[:12]}}
	for _, rec := range ok {
		if _, err := r.Create(e.ctx, rec); err != nil {
			t.Errorf("Create %v: %v", rec, err)
		}
	}
	bad := []struct {
		prop string
		rec  connector.Record
	}{
		{"code", connector.Record{"code": "abcdef"}},
		{"code", connector.Record{"code": "éééééé"}},
		{"name", connector.Record{"name": "abcde"}},
	}
	for _, tt := range bad {
		t.Run(fmt.Sprint(tt.rec), func(t *testing.T) {
			_, err := r.Create(e.ctx, tt.rec)
			fe := wantClean(t, err, fault.Invalid)
			if !strings.Contains(fe.Message, "`"+tt.prop+"` is too long") {
				t.Errorf("message %q; want it to say %s is too long", fe.Message, tt.prop)
			}
			wantClean(t, r.UpdateByID(e.ctx, int64(1), tt.rec), fault.Invalid)
		})
	}
	got, err := r.FindByID(e.ctx, int64(1), nil)
	if err != nil || got["code"] != "abcde" || got["name"] != "abcd" {
		t.Errorf("after refused updates: got (%v, %v); want code abcde, name abcd", got, err)
	}
	if n, err := r.Count(e.ctx, nil); err != nil || n != 2 {
		t.Errorf("after refused creates: got (%d, %v) instances; want 2", n, err)
	}
}

// testInvalidRegexp: a pattern that does not compile is a 400 on every
// connector, for reads and writes alike.
func (s *suite) testInvalidRegexp(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	for _, p := range []string{"(", "a{2,1}", `\8`, "[z-a]", "/x/q"} {
		t.Run(p, func(t *testing.T) {
			w := where("title", filter.Regexp, p)
			_, err := r.Find(e.ctx, &filter.Filter{Where: w})
			fe := wantClean(t, err, fault.BadRequest)
			if !strings.Contains(fe.Message, "title") {
				t.Errorf("message %q does not name title", fe.Message)
			}
			_, err = r.Count(e.ctx, w)
			wantClean(t, err, fault.BadRequest)
			_, err = r.DeleteAll(e.ctx, w)
			wantClean(t, err, fault.BadRequest)
		})
	}
	if n, err := r.Count(e.ctx, nil); err != nil || n != 5 {
		t.Errorf("after refused deletes: got (%d, %v) instances; want 5", n, err)
	}
}

// testOverlappingUpdates: concurrent UpdateAll calls over overlapping rows
// all succeed (no deadlock reaches the caller) while reads go on.
func (s *suite) testOverlappingUpdates(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	recs := make([]connector.Record, 60)
	for i := range recs {
		recs[i] = connector.Record{"title": fmt.Sprint("row ", i), "priority": int64(i % 6)}
	}
	if _, err := r.CreateAll(e.ctx, recs); err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 8, 8
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds*2)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(g), 11))
			for i := range rounds {
				a, b := int64(rnd.IntN(6)), int64(rnd.IntN(6))
				w := or(where("priority", filter.Eq, a), where("priority", filter.Eq, b))
				n, err := r.UpdateAll(e.ctx, connector.Record{"score": float64(g*100 + i)}, w)
				if err != nil {
					errs <- fmt.Errorf("UpdateAll: %w", err)
				} else if want := map[bool]int64{true: 10, false: 20}[a == b]; n != want {
					errs <- fmt.Errorf("UpdateAll of priorities %d and %d: got count %d; want %d", a, b, n, want)
				}
				if _, err := r.Find(e.ctx, &filter.Filter{Where: where("priority", filter.Eq, a), Limit: 3}); err != nil {
					errs <- fmt.Errorf("Find: %w", err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, err := r.Count(e.ctx, where("score", filter.Exists, true)); err != nil || n != 60 {
		t.Errorf("after the updates: got (%d, %v) instances with a score; want 60", n, err)
	}
}
