package qs

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestValues(t *testing.T) {
	tests := []struct {
		raw  string
		want url.Values
	}{
		{"", nil},
		{"a=1&b=2&a=3", url.Values{"a": {"1", "3"}, "b": {"2"}}},
		{"a", url.Values{"a": {""}}},
		{"a=&&b", url.Values{"a": {""}, "b": {""}}},
		{"=x&a=1", url.Values{"a": {"1"}}},
		{"a=b=c", url.Values{"a": {"b=c"}}},
		{"a[b=c]=d", url.Values{"a[b=c]": {"d"}}},
		{"a+b=c+d%20e", url.Values{"a b": {"c d e"}}},
		{"a=x;y", url.Values{"a": {"x;y"}}},
		{"a=%E2%82%AC", url.Values{"a": {"€"}}},
		{"a=€", url.Values{"a": {"€"}}},
		// Components that do not decode are kept as sent, "+" as space.
		{"where[title]=100%", url.Values{"where[title]": {"100%"}}},
		{"where[title]=a%zz", url.Values{"where[title]": {"a%zz"}}},
		{"where[title]=a%2", url.Values{"where[title]": {"a%2"}}},
		{"where[title]=a+b%20c%", url.Values{"where[title]": {"a b%20c%"}}},
		{"a=%FF", url.Values{"a": {"%FF"}}},
		{"a=%C3", url.Values{"a": {"%C3"}}},
		{"a=%C3%A9", url.Values{"a": {"é"}}},
		{"a=%ED%A0%80", url.Values{"a": {"%ED%A0%80"}}}, // a UTF-16 surrogate
		{"a=%C0%AF", url.Values{"a": {"%C0%AF"}}},       // overlong
		{"w%zz[x]=1", url.Values{"w%zz[x]": {"1"}}},
		{"where%5Btitle%5D=x", url.Values{"where[title]": {"x"}}},
		{`where={"title":"100%"}`, url.Values{"where": {`{"title":"100%"}`}}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := Values(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Values(%q) = %v; want %v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestValuesParameterLimit(t *testing.T) {
	at := strings.Repeat("a=1&", ParameterLimit-1) + "where[title]=x"
	v, err := Values(at)
	if err != nil {
		t.Fatalf("%d parameters: %v", ParameterLimit, err)
	}
	if got := Parse(v)["where"]; !reflect.DeepEqual(got, map[string]any{"title": "x"}) {
		t.Errorf("where: got %v; want map[title:x]", got)
	}
	_, err = Values("b=2&" + at)
	if !errors.Is(err, ErrTooManyParameters) {
		t.Errorf("%d parameters: got %v; want ErrTooManyParameters", ParameterLimit+1, err)
	}
}

func TestDecodeMatchesQueryUnescape(t *testing.T) {
	for _, s := range []string{"", "abc", "a+b", "%41%42", "%e2%82%ac", "a%2Fb", "%25", "x%20y+z"} {
		want, err := url.QueryUnescape(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := Decode(s); got != want {
			t.Errorf("Decode(%q) = %q; want %q", s, got, want)
		}
	}
}

func TestDecodeURIComponent(t *testing.T) {
	for in, want := range map[string]string{
		"a+b":       "a+b",
		"a%20b":     "a b",
		"100%":      "100%",
		"%zz":       "%zz",
		"%E2%82%AC": "€",
		"%E2%82":    "%E2%82",
	} {
		if got := DecodeURIComponent(in); got != want {
			t.Errorf("DecodeURIComponent(%q) = %q; want %q", in, got, want)
		}
	}
}
