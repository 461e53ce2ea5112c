package connectortest

import (
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

const (
	listModel  = "List"
	entryModel = "Entry"
)

// listDef has many entries.
func (s *suite) listDef() *model.Definition {
	return &model.Definition{
		Name: s.n(listModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "name", Type: model.String},
		},
		Relations: []*model.Relation{
			{Name: "entries", Type: model.HasMany, Target: s.n(entryModel), ForeignKey: "ctListId", KeyFrom: "id", KeyTo: "ctListId"},
		},
	}
}

// entryDef belongs to a list.
func (s *suite) entryDef() *model.Definition {
	return &model.Definition{
		Name: s.n(entryModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "text", Type: model.String},
			{Name: "ctListId", Type: model.Number, Integer: true, Nullable: true},
		},
		Relations: []*model.Relation{
			{Name: "list", Type: model.BelongsTo, Target: s.n(listModel), ForeignKey: "ctListId", KeyFrom: "ctListId"},
		},
	}
}

func entryTexts(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, e := range list {
		out = append(out, e.(map[string]any)["text"].(string))
	}
	return out
}

func (s *suite) testInclude(t *testing.T) {
	e := s.setup(t, s.listDef(), s.entryDef())
	lists, entries := e.repo(s.listDef()), e.repo(s.entryDef())
	var reg repository.Registry
	if err := reg.Add(lists, entries); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"work", "home", "empty"} {
		if _, err := lists.Create(e.ctx, connector.Record{"name": name}); err != nil {
			t.Fatal(err)
		}
	}
	for _, rec := range []connector.Record{
		{"text": "a", "ctListId": int64(1)}, {"text": "b", "ctListId": int64(2)}, {"text": "c", "ctListId": int64(1)},
		{"text": "d", "ctListId": int64(1)}, {"text": "orphan", "ctListId": nil},
	} {
		if _, err := entries.Create(e.ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	inc := func(rel string, scope *filter.Filter) []filter.Inclusion {
		return []filter.Inclusion{{Relation: rel, Scope: scope}}
	}

	got, err := lists.Find(e.ctx, &filter.Filter{Include: inc("entries", nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"a", "c", "d"}, {"b"}, {}}
	for i, w := range want {
		if texts := entryTexts(got[i]["entries"]); !reflect.DeepEqual(texts, w) {
			t.Errorf("hasMany, list %d: got %v; want %v", i+1, texts, w)
		}
	}

	scope := &filter.Filter{Order: []filter.Order{{Property: "text", Desc: true}}, Limit: 2}
	one, err := lists.FindByID(e.ctx, int64(1), &filter.Filter{Include: inc("entries", scope)})
	if err != nil {
		t.Fatal(err)
	}
	if texts := entryTexts(one["entries"]); !reflect.DeepEqual(texts, []string{"d", "c"}) {
		t.Errorf("hasMany with scope order and limit: got %v; want [d c]", texts)
	}

	withList, err := entries.Find(e.ctx, &filter.Filter{Include: inc("list", nil)})
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := withList[1]["list"].(map[string]any); l == nil || l["name"] != "home" {
		t.Errorf("belongsTo: got %v; want the home list", withList[1]["list"])
	}
	if _, ok := withList[4]["list"]; ok {
		t.Errorf("belongsTo of an orphan: got %v; want no list", withList[4]["list"])
	}
}
