package connectortest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// wantFault checks that err is a *fault.Error of kind and returns it.
func wantFault(t *testing.T, err error, kind fault.Kind) *fault.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error; want a %v error", kind)
	}
	var fe *fault.Error
	if !errors.As(err, &fe) {
		t.Fatalf("got error %v (%T); want a *fault.Error of kind %v", err, err, kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("got %v error %q; want kind %v", fe.Kind, err, kind)
	}
	return fe
}

// wantNotFound checks LoopBack's entity-not-found error.
func wantNotFound(t *testing.T, err error, model string, id string) {
	t.Helper()
	fe := wantFault(t, err, fault.NotFound)
	want := fmt.Sprintf("Entity not found: %s with id %s", model, id)
	if fe.Code != "ENTITY_NOT_FOUND" || fe.Message != want {
		t.Errorf("got (%q, %q); want (ENTITY_NOT_FOUND, %q)", fe.Code, fe.Message, want)
	}
}

func (s *suite) testCreate(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	first, err := r.Create(e.ctx, connector.Record{"title": "a"})
	if err != nil {
		t.Fatal(err)
	}
	if got := asInt(first["id"]); got != 1 {
		t.Errorf("first generated id: got %v; want 1", first["id"])
	}
	if first["title"] != "a" {
		t.Errorf("created title: got %v; want a", first["title"])
	}
	second, err := r.Create(e.ctx, connector.Record{"title": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if got := asInt(second["id"]); got != 2 {
		t.Errorf("second generated id: got %v; want 2", second["id"])
	}
	// An explicit id is kept and later ids are above it.
	explicit, err := r.Create(e.ctx, connector.Record{"id": int64(10), "title": "c"})
	if err != nil {
		t.Fatal(err)
	}
	if got := asInt(explicit["id"]); got != 10 {
		t.Errorf("explicit id: got %v; want 10", explicit["id"])
	}
	next, err := r.Create(e.ctx, connector.Record{"title": "d"})
	if err != nil {
		t.Fatal(err)
	}
	if got := asInt(next["id"]); got <= 10 {
		t.Errorf("id after an explicit 10: got %v; want > 10", next["id"])
	}
	// A duplicate id is a conflict and changes nothing.
	_, err = r.Create(e.ctx, connector.Record{"id": int64(2), "title": "dup"})
	fe := wantFault(t, err, fault.Conflict)
	if want := "Duplicate entry for " + s.n(todoModel) + ".id"; fe.Message != want {
		t.Errorf("duplicate message: got %q; want %q", fe.Message, want)
	}
	got, err := r.FindByID(e.ctx, int64(2), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got["title"] != "b" {
		t.Errorf("after a duplicate create: got title %v; want b", got["title"])
	}
	if n, err := r.Count(e.ctx, nil); err != nil || n != 4 {
		t.Errorf("Count: got (%d, %v); want (4, nil)", n, err)
	}
}

func (s *suite) testCreateStringID(t *testing.T) {
	e := s.setup(t, s.noteDef())
	r := e.repo(s.noteDef())
	before := time.Now().Add(-time.Second)
	n, err := r.Create(e.ctx, connector.Record{"body": "hello"})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := n["id"].(string)
	if len(id) != 36 {
		t.Errorf("generated string id: got %v; want a uuid", n["id"])
	}
	if n["status"] != "draft" {
		t.Errorf("default value: got %v; want draft", n["status"])
	}
	created, ok := n["createdAt"].(time.Time)
	if !ok || created.Before(before) || created.After(time.Now().Add(time.Second)) {
		t.Errorf("default now: got %v; want the current time", n["createdAt"])
	}
	got, err := r.FindByID(e.ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got["body"] != "hello" || got["status"] != "draft" {
		t.Errorf("FindByID: got %v; want body hello, status draft", got)
	}
	mine, err := r.Create(e.ctx, connector.Record{"id": "my-id", "body": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if mine["id"] != "my-id" {
		t.Errorf("explicit string id: got %v; want my-id", mine["id"])
	}
	_, err = r.Create(e.ctx, connector.Record{"id": "my-id", "body": "y"})
	wantFault(t, err, fault.Conflict)
	wantNotFound(t, r.DeleteByID(e.ctx, "nope"), s.n(noteModel), `"nope"`)
}

func (s *suite) testCreateAll(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	got, err := r.CreateAll(e.ctx, []connector.Record{{"title": "a"}, {"title": "b"}, {"title": "c"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{1, 2, 3}; !slices.Equal(ids(got), want) {
		t.Errorf("CreateAll ids: got %v; want %v", ids(got), want)
	}
	// An invalid instance fails the batch.
	_, err = r.CreateAll(e.ctx, []connector.Record{{"title": "d"}, {"title": ""}})
	wantFault(t, err, fault.Invalid)
	if _, ok := e.conn.(connector.Transactor); ok {
		if n, _ := r.Count(e.ctx, nil); n != 3 {
			t.Errorf("after a failed CreateAll: got %d instances; want 3 (the batch is atomic)", n)
		}
	}
}

func (s *suite) testValidation(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	_, err := r.Create(e.ctx, connector.Record{"title": ""})
	fe := wantFault(t, err, fault.Invalid)
	want := "The `" + s.n(todoModel) + "` instance is not valid. Details: `title` can't be blank (value: \"\")."
	if fe.Name != "ValidationError" || fe.Message != want {
		t.Errorf("got (%q, %q); want (ValidationError, %q)", fe.Name, fe.Message, want)
	}
	wantDetails := &repository.ValidationDetails{Context: s.n(todoModel),
		Codes: map[string][]string{"title": {"presence"}}, Messages: map[string][]string{"title": {"can't be blank"}}}
	if !reflect.DeepEqual(fe.Details, wantDetails) {
		t.Errorf("details: got %#v; want %#v", fe.Details, wantDetails)
	}
	_, err = r.Create(e.ctx, connector.Record{"desc": "no title"})
	fe = wantFault(t, err, fault.Invalid)
	if want := "The `" + s.n(todoModel) + "` instance is not valid. Details: `title` can't be blank (value: undefined)."; fe.Message != want {
		t.Errorf("missing title: got %q; want %q", fe.Message, want)
	}
	_, err = r.Create(e.ctx, connector.Record{"title": "x", "bogus": 1})
	fe = wantFault(t, err, fault.Invalid)
	if d, ok := fe.Details.(*repository.ValidationDetails); !ok || !slices.Equal(d.Codes["bogus"], []string{"unknown-property"}) {
		t.Errorf("unknown property: got details %#v; want code unknown-property for bogus", fe.Details)
	}
	_, err = r.Create(e.ctx, connector.Record{"title": 42})
	wantFault(t, err, fault.Invalid)
	if n, _ := r.Count(e.ctx, nil); n != 0 {
		t.Errorf("invalid creates stored %d instances; want 0", n)
	}
	created, err := r.Create(e.ctx, connector.Record{"title": "ok"})
	if err != nil {
		t.Fatal(err)
	}
	err = r.UpdateByID(e.ctx, created["id"], connector.Record{"title": ""})
	wantFault(t, err, fault.Invalid)
	err = r.ReplaceByID(e.ctx, created["id"], connector.Record{"desc": "x"})
	wantFault(t, err, fault.Invalid)
	got, err := r.FindByID(e.ctx, created["id"], nil)
	if err != nil || got["title"] != "ok" {
		t.Errorf("after rejected updates: got (%v, %v); want title ok", got, err)
	}
}

func (s *suite) testFind(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	tests := []struct {
		name string
		f    *filter.Filter
		want []int64
	}{
		{"nil filter: id order", nil, []int64{1, 2, 3, 4, 5}},
		{"order asc", &filter.Filter{Order: []filter.Order{{Property: "priority"}}}, []int64{1, 3, 2, 5, 4}},
		{"order desc", &filter.Filter{Order: []filter.Order{{Property: "score", Desc: true}}}, []int64{4, 5, 2, 1, 3}},
		{"order two keys", &filter.Filter{Order: []filter.Order{{Property: "isComplete", Desc: true}, {Property: "priority"}}}, []int64{2, 4, 1, 3, 5}},
		{"order by title", &filter.Filter{Where: where("id", filter.Gt, int64(1)), Order: []filter.Order{{Property: "title"}}}, []int64{4, 2, 5, 3}},
		{"limit", &filter.Filter{Limit: 2}, []int64{1, 2}},
		{"skip", &filter.Filter{Skip: 3}, []int64{4, 5}},
		{"limit and skip", &filter.Filter{Limit: 2, Skip: 1}, []int64{2, 3}},
		{"skip past the end", &filter.Filter{Skip: 10}, []int64{}},
		{"order, limit, skip", &filter.Filter{Order: []filter.Order{{Property: "priority", Desc: true}}, Limit: 2, Skip: 1}, []int64{5, 2}},
		{"where and limit", &filter.Filter{Where: where("isComplete", filter.Eq, false), Limit: 2}, []int64{1, 3}},
		{"order by a property left out by fields", &filter.Filter{Order: []filter.Order{{Property: "priority", Desc: true}},
			Fields: &filter.Fields{Include: []string{"id"}}}, []int64{4, 5, 2, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Find(e.ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("got ids %v; want %v", ids(got), tt.want)
			}
		})
	}
	t.Run("fields include", func(t *testing.T) {
		got, err := r.Find(e.ctx, &filter.Filter{Fields: &filter.Fields{Include: []string{"id", "title"}}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0]) != 2 || got[0]["title"] != "Take over the galaxy" || asInt(got[0]["id"]) != 1 {
			t.Errorf("got %v; want only id 1 and its title", got)
		}
	})
	t.Run("fields exclude", func(t *testing.T) {
		got, err := r.Find(e.ctx, &filter.Filter{Fields: &filter.Fields{Exclude: []string{"desc", "tags", "address"}}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("got %d instances; want 1", len(got))
		}
		for _, k := range []string{"desc", "tags", "address"} {
			if _, ok := got[0][k]; ok {
				t.Errorf("excluded %s is present: %v", k, got[0])
			}
		}
		if got[0]["title"] != "Take over the galaxy" || got[0]["priority"] != int64(1) {
			t.Errorf("got %v; want the other properties", got[0])
		}
	})
	t.Run("FindOne", func(t *testing.T) {
		got, err := r.FindOne(e.ctx, &filter.Filter{Where: where("isComplete", filter.Eq, true), Order: []filter.Order{{Property: "priority", Desc: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if asInt(got["id"]) != 4 {
			t.Errorf("got %v; want id 4", got)
		}
		none, err := r.FindOne(e.ctx, &filter.Filter{Where: where("title", filter.Eq, "nothing")})
		if err != nil || none != nil {
			t.Errorf("no match: got (%v, %v); want (nil, nil)", none, err)
		}
	})
}

func (s *suite) testInvalidFilter(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	bad := []struct {
		name string
		f    *filter.Filter
	}{
		{"unknown where property", &filter.Filter{Where: where("nope", filter.Eq, 1)}},
		{"unknown nested property", &filter.Filter{Where: where("address.nope", filter.Eq, "x")}},
		{"uncoercible value", &filter.Filter{Where: where("priority", filter.Eq, "high")}},
		{"unknown order property", &filter.Filter{Order: []filter.Order{{Property: "nope"}}}},
		{"unknown field", &filter.Filter{Fields: &filter.Fields{Include: []string{"nope"}}}},
		{"negative limit", &filter.Filter{Limit: -1}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Find(e.ctx, tt.f)
			wantFault(t, err, fault.BadRequest)
		})
	}
	_, err := r.Count(e.ctx, where("nope", filter.Eq, 1))
	wantFault(t, err, fault.BadRequest)
	_, err = r.UpdateAll(e.ctx, connector.Record{"title": "x"}, where("nope", filter.Eq, 1))
	wantFault(t, err, fault.BadRequest)
	_, err = r.DeleteAll(e.ctx, where("nope", filter.Eq, 1))
	wantFault(t, err, fault.BadRequest)
	if n, _ := r.Count(e.ctx, nil); n != 5 {
		t.Errorf("after invalid calls: got %d instances; want 5", n)
	}
}

func (s *suite) testFindByID(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	got, err := r.FindByID(e.ctx, int64(2), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got["title"] != "destroy alderaan" {
		t.Errorf("got %v; want destroy alderaan", got)
	}
	got, err = r.FindByID(e.ctx, int64(2), &filter.Filter{Fields: &filter.Fields{Include: []string{"title"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["title"] != "destroy alderaan" {
		t.Errorf("with fields: got %v; want only the title", got)
	}
	_, err = r.FindByID(e.ctx, int64(99), nil)
	wantNotFound(t, err, s.n(todoModel), "99")
	_, err = r.FindByID(e.ctx, int64(2), &filter.Filter{Where: where("title", filter.Eq, "x")})
	wantFault(t, err, fault.BadRequest)
	for id, want := range map[int64]bool{1: true, 5: true, 6: false} {
		if got, err := r.Exists(e.ctx, id); err != nil || got != want {
			t.Errorf("Exists(%d): got (%v, %v); want (%v, nil)", id, got, err, want)
		}
	}
}

func (s *suite) testCount(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	if n, err := r.Count(e.ctx, nil); err != nil || n != 0 {
		t.Errorf("empty Count: got (%d, %v); want (0, nil)", n, err)
	}
	e.seed(r)
	tests := []struct {
		w    *filter.Where
		want int64
	}{
		{nil, 5},
		{where("isComplete", filter.Eq, true), 2},
		{where("priority", filter.Gt, int64(2)), 3},
		{where("title", filter.Eq, "nothing"), 0},
	}
	for _, tt := range tests {
		if n, err := r.Count(e.ctx, tt.w); err != nil || n != tt.want {
			t.Errorf("Count(%v): got (%d, %v); want (%d, nil)", tt.w, n, err, tt.want)
		}
	}
}

func (s *suite) testUpdate(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	n, err := r.UpdateAll(e.ctx, connector.Record{"isComplete": true, "desc": nil}, where("isComplete", filter.Eq, false))
	if err != nil || n != 3 {
		t.Fatalf("UpdateAll: got (%d, %v); want (3, nil)", n, err)
	}
	if c, _ := r.Count(e.ctx, where("isComplete", filter.Eq, true)); c != 5 {
		t.Errorf("after UpdateAll: %d complete; want 5", c)
	}
	got, _ := r.FindByID(e.ctx, int64(1), nil)
	if got["desc"] != nil || got["title"] != "Take over the galaxy" {
		t.Errorf("after UpdateAll: got %v; want desc null and the title kept", got)
	}
	if n, err := r.UpdateAll(e.ctx, connector.Record{"priority": int64(9)}, where("title", filter.Eq, "nothing")); err != nil || n != 0 {
		t.Errorf("UpdateAll of nothing: got (%d, %v); want (0, nil)", n, err)
	}

	if err := r.UpdateByID(e.ctx, int64(2), connector.Record{"title": "destroy the death star", "priority": int64(7)}); err != nil {
		t.Fatal(err)
	}
	got, _ = r.FindByID(e.ctx, int64(2), nil)
	if got["title"] != "destroy the death star" || asInt(got["priority"]) != 7 || got["desc"] != "no survivors" {
		t.Errorf("after UpdateByID: got %v; want new title and priority, desc kept", got)
	}
	wantNotFound(t, r.UpdateByID(e.ctx, int64(99), connector.Record{"title": "x"}), s.n(todoModel), "99")
	fe := wantFault(t, r.UpdateByID(e.ctx, int64(2), connector.Record{}), fault.BadRequest)
	if fe.Code != "INVALID_BODY_DEFINITION" {
		t.Errorf("empty patch: got code %q; want INVALID_BODY_DEFINITION", fe.Code)
	}
	// As in LoopBack, an id in a partial update is ignored: ids never change.
	if err := r.UpdateByID(e.ctx, int64(2), connector.Record{"id": int64(3), "desc": "id ignored"}); err != nil {
		t.Errorf("UpdateByID with another id in the data: got %v; want it ignored", err)
	}
	if got, err := r.FindByID(e.ctx, int64(2), nil); err != nil || got["desc"] != "id ignored" {
		t.Errorf("after UpdateByID with another id: got %v, %v; want instance 2 updated", got, err)
	}
	if n, _ := r.Count(e.ctx, where("desc", filter.Eq, "id ignored")); n != 1 {
		t.Errorf("after UpdateByID with another id: %d instances updated; want 1", n)
	}

	got["title"] = "updated whole"
	if err := r.Update(e.ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := r.FindByID(e.ctx, int64(2), nil); again["title"] != "updated whole" {
		t.Errorf("after Update: got %v; want title updated whole", again)
	}
	wantNotFound(t, r.Update(e.ctx, connector.Record{"id": int64(42), "title": "x"}), s.n(todoModel), "42")
}

func (s *suite) testReplace(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	if err := r.ReplaceByID(e.ctx, int64(1), connector.Record{"title": "replaced", "priority": int64(8)}); err != nil {
		t.Fatal(err)
	}
	got, err := r.FindByID(e.ctx, int64(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got["title"] != "replaced" || asInt(got["priority"]) != 8 || asInt(got["id"]) != 1 {
		t.Errorf("after ReplaceByID: got %v; want title replaced, priority 8", got)
	}
	for _, k := range []string{"desc", "due", "address", "score"} {
		if v := got[k]; v != nil {
			t.Errorf("after ReplaceByID: %s = %v; want it cleared", k, v)
		}
	}
	wantNotFound(t, r.ReplaceByID(e.ctx, int64(99), connector.Record{"title": "x"}), s.n(todoModel), "99")
	if n, _ := r.Count(e.ctx, nil); n != 5 {
		t.Errorf("after ReplaceByID: %d instances; want 5", n)
	}
}

func (s *suite) testSave(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	created, err := r.Save(e.ctx, connector.Record{"title": "new"})
	if err != nil {
		t.Fatal(err)
	}
	if asInt(created["id"]) != 1 {
		t.Fatalf("Save without id: got %v; want it created with id 1", created)
	}
	created["title"] = "saved again"
	if _, err := r.Save(e.ctx, created); err != nil {
		t.Fatal(err)
	}
	got, _ := r.FindByID(e.ctx, int64(1), nil)
	if got["title"] != "saved again" {
		t.Errorf("after Save with id: got %v; want title saved again", got)
	}
	if n, _ := r.Count(e.ctx, nil); n != 1 {
		t.Errorf("after two saves: %d instances; want 1", n)
	}
	_, err = r.Save(e.ctx, connector.Record{"id": int64(77), "title": "x"})
	wantNotFound(t, err, s.n(todoModel), "77")
}

func (s *suite) testDelete(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	e.seed(r)
	if err := r.DeleteByID(e.ctx, int64(3)); err != nil {
		t.Fatal(err)
	}
	wantNotFound(t, r.DeleteByID(e.ctx, int64(3)), s.n(todoModel), "3")
	if err := r.Delete(e.ctx, connector.Record{"id": int64(4), "title": "ignored"}); err != nil {
		t.Fatal(err)
	}
	n, err := r.DeleteAll(e.ctx, where("isComplete", filter.Eq, false))
	if err != nil || n != 2 {
		t.Errorf("DeleteAll: got (%d, %v); want (2, nil)", n, err)
	}
	left, _ := r.Find(e.ctx, nil)
	if !slices.Equal(ids(left), []int64{2}) {
		t.Errorf("left: got ids %v; want [2]", ids(left))
	}
	if n, err := r.DeleteAll(e.ctx, nil); err != nil || n != 1 {
		t.Errorf("DeleteAll(nil): got (%d, %v); want (1, nil)", n, err)
	}
	if c, _ := r.Count(e.ctx, nil); c != 0 {
		t.Errorf("after DeleteAll: %d left; want 0", c)
	}
}

func (s *suite) testHidden(t *testing.T) {
	e := s.setup(t, s.noteDef())
	r := e.repo(s.noteDef())
	created, err := r.Create(e.ctx, connector.Record{"body": "b", "secret": "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, rec connector.Record) {
		t.Helper()
		if _, ok := rec["secret"]; ok {
			t.Errorf("%s: hidden property present: %v", where, rec)
		}
	}
	check("Create", created)
	_, err = r.Find(e.ctx, &filter.Filter{Fields: &filter.Fields{Include: []string{"id", "secret"}}})
	wantFault(t, err, fault.BadRequest)
	found, err := r.Find(e.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range found {
		check("Find", rec)
	}
	byID, err := r.FindByID(e.ctx, created["id"], nil)
	if err != nil {
		t.Fatal(err)
	}
	check("FindByID", byID)
	// A hidden property is not queryable through the repository (a where
	// on it would reveal its value)...
	_, err = r.Count(e.ctx, where("secret", filter.Eq, "s3cret"))
	wantFault(t, err, fault.BadRequest)
	// ...but it is stored.
	recs, err := e.conn.Find(e.ctx, s.noteDef(), &filter.Filter{Where: where("id", filter.Eq, created["id"])})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0]["secret"] != "s3cret" {
		t.Errorf("stored instance: got %v; want secret s3cret", recs)
	}
}

func (s *suite) testDefaultScope(t *testing.T) {
	e := s.setup(t, s.itemDef())
	r := e.repo(s.itemDef())
	for _, rec := range []connector.Record{
		{"name": "b", "archived": false}, {"name": "a", "archived": true}, {"name": "c", "archived": false}, {"name": "a2", "archived": false},
	} {
		if _, err := r.Create(e.ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	got, err := r.Find(e.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{4, 1, 3}; !slices.Equal(ids(got), want) {
		t.Errorf("Find with the default scope: got ids %v; want %v (not archived, by name)", ids(got), want)
	}
	got, err = r.Find(e.ctx, &filter.Filter{Order: []filter.Order{{Property: "id", Desc: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{4, 3, 1}; !slices.Equal(ids(got), want) {
		t.Errorf("Find with an order: got ids %v; want %v", ids(got), want)
	}
	if n, _ := r.Count(e.ctx, nil); n != 3 {
		t.Errorf("Count: got %d; want 3", n)
	}
	_, err = r.FindByID(e.ctx, int64(2), nil)
	wantNotFound(t, err, s.n(itemModel), "2")
	if n, _ := r.DeleteAll(e.ctx, nil); n != 3 {
		t.Errorf("DeleteAll: got %d; want 3 (the archived one is out of scope)", n)
	}
	if n, _ := e.conn.Count(e.ctx, s.itemDef(), nil); n != 1 {
		t.Errorf("connector Count: got %d; want 1", n)
	}
}
