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
	tagModel  = "Tag"
	postModel = "Post"
)

// testReferencesMany checks a referencesMany relation (an array of keys
// on the source): inclusion in the order of each array, with a scope, and
// its accessor.
func (s *suite) testReferencesMany(t *testing.T) {
	tag := &model.Definition{Name: s.n(tagModel), Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "label", Type: model.String}}}
	post, err := model.Parse([]byte(`{"name":"` + s.n(postModel) + `","properties":{"id":{"type":"integer","id":true,"generated":true},"title":"string",
		"tagIds":{"type":"array","itemType":"integer"}},"relations":{"tags":{"type":"referencesMany","model":"` + s.n(tagModel) + `","foreignKey":"tagIds"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	e := s.setup(t, tag, post)
	tags, posts := e.repo(tag), e.repo(post)
	var reg repository.Registry
	if err := reg.Add(tags, posts); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"go", "sql", "web"} {
		if _, err := tags.Create(e.ctx, connector.Record{"label": l}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []connector.Record{
		{"title": "p1", "tagIds": []any{int64(3), int64(1)}},
		{"title": "p2", "tagIds": []any{int64(2), int64(99)}},
		{"title": "p3"},
	} {
		if _, err := posts.Create(e.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	labels := func(v any) []string {
		out := []string{}
		list, _ := v.([]any)
		for _, x := range list {
			out = append(out, x.(map[string]any)["label"].(string))
		}
		return out
	}
	got, err := posts.Find(e.ctx, &filter.Filter{Include: []filter.Inclusion{{Relation: "tags"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]string{{"web", "go"}, {"sql"}, {}} {
		if l := labels(got[i]["tags"]); !reflect.DeepEqual(l, want) {
			t.Errorf("post %d tags: got %v; want %v", i+1, l, want)
		}
	}
	scoped, err := posts.Find(e.ctx, &filter.Filter{Include: []filter.Inclusion{{Relation: "tags",
		Scope: &filter.Filter{Where: where("label", filter.Neq, "web")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if l := labels(scoped[0]["tags"]); !reflect.DeepEqual(l, []string{"go"}) {
		t.Errorf("post 1 tags with a scope: got %v; want [go]", l)
	}
	rel, err := posts.Related("tags")
	if err != nil {
		t.Fatal(err)
	}
	found, err := rel.Find(e.ctx, int64(1), &filter.Filter{Order: []filter.Order{{Property: "label"}}})
	if err != nil {
		t.Fatal(err)
	}
	if l := labels(records(found)); !reflect.DeepEqual(l, []string{"go", "web"}) {
		t.Errorf("accessor: got %v; want [go web]", l)
	}
	if none, err := rel.Find(e.ctx, int64(3), nil); err != nil || len(none) != 0 {
		t.Errorf("accessor of a post with no tags: got %v, %v; want none", none, err)
	}
	if _, err := rel.Create(e.ctx, int64(1), connector.Record{"label": "x"}); err == nil {
		t.Error("create through referencesMany: got no error")
	}
}

func records(recs []connector.Record) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = map[string]any(r)
	}
	return out
}
