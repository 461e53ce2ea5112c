package repository_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Plain struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title"`
	Done  bool   `json:"done,omitempty"`
}

// TestFindJSON checks that FindJSON finds what Find finds (hidden
// properties left out, default scope merged, filters validated), written
// as JSON by the memory connector, and that it declines what it cannot do
// (fields) without an error.
func TestFindJSON(t *testing.T) {
	ctx := context.Background()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	plainDef := model.MustFromStruct[Plain]()
	scoped := model.MustFromStruct[Plain]()
	scoped.Name = "Scoped"
	scoped.Settings.DefaultScope = map[string]any{"where": map[string]any{"done": false}, "order": "id DESC"}
	repos := map[string]*repository.Model{}
	for _, def := range []*model.Definition{plainDef, scoped, model.MustFromStruct[Todo]()} {
		m, err := repository.NewModel(conn, def)
		if err != nil {
			t.Fatal(err)
		}
		for i, title := range []string{"a", "b", "c"} {
			rec := connector.Record{"title": title}
			if def.Property("secret") != nil {
				rec["secret"] = "s"
			} else {
				rec["done"] = i == 1
			}
			if _, err := m.Create(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
		repos[def.Name] = m
	}
	filters := []*filter.Filter{
		nil,
		{Limit: 1, Skip: 1},
		{Where: &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Neq, Value: "a"}}}},
		{Order: []filter.Order{{Property: "title", Desc: true}}, Limit: 2},
	}
	for name, m := range repos {
		for i, f := range filters {
			want, err := m.Find(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			rows, ok, err := m.FindJSON(ctx, f)
			if err != nil || !ok {
				t.Fatalf("%s, filter %d: FindJSON got ok %v, error %v; want rows", name, i, ok, err)
			}
			var got []any
			for k := range rows.Len() {
				b, err := rows.AppendJSON(nil, k)
				if err != nil {
					t.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatalf("%s, filter %d: row %d is not JSON: %s", name, i, k, b)
				}
				got = append(got, v)
			}
			if wantJSON := roundTrip(t, want); !reflect.DeepEqual(got, wantJSON) {
				t.Errorf("%s, filter %d: FindJSON got %v; want %v", name, i, got, wantJSON)
			}
		}
		if _, ok, err := m.FindJSON(ctx, &filter.Filter{Fields: &filter.Fields{Include: []string{"title"}}}); ok || err != nil {
			t.Errorf("%s: FindJSON with fields: got ok %v, error %v; want it declined", name, ok, err)
		}
		bad := &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "nope", Op: filter.Eq, Value: 1.0}}}}
		if _, _, err := m.FindJSON(ctx, bad); err == nil {
			t.Errorf("%s: FindJSON with an unknown property: got no error", name)
		}
	}
}

// roundTrip returns recs as encoding/json decodes their JSON.
func roundTrip(t *testing.T, recs []connector.Record) []any {
	t.Helper()
	b, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCreateHandsOver checks that Create, which hands its normalized copy
// of the data over to the memory connector, leaves the caller's data and
// the store independent: changing either afterwards changes nothing else.
func TestCreateHandsOver(t *testing.T) {
	ctx := context.Background()
	m := memModel(t, model.MustFromStruct[Plain]())
	data := connector.Record{"title": "mine"}
	out, err := m.Create(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	data["title"] = "changed data"
	out["title"] = "changed result"
	got, err := m.FindByID(ctx, out["id"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if got["title"] != "mine" {
		t.Errorf("stored title: got %v; want mine", got["title"])
	}
	if _, ok := data["id"]; ok {
		t.Errorf("the caller's data: got an id in %v; want it untouched", data)
	}
}

// TestCreateOwned checks that CreateOwned creates what Create creates, that
// its result is the data handed over (the memory connector keeps its own
// encoding), and that invalid data is refused with the same
// ValidationError.
func TestCreateOwned(t *testing.T) {
	ctx := context.Background()
	m := memModel(t, model.MustFromStruct[Plain]())
	tests := []struct {
		name string
		data connector.Record
		want connector.Record // without the id
		kind fault.Kind
	}{
		{"plain", connector.Record{"title": "a"}, connector.Record{"title": "a"}, 0},
		{"with done", connector.Record{"title": "b", "done": true}, connector.Record{"title": "b", "done": true}, 0},
		{"nil data", nil, connector.Record{}, 0},
		{"wrong type", connector.Record{"title": 1.0}, nil, fault.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var copyData connector.Record
			if tt.data != nil {
				copyData = connector.Record{}
				for k, v := range tt.data {
					copyData[k] = v
				}
			}
			out, err := m.CreateOwned(ctx, tt.data)
			ref, refErr := m.Create(ctx, copyData)
			if tt.kind != 0 {
				if fault.KindOf(err) != tt.kind {
					t.Fatalf("got error %v; want kind %v", err, tt.kind)
				}
				if refErr == nil || err.Error() != refErr.Error() {
					t.Errorf("got error %q; want Create's %v", err, refErr)
				}
				return
			}
			if err != nil || refErr != nil {
				t.Fatalf("got errors %v, %v; want none", err, refErr)
			}
			id := out["id"]
			if id == nil || id == ref["id"] {
				t.Fatalf("got id %v (Create gave %v); want a new distinct id", id, ref["id"])
			}
			delete(out, "id")
			delete(ref, "id")
			if !reflect.DeepEqual(out, tt.want) || !reflect.DeepEqual(ref, tt.want) {
				t.Errorf("got %v (Create gave %v); want %v", out, ref, tt.want)
			}
			out["id"] = id
			stored, err := m.FindByID(ctx, id, nil)
			if err != nil || !reflect.DeepEqual(stored, out) {
				t.Fatalf("stored: got %v, %v; want %v", stored, err, out)
			}
			if tt.data != nil && reflect.ValueOf(tt.data).UnsafePointer() != reflect.ValueOf(out).UnsafePointer() {
				t.Error("got a copy; want the data handed over")
			}
		})
	}
}

// TestCreateOwnedHidden checks that CreateOwned removes hidden properties
// from its result without removing them from the store.
func TestCreateOwnedHidden(t *testing.T) {
	ctx := context.Background()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	m, err := repository.NewModel(conn, model.MustFromStruct[Todo]())
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.CreateOwned(ctx, connector.Record{"title": "t", "secret": "s"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out["secret"]; ok {
		t.Errorf("got %v; want no secret", out)
	}
	all, err := conn.Find(ctx, m.Definition(), nil)
	if err != nil || len(all) != 1 || all[0]["secret"] != "s" {
		t.Errorf("stored: got %v, %v; want one instance with its secret", all, err)
	}
}

// memModel returns a repository for def on a new memory connector.
func memModel(t *testing.T, def *model.Definition) *repository.Model {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	m, err := repository.NewModel(conn, def)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
