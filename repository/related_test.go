package repository_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
)

func TestRelated(t *testing.T) {
	ctx := context.Background()
	repos := relationModels(t)
	related := func(model, rel string) interface {
		Find(context.Context, any, *filter.Filter) ([]connector.Record, error)
	} {
		r, err := repos[model].Related(rel)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	titleWhere := func(title string) *filter.Where {
		return &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: title}}}
	}

	t.Run("hasMany", func(t *testing.T) {
		todos, err := repos["TodoList"].Related("todos")
		if err != nil {
			t.Fatal(err)
		}
		got, err := todos.Find(ctx, int64(1), nil)
		if err != nil {
			t.Fatal(err)
		}
		if ts := titles(anyList(got)); !reflect.DeepEqual(ts, []string{"a", "c", "d"}) {
			t.Errorf("Find: got %v; want [a c d]", ts)
		}
		got, err = todos.Find(ctx, "2", &filter.Filter{Where: titleWhere("a")})
		if err != nil || len(got) != 0 {
			t.Errorf("Find with a where of another list's todo: got (%v, %v); want none", got, err)
		}
		created, err := todos.Create(ctx, int64(3), connector.Record{"title": "new"})
		if err != nil {
			t.Fatal(err)
		}
		if created["todoListId"] != 3.0 { // a JSON "number" property holds float64
			t.Errorf("Create: got todoListId %v; want 3", created["todoListId"])
		}
		_, err = todos.Create(ctx, int64(3), connector.Record{"title": "x", "todoListId": int64(1)})
		if !errors.Is(err, fault.BadRequest) {
			t.Errorf("Create with another foreign key: got %v; want BadRequest", err)
		}
		n, err := todos.UpdateAll(ctx, int64(1), connector.Record{"title": "z"}, titleWhere("c"))
		if err != nil || n != 1 {
			t.Errorf("UpdateAll: got (%d, %v); want (1, nil)", n, err)
		}
		n, err = todos.DeleteAll(ctx, int64(1), nil)
		if err != nil || n != 3 {
			t.Errorf("DeleteAll: got (%d, %v); want (3, nil)", n, err)
		}
		if left, _ := repos["Todo"].Count(ctx, nil); left != 3 {
			t.Errorf("todos left: got %d; want 3 (b, orphan, new)", left)
		}
	})
	t.Run("belongsTo", func(t *testing.T) {
		list, err := repos["Todo"].Related("todoList")
		if err != nil {
			t.Fatal(err)
		}
		got, err := list.Get(ctx, int64(2), nil)
		if err != nil || got["title"] != "home" {
			t.Errorf("Get: got (%v, %v); want home", got, err)
		}
		_, err = list.Get(ctx, int64(99), nil)
		if !errors.Is(err, fault.NotFound) {
			t.Errorf("Get of a missing todo: got %v; want NotFound", err)
		}
		if _, err := list.Create(ctx, int64(2), connector.Record{}); !errors.Is(err, fault.BadRequest) {
			t.Errorf("Create through belongsTo: got %v; want BadRequest", err)
		}
	})
	t.Run("hasOne", func(t *testing.T) {
		image, err := repos["TodoList"].Related("image")
		if err != nil {
			t.Fatal(err)
		}
		got, err := image.Get(ctx, int64(1), nil)
		if err != nil || got["url"] != "work.png" {
			t.Errorf("Get: got (%v, %v); want work.png", got, err)
		}
		_, err = image.Get(ctx, int64(2), nil)
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Message != `Entity not found: Image with id "constraint {\"todoListId\":2}"` {
			t.Errorf("Get without an image: got %v; want LoopBack's constraint message", err)
		}
	})
	t.Run("hasManyThrough", func(t *testing.T) {
		patients, err := repos["Doctor"].Related("patients")
		if err != nil {
			t.Fatal(err)
		}
		got, err := related("Doctor", "patients").Find(ctx, int64(1), nil)
		if err != nil {
			t.Fatal(err)
		}
		if ts := titles(anyList(got)); !reflect.DeepEqual(ts, []string{"p1", "p3"}) {
			t.Errorf("Find: got %v; want [p1 p3]", ts)
		}
		created, err := patients.Create(ctx, int64(2), connector.Record{"name": "p4"})
		if err != nil {
			t.Fatal(err)
		}
		links, _ := repos["Appointment"].Count(ctx, &filter.Where{Conds: []filter.Cond{
			{Path: "doctorId", Op: filter.Eq, Value: 2}, {Path: "patientId", Op: filter.Eq, Value: created["id"]}}})
		if links != 1 {
			t.Errorf("Create: got %d link instances; want 1", links)
		}
		got, _ = patients.Find(ctx, int64(2), nil)
		if ts := titles(anyList(got)); !reflect.DeepEqual(ts, []string{"p2", "p4"}) {
			t.Errorf("Find after Create: got %v; want [p2 p4]", ts)
		}
		n, err := patients.DeleteAll(ctx, int64(2), &filter.Where{Conds: []filter.Cond{{Path: "name", Op: filter.Eq, Value: "p4"}}})
		if err != nil || n != 1 {
			t.Errorf("DeleteAll: got (%d, %v); want (1, nil)", n, err)
		}
		if links, _ := repos["Appointment"].Count(ctx, nil); links != 3 {
			t.Errorf("links after DeleteAll: got %d; want 3", links)
		}
		n, err = patients.UpdateAll(ctx, int64(1), connector.Record{"name": "renamed"}, nil)
		if err != nil || n != 2 {
			t.Errorf("UpdateAll: got (%d, %v); want (2, nil)", n, err)
		}
	})
	t.Run("unknown relation", func(t *testing.T) {
		if _, err := repos["Todo"].Related("nope"); err == nil {
			t.Error("Related(nope): got nil error")
		}
	})
}

func anyList(recs []connector.Record) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		out[i] = map[string]any(r)
	}
	return out
}
