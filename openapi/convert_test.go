package openapi

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDowngrade30Schemas(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"nullable", `{"type":["string","null"]}`, `{"type":"string","nullable":true}`},
		{"null only", `{"type":"null"}`, `{"enum":[null],"nullable":true}`},
		{"several types", `{"type":["string","integer"]}`, `{"anyOf":[{"type":"string"},{"type":"integer"}]}`},
		{"several types and null", `{"type":["string","integer","null"]}`, `{"anyOf":[{"type":"string"},{"type":"integer"}],"nullable":true}`},
		{"examples", `{"type":"integer","examples":[1,2]}`, `{"type":"integer","example":1}`},
		{"const", `{"const":"a"}`, `{"enum":["a"]}`},
		{"exclusiveMinimum", `{"exclusiveMinimum":1}`, `{"minimum":1,"exclusiveMinimum":true}`},
		{"exclusiveMaximum stricter than maximum", `{"maximum":10,"exclusiveMaximum":5}`, `{"maximum":5,"exclusiveMaximum":true}`},
		{"maximum stricter than exclusiveMaximum", `{"maximum":3,"exclusiveMaximum":5}`, `{"maximum":3}`},
		{"ref siblings", `{"$ref":"#/components/schemas/A","description":"d"}`, `{"description":"d","allOf":[{"$ref":"#/components/schemas/A"}]}`},
		{"ref alone", `{"$ref":"#/components/schemas/A"}`, `{"$ref":"#/components/schemas/A"}`},
		{"nullable ref", `{"anyOf":[{"$ref":"#/components/schemas/A"},{"type":"null"}]}`, `{"allOf":[{"$ref":"#/components/schemas/A"}],"nullable":true}`},
		{"base64", `{"type":"string","contentEncoding":"base64"}`, `{"type":"string","format":"byte"}`},
		{"binary", `{"type":"string","contentMediaType":"image/png"}`, `{"type":"string","format":"binary"}`},
		{"boolean schemas", `{"properties":{"a":true,"b":false},"additionalProperties":false}`, `{"properties":{"a":{},"b":{"not":{}}},"additionalProperties":false}`},
		{"prefixItems", `{"type":"array","prefixItems":[{"type":"string"}],"items":false}`, `{"type":"array","items":{"anyOf":[{"type":"string"}]}}`},
		{"patternProperties", `{"patternProperties":{"^a":{"type":"string"}}}`, `{"additionalProperties":{"anyOf":[{"type":"string"}]}}`},
		{"dropped keywords", `{"$defs":{"x":{}},"$comment":"c","unevaluatedProperties":false,"x-keep":1}`, `{"x-keep":1}`},
		{"nested", `{"items":{"properties":{"n":{"type":["number","null"],"examples":[1.5]}}}}`, `{"items":{"properties":{"n":{"type":"number","example":1.5,"nullable":true}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Schema
			if err := json.Unmarshal([]byte(tt.in), &s); err != nil {
				t.Fatal(err)
			}
			d := NewDocument("t", "1")
			d.Components.Schemas = map[string]*Schema{"S": &s}
			out, err := d.Downgrade30()
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				OpenAPI    string `json:"openapi"`
				Components struct {
					Schemas map[string]json.RawMessage
				} `json:"components"`
			}
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if back.OpenAPI != "3.0.3" {
				t.Errorf("got openapi %q; want 3.0.3", back.OpenAPI)
			}
			got := canon(t, string(back.Components.Schemas["S"]))
			if got != canon(t, tt.want) {
				t.Errorf("got %s; want %s", got, tt.want)
			}
			// The original is untouched.
			if b, _ := marshal(&s); canon(t, string(b)) != canon(t, tt.in) {
				t.Errorf("Downgrade30 modified the schema: %s", b)
			}
		})
	}
}

func TestDowngrade30Document(t *testing.T) {
	d := NewDocument("t", "1")
	d.JSONSchemaDialect = "https://spec.openapis.org/oas/3.1/dialect/base"
	d.Webhooks = map[string]*PathItem{"w": {}}
	d.Components.PathItems = map[string]*PathItem{"p": {}}
	out, err := d.Downgrade30()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"jsonSchemaDialect", "webhooks", "pathItems"} {
		if strings.Contains(string(out), k) {
			t.Errorf("3.0 output contains %s:\n%s", k, out)
		}
	}
}

func TestUpgrade31AndYAML30(t *testing.T) {
	d := NewDocument("t", "1")
	d.OpenAPI = "3.0.3"
	d.Components.Schemas = map[string]*Schema{"A": {
		Type: Types{"integer"}, Minimum: ptr(0.0),
		Extensions: map[string]any{"nullable": true, "exclusiveMinimum": true, "example": 1, "x-k": "v"},
	}}
	d.Upgrade31()
	got, _ := marshal(d.Components.Schemas["A"])
	if want := `{"type":["integer","null"],"examples":[1],"exclusiveMinimum":0,"x-k":"v"}`; string(got) != want {
		t.Errorf("got %s; want %s", got, want)
	}
	if d.OpenAPI != Version {
		t.Errorf("got version %s; want %s", d.OpenAPI, Version)
	}
	y, err := d.Downgrade30YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"openapi: 3.0.3\n", "nullable: true\n", "exclusiveMinimum: true\n", "example: 1\n"} {
		if !strings.Contains(string(y), want) {
			t.Errorf("YAML lacks %q:\n%s", want, y)
		}
	}
}
