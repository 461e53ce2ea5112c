package qs

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ErrTooManyParameters is returned by [Values] for a query string with more
// than [ParameterLimit] parameters. qs ignores the parameters past its
// limit; refusing them instead means that no part of a filter is ever
// dropped silently.
var ErrTooManyParameters = errors.New("too many parameters")

// Values splits and decodes a raw query string (without its "?") or an
// application/x-www-form-urlencoded body as qs does, keeping every
// parameter:
//
//   - parameters are separated by "&"; a parameter without "=" has the
//     empty value; the key ends at the first "]=" (so a[b=c]=d is the key
//     a[b=c]) or else at the first "=";
//   - "+" is a space, and percent-escapes are decoded as JavaScript's
//     decodeURIComponent decodes them;
//   - a key or value whose escapes do not decode (a "%" not followed by two
//     hex digits, or escapes that do not form UTF-8) is kept as it was
//     sent, with "+" as a space: "100%" is the value "100%", as LoopBack's
//     query parser has it. Unlike net/url, nothing is dropped, and ";" is
//     an ordinary character.
//
// Parameters with an empty key are skipped (qs skips them too). More than
// ParameterLimit parameters is [ErrTooManyParameters].
func Values(raw string) (url.Values, error) {
	if raw == "" {
		return nil, nil
	}
	if n := strings.Count(raw, "&") + 1; n > ParameterLimit {
		return nil, fmt.Errorf("query of %d parameters: %w", n, ErrTooManyParameters)
	}
	out := make(url.Values)
	for rest := raw; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if part == "" {
			continue
		}
		pos := strings.Index(part, "]=")
		if pos >= 0 {
			pos++
		} else {
			pos = strings.IndexByte(part, '=')
		}
		var key, val string
		if pos < 0 {
			key = Decode(part)
		} else {
			key, val = Decode(part[:pos]), Decode(part[pos+1:])
		}
		if key == "" {
			continue
		}
		out[key] = append(out[key], val)
	}
	return out, nil
}

// Decode decodes one query-string component as qs does: "+" becomes a
// space, then percent-escapes are decoded as decodeURIComponent decodes
// them; when that fails (a malformed escape, or escaped bytes that are not
// UTF-8), the component is returned with only "+" replaced.
func Decode(s string) string {
	if strings.IndexByte(s, '+') >= 0 {
		s = strings.ReplaceAll(s, "+", " ")
	}
	return DecodeURIComponent(s)
}

// DecodeURIComponent decodes the percent-escapes of s as JavaScript's
// decodeURIComponent does ("+" is kept). Where decodeURIComponent throws
// (a "%" not followed by two hex digits, escapes that do not form UTF-8),
// it returns s unchanged, as qs and Express's cookie module do.
func DecodeURIComponent(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	// Check first, so that a value kept as sent costs no allocation.
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
				return s
			}
			n++
			i += 2
		}
	}
	b := make([]byte, 0, len(s)-2*n)
	for i := 0; i < len(s); {
		if s[i] != '%' {
			j := strings.IndexByte(s[i:], '%')
			if j < 0 {
				j = len(s) - i
			}
			b = append(b, s[i:i+j]...)
			i += j
			continue
		}
		// A run of escapes must decode to complete UTF-8 sequences.
		start := len(b)
		for i < len(s) && s[i] == '%' {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 3
		}
		if !utf8.Valid(b[start:]) {
			return s
		}
	}
	return string(b)
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
