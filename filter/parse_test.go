package filter

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/internal/validate"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		in   string
		want *Filter
	}{
		{`{}`, &Filter{}},
		{`null`, &Filter{}},
		{`{"limit":2,"skip":1}`, &Filter{Limit: 2, Skip: 1}},
		{`{"offset":3}`, &Filter{Skip: 3}},
		{`{"offset":3,"skip":1}`, &Filter{Skip: 1}},
		{`{"where":{"title":"x"}}`, &Filter{Where: &Where{Conds: []Cond{{Path: "title", Op: Eq, Value: "x"}}}}},
		{`{"where":{"id":{"gt":1,"lt":5}}}`, &Filter{Where: &Where{Conds: []Cond{{Path: "id", Op: Gt, Value: int64(1)}, {Path: "id", Op: Lt, Value: int64(5)}}}}},
		{`{"where":{"a":null,"b":1.5}}`, &Filter{Where: &Where{Conds: []Cond{{Path: "a", Op: Eq, Value: nil}, {Path: "b", Op: Eq, Value: 1.5}}}}},
		{`{"where":{"or":[{"a":1},{"b":{"inq":[1,2]}}]}}`, &Filter{Where: &Where{Or: []*Where{
			{Conds: []Cond{{Path: "a", Op: Eq, Value: int64(1)}}},
			{Conds: []Cond{{Path: "b", Op: Inq, Value: []any{int64(1), int64(2)}}}}}}}},
		{`{"where":{"and":[{"a":1}],"c":{"exists":true}}}`, &Filter{Where: &Where{
			Conds: []Cond{{Path: "c", Op: Exists, Value: true}},
			And:   []*Where{{Conds: []Cond{{Path: "a", Op: Eq, Value: int64(1)}}}}}}},
		{`{"where":{"a.b":{"between":[1,2]}}}`, &Filter{Where: &Where{Conds: []Cond{{Path: "a.b", Op: Between, Value: []any{int64(1), int64(2)}}}}}},
		{`{"where":{"a":{"inq":1}}}`, &Filter{Where: &Where{Conds: []Cond{{Path: "a", Op: Inq, Value: []any{int64(1)}}}}}},
		{`{"order":"title DESC"}`, &Filter{Order: []Order{{Property: "title", Desc: true}}}},
		{`{"order":"title desc, id"}`, &Filter{Order: []Order{{Property: "title", Desc: true}, {Property: "id"}}}},
		{`{"order":["title ASC","id DESC"]}`, &Filter{Order: []Order{{Property: "title"}, {Property: "id", Desc: true}}}},
		{`{"fields":{"title":true,"desc":false}}`, &Filter{Fields: &Fields{Include: []string{"title"}}}},
		{`{"fields":{"desc":false}}`, &Filter{Fields: &Fields{Exclude: []string{"desc"}}}},
		{`{"fields":["title","id","title"]}`, &Filter{Fields: &Fields{Include: []string{"title", "id"}}}},
		{`{"include":["todos"]}`, &Filter{Include: []Inclusion{{Relation: "todos", short: true}}}},
		{`{"include":"todos"}`, &Filter{Include: []Inclusion{{Relation: "todos", short: true}}}},
		{`{"include":[{"relation":"todos","scope":{"limit":1,"totalLimit":5,"where":{"done":true}}}]}`, &Filter{Include: []Inclusion{{
			Relation: "todos", TotalLimit: 5,
			Scope: &Filter{Limit: 1, Where: &Where{Conds: []Cond{{Path: "done", Op: Eq, Value: true}}}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %s; want %s", dump(got), dump(tt.want))
			}
		})
	}
}

func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestParseRegexp(t *testing.T) {
	f, err := ParseJSON([]byte(`{"where":{"title":{"regexp":"/^a.c/i"},"desc":{"regexp":"^x","options":"m"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	rv := f.Where.Conds[1].Value.(*RegexpValue)
	if rv.Pattern != "^a.c" || rv.Flags != "i" {
		t.Errorf("got %q %q", rv.Pattern, rv.Flags)
	}
	re, _ := rv.Regexp()
	if !re.MatchString("ABC") {
		t.Errorf("/^a.c/i does not match ABC")
	}
	rv = f.Where.Conds[0].Value.(*RegexpValue)
	if rv.Pattern != "^x" || rv.Flags != "m" {
		t.Errorf("got %q %q", rv.Pattern, rv.Flags)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, path, code, msg string
	}{
		{`{"limt":1}`, "", "additionalProperties", `Invalid filter: must NOT have additional properties ("limt").`},
		{`{"limit":0}`, "/limit", "minimum", `Invalid filter: limit must be >= 1.`},
		{`{"limit":-1}`, "/limit", "minimum", ``},
		{`{"limit":1.5}`, "/limit", "type", `Invalid filter: limit must be integer.`},
		{`{"limit":"abc"}`, "/limit", "type", ``},
		{`{"skip":-1}`, "/skip", "minimum", ``},
		{`{"offset":"x"}`, "/offset", "type", ``},
		{`{"where":{"title":{"lik":"x"}}}`, "", "", ``}, // no operator key: parsed as eq of an object
		{`{"where":{"title":{"like":"x","foo":1}}}`, "/where/title/foo", "operator", `Invalid filter: where.title.foo unknown operator "foo".`},
		{`{"where":{"title":{"like":1}}}`, "/where/title/like", "type", ``},
		{`{"where":{"title":{"regexp":"("}}}`, "/where/title/regexp", "format", ``},
		{`{"where":{"title":{"regexp":"/a/x"}}}`, "/where/title/regexp", "format", ``},
		{`{"where":{"id":{"between":[1]}}}`, "/where/id/between", "type", ``},
		{`{"where":{"id":{"gt":[1]}}}`, "/where/id/gt", "type", ``},
		{`{"where":{"id":{"exists":"maybe"}}}`, "/where/id/exists", "type", ``},
		{`{"where":{"or":{"a":1}}}`, "/where/or", "type", ``},
		{`{"where":[1]}`, "/where", "type", ``},
		{`{"order":"title UP"}`, "/order", "pattern", ``},
		{`{"order":5}`, "/order", "type", ``},
		{`{"fields":{"title":"yes"}}`, "/fields/title", "type", ``},
		{`{"include":[{"scope":{}}]}`, "/include/0", "required", ``},
		{`{"include":[{"relation":"a","scope":{"foo":1}}]}`, "/include/0/scope", "additionalProperties", ``},
		{`{"totalLimit":1}`, "", "additionalProperties", ``},
		{`[]`, "", "type", ``},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseJSON([]byte(tt.in))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("got %v; want no error", err)
				}
				return
			}
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.BadRequest || fe.Code != CodeInvalid {
				t.Fatalf("got %v; want a BadRequest INVALID_PARAMETER_VALUE", err)
			}
			d := fe.Details.([]validate.Detail)
			if d[0].Path != tt.path || d[0].Code != tt.code {
				t.Errorf("got detail %+v; want path %q code %q", d[0], tt.path, tt.code)
			}
			if tt.msg != "" && fe.Message != tt.msg {
				t.Errorf("got message %q; want %q", fe.Message, tt.msg)
			}
		})
	}
}

func TestParseSyntaxError(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"limit":`, "Unexpected end of JSON input"},
		{`{"limit":1} x`, "Unexpected token x in JSON at position 12"},
		{`{"limit" 1}`, "Unexpected number in JSON at position 9"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseJSON([]byte(tt.in))
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Code != CodeInvalid {
				t.Fatalf("got %v", err)
			}
			d, ok := fe.Details.(map[string]any)
			if !ok || d["syntaxError"] != tt.want {
				t.Errorf("details = %#v; want syntaxError %q", fe.Details, tt.want)
			}
			if want := "Invalid filter: " + tt.want + "."; fe.Message != want {
				t.Errorf("message = %q; want %q", fe.Message, want)
			}
		})
	}
}

