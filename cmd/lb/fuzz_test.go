package main

import (
	"os"
	"strings"
	"testing"
)

// FuzzDecodeConfig feeds arbitrary data source and endpoint configs to the
// decoder: it must return a value or an error, never panic.
func FuzzDecodeConfig(f *testing.F) {
	f.Add([]byte(`{"name":"db","connector":"memory","file":"data/db.json"}`), false)
	f.Add([]byte(`{"model":"Todo","dataSource":"db","basePath":"/todos","readOnly":true}`), false)
	f.Add([]byte("name: db\nconnector: sqlite\nport: 5\n"), true)
	f.Add([]byte(`{"port":"x"}`), false)
	f.Fuzz(func(t *testing.T, data []byte, isYAML bool) {
		var ds datasourceConfig
		if err := decodeConfigData(data, isYAML, &ds); err == nil && ds.Port < -1<<62 {
			t.Logf("decoded %+v", ds)
		}
		var ep endpointConfig
		_ = decodeConfigData(data, isYAML, &ep)
	})
}

// FuzzDiffSpecs feeds arbitrary documents to lb spec diff: it returns
// changes or an error, never panics.
func FuzzDiffSpecs(f *testing.F) {
	todo, err := os.ReadFile("../../internal/gen/testdata/lb4-todo-openapi.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(todo, []byte(strings.Replace(string(todo), `"title":{"type":"string"}`, `"title":{"type":"number"}`, 1)))
	f.Add([]byte(`{"openapi":"3.1.0","info":{"title":"a","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"x"}}}}}}`),
		[]byte("openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n"))
	f.Add([]byte(`{"openapi":"3.0.0","paths":{"/a/{id}":{"parameters":[{"$ref":"#/x"}]}}}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		changes, err := diffSpecs(a, b, "old", "new")
		if err == nil && changes == nil {
			t.Fatal("no error and nil changes")
		}
	})
}
