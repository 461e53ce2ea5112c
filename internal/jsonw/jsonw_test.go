package jsonw

import (
	"encoding/json"
	"math"
	"testing"
)

func TestAppendValue(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "null"}, {true, "true"}, {false, "false"}, {"<a&b>", `"<a&b>"`},
		{int64(0), "0"}, {int64(-42), "-42"}, {int64(math.MinInt64), "-9223372036854775808"}, {int64(math.MaxInt64), "9223372036854775807"},
		{1.5, "1.5"}, {1e21, "1e+21"}, {1e-7, "1e-7"}, {[]any{"<", 1.0}, `["\u003c",1]`},
		{map[string]any{"b": 1.0, "a": nil}, `{"a":null,"b":1}`},
	}
	for _, tt := range tests {
		got, err := AppendValue([]byte("x"), tt.v)
		if err != nil || string(got) != "x"+tt.want {
			t.Errorf("AppendValue(%#v) = %s, %v; want x%s", tt.v, got, err, tt.want)
		}
	}
	if _, err := AppendValue(nil, math.NaN()); err == nil {
		t.Error("NaN: got no error")
	}
}

// FuzzAppendString checks that every string is written as valid JSON that
// decodes to the same text (with invalid UTF-8 replaced).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\"back\\slash", "\x00\x1f\x7f", "é\u2028\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("AppendString(%q) = %s: not JSON: %v", s, b, err)
		}
		want, _ := json.Marshal(s)
		var wantBack string
		json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("AppendString(%q) decodes to %q; want %q", s, back, wantBack)
		}
	})
}
