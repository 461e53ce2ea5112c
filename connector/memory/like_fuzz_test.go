package memory

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// FuzzLike checks the like pattern conversion of untrusted patterns on
// arbitrary values: a like condition either is a 400 INVALID_PARAMETER_VALUE
// (exactly when the converted pattern is not a valid regular expression)
// or matches exactly when the regular expression matches somewhere in
// the value, nlike being its complement and ilike its case-insensitive
// form; and a pattern of letters, digits, spaces, % and _ matches as the
// SQL pattern %pattern% does.
func FuzzLike(f *testing.F) {
	f.Add("^d", "destroy alderaan")
	f.Add("space", "play space invaders")
	f.Add("play%", "play space invaders")
	f.Add("learn g_", "learn go")
	f.Add("(", "(")
	f.Add(`ends with \`, `ends with \`)
	f.Add(`back\%`, `back\slash`)
	f.Add("a{2,1}", "aa")
	f.Add("%_%", "\n")
	f.Add("É_", "éa")
	f.Add("\xff%", "\xff\xfe")
	ctx := context.Background()
	c, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	def := &model.Definition{Name: "Fuzz", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
	}}
	if _, err := c.Create(ctx, def, connector.Record{"title": ""}); err != nil {
		f.Fatal(err)
	}
	plain := regexp.MustCompile(`^[A-Za-z0-9 %_]*$`)
	f.Fuzz(func(t *testing.T, pattern, value string) {
		if _, err := c.UpdateAll(ctx, def, nil, connector.Record{"title": value}); err != nil {
			t.Fatal(err)
		}
		count := func(op filter.Op) (int64, error) {
			return c.Count(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "title", Op: op, Value: pattern}}})
		}
		src := likeSource(pattern)
		re, reErr := regexp.Compile(src)
		reI, reIErr := regexp.Compile("(?i)" + src)
		for _, tt := range []struct {
			op     filter.Op
			re     *regexp.Regexp
			reErr  error
			negate bool
		}{
			{filter.Like, re, reErr, false},
			{filter.Nlike, re, reErr, true},
			{filter.Ilike, reI, reIErr, false},
			{filter.Nilike, reI, reIErr, true},
		} {
			n, err := count(tt.op)
			if tt.reErr != nil {
				var fe *fault.Error
				if !errors.As(err, &fe) || fe.Kind != fault.BadRequest || fe.Code != filter.CodeInvalid {
					t.Fatalf("%s %q: got (%d, %v); want a 400 (%v)", tt.op, pattern, n, err, tt.reErr)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s %q: %v", tt.op, pattern, err)
			}
			want := tt.re.MatchString(value) != tt.negate
			if (n == 1) != want {
				t.Fatalf("%s %q on %q: got count %d; want match %v", tt.op, pattern, value, n, want)
			}
		}
		if reErr == nil && plain.MatchString(pattern) && !strings.Contains(value, "\n") {
			sql := regexp.MustCompile(filter.LikePattern("%"+pattern+"%", false))
			if got, want := re.MatchString(value), sql.MatchString(value); got != want {
				t.Fatalf("like %q on %q: got %v; the SQL pattern %%%s%% says %v", pattern, value, got, pattern, want)
			}
		}
	})
}
