package openapi

import (
	"bytes"
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
