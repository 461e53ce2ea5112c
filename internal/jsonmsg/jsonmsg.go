// Package jsonmsg words the errors of Go's encoding/json for clients, in
// the terms JavaScript's JSON.parse uses (Node.js 18, which LoopBack 4
// apps run on), so that no Go type name or Go-specific phrase reaches an
// HTTP response:
//
//	invalid character 'b' looking for beginning of object key string
//	    → Unexpected token b in JSON at position 1
//	unexpected end of JSON input → Unexpected end of JSON input
//	json: cannot unmarshal number 1e999 into Go value of type float64
//	    → number 1e999 is out of range
//
// Positions count UTF-16 code units from 0, as JavaScript strings do.
// [Excerpt] caps how much of a client's input a message echoes.
package jsonmsg

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxEcho is the number of characters of a client's input that a message
// quotes before it is cut with an ellipsis.
const MaxEcho = 100

// Message returns the client-facing message of err, an error returned by
// encoding/json while decoding input. Errors it does not know are worded
// "Invalid JSON value".
func Message(err error, input []byte) string {
	var (
		se *json.SyntaxError
		te *json.UnmarshalTypeError
		pe *time.ParseError
	)
	switch {
	case errors.As(err, &se):
		return syntax(se, input)
	case errors.As(err, &te):
		return typeMismatch(te)
	case errors.As(err, &pe):
		return Excerpt(strconv.Quote(pe.Value)) + " is not a valid date-time" + at(fieldOf(err))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "Unexpected end of JSON input" // from a json.Decoder
	}
	return "Invalid JSON value"
}

// syntax words a syntax error as JSON.parse does: the offending token and
// its position, or the end of the input.
func syntax(se *json.SyntaxError, input []byte) string {
	i := int(se.Offset) - 1 // Offset counts the bytes read, the bad one included
	if strings.HasPrefix(se.Error(), "unexpected end") || i < 0 || i >= len(input) {
		return "Unexpected end of JSON input"
	}
	return Unexpected(input, i)
}

// Unexpected is JSON.parse's message for the token at byte i of input.
func Unexpected(input []byte, i int) string {
	if i < 0 || i >= len(input) {
		return "Unexpected end of JSON input"
	}
	pos := position(input, i)
	r, _ := utf8.DecodeRune(input[i:])
	inString := stringAt(input, i)
	switch {
	case inString && r == '\\':
		return "Bad escaped character in JSON at position " + pos
	case inString && r < 0x20:
		return "Bad control character in string literal in JSON at position " + pos
	case inString:
		if j := i - 1; j >= 0 && input[j] == '\\' {
			return "Bad escaped character in JSON at position " + position(input, j)
		}
	case r == '"':
		return "Unexpected string in JSON at position " + pos
	case r == '-' || '0' <= r && r <= '9':
		return "Unexpected number in JSON at position " + pos
	}
	if r < 0x20 || r == 0x7f {
		return "Unexpected token " + strconv.QuoteRune(r) + " in JSON at position " + pos
	}
	return "Unexpected token " + string(r) + " in JSON at position " + pos
}

// stringAt reports whether byte i of input is inside a string literal,
// scanning from the start (the input is valid JSON up to i).
func stringAt(input []byte, i int) bool {
	in := false
	for j := 0; j < i; j++ {
		switch c := input[j]; {
		case in && c == '\\':
			j++
		case c == '"':
			in = !in
		}
	}
	return in
}

// position is the index of byte i of input in UTF-16 code units.
func position(input []byte, i int) string {
	n := 0
	for _, r := range string(input[:i]) {
		n += utf16.RuneLen(r)
	}
	return strconv.Itoa(n)
}

// typeMismatch words a value that decodes but does not fit: a number out
// of range, or a JSON type other than the one expected.
func typeMismatch(te *json.UnmarshalTypeError) string {
	want := jsonType(te.Type)
	where := at(te.Field)
	if num, ok := strings.CutPrefix(te.Value, "number "); ok && (want == "number" || want == "integer") {
		if want == "integer" && strings.ContainsAny(num, ".eE") {
			if f, err := strconv.ParseFloat(num, 64); err == nil && f == math.Trunc(f) {
				return "number " + Excerpt(num) + " is out of range" + where
			}
			return "number " + Excerpt(num) + " is not an integer" + where
		}
		return "number " + Excerpt(num) + " is out of range" + where
	}
	return "must be " + want + where + ", not " + te.Value
}

// jsonType is the JSON type a Go type decodes from.
func jsonType(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "a value"
}

// fieldOf returns the field path encoding/json records in an error that
// wraps a decoding error, "" when there is none.
func fieldOf(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

// at is " at /a/b" for the dotted Go field path "a.b", "" for none.
func at(field string) string {
	if field == "" {
		return ""
	}
	return " at /" + strings.ReplaceAll(field, ".", "/")
}

// Excerpt returns s cut to MaxEcho characters, with "…" in place of the
// rest.
func Excerpt(s string) string {
	if len(s) <= MaxEcho {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxEcho {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