func TestParseMessageEchoIsCut(t *testing.T) {
	key := strings.Repeat("k", 300)
	_, err := ParseJSON([]byte(`{"where":{"title":{"like":"x","` + key + `":1}}}`))
	if err == nil {
		t.Fatal("got no error")
	}
	if n := len([]rune(err.Error())); n > len("Invalid filter: ")+jsonmsg.MaxEcho+2 {
		t.Errorf("message of %d characters: %q", n, err)
	}
	if !strings.HasSuffix(err.Error(), "….") {
		t.Errorf("got %q; want it cut with an ellipsis", err)
	}
}

func TestParseRegexpEchoIsCut(t *testing.T) {
	pattern := "(" + strings.Repeat("a", 200)
	_, err := ParseJSON([]byte(`{"where":{"title":{"regexp":"` + pattern + `"}}}`))
	if err == nil {
		t.Fatal("got no error")
	}
	var fe *fault.Error
	if !errors.As(err, &fe) {
		t.Fatalf("got %v; want a fault.Error", err)
	}
	msg := fe.Details.([]validate.Detail)[0].Message
	if want := "invalid regexp /" + pattern[:100] + "…/: missing closing )"; msg != want {
		t.Errorf("detail message = %q; want %q", msg, want)
	}
}

func TestParseLimits(t *testing.T) {
	deep := strings.Repeat(`{"or":[`, MaxDepth+2) + `{}` + strings.Repeat(`]}`, MaxDepth+2)
	if _, err := ParseJSON([]byte(`{"where":` + deep + `}`)); err == nil {
		t.Errorf("deep where: got no error")
	}
	vals := strings.Repeat("1,", MaxConditions) + "1"
	if _, err := ParseJSON([]byte(`{"where":{"id":{"inq":[` + vals + `]}}}`)); err == nil {
		t.Errorf("long inq: got no error")
	}
}

