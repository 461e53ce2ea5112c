package rest

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"testing"

	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/openapi"
)

// alternativesSchema is a filter-like schema with oneOf/anyOf properties,
// some behind $refs to the components it returns.
func alternativesSchema() (*openapi.Schema, map[string]*openapi.Schema) {
	boolean := func() *openapi.Schema { return &openapi.Schema{Type: openapi.Types{"boolean"}} }
	comps := map[string]*openapi.Schema{
		"Todo.FieldName": {Type: openapi.Types{"string"}, Enum: []any{"id", "title"}},
		"Todo.Fields": {OneOf: []*openapi.Schema{
			{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{"id": boolean(), "title": boolean()},
				AdditionalProperties: openapi.BoolSchema(false)},
			{Type: openapi.Types{"array"}, Items: &openapi.Schema{Ref: "#/components/schemas/Todo.FieldName"}},
		}},
		"Num": {AnyOf: []*openapi.Schema{{Type: openapi.Types{"integer"}}, {Type: openapi.Types{"string"}}}},
	}
	filter := &openapi.Schema{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{
		"fields": {Ref: "#/components/schemas/Todo.Fields"},
		"limit":  {Type: openapi.Types{"integer"}},
		"order": {OneOf: []*openapi.Schema{
			{Type: openapi.Types{"string"}},
			{Type: openapi.Types{"array"}, Items: &openapi.Schema{Type: openapi.Types{"string"}}},
		}},
		"n":     {Ref: "#/components/schemas/Num"},
		"where": {Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)},
		"flag": {AnyOf: []*openapi.Schema{
			{Type: openapi.Types{"string"}, Enum: []any{"on"}},
			boolean(),
		}},
	}}
	return filter, comps
}

// TestCoerceTreeAlternatives checks that nested query-string values are
// coerced through oneOf/anyOf branches, including branches reached by a
// $ref to a component and enums behind a $ref inside a branch.
func TestCoerceTreeAlternatives(t *testing.T) {
	filter, comps := alternativesSchema()
	cases := []struct {
		name, in, want string
	}{
		{"object branch of a $ref'd oneOf", `{"fields":{"id":"true","title":"0"}}`, `{"fields":{"id":true,"title":false}}`},
		{"array branch of a $ref'd oneOf", `{"fields":["id"]}`, `{"fields":["id"]}`},
		{"no branch fits: left for validation", `{"fields":{"id":"maybe"}}`, `{"fields":{"id":"maybe"}}`},
		{"unknown key: left for validation", `{"fields":{"colour":"true"}}`, `{"fields":{"colour":"true"}}`},
		{"string branch first", `{"order":"id DESC"}`, `{"order":"id DESC"}`},
		{"array branch", `{"order":["id DESC","title"]}`, `{"order":["id DESC","title"]}`},
		{"anyOf integer first", `{"n":"12"}`, `{"n":12}`},
		{"anyOf falls back to string", `{"n":"twelve"}`, `{"n":"twelve"}`},
		{"enum decides the branch", `{"flag":"on"}`, `{"flag":"on"}`},
		{"enum miss takes the next branch", `{"flag":"1"}`, `{"flag":true}`},
		{"plain property still coerced", `{"limit":"2"}`, `{"limit":2}`},
		{"free-form where untouched", `{"where":{"id":"1"}}`, `{"where":{"id":"1"}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(c.in), &v); err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(coerceTree(v, filter, comps, 0))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("coerceTree(%s): got %s; want %s", c.in, got, c.want)
			}
		})
	}
}

// TestCoerceTreeBranchIsolation checks that a branch that does not fit
// leaves no trace in the value the next branch coerces.
func TestCoerceTreeBranchIsolation(t *testing.T) {
	s := &openapi.Schema{OneOf: []*openapi.Schema{
		{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{
			"a": {Type: openapi.Types{"integer"}}, "b": {Type: openapi.Types{"boolean"}}}},
		{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{
			"a": {Type: openapi.Types{"string"}}, "b": {Type: openapi.Types{"string"}}}},
	}}
	v := map[string]any{"a": "1", "b": "x"}
	got, _ := json.Marshal(coerceTree(v, s, nil, 0))
	if want := `{"a":"1","b":"x"}`; string(got) != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

// FuzzCoerceTree coerces nested query strings through the alternatives
// schema: it must not panic, must give a JSON value, and coercing the
// result again must change nothing.
func FuzzCoerceTree(f *testing.F) {
	filter, comps := alternativesSchema()
	f.Fuzz(func(t *testing.T, rawQuery string) {
		vals, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		v, ok := qs.Parse(vals)["filter"]
		if !ok {
			return
		}
		once := coerceTree(v, filter, comps, 0)
		a, err := json.Marshal(once)
		if err != nil {
			t.Fatalf("coerced value does not marshal: %v", err)
		}
		b, _ := json.Marshal(coerceTree(deepCopy(once), filter, comps, 0))
		if string(a) != string(b) {
			t.Errorf("coercing twice: got %s; want %s", b, a)
		}
	})
}

// TestSmallWholeMatchesParseFloat checks the fast path of number
// parameters against strconv.ParseFloat.
func TestSmallWholeMatchesParseFloat(t *testing.T) {
	for _, s := range []string{"0", "7", "007", "42", "123456789012345", "999999999999999"} {
		f, ok := smallWhole(s)
		want, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil || f != want || math.Signbit(f) != math.Signbit(want) {
			t.Errorf("smallWhole(%q) = %v, %v; want %v", s, f, ok, want)
		}
	}
	for _, s := range []string{"", "-0", "-1", "+1", "1.5", "1e3", "1234567890123456", " 1", "0x1", "١"} {
		if f, ok := smallWhole(s); ok {
			t.Errorf("smallWhole(%q) = %v, true; want false (ParseFloat's to decide)", s, f)
		}
	}
}
