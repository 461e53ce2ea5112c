package repository

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/loopback-go/lb/model"
)

// Values every connector refuses alike, before the database: text with a
// NUL character (PostgreSQL cannot store it), text that is not valid UTF-8
// (PostgreSQL and MySQL refuse it), and strings longer than their
// property's declared maximum length. A record with one is a 422
// ValidationError naming the property, whatever the connector.

// checkValue appends the violations of v, the value of p, the i-th
// property of the model: text problems anywhere in it (nested objects and
// arrays included) and a string longer than p's maximum length.
func (m *Model) checkValue(i int, p *model.Property, v any, vs []violation) []violation {
	if msg := model.TextProblem(v); msg != "" {
		return append(vs, violation{prop: p.Name, code: "format", msg: msg, value: printable(v), present: true})
	}
	if s, ok := v.(string); ok && i < len(m.maxLens) && m.maxLens[i] > 0 {
		if limit := m.maxLens[i]; utf8.RuneCountInString(s) > limit {
			vs = append(vs, violation{prop: p.Name, code: "length.max",
				msg: fmt.Sprintf("is too long (at most %d characters)", limit), value: truncated(s, limit), present: true})
		}
	}
	return vs
}

// printable returns what an error message may quote of a refused value:
// a string with its invalid bytes replaced, nothing of anything else.
func printable(v any) any {
	if s, ok := v.(string); ok {
		return truncated(strings.ToValidUTF8(s, "\uFFFD"), 64)
	}
	return "…"
}

// truncated cuts s after n characters, marking the cut.
func truncated(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}

// maxLength returns the maximum length in characters of the string
// property p, or 0 when none is declared: the smallest of its JSON schema
// maxLength, its "length" setting and the "dataLength" of any connector
// (the column length a SQL connector creates), so that a value refused by
// one data source is refused by every one.
func maxLength(p *model.Property) int {
	limit := 0
	take := func(n int) {
		if n > 0 && (limit == 0 || n < limit) {
			limit = n
		}
	}
	if p.JSONSchema != nil && p.JSONSchema.MaxLength != nil {
		take(*p.JSONSchema.MaxLength)
	}
	take(intSetting(p.Extra["length"]))
	for _, s := range p.Connector {
		take(intSetting(s["dataLength"]))
	}
	return limit
}

// intSetting reads a positive integer setting of a model definition.
func intSetting(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		if x > 0 && x <= math.MaxInt32 {
			return int(x)
		}
	case float64:
		if x > 0 && x <= math.MaxInt32 && x == math.Trunc(x) {
			return int(x)
		}
	case json.Number:
		if n, err := x.Int64(); err == nil && n > 0 && n <= math.MaxInt32 {
			return int(n)
		}
	}
	return 0
}
