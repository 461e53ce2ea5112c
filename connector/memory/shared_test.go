package memory_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

var noteDef = &model.Definition{
	Name: "Note",
	Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
		{Name: "meta", Type: model.Object},
		{Name: "tags", Type: model.Array},
	},
}

// TestFindShared checks that FindShared finds what Find finds, that the
// records it returns are snapshots no later write changes, and that the
// copies Find returns are the caller's (changing them changes nothing
// stored).
func TestFindShared(t *testing.T) {
	ctx := context.Background()
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, title := range []string{"a", "b", "c"} {
		rec := connector.Record{"title": title, "meta": map[string]any{"n": 1.0}, "tags": []any{"x"}}
		if _, err := c.Create(ctx, noteDef, rec); err != nil {
			t.Fatal(err)
		}
	}
	filters := []*filter.Filter{
		nil,
		{},
		{Limit: 2, Skip: 1},
		{Where: &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Neq, Value: "b"}}}},
		{Where: &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: int64(2)}}}},
		{Order: []filter.Order{{Property: "title", Desc: true}}},
		{Fields: &filter.Fields{Include: []string{"id", "title"}}},
		{Fields: &filter.Fields{Exclude: []string{"meta"}}},
	}
	for i, f := range filters {
		want, err := c.Find(ctx, noteDef, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.FindShared(ctx, noteDef, f)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("filter %d: FindShared got %v; want %v", i, got, want)
		}
	}

	shared, err := c.FindShared(ctx, noteDef, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := mustFind(t, c, nil)
	if _, err := c.UpdateAll(ctx, noteDef, nil, connector.Record{"title": "changed", "meta": map[string]any{"n": 2.0}}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceByID(ctx, noteDef, int64(1), connector.Record{"title": "replaced"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shared, before) {
		t.Errorf("shared records after writes: got %v; want the snapshot %v", shared, before)
	}

	// The copies of Find are deep: changing them changes nothing stored.
	copies := mustFind(t, c, nil)
	stored := mustFind(t, c, nil)
	copies[1]["title"] = "mine"
	copies[1]["meta"].(map[string]any)["n"] = 3.0
	copies[1]["tags"].([]any)[0] = "y"
	if again := mustFind(t, c, nil); !reflect.DeepEqual(again, stored) {
		t.Errorf("after changing Find's copies: got %v; want %v", again, stored)
	}
}

func mustFind(t *testing.T, c *memory.Connector, f *filter.Filter) []connector.Record {
	t.Helper()
	recs, err := c.Find(context.Background(), noteDef, f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestCreateOwned checks that CreateOwned stores what Create stores: the
// nested values the caller handed over are copied, ints become int64, and
// the record returned is the caller's copy.
func TestCreateOwned(t *testing.T) {
	ctx := context.Background()
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	meta := map[string]any{"n": 1}
	tags := []any{"x"}
	out, err := c.CreateOwned(ctx, noteDef, connector.Record{"title": "owned", "meta": meta, "tags": tags})
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Record{"id": int64(1), "title": "owned", "meta": map[string]any{"n": int64(1)}, "tags": []any{"x"}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("CreateOwned: got %v; want %v", out, want)
	}
	meta["n"] = 2
	tags[0] = "y"
	out["title"] = "changed by the caller"
	if got := mustFind(t, c, nil); !reflect.DeepEqual(got, []connector.Record{want}) {
		t.Errorf("after changing what was handed over and returned: got %v; want %v", got, []connector.Record{want})
	}
	if _, err := c.CreateOwned(ctx, noteDef, connector.Record{"id": 1.0, "title": "dup"}); err == nil {
		t.Error("CreateOwned with a duplicate id: got no error")
	}
	if _, err := c.CreateOwned(ctx, noteDef, nil); err != nil {
		t.Errorf("CreateOwned(nil): got %v; want an instance with a generated id", err)
	}
}

// TestCreateShared checks that CreateShared stores what CreateOwned
// stores, copying nested values the caller could still hold, and returns
// the stored instance itself (the one FindShared returns), while Create
// and CreateOwned return copies.
func TestCreateShared(t *testing.T) {
	ctx := context.Background()
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	meta := map[string]any{"n": 1}
	out, err := c.CreateShared(ctx, noteDef, connector.Record{"title": "shared", "meta": meta})
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Record{"id": int64(1), "title": "shared", "meta": map[string]any{"n": int64(1)}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("CreateShared: got %v; want %v", out, want)
	}
	meta["n"] = 2
	tests := []struct {
		name   string
		create func(context.Context, *model.Definition, connector.Record) (connector.Record, error)
		shared bool
	}{
		{"CreateShared", c.CreateShared, true},
		{"CreateOwned", c.CreateOwned, false},
		{"Create", c.Create, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.create(ctx, noteDef, connector.Record{"title": tt.name})
			if err != nil {
				t.Fatal(err)
			}
			found, err := c.FindShared(ctx, noteDef, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: got["id"]}}}})
			if err != nil || len(found) != 1 {
				t.Fatalf("got %v, %v; want the instance", found, err)
			}
			same := reflect.ValueOf(found[0]).UnsafePointer() == reflect.ValueOf(got).UnsafePointer()
			if same != tt.shared {
				t.Errorf("result is the stored instance: got %v; want %v", same, tt.shared)
			}
		})
	}
	first, err := c.FindShared(ctx, noteDef, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: int64(1)}}}})
	if err != nil || len(first) != 1 || !reflect.DeepEqual(first[0], want) {
		t.Errorf("stored: got %v, %v; want %v (the caller's nested map copied)", first, err, want)
	}
	if _, err := c.CreateShared(ctx, noteDef, connector.Record{"id": int64(1), "title": "dup"}); !errors.Is(err, fault.Conflict) {
		t.Errorf("duplicate: got %v; want a fault.Conflict", err)
	}
}
