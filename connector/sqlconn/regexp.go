package sqlconn

import (
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode"

	"github.com/loopback-go/lb/filter"
)

// RegexpFlavor is the regular-expression language of an engine.
type RegexpFlavor int

// The flavors [TranslateRegexp] writes.
const (
	// ARE is PostgreSQL's advanced regular expressions (the ~ operator,
	// not newline-sensitive).
	ARE RegexpFlavor = iota
	// PCRE is the syntax shared by MariaDB's PCRE2 and MySQL 8's ICU
	// (REGEXP).
	PCRE
)

// MaxRegexpSize bounds the length of a translated regexp; a longer one
// (large Unicode classes, big repeat counts) is refused with a 400.
const MaxRegexpSize = 64 << 10

// wordClass is Go's \b word character class (ASCII only).
const wordClass = "[0-9A-Za-z_]"

// TranslateRegexp rewrites a regexp condition's pattern, in Go's RE2
// syntax with the flags i, m and s, into an equivalent pattern of the
// engine's flavor, so that regexp matches the same strings on every
// connector: the pattern is parsed by Go (what Go refuses is refused
// everywhere), and written back with only constructs both flavors read
// alike: non-capturing groups, bracket classes of explicit ranges with
// hexadecimal escapes, case folding expanded into classes, anchors and
// word boundaries spelled out with lookaround. The result is
// case-sensitive whatever the engine's collation; callers still switch
// off a collation's case folding where the engine applies one (MySQL).
func TranslateRegexp(rv *filter.RegexpValue, flavor RegexpFlavor) (string, error) {
	flags := ""
	for _, f := range rv.Flags {
		switch f {
		case 'i', 'm', 's':
			if !strings.ContainsRune(flags, f) {
				flags += string(f)
			}
		case 'g':
		default:
			return "", fmt.Errorf("unsupported regexp flag %q", f)
		}
	}
	src := rv.Pattern
	if flags != "" {
		src = "(?" + flags + ")" + src
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("invalid regexp: %w", err)
	}
	w := &reWriter{flavor: flavor}
	w.write(re.Simplify())
	if w.b.Len() > MaxRegexpSize {
		return "", fmt.Errorf("regexp is too large once translated (more than %d bytes)", MaxRegexpSize)
	}
	return w.b.String(), nil
}

type reWriter struct {
	flavor RegexpFlavor
	b      strings.Builder
}

// char writes the escape of one character, usable inside and outside
// bracket expressions in both flavors.
func (w *reWriter) char(r rune) {
	if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		w.b.WriteRune(r)
		return
	}
	hex := strconv.FormatInt(int64(r), 16)
	switch {
	case w.flavor == PCRE:
		w.b.WriteString(`\x{` + hex + `}`)
	case r <= 0xFFFF:
		w.b.WriteString(`\u` + strings.Repeat("0", 4-len(hex)) + hex)
	default:
		w.b.WriteString(`\U` + strings.Repeat("0", 8-len(hex)) + hex)
	}
}

// class writes a bracket expression of the ranges (pairs lo, hi).
func (w *reWriter) class(ranges []rune) {
	if len(ranges) == 0 {
		w.noMatch()
		return
	}
	w.b.WriteByte('[')
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo == 0 && w.flavor == ARE {
			// PostgreSQL text never holds NUL; its escape is refused.
			if hi == 0 {
				continue
			}
			lo = 1
		}
		w.char(lo)
		if hi != lo {
			w.b.WriteByte('-')
			w.char(hi)
		}
	}
	w.b.WriteByte(']')
}

// noMatch writes an expression that matches nothing: a character after
// the end of the text.
func (w *reWriter) noMatch() {
	if w.flavor == PCRE {
		w.b.WriteString(`(?:\z(?s:.))`)
	} else {
		w.b.WriteString(`(?:\Z.)`)
	}
}

// group writes re as one atom.
func (w *reWriter) group(re *syntax.Regexp) {
	w.b.WriteString("(?:")
	w.write(re)
	w.b.WriteString(")")
}

func (w *reWriter) write(re *syntax.Regexp) {
	if w.b.Len() > MaxRegexpSize { // too large already: stop the work
		return
	}
	switch re.Op {
	case syntax.OpNoMatch:
		w.noMatch()
	case syntax.OpEmptyMatch:
		w.b.WriteString("(?:)")
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 {
				if orbit := foldOrbit(r); len(orbit) > 1 {
					w.b.WriteByte('[')
					for _, f := range orbit {
						w.char(f)
					}
					w.b.WriteByte(']')
					continue
				}
			}
			if r == 0 && w.flavor == ARE {
				w.noMatch()
				continue
			}
			w.char(r)
		}
	case syntax.OpCharClass:
		w.class(re.Rune)
	case syntax.OpAnyCharNotNL:
		w.b.WriteString(`[^\n]`)
	case syntax.OpAnyChar:
		if w.flavor == PCRE {
			w.b.WriteString(`(?s:.)`)
		} else {
			w.b.WriteString(`.`) // not newline-sensitive: . matches \n
		}
	case syntax.OpBeginLine:
		if w.flavor == PCRE {
			w.b.WriteString(`(?m:^)`)
		} else {
			w.b.WriteString(`(?:^|(?<=\n))`)
		}
	case syntax.OpEndLine:
		if w.flavor == PCRE {
			w.b.WriteString(`(?m:$)`)
		} else {
			w.b.WriteString(`(?:$|(?=\n))`)
		}
	case syntax.OpBeginText:
		w.b.WriteString(`\A`)
	case syntax.OpEndText:
		if w.flavor == PCRE {
			w.b.WriteString(`\z`)
		} else {
			w.b.WriteString(`\Z`)
		}
	case syntax.OpWordBoundary:
		w.b.WriteString("(?:(?<=" + wordClass + ")(?!" + wordClass + ")|(?<!" + wordClass + ")(?=" + wordClass + "))")
	case syntax.OpNoWordBoundary:
		w.b.WriteString("(?:(?<=" + wordClass + ")(?=" + wordClass + ")|(?<!" + wordClass + ")(?!" + wordClass + "))")
	case syntax.OpCapture:
		w.group(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		// Greediness does not change whether a string matches.
		w.group(re.Sub[0])
		w.b.WriteString(map[syntax.Op]string{syntax.OpStar: "*", syntax.OpPlus: "+", syntax.OpQuest: "?"}[re.Op])
	case syntax.OpRepeat: // Simplify expands repeats; kept for safety
		w.group(re.Sub[0])
		if re.Max < 0 {
			fmt.Fprintf(&w.b, "{%d,}", re.Min)
		} else {
			fmt.Fprintf(&w.b, "{%d,%d}", re.Min, re.Max)
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			w.write(sub)
		}
	case syntax.OpAlternate:
		w.b.WriteString("(?:")
		for i, sub := range re.Sub {
			if i > 0 {
				w.b.WriteByte('|')
			}
			w.write(sub)
		}
		w.b.WriteString(")")
	default:
		w.noMatch()
	}
}

// foldOrbit returns r and the characters it folds to.
func foldOrbit(r rune) []rune {
	out := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		out = append(out, f)
	}
	return out
}
