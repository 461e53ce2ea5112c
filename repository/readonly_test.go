package repository_test

import (
	"context"
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

// TestFindReadOnly checks that FindReadOnly finds what Find finds (hidden
// properties removed, default scope merged, filters validated), and that
// it shares the memory connector's records only when nothing needs to be
// removed from them.
func TestFindReadOnly(t *testing.T) {
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
		{Fields: &filter.Fields{Include: []string{"title"}}},
	}
	for name, m := range repos {
		for i, f := range filters {
			want, err := m.Find(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.FindReadOnly(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, filter %d: FindReadOnly got %v; want %v", name, i, got, want)
			}
			for _, r := range got {
				if _, ok := r["secret"]; ok {
					t.Errorf("%s, filter %d: got the hidden secret in %v", name, i, r)
				}
			}
		}
		for _, id := range []any{int64(1), 3.0, "2", int64(99)} {
			for _, f := range []*filter.Filter{nil, {Fields: &filter.Fields{Include: []string{"title"}}}} {
				want, wantErr := m.FindByID(ctx, id, f)
				got, err := m.FindByIDReadOnly(ctx, id, f)
				if !reflect.DeepEqual(got, want) || fault.KindOf(err) != fault.KindOf(wantErr) || (err == nil) != (wantErr == nil) {
					t.Errorf("%s: FindByIDReadOnly(%v, %v) got (%v, %v); want (%v, %v)", name, id, f, got, err, want, wantErr)
				}
			}
		}
		bad := &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "nope", Op: filter.Eq, Value: 1.0}}}}
		if _, err := m.FindReadOnly(ctx, bad); err == nil {
			t.Errorf("%s: FindReadOnly with an unknown property: got no error", name)
		}
	}

	same := func(m *repository.Model) bool {
		a, err := m.FindReadOnly(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.FindReadOnly(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		one, err := m.FindByIDReadOnly(ctx, a[0]["id"], nil)
		if err != nil {
			t.Fatal(err)
		}
		p := reflect.ValueOf(a[0]).UnsafePointer()
		return p == reflect.ValueOf(b[0]).UnsafePointer() && p == reflect.ValueOf(one).UnsafePointer()
	}
	if !same(repos["Plain"]) {
		t.Error("Plain: got copies; want the connector's shared records")
	}
	if same(repos["Todo"]) {
		t.Error("Todo (hidden secret): got shared records; want copies with the secret removed")
	}
}

// TestCreateHandsOver checks that Create, which hands its normalized copy
// of the data over to the memory connector, leaves the caller's data and
// the store independent: changing either afterwards changes nothing else.
func TestCreateHandsOver(t *testing.T) {
	ctx := context.Background()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	m, err := repository.NewModel(conn, model.MustFromStruct[Plain]())
	if err != nil {
		t.Fatal(err)
	}
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
// its result is the memory connector's stored instance (it needs no
// change), and that invalid data is refused with the same ValidationError.
func TestCreateOwned(t *testing.T) {
	ctx := context.Background()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	m, err := repository.NewModel(conn, model.MustFromStruct[Plain]())
	if err != nil {
		t.Fatal(err)
	}
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
			shared, err := m.FindReadOnly(ctx, &filter.Filter{Where: filter.Prop("id").Eq(id)})
			if err != nil || len(shared) != 1 {
				t.Fatalf("got %v, %v; want the created instance", shared, err)
			}
			if reflect.ValueOf(shared[0]).UnsafePointer() != reflect.ValueOf(out).UnsafePointer() {
				t.Error("got a copy; want the stored instance")
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
