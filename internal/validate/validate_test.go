package validate

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

func mustSchema(t testing.TB, js string) *openapi.Schema {
	t.Helper()
	var s openapi.Schema
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatalf("schema %s: %v", js, err)
	}
	return &s
}

func decode(t testing.TB, js string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("instance %s: %v", js, err)
	}
	return v
}

func detailsJSON(t testing.TB, d []Detail) string {
	t.Helper()
	if d == nil {
		return "null"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}

var todoComponents = `{
 "Todo": {"title":"Todo","type":"object","properties":{
   "id":{"type":"number"},
   "title":{"type":"string","minLength":1,"maxLength":20},
   "desc":{"type":"string"},
   "isComplete":{"type":"boolean"},
   "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true,"maxItems":3},
   "owner":{"$ref":"#/components/schemas/User"}
  },"required":["title"],"additionalProperties":false},
 "User": {"type":"object","properties":{"email":{"type":"string","format":"email"},"manager":{"$ref":"#/components/schemas/User"}},"required":["email"]}
}`

func components(t testing.TB) map[string]*openapi.Schema {
	var m map[string]*openapi.Schema
	if err := json.Unmarshal([]byte(todoComponents), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestValidateKeywords(t *testing.T) {
	tests := []struct {
		name, schema, value, want string
	}{
		{"valid", `{"type":"string"}`, `"x"`, `null`},
		{"type", `{"type":"string"}`, `1`, `[{"path":"","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{"type integer", `{"type":"integer"}`, `1.5`, `[{"path":"","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{"integer accepts 2.0", `{"type":"integer"}`, `2.0`, `null`},
		{"type several", `{"type":["string","null"]}`, `true`, `[{"path":"","code":"type","message":"must be string,null","info":{"type":["string","null"]}}]`},
		{"nullable accepts null", `{"type":["string","null"],"minLength":2}`, `null`, `null`},
		{"null rejected", `{"type":"object","properties":{"a":{"type":"string"}}}`, `{"a":null}`, `[{"path":"/a","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{"required", `{"type":"object","required":["title","id"]}`, `{}`, `[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}},{"path":"","code":"required","message":"must have required property 'id'","info":{"missingProperty":"id"}}]`},
		{"additionalProperties", `{"type":"object","properties":{"a":{}},"additionalProperties":false}`, `{"a":1,"z":2,"id":3}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}},{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"z"}}]`},
		{"additionalProperties schema", `{"type":"object","additionalProperties":{"type":"integer"}}`, `{"a/b":"x"}`, `[{"path":"/a~1b","code":"type","message":"must be integer","info":{"type":"integer"}}]`},
		{"minimum", `{"type":"number","minimum":1}`, `0`, `[{"path":"","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]`},
		{"maximum", `{"maximum":2.5}`, `3`, `[{"path":"","code":"maximum","message":"must be <= 2.5","info":{"comparison":"<=","limit":2.5}}]`},
		{"exclusiveMinimum", `{"exclusiveMinimum":0}`, `0`, `[{"path":"","code":"exclusiveMinimum","message":"must be > 0","info":{"comparison":">","limit":0}}]`},
		{"exclusiveMaximum", `{"exclusiveMaximum":10}`, `10`, `[{"path":"","code":"exclusiveMaximum","message":"must be < 10","info":{"comparison":"<","limit":10}}]`},
		{"multipleOf", `{"multipleOf":2}`, `3`, `[{"path":"","code":"multipleOf","message":"must be multiple of 2","info":{"multipleOf":2}}]`},
		{"multipleOf decimal", `{"multipleOf":0.5}`, `1.5`, `null`},
		{"minLength", `{"type":"string","minLength":3}`, `"ab"`, `[{"path":"","code":"minLength","message":"must NOT have fewer than 3 characters","info":{"limit":3}}]`},
		{"minLength code points", `{"minLength":2}`, `"😀"`, `[{"path":"","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`},
		{"maxLength", `{"maxLength":10}`, `"abcdefghijk"`, `[{"path":"","code":"maxLength","message":"must NOT have more than 10 characters","info":{"limit":10}}]`},
		{"minItems", `{"minItems":1}`, `[]`, `[{"path":"","code":"minItems","message":"must NOT have fewer than 1 items","info":{"limit":1}}]`},
		{"maxItems", `{"maxItems":1}`, `[1,2]`, `[{"path":"","code":"maxItems","message":"must NOT have more than 1 items","info":{"limit":1}}]`},
		{"minProperties", `{"minProperties":1}`, `{}`, `[{"path":"","code":"minProperties","message":"must NOT have fewer than 1 properties","info":{"limit":1}}]`},
		{"maxProperties", `{"maxProperties":0}`, `{"a":1}`, `[{"path":"","code":"maxProperties","message":"must NOT have more than 0 properties","info":{"limit":0}}]`},
		{"pattern", `{"pattern":"^a"}`, `"b"`, `[{"path":"","code":"pattern","message":"must match pattern \"^a\"","info":{"pattern":"^a"}}]`},
		{"enum", `{"enum":["a",1,null]}`, `"b"`, `[{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a",1,null]}}]`},
		{"enum number types", `{"enum":[1]}`, `1.0`, `null`},
		{"const", `{"const":{"a":[1]}}`, `{"a":[2]}`, `[{"path":"","code":"const","message":"must be equal to constant","info":{"allowedValue":{"a":[1]}}}]`},
		{"format email", `{"type":"string","format":"email"}`, `"nope"`, `[{"path":"","code":"format","message":"must match format \"email\"","info":{"format":"email"}}]`},
		{"format ignores other types", `{"format":"email"}`, `1`, `null`},
		{"format unknown ignored", `{"format":"x-custom"}`, `"anything"`, `null`},
		{"format date", `{"format":"date"}`, `"2023-02-29"`, `[{"path":"","code":"format","message":"must match format \"date\"","info":{"format":"date"}}]`},
		{"format date leap", `{"format":"date"}`, `"2024-02-29"`, `null`},
		{"format date-time", `{"format":"date-time"}`, `"2024-01-01 25:00:00Z"`, `[{"path":"","code":"format","message":"must match format \"date-time\"","info":{"format":"date-time"}}]`},
		{"format date-time ok", `{"format":"date-time"}`, `"2024-01-01T10:20:30.5+02:00"`, `null`},
		{"format time", `{"format":"time"}`, `"10:61:00"`, `[{"path":"","code":"format","message":"must match format \"time\"","info":{"format":"time"}}]`},
		{"format uri", `{"format":"uri"}`, `"/relative"`, `[{"path":"","code":"format","message":"must match format \"uri\"","info":{"format":"uri"}}]`},
		{"format uri ok", `{"format":"uri"}`, `"https://example.com/a?b=c"`, `null`},
		{"format uuid", `{"format":"uuid"}`, `"123e4567-e89b-12d3-a456-42661417400"`, `[{"path":"","code":"format","message":"must match format \"uuid\"","info":{"format":"uuid"}}]`},
		{"format ipv4", `{"format":"ipv4"}`, `"256.1.1.1"`, `[{"path":"","code":"format","message":"must match format \"ipv4\"","info":{"format":"ipv4"}}]`},
		{"format ipv6 ok", `{"format":"ipv6"}`, `"::1"`, `null`},
		{"format ipv6", `{"format":"ipv6"}`, `"1.2.3.4"`, `[{"path":"","code":"format","message":"must match format \"ipv6\"","info":{"format":"ipv6"}}]`},
		{"format hostname", `{"format":"hostname"}`, `"-bad-.com"`, `[{"path":"","code":"format","message":"must match format \"hostname\"","info":{"format":"hostname"}}]`},
		{"format int32", `{"type":"integer","format":"int32"}`, `2147483648`, `[{"path":"","code":"format","message":"must match format \"int32\"","info":{"format":"int32"}}]`},
		{"format int64 big", `{"type":"integer","format":"int64"}`, `9223372036854775808`, `[{"path":"","code":"format","message":"must match format \"int64\"","info":{"format":"int64"}}]`},
		{"format int64 max", `{"type":"integer","format":"int64"}`, `9223372036854775807`, `null`},
		{"format duration (library)", `{"format":"duration"}`, `"P1X"`, `[{"path":"","code":"format","message":"must match format \"duration\"","info":{"format":"duration"}}]`},
		{"uniqueItems scalar", `{"type":"array","items":{"type":"number"},"uniqueItems":true}`, `[1,2,1]`, `[{"path":"","code":"uniqueItems","message":"must NOT have duplicate items (items ## 2 and 0 are identical)","info":{"i":0,"j":2}}]`},
		{"uniqueItems objects", `{"uniqueItems":true}`, `[{"a":1},2,{"a":1.0}]`, `[{"path":"","code":"uniqueItems","message":"must NOT have duplicate items (items ## 0 and 2 are identical)","info":{"i":2,"j":0}}]`},
		{"items path", `{"items":{"type":"string"}}`, `["a",2]`, `[{"path":"/1","code":"type","message":"must be string","info":{"type":"string"}}]`},
		{"prefixItems", `{"prefixItems":[{"type":"string"}],"items":false}`, `["a",2]`, `[{"path":"/1","code":"false schema","message":"boolean schema is false","info":{}}]`},
		{"not", `{"not":{"type":"string"}}`, `"x"`, `[{"path":"","code":"not","message":"must NOT be valid","info":{}}]`},
		{"anyOf", `{"anyOf":[{"type":"string"},{"type":"null"}]}`, `1`, `[{"path":"","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"type","message":"must be null","info":{"type":"null"}},{"path":"","code":"anyOf","message":"must match a schema in anyOf","info":{}}]`},
		{"anyOf ok", `{"anyOf":[{"type":"string"},{"type":"null"}]}`, `null`, `null`},
		{"oneOf none", `{"oneOf":[{"type":"string"},{"type":"array"}]}`, `1`, `[{"path":"","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"type","message":"must be array","info":{"type":"array"}},{"path":"","code":"oneOf","message":"must match exactly one schema in oneOf","info":{"passingSchemas":null}}]`},
		{"oneOf two", `{"oneOf":[{"type":"number"},{"minimum":0}]}`, `1`, `[{"path":"","code":"oneOf","message":"must match exactly one schema in oneOf","info":{"passingSchemas":[0,1]}}]`},
		{"allOf", `{"allOf":[{"minLength":2},{"maxLength":0}]}`, `"a"`, `[{"path":"","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},{"path":"","code":"maxLength","message":"must NOT have more than 0 characters","info":{"limit":0}}]`},
		{"false schema", `false`, `1`, `[{"path":"","code":"false schema","message":"boolean schema is false","info":{}}]`},
		{"true schema", `true`, `1`, `null`},
		{"enum and type order", `{"type":"string","enum":["a"]}`, `1`, `[{"path":"","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a"]}}]`},
		{"type first, then enum", `{"type":"string","minLength":1,"enum":["a"]}`, `1`, `[{"path":"","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a"]}}]`},
		{"enum does not hide minLength", `{"type":"string","minLength":2,"enum":["a","bb"]}`, `"c"`, `[{"path":"","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a","bb"]}},{"path":"","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}}]`},
		{"format does not hide minLength", `{"type":"string","minLength":5,"format":"email"}`, `"a"`, `[{"path":"","code":"minLength","message":"must NOT have fewer than 5 characters","info":{"limit":5}},{"path":"","code":"format","message":"must match format \"email\"","info":{"format":"email"}}]`},
		{"integer type and minimum", `{"type":"integer","minimum":1}`, `0.5`, `[{"path":"","code":"type","message":"must be integer","info":{"type":"integer"}},{"path":"","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]`},
		{"type and ref", `{"type":"object","$ref":"#/components/schemas/User"}`, `[]`, `[{"path":"","code":"type","message":"must be object","info":{"type":"object"}},{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`},
		{"unevaluatedProperties", `{"properties":{"a":true},"allOf":[{"properties":{"b":true}}],"unevaluatedProperties":false}`, `{"a":1,"b":2,"z":3,"y":4}`, `[{"path":"","code":"unevaluatedProperties","message":"must NOT have unevaluated properties","info":{"unevaluatedProperty":"y"}},{"path":"","code":"unevaluatedProperties","message":"must NOT have unevaluated properties","info":{"unevaluatedProperty":"z"}}]`},
		{"all errors", `{"type":"object","properties":{"title":{"type":"string","minLength":3,"pattern":"^[a-z]+$"},"n":{"type":["integer","null"],"minimum":1}},"required":["title","x"],"additionalProperties":false}`,
			`{"title":"A","n":0.5,"id":1}`,
			`[{"path":"","code":"required","message":"must have required property 'x'","info":{"missingProperty":"x"}},{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}},{"path":"/title","code":"minLength","message":"must NOT have fewer than 3 characters","info":{"limit":3}},{"path":"/title","code":"pattern","message":"must match pattern \"^[a-z]+$\"","info":{"pattern":"^[a-z]+$"}},{"path":"/n","code":"type","message":"must be integer,null","info":{"type":["integer","null"]}},{"path":"/n","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]`},
		{"object type error", `{"type":"object","required":["a"]}`, `[]`, `[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`},
		{"ref to components", `{"$ref":"#/components/schemas/Todo"}`, `{"title":"","id":"7","tags":["a","a"],"owner":{"manager":{"email":"x"}}}`,
			`[{"path":"/id","code":"type","message":"must be number","info":{"type":"number"}},{"path":"/title","code":"minLength","message":"must NOT have fewer than 1 characters","info":{"limit":1}},{"path":"/tags","code":"uniqueItems","message":"must NOT have duplicate items (items ## 1 and 0 are identical)","info":{"i":0,"j":1}},{"path":"/owner","code":"required","message":"must have required property 'email'","info":{"missingProperty":"email"}},{"path":"/owner/manager/email","code":"format","message":"must match format \"email\"","info":{"format":"email"}}]`},
		{"ref null body", `{"$ref":"#/components/schemas/Todo"}`, `null`, `[{"path":"","code":"type","message":"must be object","info":{"type":"object"}}]`},
		{"defs", `{"$defs":{"pos":{"minimum":0}},"items":{"$ref":"#/$defs/pos"}}`, `[-1]`, `[{"path":"/0","code":"minimum","message":"must be >= 0","info":{"comparison":">=","limit":0}}]`},
		{"recursive root", `{"type":"object","properties":{"child":{"$ref":"#"}},"additionalProperties":false}`, `{"child":{"child":{"x":1}}}`, `[{"path":"/child/child","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"x"}}]`},
		{"patternProperties", `{"patternProperties":{"^n_":{"type":"number"}},"additionalProperties":false}`, `{"n_a":"x","b":1}`, `[{"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"b"}},{"path":"/n_a","code":"type","message":"must be number","info":{"type":"number"}}]`},
		{"if then", `{"if":{"properties":{"kind":{"const":"a"}}},"then":{"required":["a"]},"else":{"required":["b"]}}`, `{"kind":"a"}`, `[{"path":"","code":"required","message":"must have required property 'a'","info":{"missingProperty":"a"}},{"path":"","code":"if","message":"must match \"then\" schema","info":{"failingKeyword":"then"}}]`},
		{"if else", `{"if":{"properties":{"kind":{"const":"a"}}},"then":{"required":["a"]},"else":{"required":["b"]}}`, `{"kind":"z"}`, `[{"path":"","code":"required","message":"must have required property 'b'","info":{"missingProperty":"b"}},{"path":"","code":"if","message":"must match \"else\" schema","info":{"failingKeyword":"else"}}]`},
		{"if then in a property, split", `{"properties":{"c":{"if":{"type":"string"},"then":{"minLength":2,"format":"email"}}}}`, `{"c":"a"}`, `[{"path":"/c","code":"minLength","message":"must NOT have fewer than 2 characters","info":{"limit":2}},{"path":"/c","code":"format","message":"must match format \"email\"","info":{"format":"email"}},{"path":"/c","code":"if","message":"must match \"then\" schema","info":{"failingKeyword":"then"}}]`},
		{"if then with property errors only", `{"if":{"type":"object"},"then":{"properties":{"a":{"type":"string"},"b":{"type":"string"}}}}`, `{"b":1,"a":1}`, `[{"path":"/a","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/b","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"if","message":"must match \"then\" schema","info":{"failingKeyword":"then"}}]`},
		{"if then with one property error", `{"required":["a"],"if":{"type":"object"},"then":{"properties":{"b":{"type":"string"}}}}`, `{"b":1}`, `[{"path":"","code":"required","message":"must have required property 'a'","info":{"missingProperty":"a"}},{"path":"/b","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"if","message":"must match \"then\" schema","info":{"failingKeyword":"then"}}]`},
		{"if then lifted, mixed depths", `{"if":{"type":"object"},"then":{"required":["x"],"properties":{"b":{"type":"string"}}}}`, `{"b":1}`, `[{"path":"","code":"required","message":"must have required property 'x'","info":{"missingProperty":"x"}},{"path":"/b","code":"type","message":"must be string","info":{"type":"string"}},{"path":"","code":"if","message":"must match \"then\" schema","info":{"failingKeyword":"then"}}]`},
		{"if else via ref target", `{"properties":{"p":{"$ref":"#/$defs/c"}},"$defs":{"c":{"if":{"type":"string"},"else":{"required":["x"],"properties":{"b":{"type":"string"}}}}}}`, `{"p":{"b":1}}`, `[{"path":"/p","code":"required","message":"must have required property 'x'","info":{"missingProperty":"x"}},{"path":"/p/b","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/p","code":"if","message":"must match \"else\" schema","info":{"failingKeyword":"else"}}]`},
		{"oneOf with property errors", `{"properties":{"f":{"oneOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]},{"type":"array"}]}}}`, `{"f":{"a":1}}`, `[{"path":"/f","code":"required","message":"must have required property 'b'","info":{"missingProperty":"b"}},{"path":"/f/a","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/f","code":"type","message":"must be array","info":{"type":"array"}},{"path":"/f","code":"oneOf","message":"must match exactly one schema in oneOf","info":{"passingSchemas":null}}]`},
		{"not and anyOf", `{"not":{"required":["a"]},"anyOf":[{"required":["b"]},{"required":["c"]}]}`, `{"a":1}`, `[{"path":"","code":"not","message":"must NOT be valid","info":{}},{"path":"","code":"required","message":"must have required property 'b'","info":{"missingProperty":"b"}},{"path":"","code":"required","message":"must have required property 'c'","info":{"missingProperty":"c"}},{"path":"","code":"anyOf","message":"must match a schema in anyOf","info":{}}]`},
		{"items with enum and uniqueItems", `{"type":"array","items":{"type":"string","enum":["a","b"]},"uniqueItems":true}`, `["c","a","a",1]`, `[{"path":"","code":"uniqueItems","message":"must NOT have duplicate items (items ## 2 and 1 are identical)","info":{"i":1,"j":2}},{"path":"/0","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a","b"]}},{"path":"/3","code":"type","message":"must be string","info":{"type":"string"}},{"path":"/3","code":"enum","message":"must be equal to one of the allowed values","info":{"allowedValues":["a","b"]}}]`},
		{"dependentRequired", `{"dependentRequired":{"card":["cvv","expiry"]}}`, `{"card":1,"expiry":2}`, `[{"path":"","code":"dependentRequired","message":"must have properties cvv, expiry when property card is present","info":{"deps":"cvv, expiry","depsCount":2,"missingProperty":"cvv","property":"card"}}]`},
		{"dependentSchemas", `{"dependentSchemas":{"a":{"required":["b"]}}}`, `{"a":1}`, `[{"path":"","code":"required","message":"must have required property 'b'","info":{"missingProperty":"b"}}]`},
		{"propertyNames", `{"propertyNames":{"maxLength":2}}`, `{"ab":1,"abc":2}`, `[{"path":"","code":"maxLength","message":"must NOT have more than 2 characters","info":{"limit":2}},{"path":"","code":"propertyNames","message":"property name must be valid","info":{"propertyName":"abc"}}]`},
		{"contains", `{"contains":{"type":"string"}}`, `[1,2]`, `[{"path":"","code":"contains","message":"must contain at least 1 valid item(s)","info":{"minContains":1}}]`},
		{"maxContains", `{"contains":{"type":"string"},"minContains":0,"maxContains":1}`, `["a","b"]`, `[{"path":"","code":"contains","message":"must contain at least 0 and no more than 1 valid item(s)","info":{"maxContains":1,"minContains":0}}]`},
		{"contains ok", `{"contains":{"type":"string"}}`, `[1,"a"]`, `null`},
		{"large number", `{"type":"integer","maximum":10}`, `123456789012345678901234567890`, `[{"path":"","code":"maximum","message":"must be <= 10","info":{"comparison":"<=","limit":10}}]`},
	}
	comps := components(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Compile(mustSchema(t, tt.schema), comps)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got := detailsJSON(t, v.Validate(decode(t, tt.value)))
			if got != tt.want {
				t.Errorf("Validate(%s):\n got %s\nwant %s", tt.value, got, tt.want)
			}
			if gotValid, wantValid := v.Valid(decode(t, tt.value)), tt.want == "null"; gotValid != wantValid {
				t.Errorf("Valid: got %v; want %v", gotValid, wantValid)
			}
		})
	}
}

func TestValidateGoValues(t *testing.T) {
	v := MustCompile(mustSchema(t, `{"type":"object","properties":{"n":{"type":"integer","minimum":1},"f":{"type":"number"}}}`), nil)
	if d := v.Validate(map[string]any{"n": 0, "f": float32(1.5)}); len(d) != 1 || d[0].Code != "minimum" {
		t.Errorf("got %v; want one minimum error", d)
	}
	if d := v.Validate(map[string]any{"n": int64(3), "f": uint8(2)}); d != nil {
		t.Errorf("got %v; want no error", d)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ name, schema, want string }{
		{"unresolvable ref", `{"$ref":"#/components/schemas/Nope"}`, `cannot resolve $ref "#/components/schemas/Nope"`},
		{"bad pattern", `{"properties":{"a":{"pattern":"(["}}}`, `pattern`},
		{"unsupported", `{"unevaluatedItems":false}`, `keyword "unevaluatedItems" is not supported`},
		{"unknown type", `{"type":"strung"}`, `at '/type'`},
		{"meta-schema", `{"minLength":-1}`, `invalid schema`},
		{"external ref", `{"$ref":"other.json#/x"}`, `$ref`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(mustSchema(t, tt.schema), components(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDetailInfoNotShared(t *testing.T) {
	v := MustCompile(mustSchema(t, `{"minimum":1}`), nil)
	d := v.Validate(0.0)
	d[0].Info["limit"] = 99
	if got := v.Validate(0.0)[0].Info["limit"]; got != 1.0 {
		t.Errorf("got limit %v after mutating an earlier detail; want 1", got)
	}
}

// TestValidateDeterministic checks that errors found while iterating Go
// maps (properties, patternProperties, propertyNames, dependentRequired,
// additional properties) come out in the same order every time.
func TestValidateDeterministic(t *testing.T) {
	v := MustCompile(mustSchema(t, `{"type":"object",
	 "properties":{"z":{"type":"string"},"a":{"type":"string"},"m":{"type":"string","minLength":3}},
	 "patternProperties":{"^p":{"type":"integer"},"^pp":{"minimum":5}},
	 "propertyNames":{"maxLength":3},
	 "dependentRequired":{"z":["q"],"a":["r"]},
	 "additionalProperties":false}`), nil)
	inst := decode(t, `{"z":1,"a":2,"m":"x","p1":"s","pp2":1,"long1":1,"long2":2,"k":0,"j":0}`)
	want := detailsJSON(t, v.Validate(inst))
	if !strings.Contains(want, `"path":"/z"`) || !strings.Contains(want, `"additionalProperty":"long1"`) {
		t.Fatalf("unexpected details %s", want)
	}
	// Declared properties in their declaration order, before pattern ones.
	if zi, ai, pi := strings.Index(want, `"path":"/z"`), strings.Index(want, `"path":"/a"`), strings.Index(want, `"path":"/p1"`); zi > ai || ai > pi {
		t.Errorf("properties out of declaration order: %s", want)
	}
	for range 50 {
		if got := detailsJSON(t, v.Validate(inst)); got != want {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	}
}

// TestPropertyNamesLocation checks the path of a propertyNames error that
// is the only error of its object, with siblings validated before and
// after it.
func TestPropertyNamesLocation(t *testing.T) {
	v := MustCompile(mustSchema(t, `{"properties":{
	 "a":{"type":"array"},"names":{"propertyNames":{"maxLength":3}},"z":{"type":"array"},
	 "list":{"items":{"propertyNames":{"maxLength":3}}}}}`), nil)
	inst := decode(t, `{"a":[1],"names":{"long":1,"ok":2},"z":[2],"b":{"long":1},"list":[{"x":1},{"long":2}]}`)
	want := `[{"path":"/names","code":"maxLength","message":"must NOT have more than 3 characters","info":{"limit":3}},{"path":"/names","code":"propertyNames","message":"property name must be valid","info":{"propertyName":"long"}},{"path":"/list/1","code":"maxLength","message":"must NOT have more than 3 characters","info":{"limit":3}},{"path":"/list/1","code":"propertyNames","message":"property name must be valid","info":{"propertyName":"long"}}]`
	for range 30 {
		if got := detailsJSON(t, v.Validate(inst)); got != want {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	}
}

func TestValidateNotJSON(t *testing.T) {
	v := MustCompile(mustSchema(t, `{"type":"object","properties":{"n":{"minimum":1}}}`), nil)
	for _, x := range []any{json.Number("abc"), math.NaN(), struct{}{}} {
		d := v.Validate(map[string]any{"n": x})
		if len(d) != 1 || d[0].Code != "type" || d[0].Message != "must be a JSON value" {
			t.Errorf("Validate(%v): got %v; want one \"must be a JSON value\" error", x, d)
		}
		if v.Valid(map[string]any{"n": x}) {
			t.Errorf("Valid(%v): got true; want false", x)
		}
	}
}

// TestValidateHugeNumbers checks that numbers the jsonschema library
// would compute with for long (1e999999) are read as floats, and that the
// value passed in is not modified.
func TestValidateHugeNumbers(t *testing.T) {
	v := MustCompile(mustSchema(t, `{"type":"object","properties":{"n":{"type":"integer","minimum":1},"l":{"type":"array","items":{"type":"number","maximum":10}}}}`), nil)
	tests := []struct{ value, want string }{
		{`{"n":1e999999}`, `[{"path":"/n","code":"type","message":"must be a JSON value","info":{}}]`},
		{`{"n":1e-999999}`, `[{"path":"/n","code":"minimum","message":"must be >= 1","info":{"comparison":">=","limit":1}}]`},
		{`{"n":1e300,"l":[1,1e400000,2e-5000]}`, `[{"path":"/l/1","code":"type","message":"must be a JSON value","info":{}}]`},
		{`{"n":1e1000,"l":[1e-1000]}`, `null`},
	}
	for _, tt := range tests {
		inst := decode(t, tt.value)
		before := detailsJSON(t, []Detail{{Info: map[string]any{"v": inst}}})
		if got := detailsJSON(t, v.Validate(inst)); got != tt.want {
			t.Errorf("Validate(%s):\n got %s\nwant %s", tt.value, got, tt.want)
		}
		if after := detailsJSON(t, []Detail{{Info: map[string]any{"v": inst}}}); after != before {
			t.Errorf("Validate(%s) modified its argument: %s", tt.value, after)
		}
	}
}
