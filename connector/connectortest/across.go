package connectortest

import (
	"errors"
	"slices"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// testAcross checks where conditions and order terms across relations
// ("list.name", "entries.text", order "list.name DESC") through a
// repository: every connector answers the same, whether it evaluates them
// itself (SQL) or the repository does (memory).
func (s *suite) testAcross(t *testing.T) {
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
	find := func(m *repository.Model, prop, js string) []string {
		t.Helper()
		f, err := filter.ParseJSON([]byte(js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		recs, err := m.Find(e.ctx, f)
		if err != nil {
			t.Fatalf("find %s: %v", js, err)
		}
		out := []string{}
		for _, r := range recs {
			v, _ := r[prop].(string)
			out = append(out, v)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		lists  bool // query lists (else entries)
		filter string
		want   []string
	}{
		{"belongsTo eq", false, `{"where":{"list.name":"work"}}`, []string{"a", "c", "d"}},
		{"belongsTo neq leaves out instances with no related one", false, `{"where":{"list.name":{"neq":"work"}}}`, []string{"b"}},
		{"belongsTo coerced id", false, `{"where":{"list.id":"2"}}`, []string{"b"}},
		{"belongsTo like", false, `{"where":{"list.name":{"like":"%om%"}}}`, []string{"b"}},
		{"hasMany: some related instance", true, `{"where":{"entries.text":"b"}}`, []string{"home"}},
		{"hasMany inq", true, `{"where":{"entries.text":{"inq":["a","b"]}}}`, []string{"work", "home"}},
		{"hasMany no match", true, `{"where":{"entries.text":"zzz"}}`, []string{}},
		{"or with own property", true, `{"where":{"or":[{"entries.text":"b"},{"name":"empty"}]}}`, []string{"home", "empty"}},
		{"and of two relations conditions", true, `{"where":{"and":[{"entries.text":"a"},{"entries.text":"d"}]}}`, []string{"work"}},
		{"order by related property", false, `{"where":{"list.name":{"inq":["work","home"]}},"order":["list.name ASC","text DESC"]}`, []string{"b", "d", "c", "a"}},
		{"order by related property, desc, paged", false, `{"where":{"ctListId":{"inq":[1,2]}},"order":"list.name DESC","limit":2,"skip":1}`, []string{"c", "d"}},
		{"order by related property with fields", false, `{"where":{"ctListId":{"inq":[1,2]}},"order":["list.name DESC","id DESC"],"fields":["text"]}`, []string{"d", "c", "a", "b"}},
	} {
		m, prop := entries, "text"
		if tt.lists {
			m, prop = lists, "name"
		}
		if got := find(m, prop, tt.filter); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %s: got %v; want %v", tt.name, tt.filter, got, tt.want)
		}
	}

	w := func(js string) *filter.Where {
		t.Helper()
		w, err := filter.ParseWhereJSON([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	if n, err := entries.Count(e.ctx, w(`{"list.name":"work"}`)); err != nil || n != 3 {
		t.Errorf("count across belongsTo: got %d, %v; want 3", n, err)
	}
	if n, err := lists.Count(e.ctx, w(`{"entries.text":{"neq":"b"}}`)); err != nil || n != 1 {
		t.Errorf("count across hasMany: got %d, %v; want 1 (work)", n, err)
	}
	if n, err := entries.UpdateAll(e.ctx, connector.Record{"text": "B"}, w(`{"list.name":"home"}`)); err != nil || n != 1 {
		t.Errorf("update across belongsTo: got %d, %v; want 1", n, err)
	}
	if n, err := entries.DeleteAll(e.ctx, w(`{"list.name":"work"}`)); err != nil || n != 3 {
		t.Errorf("delete across belongsTo: got %d, %v; want 3", n, err)
	}
	if got := find(entries, "text", `{}`); !slices.Equal(got, []string{"B", "orphan"}) {
		t.Errorf("after update and delete across relations: got %v; want [B orphan]", got)
	}

	for _, bad := range []struct {
		m  *repository.Model
		js string
	}{
		{entries, `{"where":{"list.nope":1}}`},
		{entries, `{"where":{"nope.name":1}}`},
		{lists, `{"order":"entries.text"}`},
		{entries, `{"where":{"list.id":"x"}}`},
	} {
		f, err := filter.ParseJSON([]byte(bad.js))
		if err != nil {
			t.Fatal(err)
		}
		_, err = bad.m.Find(e.ctx, f)
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
			t.Errorf("%s: got %v; want a fault.BadRequest", bad.js, err)
		}
	}
}

// testAcrossScoped checks that conditions and order terms across
// relations respect the related model's default scope: an instance the
// scope hides neither matches nor gives an order value, on every
// connector.
func (s *suite) testAcrossScoped(t *testing.T) {
	list, entry := s.listDef(), s.entryDef()
	list.Name, entry.Name = s.n("ScopedList"), s.n("ScopedEntry")
	list.Relations[0].Target, entry.Relations[0].Target = entry.Name, list.Name
	list.Settings.DefaultScope = map[string]any{"where": map[string]any{"name": map[string]any{"neq": "hidden"}}}
	entry.Settings.DefaultScope = map[string]any{"where": map[string]any{"text": map[string]any{"neq": "x"}}}
	e := s.setup(t, list, entry)
	lists, entries := e.repo(list), e.repo(entry)
	var reg repository.Registry
	if err := reg.Add(lists, entries); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"work", "hidden"} {
		if _, err := e.conn.Create(e.ctx, list, connector.Record{"name": name}); err != nil {
			t.Fatal(err)
		}
	}
	for _, rec := range []connector.Record{{"text": "a", "ctListId": int64(1)}, {"text": "x", "ctListId": int64(1)}, {"text": "h", "ctListId": int64(2)}} {
		if _, err := e.conn.Create(e.ctx, entry, rec); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name   string
		m      *repository.Model
		prop   string
		filter string
		want   []string
	}{
		{"belongsTo to a hidden instance", entries, "text", `{"where":{"list.name":"hidden"}}`, []string{}},
		{"belongsTo: hidden instances do not match neq", entries, "text", `{"where":{"list.name":{"neq":"zzz"}}}`, []string{"a"}},
		{"hasMany: a hidden instance does not match", lists, "name", `{"where":{"entries.text":"x"}}`, []string{}},
		{"hasMany: a visible one does", lists, "name", `{"where":{"entries.text":{"inq":["a","x"]}}}`, []string{"work"}},
		{"order: a hidden instance gives no value", entries, "text", `{"order":["list.name ASC","id DESC"]}`, []string{"h", "a"}},
	} {
		f, err := filter.ParseJSON([]byte(tt.filter))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := tt.m.Find(e.ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := []string{}
		for _, r := range recs {
			v, _ := r[tt.prop].(string)
			got = append(got, v)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %s: got %v; want %v", tt.name, tt.filter, got, tt.want)
		}
	}
	if n, err := entries.Count(e.ctx, &filter.Where{Conds: []filter.Cond{{Path: "list.name", Op: filter.Eq, Value: "hidden"}}}); err != nil || n != 0 {
		t.Errorf("count across a belongsTo to a hidden instance: got %d, %v; want 0", n, err)
	}
}
