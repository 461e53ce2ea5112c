package gen

import (
	"go/format"
	"os"
	"strings"
	"testing"
)

// FuzzModel feeds arbitrary model names and property specs (command-line
// input) to the model generator: it either refuses them or produces Go
// code that parses.
func FuzzModel(f *testing.F) {
	f.Add("Todo", "title:string:required,isComplete:boolean")
	f.Add("todo-list", "tags:string[],due:date:nullable")
	f.Add("x", "id:string:id,a::hidden:index:unique")
	f.Add("for", "type:string")
	f.Add("T", "a:any[][]")
	f.Fuzz(func(t *testing.T, name, specs string) {
		var props []Property
		for _, s := range strings.Split(specs, ",") {
			p, err := ParseProperty(s)
			if err != nil {
				return
			}
			props = append(props, p)
		}
		m, err := Model(ModelOptions{Name: name, Properties: props})
		if err != nil {
			return
		}
		if _, err := format.Source(m.Data); err != nil {
			t.Fatalf("model %q %q: generated code does not parse: %v\n%s", name, specs, err, m.Data)
		}
	})
}

// FuzzOpenAPI feeds arbitrary documents to the spec-first generator: it
// either refuses them or produces Go files that parse.
func FuzzOpenAPI(f *testing.F) {
	if data, err := os.ReadFile("testdata/lb4-todo-openapi.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a/{x-y}":{"get":{"operationId":"1st op","parameters":[{"name":"x-y","in":"path","required":true,"schema":{"type":["integer","null"]}}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/a.b"}}}}}}}},"components":{"schemas":{"a.b":{"type":"object","properties":{"$x":{"type":"array","items":{"$ref":"#/components/schemas/a.b"}},"type":{"type":"string"}}},"func":{"type":"string"}}}}`))
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, _, err := OpenAPI(data, false)
		if err != nil {
			return
		}
		client, err := Client(data, "client")
		if err != nil {
			t.Fatalf("the document serves but has no client: %v", err)
		}
		for _, file := range append(files[1:], client) {
			if _, err := format.Source(file.Data); err != nil {
				t.Fatalf("%s does not parse: %v\n%s", file.Path, err, file.Data)
			}
		}
	})
}
