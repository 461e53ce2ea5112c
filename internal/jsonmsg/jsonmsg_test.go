package jsonmsg

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestMessage(t *testing.T) {
	tests := []struct {
		input string
		into  func() any
		want  string
	}{
		{`{bad`, nil, "Unexpected token b in JSON at position 1"},
		{`{"title":`, nil, "Unexpected end of JSON input"},
		{``, nil, "Unexpected end of JSON input"},
		{`[1,]`, nil, "Unexpected token ] in JSON at position 3"},
		{`{"a":1 2}`, nil, "Unexpected number in JSON at position 7"},
		{`{"a" "b"}`, nil, "Unexpected string in JSON at position 5"},
		{`{} x`, nil, "Unexpected token x in JSON at position 3"},
		{`["é", x]`, nil, "Unexpected token x in JSON at position 6"},
		{`["😀", x]`, nil, "Unexpected token x in JSON at position 7"},
		{"[\"a\nb\"]", nil, "Bad control character in string literal in JSON at position 3"},
		{`["a\qb"]`, nil, "Bad escaped character in JSON at position 3"},
		{"[\x01]", nil, `Unexpected token '\x01' in JSON at position 1`},
		{`1e999`, nil, "number 1e999 is out of range"},
		{`{"limit":1e999}`, nil, "number 1e999 is out of range"},
		{`{"n":300}`, func() any { return &struct{ N int8 }{} }, "number 300 is out of range at /N"},
		{`{"n":1.5}`, func() any { return &struct{ N int }{} }, "number 1.5 is not an integer at /N"},
		{`{"n":1e300}`, func() any { return &struct{ N int64 }{} }, "number 1e300 is out of range at /N"},
		{`{"n":"x"}`, func() any { return &struct{ N int }{} }, "must be integer at /N, not string"},
		{`{"t":"yesterday"}`, func() any { return &struct{ T time.Time }{} }, `"yesterday" is not a valid date-time`},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			var v any = new(any)
			if tt.into != nil {
				v = tt.into()
			}
			err := json.Unmarshal([]byte(tt.input), v)
			if err == nil {
				t.Fatal("no error")
			}
			got := Message(err, []byte(tt.input))
			if got != tt.want {
				t.Errorf("Message(%q) = %q; want %q (Go said %q)", tt.input, got, tt.want, err)
			}
			if strings.Contains(got, "Go ") || strings.Contains(got, "json:") {
				t.Errorf("Message(%q) = %q speaks Go", tt.input, got)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	short := strings.Repeat("é", MaxEcho)
	if got := Excerpt(short); got != short {
		t.Errorf("Excerpt of %d characters: got %q; want it unchanged", MaxEcho, got)
	}
	long := strings.Repeat("é", MaxEcho+1)
	if got, want := Excerpt(long), short+"…"; got != want {
		t.Errorf("Excerpt of %d characters: got %q; want %q", MaxEcho+1, got, want)
	}
}

func FuzzMessage(f *testing.F) {
	for _, s := range []string{`{bad`, `[1,]`, `1e999`, "[\"a\nb\"]", `["a\qb"]`, `{"a":"\u12"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		var v any
		err := json.Unmarshal(input, &v)
		if err == nil {
			return
		}
		got := Message(err, input)
		if got == "" || strings.Contains(got, "Go value") || strings.Contains(got, "json:") || strings.Contains(got, "invalid character") {
			t.Fatalf("Message(%q) = %q (Go said %q)", input, got, err)
		}
	})
}
