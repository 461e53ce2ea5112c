package rest

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecodeFlatObject checks that the fast path decodes flat objects as
// encoding/json does, and declines whatever it cannot decode exactly.
func TestDecodeFlatObject(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{`{"title":"benchmark todo","desc":"x","isComplete":false}`, true},
		{` { "a" : 1 , "b":-0.5e+3, "c":true,"d":null,"a":"again" } `, true},
		{`{}`, true},
		{"\t{\r\n}\n", true},
		{`{"n":0}`, true},
		{`{"n":1E2}`, true},
		{`{"n":01}`, false},
		{`{"n":1.}`, false},
		{`{"n":-}`, false},
		{`{"n":1e}`, false},
		{`{"n":+1}`, false},
		{`{"n":1e999}`, false},
		{`{"s":"\u00e9"}`, false},
		{`{"s":"é"}`, false},
		{"{\"s\":\"a\x01\"}", false},
		{`{"o":{}}`, false},
		{`{"a":[1]}`, false},
		{`{"a":1,}`, false},
		{`{"a":1`, false},
		{`{"a" 1}`, false},
		{`{a:1}`, false},
		{`{"a":tru}`, false},
		{`{"a":nul}`, false},
		{`{"a":1} x`, false},
		{`{"a":1}{}`, false},
		{`[]`, false},
		{`"x"`, false},
		{``, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := decodeFlatObject([]byte(tt.in))
			if ok != tt.ok {
				t.Fatalf("got ok %v; want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			var want any
			if err := json.Unmarshal([]byte(tt.in), &want); err != nil {
				t.Fatalf("encoding/json: %v", err)
			}
			if !reflect.DeepEqual(any(got), want) {
				t.Errorf("got %#v; want %#v", got, want)
			}
		})
	}
}

// FuzzFlatObject checks that whatever the fast path accepts, encoding/json
// decodes to the same value.
func FuzzFlatObject(f *testing.F) {
	f.Add([]byte(`{"title":"t","n":1.5,"b":true,"z":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := decodeFlatObject(raw)
		if !ok {
			return
		}
		var want any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("fast path accepted %q; encoding/json: %v", raw, err)
		}
		if !reflect.DeepEqual(any(got), want) {
			t.Fatalf("%q: got %#v; want %#v", raw, got, want)
		}
	})
}
