package sqlconn_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
)

func TestTranslateRegexp(t *testing.T) {
	tests := []struct {
		pattern, flags string
		are, pcre      string
	}{
		{"^ab.c$", "", `\Aab[^\n]c\Z`, `\Aab[^\n]c\z`},
		{"a.b", "s", `a.b`, `a(?s:.)b`},
		{"^x", "m", `(?:^|(?<=\n))x`, `(?m:^)x`},
		{"k", "i", `[Kk\u212a]`, `[Kk\x{212a}]`},
		{`\bx`, "", `(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))x`,
			`(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))x`},
		{`(a|b)+?\.`, "g", `(?:(?:[a-b]))+\u002e`, `(?:(?:[a-b]))+\x{2e}`},
		{`\d{2}`, "", `[0-9][0-9]`, `[0-9][0-9]`},
		{`[^\n]`, "", `[^\n]`, `[^\n]`},
		{`[^a]`, "", `[\u0001-\u0060b-\U0010ffff]`, `[\x{0}-\x{60}b-\x{10ffff}]`},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"/"+tt.flags, func(t *testing.T) {
			rv := &filter.RegexpValue{Pattern: tt.pattern, Flags: tt.flags}
			for _, f := range []struct {
				flavor sqlconn.RegexpFlavor
				want   string
			}{{sqlconn.ARE, tt.are}, {sqlconn.PCRE, tt.pcre}} {
				got, err := sqlconn.TranslateRegexp(rv, f.flavor)
				if err != nil || got != f.want {
					t.Errorf("flavor %d: got (%s, %v); want %s", f.flavor, got, err, f.want)
				}
			}
		})
	}
	for _, bad := range []*filter.RegexpValue{{Pattern: "("}, {Pattern: "a", Flags: "x"}, {Pattern: `\8`}} {
		if got, err := sqlconn.TranslateRegexp(bad, sqlconn.ARE); err == nil {
			t.Errorf("%v: got %q; want an error", bad, got)
		}
	}
	huge := &filter.RegexpValue{Pattern: `\pL{1000}`}
	if _, err := sqlconn.TranslateRegexp(huge, sqlconn.PCRE); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("huge pattern: got %v; want a too-large error", err)
	}
}

// FuzzTranslateRegexp checks that a translation is plain ASCII (every
// character of the pattern escaped) and, where the PCRE flavor is also
// Go syntax (no lookaround), that it matches exactly what the original
// pattern matches.
func FuzzTranslateRegexp(f *testing.F) {
	f.Add("^a.b$", "i", "A\nB")
	f.Add(`(foo|bar)+\d{2,3}`, "m", "foobar12")
	f.Add(`[^a-zé]\s`, "s", "É x")
	f.Add(`\bword\b`, "", "a word")
	f.Fuzz(func(t *testing.T, pattern, flags, subject string) {
		if len(pattern) > 64 || len(flags) > 4 {
			return
		}
		rv := &filter.RegexpValue{Pattern: pattern, Flags: flags}
		if strings.Trim(flags, "igms") != "" { // only LoopBack's flags
			for _, flavor := range []sqlconn.RegexpFlavor{sqlconn.ARE, sqlconn.PCRE} {
				if out, err := sqlconn.TranslateRegexp(rv, flavor); err == nil {
					t.Fatalf("flags %q: got %q; want an error", flags, out)
				}
			}
			return
		}
		goSrc := pattern
		if fl := strings.ReplaceAll(flags, "g", ""); fl != "" {
			goSrc = "(?" + fl + ")" + pattern
		}
		orig, err := regexp.Compile(goSrc)
		for _, flavor := range []sqlconn.RegexpFlavor{sqlconn.ARE, sqlconn.PCRE} {
			out, terr := sqlconn.TranslateRegexp(rv, flavor)
			if terr != nil {
				if err == nil && !strings.Contains(terr.Error(), "too large") {
					t.Fatalf("Go accepts %q/%s but translation fails: %v", pattern, flags, terr)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Go refuses %q (%v) but translation gives %q", goSrc, err, out)
			}
			for i := 0; i < len(out); i++ {
				if out[i] == 0 || out[i] >= utf8.RuneSelf {
					t.Fatalf("translation %q of %q has a raw byte %#x", out, pattern, out[i])
				}
			}
			if flavor != sqlconn.PCRE || strings.Contains(out, "(?<") || strings.Contains(out, "(?=") || strings.Contains(out, "(?!") {
				continue
			}
			re, cerr := regexp.Compile(out)
			if cerr != nil {
				t.Fatalf("PCRE translation %q of %q is not Go syntax: %v", out, pattern, cerr)
			}
			for _, s := range []string{subject, pattern, strings.ToUpper(subject), subject + "\n"} {
				if re.MatchString(s) != orig.MatchString(s) {
					t.Fatalf("%q/%s on %q: translation %q gives %v; want %v", pattern, flags, s, out, re.MatchString(s), orig.MatchString(s))
				}
			}
		}
	})
}
