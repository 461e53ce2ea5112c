package rest

import "strconv"

// decodeFlatObject decodes the common request body, a JSON object whose
// values are strings, numbers, booleans or null, straight into a map, as
// json.Unmarshal into an any would, without its validation pass and
// decoder state. It only accepts what it can decode exactly as
// encoding/json does: ASCII strings without escapes, numbers that fit a
// float64, no nesting. For anything else it reports false and the caller
// falls back to encoding/json, which also words the errors.
func decodeFlatObject(raw []byte) (map[string]any, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	m := make(map[string]any)
	// Keys and string values are substrings of one copy of the body: one
	// allocation instead of one per string.
	var text string
	str := func(a, b int) string {
		if text == "" {
			text = string(raw)
		}
		return text[a:b]
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return m, skipSpace(raw, i+1) == len(raw)
	}
	for {
		a, j, ok := flatString(raw, i)
		if !ok {
			return nil, false
		}
		key := str(a, j-1)
		i = skipSpace(raw, j)
		if i >= len(raw) || raw[i] != ':' {
			return nil, false
		}
		i = skipSpace(raw, i+1)
		if i >= len(raw) {
			return nil, false
		}
		var v any
		switch c := raw[i]; {
		case c == '"':
			var a int
			a, i, ok = flatString(raw, i)
			v = str(a, i-1)
		case c == 't':
			v, i, ok = true, i+4, hasWord(raw, i, "true")
		case c == 'f':
			v, i, ok = false, i+5, hasWord(raw, i, "false")
		case c == 'n':
			v, i, ok = nil, i+4, hasWord(raw, i, "null")
		case c == '-' || ('0' <= c && c <= '9'):
			v, i, ok = flatNumber(raw, i)
		default:
			return nil, false
		}
		if !ok {
			return nil, false
		}
		m[key] = v
		i = skipSpace(raw, i)
		if i >= len(raw) {
			return nil, false
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			return m, skipSpace(raw, i+1) == len(raw)
		default:
			return nil, false
		}
	}
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) {
		switch raw[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func hasWord(raw []byte, i int, w string) bool {
	return len(raw)-i >= len(w) && string(raw[i:i+len(w)]) == w
}

// flatString reads the string starting at raw[i] (a quote) and returns
// where its text starts (its end is the returned position minus one, the
// closing quote) and the position after it: printable
// ASCII without escapes only.
func flatString(raw []byte, i int) (int, int, bool) {
	if i >= len(raw) || raw[i] != '"' {
		return 0, i, false
	}
	for j := i + 1; j < len(raw); j++ {
		switch c := raw[j]; {
		case c == '"':
			return i + 1, j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return 0, j, false
		}
	}
	return 0, len(raw), false
}

// flatNumber reads the JSON number starting at raw[i] as a float64.
func flatNumber(raw []byte, i int) (any, int, bool) {
	start := i
	if raw[i] == '-' {
		i++
	}
	digits := func() bool {
		s := i
		for i < len(raw) && '0' <= raw[i] && raw[i] <= '9' {
			i++
		}
		return i > s
	}
	switch {
	case i < len(raw) && raw[i] == '0':
		i++
	case !digits():
		return nil, i, false
	}
	if i < len(raw) && raw[i] == '.' {
		i++
		if !digits() {
			return nil, i, false
		}
	}
	if i < len(raw) && (raw[i] == 'e' || raw[i] == 'E') {
		i++
		if i < len(raw) && (raw[i] == '+' || raw[i] == '-') {
			i++
		}
		if !digits() {
			return nil, i, false
		}
	}
	f, err := strconv.ParseFloat(string(raw[start:i]), 64)
	if err != nil {
		return nil, i, false
	}
	return f, i, true
}
