package memory

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/model"
)

func TestLikeSource(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{"", ""},
		{"^d", "^d"},
		{"a.c", "a.c"},
		{"play%", "play.*"},
		{"learn g_", "learn g."},
		{"%a_b%", ".*a.b.*"},
		{`100\%`, `100\.*`}, // as the juggler: the backslash stays, before .*
		{`a\_b`, `a\.b`},
		{"été%", "été.*"},
	}
	for _, tt := range tests {
		if got := likeSource(tt.pattern); got != tt.want {
			t.Errorf("likeSource(%q) = %q; want %q", tt.pattern, got, tt.want)
		}
	}
}

// likeTodoDef and likeTodos are the conformance suite's todo fixtures.
func likeTodoDef() *model.Definition {
	return &model.Definition{Name: "Todo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String, Required: true},
		{Name: "desc", Type: model.String, Nullable: true},
		{Name: "tags", Type: model.Array, Items: &model.Property{Type: model.String}},
		{Name: "address", Type: model.Object, Nullable: true, Properties: []*model.Property{
			{Name: "city", Type: model.String}, {Name: "zip", Type: model.String},
		}},
	}}
}

func likeStore(t *testing.T) (*Connector, *model.Definition) {
	t.Helper()
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	def := likeTodoDef()
	for _, rec := range []connector.Record{
		{"title": "Take over the galaxy", "desc": "MWAHAHA", "tags": []any{"space", "evil"}, "address": map[string]any{"city": "Paris", "zip": "75001"}},
		{"title": "destroy alderaan", "desc": "no survivors", "tags": []any{"space"}, "address": map[string]any{"city": "Lyon", "zip": "69001"}},
		{"title": "play space invaders", "desc": nil, "tags": []any{}, "address": map[string]any{"city": "Paris", "zip": "75002"}},
		{"title": "crush rebel scum", "desc": "Every.Last.One.", "tags": []any{"evil"}, "address": nil},
		{"title": "learn go", "desc": "generics", "address": map[string]any{"city": "Berlin", "zip": "10115"}},
		{"title": `ends with \`},
		{"title": `back\slash`},
		{"title": `two \\`},
	} {
		if _, err := c.Create(context.Background(), def, rec); err != nil {
			t.Fatal(err)
		}
	}
	return c, def
}

func cond(path string, op filter.Op, v any) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: path, Op: op, Value: v}}}
}

func foundIDs(t *testing.T, c *Connector, def *model.Definition, w *filter.Where) ([]int64, error) {
	t.Helper()
	recs, err := c.Find(context.Background(), def, &filter.Filter{Where: w})
	if err != nil {
		return nil, err
	}
	out := []int64{}
	for _, r := range recs {
		out = append(out, r["id"].(int64))
	}
	return out, nil
}

// TestLikeIsRegexp pins LoopBack's memory connector semantics of like,
// nlike, ilike and nilike: the pattern is a regular expression (with % and
// _ as .* and .) matched anywhere in the value; the negations also match a
// missing or null value. The conformance suite's SQL LIKE expectations
// differ for "like whole value" (here [3]) and for its trailing-backslash
// cases (here a 400 where the pattern ends with a backslash).
func TestLikeIsRegexp(t *testing.T) {
	c, def := likeStore(t)
	or := func(ws ...*filter.Where) *filter.Where { return &filter.Where{Or: ws} }
	tests := []struct {
		name string
		w    *filter.Where
		want []int64
	}{
		{"anchored start (LB4-CONTRACT)", cond("title", filter.Like, "^d"), []int64{2}},
		{"anywhere", cond("title", filter.Like, "space"), []int64{3}},
		{"dot is any character", cond("title", filter.Like, "g.l"), []int64{1}},
		{"percent", cond("title", filter.Like, "play%"), []int64{3}},
		{"underscore", cond("title", filter.Like, "learn g_"), []int64{5}},
		{"anchored end", cond("title", filter.Like, "alderaan$"), []int64{2}},
		{"alternation", cond("title", filter.Like, "^(destroy|learn) "), []int64{2, 5}},
		{"case-sensitive", cond("title", filter.Like, "^TAKE"), []int64{}},
		{"ilike", cond("title", filter.Ilike, "^TAKE"), []int64{1}},
		{"slashes are literal", cond("title", filter.Like, "/^d/"), []int64{}},
		{"regexp op keeps slashes", cond("title", filter.Regexp, "/^D/i"), []int64{2}},
		{"nlike", cond("title", filter.Nlike, "^d|\\\\"), []int64{1, 3, 4, 5}},
		{"like skips null", cond("desc", filter.Like, "^no"), []int64{2}},
		{"nlike matches null and missing", cond("desc", filter.Nlike, "^no"), []int64{1, 3, 4, 5, 6, 7, 8}},
		{"nilike", cond("desc", filter.Nilike, "^EVERY|a"), []int64{2, 3, 5, 6, 7, 8}},
		{"nested", cond("address.zip", filter.Like, "^750"), []int64{1, 3}},
		{"array element", cond("tags", filter.Like, "^ev"), []int64{1, 4}},
		{"nlike on an array", cond("tags", filter.Nlike, "^sp"), []int64{3, 4, 5, 6, 7, 8}},
		{"in or", or(cond("title", filter.Like, "^l"), cond("title", filter.Nilike, "[aeiou]")), []int64{5}},
		{"two nlikes", &filter.Where{Conds: []filter.Cond{
			{Path: "title", Op: filter.Nlike, Value: "a"}, {Path: "title", Op: filter.Nlike, Value: "o"},
		}}, []int64{4, 6}},
		{"escaped backslash", cond("title", filter.Like, `\\$`), []int64{6, 8}},
		{"backslash before percent", cond("title", filter.Like, `back\%`), []int64{7}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := foundIDs(t, c, def, tt.w)
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find: got ids %v; want %v", got, tt.want)
			}
			if n, err := c.Count(ctx, def, tt.w); err != nil || n != int64(len(tt.want)) {
				t.Errorf("Count: got (%d, %v); want %d", n, err, len(tt.want))
			}
			rows, err := c.FindJSON(ctx, def, &filter.Filter{Where: tt.w})
			if err != nil || rows.Len() != len(tt.want) {
				t.Errorf("FindJSON: got (%v rows, %v); want %d", rows, err, len(tt.want))
			}
		})
	}
}

// TestLikeInvalidRegexp checks that a like pattern that is not a valid
// regular expression is a 400 in the filter's error shape, for reads and
// writes alike, and changes nothing.
func TestLikeInvalidRegexp(t *testing.T) {
	c, def := likeStore(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		w      *filter.Where
		path   string
		reason string
	}{
		{"open paren", cond("title", filter.Like, "("), "/where/title/like", "missing closing )"},
		{"trailing backslash", cond("title", filter.Like, `ends with \`), "/where/title/like", "trailing backslash"},
		{"bad repeat", cond("title", filter.Ilike, "a{2,1}"), "/where/title/ilike", "invalid repeat count"},
		{"lookahead", cond("desc", filter.Nlike, "(?=a)"), "/where/desc/nlike", "unsupported Perl syntax"},
		{"bad class", cond("address.zip", filter.Nilike, "[z-a]"), "/where/address.zip/nilike", "invalid character class range"},
		{"inside or", &filter.Where{Or: []*filter.Where{cond("title", filter.Eq, "x"), cond("title", filter.Nlike, "%\\")}}, "/where/or/1/title/nlike", "trailing backslash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(op string, err error) {
				t.Helper()
				var fe *fault.Error
				if !errors.As(err, &fe) || fe.Kind != fault.BadRequest || fe.Code != filter.CodeInvalid {
					t.Fatalf("%s: got %v; want a 400 %s", op, err, filter.CodeInvalid)
				}
				if !strings.HasPrefix(fe.Message, "Invalid filter: ") || !strings.Contains(fe.Message, "regular expression") ||
					!strings.Contains(fe.Message, tt.reason) {
					t.Errorf("%s: message %q", op, fe.Message)
				}
				d, ok := fe.Details.([]validate.Detail)
				if !ok || len(d) != 1 || d[0].Path != tt.path || d[0].Code != "format" {
					t.Errorf("%s: details %#v; want one at %s", op, fe.Details, tt.path)
				}
			}
			_, err := c.Find(ctx, def, &filter.Filter{Where: tt.w})
			check("Find", err)
			_, err = c.Count(ctx, def, tt.w)
			check("Count", err)
			_, err = c.UpdateAll(ctx, def, tt.w, connector.Record{"desc": "changed"})
			check("UpdateAll", err)
			_, err = c.DeleteAll(ctx, def, tt.w)
			check("DeleteAll", err)
			if n, err := c.Count(ctx, def, cond("desc", filter.Eq, "changed")); err != nil || n != 0 {
				t.Errorf("after refused updates: %d changed (%v); want 0", n, err)
			}
			if n, err := c.Count(ctx, def, nil); err != nil || n != 8 {
				t.Errorf("after refused deletes: %d instances (%v); want 8", n, err)
			}
		})
	}
}

// TestLikeLongPatternMessage checks that an error quotes at most the
// start of a long pattern.
func TestLikeLongPatternMessage(t *testing.T) {
	c, def := likeStore(t)
	_, err := c.Count(context.Background(), def, cond("title", filter.Like, "("+strings.Repeat("a", 5000)))
	if err == nil || len(err.Error()) > 300 {
		t.Errorf("got %d bytes of message; want an error of at most 300", len(err.Error()))
	}
}
