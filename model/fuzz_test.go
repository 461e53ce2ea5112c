package model

import (
	"encoding/json"
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/todo.model.json", "testdata/todo-list.model.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name":"A","properties":{"x":{"type":["number"],"default":[1]},"o":{"type":"object","properties":{"p":"date"}}},"relations":{"r":{"type":"hasMany","model":"B","through":"C"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			if _, ok := err.(*DefinitionError); !ok {
				t.Fatalf("error %T is not a *DefinitionError: %v", err, err)
			}
			return
		}
		comps, err := Components(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(comps); err != nil {
			t.Fatalf("schemas do not marshal: %v", err)
		}
		rec := map[string]any{}
		for _, p := range d.Properties {
			if p.Default != nil {
				rec[p.Name] = p.Default
			}
		}
		if _, err := Normalize(d, rec); err != nil {
			t.Fatalf("defaults do not normalize: %v", err)
		}
	})
}
