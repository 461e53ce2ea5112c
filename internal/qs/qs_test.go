package qs

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		query string
		want  string // JSON
	}{
		{"", `{}`},
		{"a=1", `{"a":"1"}`},
		{"a=1&a=2", `{"a":["1","2"]}`},
		{"a[b][c]=1", `{"a":{"b":{"c":"1"}}}`},
		{"a[b]=1&a[c]=2", `{"a":{"b":"1","c":"2"}}`},
		{"a[0]=x&a[1]=y", `{"a":["x","y"]}`},
		{"a[1]=y&a[0]=x", `{"a":["x","y"]}`},
		{"a[1]=x&a[15]=y", `{"a":["x","y"]}`},
		{"a[]=x&a[]=y", `{"a":["x","y"]}`},
		{"a[]=x", `{"a":["x"]}`},
		{"a[20]=x", `{"a":["x"]}`},
		{"a[21]=x", `{"a":{"21":"x"}}`},
		{"a[01]=x", `{"a":{"01":"x"}}`},
		{"a[-1]=x", `{"a":{"-1":"x"}}`},
		{"a[0]=x&a[b]=y", `{"a":{"0":"x","b":"y"}}`},
		{"a[0][b]=x&a[0][c]=y", `{"a":[{"b":"x","c":"y"}]}`},
		{"a[0]=x&a[]=y", `{"a":["x","y"]}`},
		{"a=x&a[b]=y", `{"a":["x",{"b":"y"}]}`},
		{"[a][b]=y&a=x", `{"a":{"b":"y","x":"true"}}`},
		{"[a]=1", `{"a":"1"}`},
		{"[0]=1", `{"0":"1"}`},
		{"0=1", `{"0":"1"}`},
		{"a.b=1", `{"a.b":"1"}`},
		{"a[b=1", `{"a[b":"1"}`},
		{"a[b]c[d]=1", `{"a":{"b":{"d":"1"}}}`},
		{"a[b][c][d][e][f]=x", `{"a":{"b":{"c":{"d":{"e":{"f":"x"}}}}}}`},
		{"a[b][c][d][e][f][g][h]=x", `{"a":{"b":{"c":{"d":{"e":{"f":{"[g][h]":"x"}}}}}}}`},
		{"__proto__[x]=1", `{"__proto__":{"x":"1"}}`},
		{"a[__proto__][b]=1", `{"a":{"__proto__":{"b":"1"}}}`},
		{"a[constructor][prototype][x]=1", `{"a":{"constructor":{"prototype":{"x":"1"}}}}`},
		{"filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC",
			`{"filter":{"where":{"title":"x"},"limit":"2","order":["title DESC"]}}`},
		{"filter[where][or][0][a]=1&filter[where][or][1][b]=2",
			`{"filter":{"where":{"or":[{"a":"1"},{"b":"2"}]}}}`},
		{"filter[where][id][inq]=1&filter[where][id][inq]=2",
			`{"filter":{"where":{"id":{"inq":["1","2"]}}}}`},
		{"filter[fields][title]=true", `{"filter":{"fields":{"title":"true"}}}`},
		{"filter[include][0][relation]=todos&filter[include][0][scope][limit]=1",
			`{"filter":{"include":[{"relation":"todos","scope":{"limit":"1"}}]}}`},
		{"a[0][0]=x&a[0][1]=y", `{"a":[["x","y"]]}`},
		{"a[][b]=1", `{"a":[{"b":"1"}]}`},
		{"a[]=", `{"a":[""]}`},
		{"=x", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := Values(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got := Parse(v)
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				b, _ := json.Marshal(got)
				t.Errorf("Parse(%q) = %s; want %s", tt.query, b, tt.want)
			}
		})
	}
}

func TestParseKeepsEveryValue(t *testing.T) {
	v := url.Values{}
	for i := range ParameterLimit + 50 {
		v.Add("a", string(rune('a'+i%26)))
	}
	got := Parse(v)
	arr, ok := got["a"].([]any)
	if !ok {
		t.Fatalf("got %T; want []any", got["a"])
	}
	if len(arr) != ParameterLimit+50 {
		t.Errorf("got %d values; want %d", len(arr), ParameterLimit+50)
	}
}

func TestParseDoesNotAliasInput(t *testing.T) {
	v := url.Values{"a[]": {"x", "y"}}
	got := Parse(v)
	got["a"].([]any)[0] = "changed"
	if v["a[]"][0] != "x" {
		t.Errorf("input modified: %v", v)
	}
}

// checkValue reports whether v holds only the types Parse promises.
func checkValue(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case string:
	case []any:
		for _, e := range x {
			checkValue(t, e)
		}
	case map[string]any:
		for _, e := range x {
			checkValue(t, e)
		}
	default:
		t.Fatalf("unexpected value %#v (%T)", v, v)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC")
	f.Add("a[0]=x&a[b]=y&a=z&a[]=w")
	f.Add("a[b][c][d][e][f][g][h]=x&[0]=1&a[21]=2")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := Values(query)
		if err != nil {
			return
		}
		got := Parse(v)
		if got == nil {
			t.Fatal("Parse returned nil")
		}
		checkValue(t, got)
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("result does not marshal: %v", err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	v, _ := Values("filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC&filter[where][id][inq]=1&filter[where][id][inq]=2")
	b.ReportAllocs()
	for b.Loop() {
		Parse(v)
	}
}
