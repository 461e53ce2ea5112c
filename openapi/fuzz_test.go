package openapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		`{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}`,
		"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {type: string, nullable: true, example: x}}}\n",
		"openapi: 3.1.0\ninfo: &i {title: t, version: '1'}\nx-copy: *i\n",
		`{"openapi":"3.0.0","components":{"schemas":{"N":{"type":"number","minimum":0,"exclusiveMinimum":true}}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Load(data)
		if err != nil {
			return
		}
		js, err := d.JSON()
		if err != nil {
			t.Fatalf("JSON of a loaded document: %v", err)
		}
		d2, err := Load(js)
		if err != nil {
			t.Fatalf("Load(JSON()) of a loaded document: %v\n%s", err, js)
		}
		js2, err := d2.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js, js2) {
			t.Fatalf("JSON round trip is not stable:\n%s\n---\n%s", js, js2)
		}
		if _, err := d.Downgrade30(); err != nil {
			t.Fatalf("Downgrade30: %v", err)
		}
		if _, err := d.YAML(); err != nil {
			t.Fatalf("YAML: %v", err)
		}
	})
}

// FuzzFieldTags feeds arbitrary struct tags, on fields of several types,
// to the tag reader: it must answer a schema or an error, never panic, and
// a schema it answers must encode.
func FuzzFieldTags(f *testing.F) {
	for _, seed := range []string{
		`json:"title" required:"true" minLength:"1" maxLength:"80"`,
		`json:"n,omitempty" minimum:"1" maximum:"5" default:"3" enum:"1,2,3"`,
		`json:"tags" enum:"a,b" maxItems:"2" example:"a,b" uniqueItems:"true"`,
		`json:"x" pattern:"([" nullable:"yes"`,
		`json:"x" maxLength:1`,
		`json:"x" minlength:"1"`,
		`json:"x" default:"[1,2]" example:"\"q\""`,
	} {
		for kind := range byte(4) {
			f.Add(seed, kind)
		}
	}
	types := []reflect.Type{
		reflect.TypeFor[string](), reflect.TypeFor[int64](), reflect.TypeFor[[]string](),
		reflect.TypeFor[*User](),
	}
	f.Fuzz(func(t *testing.T, tag string, kind byte) {
		typ := reflect.StructOf([]reflect.StructField{{Name: "F", Type: types[int(kind)%len(types)], Tag: reflect.StructTag(tag)}})
		s, err := NewRegistry(RegistryConfig{}).Schema(typ)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "openapi: ") {
				t.Fatalf("error %q does not say where it comes from", err)
			}
			return
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("schema of tag %q does not encode: %v", tag, err)
		}
	})
}
