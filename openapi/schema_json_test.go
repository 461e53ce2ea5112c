package openapi

import (
	"encoding/json"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestSchemaMarshalJSON(t *testing.T) {
	tests := []struct {
		name   string
		schema *Schema
		want   string
	}{
		{"empty", &Schema{}, `{}`},
		{"nil", nil, `null`},
		{"true", BoolSchema(true), `true`},
		{"false", BoolSchema(false), `false`},
		{"types", &Schema{Type: Types{"string", "null"}}, `{"type":["string","null"]}`},
		{
			"object",
			&Schema{
				Title: "Todo",
				Type:  Types{"object"},
				Properties: map[string]*Schema{
					"title": {Type: Types{"string"}, MinLength: ptr(1)},
					"id":    {Type: Types{"number"}},
					"b":     {},
					"a":     {},
				},
				PropertyOrder:        []string{"id", "title", "missing"},
				Required:             []string{"title"},
				AdditionalProperties: BoolSchema(false),
				Extensions:           map[string]any{"x-typescript-type": "Omit<Todo, 'id'>", "x-a": 1},
			},
			`{"title":"Todo","type":"object","properties":{"id":{"type":"number"},"title":{"type":"string","minLength":1},"a":{},"b":{}},"required":["title"],"additionalProperties":false,"x-a":1,"x-typescript-type":"Omit<Todo, 'id'>"}`,
		},
		{
			"numbers",
			&Schema{Minimum: ptr(0.0), ExclusiveMaximum: ptr(1.5), MultipleOf: ptr(0.5), Enum: []any{1, "a", nil}, Const: false},
			`{"enum":[1,"a",null],"const":false,"minimum":0,"exclusiveMaximum":1.5,"multipleOf":0.5}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.schema)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if strings.Contains(want, "<") {
				// json.Marshal escapes HTML; compare with marshal().
				got, _ = marshal(tt.schema)
			}
			if string(got) != want {
				t.Errorf("got %s; want %s", got, want)
			}
		})
	}
}

func TestSchemaRoundTrip(t *testing.T) {
	in := `{"$ref":"#/components/schemas/X","title":"T","description":"d","type":["integer","null"],"format":"int64","contentEncoding":"base64","contentMediaType":"image/png","enum":[1,9007199254740993],"const":"c","default":3,"examples":[1],"deprecated":true,"readOnly":true,"writeOnly":true,"minimum":1,"exclusiveMinimum":0,"maximum":9,"exclusiveMaximum":10,"multipleOf":2,"minLength":1,"maxLength":2,"pattern":"^a","items":{"type":"string"},"prefixItems":[true,false],"minItems":1,"maxItems":3,"uniqueItems":true,"properties":{"z":{},"a":{"type":"string"}},"required":["a"],"additionalProperties":{"type":"number"},"patternProperties":{"^x":{}},"minProperties":1,"maxProperties":4,"allOf":[{}],"anyOf":[{}],"oneOf":[{}],"not":{},"$defs":{"d":{}},"nullable":true,"x-y":{"k":[1,2]}}`
	var s Schema
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	got, err := marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != in {
		t.Errorf("round trip:\n got %s\nwant %s", got, in)
	}
	if got, want := strings.Join(s.PropertyOrder, ","), "z,a"; got != want {
		t.Errorf("PropertyOrder got %s; want %s", got, want)
	}
}

func TestSchemaUnmarshalErrors(t *testing.T) {
	for _, in := range []string{`[]`, `"x"`, `{"minimum":"a"}`, `{"properties":{"a":{"type":3}}}`, `{"enum":3}`, `{"items":7}`} {
		var s Schema
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("Unmarshal(%s): got nil error; want an error", in)
		}
	}
}

func TestSchemaUnmarshalBoolean(t *testing.T) {
	var s struct{ A, B *Schema }
	if err := json.Unmarshal([]byte(`{"A":true,"B":false}`), &s); err != nil {
		t.Fatal(err)
	}
	if v, ok := s.A.IsBool(); !ok || !v {
		t.Errorf("A: got %v,%v; want true,true", v, ok)
	}
	if v, ok := s.B.IsBool(); !ok || v {
		t.Errorf("B: got %v,%v; want false,true", v, ok)
	}
}
