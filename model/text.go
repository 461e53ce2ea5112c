package model

import (
	"strings"
	"unicode/utf8"
)

// TextProblem returns why the text v cannot be stored or compared alike on
// every data source, or "" when it can: text with a NUL character
// (PostgreSQL refuses it) or that is not valid UTF-8 (PostgreSQL and MySQL
// refuse it). Strings inside nested objects and arrays, and object keys,
// are checked too; other values have no problem. The answer reads after a
// property name: "must not contain a NUL character".
func TextProblem(v any) string {
	switch x := v.(type) {
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return "must not contain a NUL character"
		}
		if !utf8.ValidString(x) {
			return "must be valid UTF-8 text"
		}
	case []any:
		for _, e := range x {
			if p := TextProblem(e); p != "" {
				return p
			}
		}
	case map[string]any:
		for k, e := range x {
			if p := TextProblem(k); p != "" {
				return p
			}
			if p := TextProblem(e); p != "" {
				return p
			}
		}
	}
	return ""
}
