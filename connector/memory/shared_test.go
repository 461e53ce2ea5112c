package memory_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
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

// TestFindSnapshots checks that FindJSON finds what Find finds, that what
// both return are snapshots no later write changes, and that the records
// Find returns are the caller's (changing them changes nothing stored).
func TestFindSnapshots(t *testing.T) {
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
	}
	for i, f := range filters {
		want, err := c.Find(ctx, noteDef, f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := c.FindJSON(ctx, noteDef, f)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonOf(t, rows); got != encodeAll(t, want) {
			t.Errorf("filter %d: FindJSON got %s; want %s", i, got, encodeAll(t, want))
		}
	}
	if _, err := c.FindJSON(ctx, noteDef, &filter.Filter{Fields: &filter.Fields{Include: []string{"id"}}}); err == nil {
		t.Error("FindJSON with fields: got no error")
	}

	found := mustFind(t, c, nil)
	rows, err := c.FindJSON(ctx, noteDef, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := mustFind(t, c, nil)
	beforeJSON := encodeAll(t, before)
	if _, err := c.UpdateAll(ctx, noteDef, nil, connector.Record{"title": "changed", "meta": map[string]any{"n": 2.0}}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceByID(ctx, noteDef, int64(1), connector.Record{"title": "replaced"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(found, before) {
		t.Errorf("records found before the writes: got %v; want the snapshot %v", found, before)
	}
	if got := jsonOf(t, rows); got != beforeJSON {
		t.Errorf("rows found before the writes: got %s; want the snapshot %s", got, beforeJSON)
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

// jsonOf writes rows as a JSON array.
func jsonOf(t *testing.T, rows connector.JSONRows) string {
	t.Helper()
	b := []byte{'['}
	for i := range rows.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = rows.AppendJSON(b, i); err != nil {
			t.Fatal(err)
		}
	}
	return string(append(b, ']'))
}

// encodeAll writes recs as a JSON array with noteDef's property order
// (every Note record here has its properties in declaration order and no
// other key, so sorting by name would differ: id, title, meta, tags).
func encodeAll(t *testing.T, recs []connector.Record) string {
	t.Helper()
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		n := 0
		for _, p := range noteDef.Properties {
			v, ok := r[p.Name]
			if !ok {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			k, _ := json.Marshal(p.Name)
			val, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(k)
			b.WriteByte(':')
			b.Write(val)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String()
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

// TestCreateHandsBack checks that CreateOwned returns a plain record handed
// over as the result (the store keeps its own encoding), that Create
// returns a copy, that a record with nested values comes back as a new
// record, and that a duplicate id is a conflict.
func TestCreateHandsBack(t *testing.T) {
	ctx := context.Background()
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	same := func(a, b connector.Record) bool {
		return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
	}
	tests := []struct {
		name string
		in   connector.Record
		fn   func(context.Context, *model.Definition, connector.Record) (connector.Record, error)
		back bool
	}{
		{"CreateOwned plain", connector.Record{"title": "a"}, c.CreateOwned, true},
		{"CreateOwned nested", connector.Record{"title": "b", "meta": map[string]any{"n": 1}}, c.CreateOwned, false},
		{"Create plain", connector.Record{"title": "c"}, c.Create, false},
	}
	for _, tt := range tests {
		out, err := tt.fn(ctx, noteDef, tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if same(out, tt.in) != tt.back {
			t.Errorf("%s: result is the record handed over: got %v; want %v", tt.name, !tt.back, tt.back)
		}
		found, err := c.Find(ctx, noteDef, &filter.Filter{Where: filter.Prop("id").Eq(out["id"])})
		if err != nil || len(found) != 1 || !reflect.DeepEqual(found[0], out) {
			t.Errorf("%s: stored %v, %v; want %v", tt.name, found, err, out)
		}
	}
	if _, err := c.CreateOwned(ctx, noteDef, connector.Record{"id": int64(1), "title": "dup"}); !errors.Is(err, fault.Conflict) {
		t.Errorf("duplicate: got %v; want a fault.Conflict", err)
	}
}
