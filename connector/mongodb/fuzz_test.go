package mongodb

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// operators are the only operator keys compiled queries, sorts and
// projections may hold.
var operators = map[string]bool{"$and": true, "$or": true, "$eq": true, "$ne": true, "$gt": true, "$gte": true,
	"$lt": true, "$lte": true, "$in": true, "$nin": true, "$not": true}

func fuzzDef() *model.Definition {
	return &model.Definition{
		Name: "Fuzz",
		Properties: []*model.Property{
			{Name: "id", Type: model.String, ID: 1, Generated: true},
			{Name: "title", Type: model.String},
			{Name: "n", Type: model.Number, Integer: true},
			{Name: "score", Type: model.Number},
			{Name: "done", Type: model.Boolean},
			{Name: "at", Type: model.Date},
			{Name: "extra", Type: model.Any},
			{Name: "tags", Type: model.Array, Items: &model.Property{Type: model.String}},
			{Name: "address", Type: model.Object, Properties: []*model.Property{{Name: "city", Type: model.String}}},
		},
	}
}

// checkDoc walks a compiled document: every key is an allowed operator or
// a path whose first segment is a field of the model; values below a
// field condition other than operator documents are data.
func checkDoc(t *testing.T, mm *modelMap, d bson.D, underField bool) {
	t.Helper()
	for _, e := range d {
		switch {
		case strings.HasPrefix(e.Key, "$"):
			if !operators[e.Key] {
				t.Fatalf("compiled query holds the operator %q", e.Key)
			}
			if e.Key == "$and" || e.Key == "$or" {
				for _, sub := range e.Value.(bson.A) {
					checkDoc(t, mm, sub.(bson.D), false)
				}
			}
		case underField:
			t.Fatalf("field condition holds the key %q", e.Key)
		default:
			head, _, _ := strings.Cut(e.Key, ".")
			if _, ok := mm.prop[head]; !ok {
				t.Fatalf("compiled query names the field %q, not one of the model's", e.Key)
			}
			if sub, ok := e.Value.(bson.D); ok && len(sub) > 0 && strings.HasPrefix(sub[0].Key, "$") {
				checkDoc(t, mm, sub, true)
			}
		}
	}
}

// FuzzCompile compiles filters parsed from client JSON: it never panics,
// and what it sends holds only the operators the connector chose and the
// model's fields, whatever the input.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`{"where":{"title":"a"}}`,
		`{"where":{"title":{"like":"%a_"}},"order":["n DESC"],"fields":["title"]}`,
		`{"where":{"or":[{"n":{"gt":1}},{"and":[{"done":true},{"at":{"lt":"2026-01-01T00:00:00Z"}}]}]}}`,
		`{"where":{"extra":{"$ne":null}}}`,
		`{"where":{"address.city":{"nin":["$where","x"]}}}`,
		`{"where":{"n":{"regexp":"/^1/i"}}}`,
		`{"where":{"id":{"inq":["5f1d7a0b9c1e4a2b3c4d5e6f","x"]}}}`,
		`{"where":{"tags":{"exists":false},"score":{"between":[1,2]}}}`,
		`{"where":{"title":{"nilike":"(a|b)%"}}}`,
	} {
		f.Add([]byte(s))
	}
	mm, err := buildMap(fuzzDef())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		flt, err := filter.ParseJSON(data)
		if err != nil {
			return
		}
		flt, err = filter.Check(flt, mm.def, filter.ValidateOptions{})
		if err != nil {
			return
		}
		q, err := mm.compileWhere(flt.Where)
		if err != nil {
			return
		}
		checkDoc(t, mm, q.doc, false)
		for _, e := range append(mm.sortDoc(flt.Order), mm.projection(flt.Fields)...) {
			head, _, _ := strings.Cut(e.Key, ".")
			if _, ok := mm.prop[head]; !ok {
				t.Fatalf("sort or projection names the field %q", e.Key)
			}
		}
		if q.match != nil {
			q.match(map[string]any{"title": "x", "n": int64(12), "address": map[string]any{"city": "Paris"}})
		}
	})
}
