package sqltest

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// regexpSubjects are the strings the regexp differential test matches.
var regexpSubjects = []string{
	"abc", "ABC", "a\nb", "foo bar", "foo_bar", "日本語", "x.y", "tab\there", "",
	"a+b", "[x]", `back\slash`, "ünïcödé", "ÜNÏCÖDÉ", "end\n", "aaa", "ac", "abbc", "Straße", "ſ", "K",
}

// regexpCases are patterns with flags, in Go's syntax.
var regexpCases = []struct{ pattern, flags string }{
	{"^a", ""}, {"c$", ""}, {"abc", "i"}, {"^b", "m"}, {"^b", ""}, {"a$", "m"}, {"a.b", ""}, {"a.b", "s"},
	{`\bbar\b`, ""}, {`\Bar`, ""}, {`o\b`, ""}, {`\d`, ""}, {`^\w+$`, ""}, {`\s`, ""}, {`[[:alpha:]]+$`, ""},
	{`^\pL+$`, ""}, {`^\p{Han}+$`, ""}, {`x\.y`, ""}, {`a\+b`, ""}, {`\[x\]`, ""}, {`\\`, ""}, {"^$", ""},
	{"^(foo|tab)", ""}, {"a{2,}", ""}, {"^ab{0,1}c$", ""}, {"^ab{2}c$", ""}, {"^[^a-z]", ""}, {"ünï", "i"},
	{"end$", ""}, {`end\n$`, ""}, {`\Aa`, ""}, {`c\z`, ""}, {"(?i)straSSE", ""}, {"s", "i"}, {"k", "i"},
	{"a*?c", ""}, {"(?U)a+", ""}, {"[\u00e0-\u00ff]", ""}, {"(a|)c$", ""}, {"x^", ""}, {"[^\\x00-\\x{10FFFF}]", ""},
	{"(?s).", ""}, {".", ""}, {`\x{65e5}`, ""}, {`\t`, ""}, {"b+", "g"},
}

// testRegexp checks that regexp conditions match exactly the strings
// Go's regexp package matches, on the engine (patterns are translated
// from Go's syntax).
func testRegexp(t *testing.T, c *sqlconn.Connector) {
	ctx := context.Background()
	def := &model.Definition{Name: "Subject", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "s", Type: model.String},
	}}
	s := map[string]any{"table": "subject_" + Suffix()}
	def.Settings.Connector = map[string]map[string]any{"sqlite": s, "postgresql": s, "mysql": s}
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tb, _ := c.Table(def)
		_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
	})
	ids := make([]int64, len(regexpSubjects))
	for i, subj := range regexpSubjects {
		rec, err := c.Create(ctx, def, connector.Record{"s": subj})
		if err != nil {
			t.Fatalf("create %q: %v", subj, err)
		}
		ids[i] = rec["id"].(int64)
	}
	for _, tt := range regexpCases {
		t.Run("/"+tt.pattern+"/"+tt.flags, func(t *testing.T) {
			goFlags := ""
			for _, f := range tt.flags {
				if f != 'g' {
					goFlags += string(f)
				}
			}
			src := tt.pattern
			if goFlags != "" {
				src = "(?" + goFlags + ")" + src
			}
			re := regexp.MustCompile(src)
			var want []string
			for _, subj := range regexpSubjects {
				if re.MatchString(subj) {
					want = append(want, subj)
				}
			}
			w := &filter.Where{Conds: []filter.Cond{{Path: "s", Op: filter.Regexp, Value: &filter.RegexpValue{Pattern: tt.pattern, Flags: tt.flags}}}}
			recs, err := c.Find(ctx, def, &filter.Filter{Where: w})
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r["s"].(string))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %q; want %q (as Go's regexp)", got, want)
			}
		})
	}
}