func TestParseQueryString(t *testing.T) {
	tests := []struct {
		query string
		want  *Filter
	}{
		{"filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC", &Filter{
			Where: &Where{Conds: []Cond{{Path: "title", Op: Eq, Value: "x"}}}, Limit: 2,
			Order: []Order{{Property: "title", Desc: true}}}},
		{"filter[where][id][inq]=1&filter[where][id][inq]=2&filter[skip]=3", &Filter{
			Where: &Where{Conds: []Cond{{Path: "id", Op: Inq, Value: []any{"1", "2"}}}}, Skip: 3}},
		{"filter[where][or][0][a]=1&filter[where][or][1][b][gt]=2", &Filter{Where: &Where{Or: []*Where{
			{Conds: []Cond{{Path: "a", Op: Eq, Value: "1"}}}, {Conds: []Cond{{Path: "b", Op: Gt, Value: "2"}}}}}}},
		{"filter[fields][title]=true&filter[fields][id]=true", &Filter{Fields: &Fields{Include: []string{"id", "title"}}}},
		{"filter[include][0][relation]=todos&filter[include][0][scope][limit]=1", &Filter{Include: []Inclusion{{Relation: "todos", Scope: &Filter{Limit: 1}}}}},
		{"filter[where][done][exists]=false", &Filter{Where: &Where{Conds: []Cond{{Path: "done", Op: Exists, Value: false}}}}},
		{"filter[order]=title&filter[offset]=1", &Filter{Order: []Order{{Property: "title"}}, Skip: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := FromValue(qs.Parse(v)["filter"])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %s; want %s", dump(got), dump(tt.want))
			}
		})
	}
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"where":{"title":{"like":"a%"},"or":[{"id":{"inq":[1,2]}},{"b":{"between":[1,2]}}]},"order":"title DESC","limit":5,"fields":["title"],"include":[{"relation":"x","scope":{"limit":1}}]}`))
	f.Add([]byte(`{"where":{"a":{"regexp":"/^a/i"}},"offset":"2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := ParseJSON(data)
		if err != nil {
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
				t.Fatalf("error %v is not a BadRequest fault", err)
			}
			return
		}
		if fl.Limit < 0 || fl.Skip < 0 {
			t.Fatalf("negative limit or skip: %+v", fl)
		}
		m, err := Compile(fl.Where)
		if err != nil {
			return
		}
		m.Match(map[string]any{"title": "abc", "id": int64(1), "a": []any{"x", map[string]any{"b": 1.0}}})
	})
}

func FuzzParseQuery(f *testing.F) {
	f.Add("filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC")
	f.Add("filter[where][or][0][a][inq]=1&filter[include][0][relation]=r&filter[fields][a]=true")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		fl, err := FromValue(qs.Parse(v)["filter"])
		if err != nil {
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
				t.Fatalf("error %v is not a BadRequest fault", err)
			}
			return
		}
		if fl == nil {
			t.Fatal("nil filter without error")
		}
	})
}

// jsonUnmarshalNumbers decodes JSON with numbers as int64 or float64, as
// records hold them.
func jsonUnmarshalNumbers(data []byte, v *map[string]any) error {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*v = plainValue(raw).(map[string]any)
	return nil
}

func TestFromValueGoCollections(t *testing.T) {
	f, err := FromValue(map[string]any{
		"where":   map[string]any{"id": map[string]any{"inq": []string{"1", "2"}}, "title": map[string]string{"like": "a%"}},
		"order":   []string{"title DESC"},
		"include": []map[string]any{{"relation": "todos"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &Filter{
		Where: &Where{Conds: []Cond{{Path: "id", Op: Inq, Value: []any{"1", "2"}}, {Path: "title", Op: Like, Value: "a%"}}},
		Order: []Order{{Property: "title", Desc: true}}, Include: []Inclusion{{Relation: "todos"}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got %s; want %s", dump(f), dump(want))
	}
}
