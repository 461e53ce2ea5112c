package model

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

type legacyTodo struct {
	_     struct{} `lb:"name=LegacyTodo,nullForUnset"`
	ID    int64    `json:"id" lb:"id,generated"`
	Title string   `json:"title" required:"true"`
	Desc  string   `json:"desc,omitempty"`
	Done  bool     `json:"isComplete,omitempty"`
}

type badNullForUnset struct {
	_  struct{} `lb:"nullForUnset=maybe"`
	ID int64    `json:"id" lb:"id"`
}

// nullables returns the names of the nullable top-level properties.
func nullables(d *Definition) []string {
	var out []string
	for _, p := range d.Properties {
		if p.Nullable {
			out = append(out, p.Name)
		}
	}
	return out
}

func TestNullForUnset(t *testing.T) {
	parsed, err := Parse([]byte(`{"name": "LegacyTodo", "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"title": {"type": "string", "required": true},
		"desc": "string", "isComplete": "boolean"
	}, "settings": {"nullForUnset": true}}`))
	if err != nil {
		t.Fatal(err)
	}
	typed, err := FromStruct[legacyTodo]()
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*Definition{"Parse": parsed, "FromStruct": typed} {
		if !d.Settings.NullForUnset {
			t.Errorf("%s: NullForUnset not set", name)
		}
		if got := strings.Join(nullables(d), ","); got != "desc,isComplete" {
			t.Errorf("%s: got nullable %q; want desc,isComplete (not the id, not the required title)", name, got)
		}
		s := Schema(d, SchemaOptions{})
		if ty := s.Properties["desc"].Type; len(ty) != 2 || ty[0] != "string" || ty[1] != "null" {
			t.Errorf("%s: got desc type %v; want [string null]", name, ty)
		}
		if ty := s.Properties["title"].Type; ty.Has("null") {
			t.Errorf("%s: got title type %v; want no null", name, ty)
		}
	}

	// OpenAPI 3.0 says nullable: true.
	doc := &openapi.Document{OpenAPI: openapi.Version, Info: openapi.Info{Title: "t", Version: "1"},
		Components: openapi.Components{Schemas: map[string]*openapi.Schema{"LegacyTodo": Schema(parsed, SchemaOptions{})}}}
	data, err := doc.Downgrade30()
	if err != nil {
		t.Fatal(err)
	}
	var v30 struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any
			}
		}
	}
	if err := json.Unmarshal(data, &v30); err != nil {
		t.Fatal(err)
	}
	props := v30.Components.Schemas["LegacyTodo"].Properties
	if desc := props["desc"]; desc["type"] != "string" || desc["nullable"] != true {
		t.Errorf("3.0 desc: got %v; want type string, nullable true", desc)
	}
	if title := props["title"]; title["nullable"] != nil {
		t.Errorf("3.0 title: got %v; want no nullable", title)
	}

	plain, err := Parse([]byte(`{"name": "Todo", "properties": {"id": {"type": "number", "id": true}, "desc": "string"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := nullables(plain); len(got) != 0 {
		t.Errorf("without the setting: got nullable %v; want none", got)
	}
	copied := plain.WithNullForUnset()
	if got := strings.Join(nullables(copied), ","); got != "desc" || !copied.Settings.NullForUnset {
		t.Errorf("WithNullForUnset: got nullable %q (setting %v); want desc (true)", got, copied.Settings.NullForUnset)
	}
	if p := copied.Property("desc"); p == nil || !p.Nullable {
		t.Errorf("WithNullForUnset: Property(desc) = %+v; want the nullable copy", p)
	}
	if plain.Property("desc").Nullable || plain.Settings.NullForUnset {
		t.Error("WithNullForUnset changed the original definition")
	}
	if again := copied.WithNullForUnset(); again != copied {
		t.Error("WithNullForUnset of a definition with the setting: got a new copy; want the same definition")
	}
}

func TestNullForUnsetErrors(t *testing.T) {
	_, err := Parse([]byte(`{"name": "Todo", "properties": {"id": {"type": "number", "id": true}}, "settings": {"nullForUnset": "yes"}}`))
	if err == nil || !strings.Contains(err.Error(), "nullForUnset") {
		t.Errorf("Parse with nullForUnset \"yes\": got %v; want an error naming nullForUnset", err)
	}
	_, err = FromStruct[badNullForUnset]()
	if err == nil || !strings.Contains(err.Error(), "nullForUnset") {
		t.Errorf("FromStruct with nullForUnset=maybe: got %v; want an error naming nullForUnset", err)
	}
}
