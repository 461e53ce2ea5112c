package validate

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/loopback-go/lb/openapi"
)

// fuzzSchema exercises most keywords, with formats and keywords that
// Compile splits into allOf entries (type with enum, format with
// minLength).
const fuzzSchema = `{
 "type":"object",
 "properties":{
  "id":{"type":"integer","minimum":1,"maximum":1000000},
  "title":{"type":"string","minLength":1,"maxLength":20,"pattern":"^[a-z ]*$"},
  "done":{"type":["boolean","null"]},
  "tags":{"type":"array","items":{"type":"string","enum":["a","b","c"]},"uniqueItems":true,"maxItems":3},
  "pos":{"prefixItems":[{"type":"number"},{"type":"number"}],"items":false,"minItems":2},
  "meta":{"type":"object","additionalProperties":{"type":"string"},"maxProperties":2},
  "kind":{"oneOf":[{"const":"x"},{"type":"integer","exclusiveMinimum":0}]},
  "any":{"anyOf":[{"type":"string"},{"type":"array","minItems":1}]},
  "not":{"not":{"type":"null"}},
  "ref":{"$ref":"#/components/schemas/User"},
  "cond":{"if":{"type":"string"},"then":{"minLength":2},"else":{"type":"integer"}},
  "names":{"type":"object","propertyNames":{"maxLength":3},"dependentRequired":{"a":["b"]},"dependentSchemas":{"c":{"required":["d"]}}},
  "arr":{"type":"array","contains":{"type":"string"},"maxContains":2},
  "mail":{"type":"string","format":"email","minLength":6},
  "color":{"type":"string","enum":["red","green"],"maxLength":4},
  "day":{"type":["string","null"],"format":"date"}
 },
 "required":["title"],
 "additionalProperties":false
}`

// fuzzComponents are the components of fuzzSchema.
const fuzzComponents = `{"User":{"type":"object","properties":{"name":{"type":"string"},"manager":{"$ref":"#/components/schemas/User"}},"required":["name"]}}`

func FuzzValidate(f *testing.F) {
	for _, seed := range []string{
		`{"title":"buy milk","id":3,"tags":["a","b"]}`,
		`{"title":"","id":0,"tags":["a","a","z"],"extra":1}`,
		`{"title":"x","pos":[1,2,3],"meta":{"a":"1","b":2,"c":"3"},"kind":"y"}`,
		`{"title":"x","ref":{"manager":{"name":"a"}},"not":null,"any":[]}`,
		`{"title":"x","cond":"a","names":{"a":1,"long":2,"c":0},"arr":[1,"a","b","c"]}`,
		`[1,{"a":null}]`,
		`"just a string"`,
		`123456789012345678901234567890`,
		`{"title":"x","mail":"a@b","color":"blue","day":"2024-02-30"}`,
		`{"title":"x","mail":7,"color":1,"day":null}`,
	} {
		f.Add([]byte(seed))
	}
	var comps map[string]*openapi.Schema
	if err := json.Unmarshal([]byte(fuzzComponents), &comps); err != nil {
		f.Fatal(err)
	}
	v := MustCompile(mustSchema(f, fuzzSchema), comps)
	oracle := compileOracle(f, fuzzSchema)
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var inst any
		if err := dec.Decode(&inst); err != nil {
			return
		}
		details := v.Validate(inst)
		for _, d := range details {
			if d.Code == "" || d.Message == "" || d.Info == nil {
				t.Fatalf("incomplete detail %+v", d)
			}
			if _, ok := lookup(inst, d.Path); !ok {
				t.Fatalf("instance %s: detail path %q does not exist in the instance", data, d.Path)
			}
		}
		if got, want := details == nil, v.Valid(inst); got != want {
			t.Fatalf("instance %s: Validate says valid=%v (%v); Valid says %v", data, got, details, want)
		}
		if again := v.Validate(inst); detailsJSON(t, again) != detailsJSON(t, details) {
			t.Fatalf("instance %s: unstable output:\n%s\n%s", data, detailsJSON(t, details), detailsJSON(t, again))
		}
		// The schema as written, compiled by the library without the
		// allOf split, must agree on validity.
		if want := oracle.Validate(inst) == nil; (details == nil) != want {
			t.Fatalf("instance %s: got valid=%v (%v); the library on the unsplit schema says valid=%v", data, details == nil, details, want)
		}
	})
}

// compileOracle compiles the schema, with fuzzComponents, with the
// jsonschema library.
func compileOracle(t testing.TB, schema string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(schema)))
	if err != nil {
		t.Fatal(err)
	}
	comps, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(fuzzComponents)))
	if err != nil {
		t.Fatal(err)
	}
	doc.(map[string]any)["components"] = map[string]any{"schemas": comps}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, f := range formats() {
		c.RegisterFormat(f)
	}
	if err := c.AddResource("mem:///oracle.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem:///oracle.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
