package mongodb_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// secretDef is the model of the injection tests: an ObjectId id, strings,
// an integer, a free-form value and a nested object.
func secretDef() *model.Definition {
	return &model.Definition{
		Name: "Secret",
		Properties: []*model.Property{
			{Name: "id", Type: model.String, ID: 1, Generated: true},
			{Name: "owner", Type: model.String},
			{Name: "pin", Type: model.Number, Integer: true},
			{Name: "extra", Type: model.Any},
			{Name: "address", Type: model.Object, Properties: []*model.Property{{Name: "city", Type: model.String}}},
		},
	}
}

// TestInjection sends filters and data a client controls, with MongoDB
// operators smuggled in keys and values: each is either refused (a 4xx
// that changes nothing) or read as plain data, never as an operator.
func TestInjection(t *testing.T) {
	ctx := context.Background()
	c := open(t, testDB(t))
	def := secretDef()
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	r, err := repository.NewModel(c, def)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []connector.Record{
		{"owner": "alice", "pin": int64(1234), "extra": "a", "address": map[string]any{"city": "Paris"}},
		{"owner": "bob", "pin": int64(9999), "extra": map[string]any{"k": "v"}},
	} {
		if _, err := r.Create(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	// Each filter, parsed as the REST layer parses ?filter=, must be a 400
	// or select only what its literal reading selects.
	tests := []struct {
		name, json string
		want       []string // owners found; nil: a 400
	}{
		{"$ne object in a string position", `{"where":{"owner":{"$ne":null}}}`, nil},
		{"$gt object in an integer position", `{"where":{"pin":{"$gt":0}}}`, nil},
		{"$where at the top", `{"where":{"$where":"return true"}}`, nil},
		{"$where in and", `{"where":{"and":[{"$where":"sleep(1000)"}]}}`, nil},
		{"$or key", `{"where":{"$or":[{"owner":"alice"},{"owner":"bob"}]}}`, nil},
		{"$expr key", `{"where":{"$expr":{"$eq":[1,1]}}}`, nil},
		{"operator as a string value", `{"where":{"owner":"{\"$ne\":null}"}}`, []string{}},
		{"dollar string value", `{"where":{"owner":"$ne"}}`, []string{}},
		{"$regex object", `{"where":{"owner":{"$regex":".*"}}}`, nil},
		{"$ne in a free-form value", `{"where":{"extra":{"$ne":null}}}`, []string{}},
		{"$exists in a free-form value", `{"where":{"extra":{"$exists":true}}}`, []string{}},
		{"$gt in inq", `{"where":{"owner":{"inq":[{"$gt":""}]}}}`, nil},
		{"$ne in a nested path", `{"where":{"address.city":{"$ne":"x"}}}`, nil},
		{"operator in a dotted key", `{"where":{"address.$ne":"x"}}`, nil},
		{"id as an operator object", `{"where":{"id":{"$ne":null}}}`, nil},
		{"id as an operator string", `{"where":{"id":"{\"$ne\":null}"}}`, []string{}},
		{"$where in order", `{"order":["$where DESC"]}`, nil},
		{"$where in fields", `{"fields":{"$where":true}}`, nil},
		{"regexp stays a pattern", `{"where":{"owner":{"regexp":"^al"}}}`, []string{"alice"}},
		{"literal match still works", `{"where":{"extra":{"k":"v"}}}`, []string{"bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := filter.ParseJSON([]byte(tt.json))
			if err == nil {
				var got []connector.Record
				got, err = r.Find(ctx, f)
				if err == nil {
					if tt.want == nil {
						t.Fatalf("Find: got %d instances; want a 400", len(got))
					}
					owners := []string{}
					for _, g := range got {
						owners = append(owners, g["owner"].(string))
					}
					if !slices.Equal(owners, tt.want) {
						t.Errorf("Find: got owners %v; want %v", owners, tt.want)
					}
					if f.Where != nil {
						n, err := r.Count(ctx, f.Where)
						if err != nil || n != int64(len(tt.want)) {
							t.Errorf("Count: got (%d, %v); want (%d, nil)", n, err, len(tt.want))
						}
						if _, err := r.DeleteAll(ctx, &filter.Where{And: []*filter.Where{f.Where, {Conds: []filter.Cond{{Path: "owner", Op: filter.Eq, Value: "nobody"}}}}}); err != nil {
							t.Errorf("DeleteAll: %v", err)
						}
					}
					return
				}
			}
			if tt.want != nil {
				t.Fatalf("got %v; want owners %v", err, tt.want)
			}
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
				t.Fatalf("got %v; want a 400", err)
			}
		})
	}

	// Data: operator-looking keys and values are stored as data, or
	// refused; never executed.
	writes := []connector.Record{
		{"owner": `{"$set":{"owner":"eve"}}`},
		{"owner": "$where"},
		{"owner": "eve", "extra": map[string]any{"$set": map[string]any{"owner": "mallory"}}},
		{"owner": "eve", "extra": map[string]any{"a.b": 1.0}},
	}
	for _, rec := range writes {
		created, err := r.Create(ctx, rec)
		if err != nil {
			if fault.KindOf(err) != fault.Invalid {
				t.Errorf("Create %v: got %v; want it stored or a 422", rec, err)
			}
			continue
		}
		got, err := r.FindByID(ctx, created["id"], nil)
		if err != nil || got["owner"] != rec["owner"] {
			t.Errorf("Create %v: read back (%v, %v); want owner %v", rec, got, err, rec["owner"])
		}
	}
	if _, err := r.UpdateAll(ctx, connector.Record{"owner": "$unset"}, &filter.Where{Conds: []filter.Cond{{Path: "owner", Op: filter.Eq, Value: "$where"}}}); err != nil {
		t.Errorf("UpdateAll with a $ value: %v", err)
	}
	// Keys MongoDB would read as operators or paths are refused (422).
	if n, err := r.Count(ctx, &filter.Where{Conds: []filter.Cond{{Path: "owner", Op: filter.Eq, Value: "eve"}}}); err != nil || n != 0 {
		t.Errorf("records with $ or dotted keys: %d stored (%v); want 0", n, err)
	}
	for _, owner := range []string{"alice", "bob", "$unset", `{"$set":{"owner":"eve"}}`} {
		if n, err := r.Count(ctx, &filter.Where{Conds: []filter.Cond{{Path: "owner", Op: filter.Eq, Value: owner}}}); err != nil || n != 1 {
			t.Errorf("after the writes: %d instances of %s (%v); want 1", n, owner, err)
		}
	}
	if n, err := r.Count(ctx, &filter.Where{Conds: []filter.Cond{{Path: "owner", Op: filter.Eq, Value: "mallory"}}}); err != nil || n != 0 {
		t.Errorf("an operator in data was executed: %d instances of mallory (%v)", n, err)
	}
}
