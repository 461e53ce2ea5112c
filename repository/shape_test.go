package repository_test

import (
	"context"
	"errors"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

func shapeRepo(t *testing.T, src string) *repository.Model {
	t.Helper()
	def, err := model.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
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

func TestAppendJSON(t *testing.T) {
	m := shapeRepo(t, `{"name": "Todo", "settings": {"strict": false}, "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"title": "string", "secret": {"type": "string", "hidden": true}, "desc": {"type": "string", "nullable": true}}}`)
	rec := connector.Record{"zeta": int64(1), "desc": nil, "alpha": "a", "secret": "s", "title": "t", "id": int64(7)}
	got, err := m.AppendJSON(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	// Properties in declaration order, the hidden one left out, then the
	// other keys sorted; without a registry nothing is a relation.
	if want := `{"id":7,"title":"t","desc":null,"alpha":"a","zeta":1}`; string(got) != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

func TestShapeOfCreate(t *testing.T) {
	m := shapeRepo(t, `{"name": "Todo", "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"title": "string", "desc": "string", "note": {"type": "string", "nullable": true}}}`)
	got, err := m.Create(context.Background(), connector.Record{"title": "t", "desc": nil})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["desc"]; ok {
		t.Errorf("desc sent as null: got %v; want it left out (not nullable)", got["desc"])
	}
	if v, ok := got["note"]; !ok || v != nil {
		t.Errorf("note never sent: got %v (present %v); want null (nullable)", v, ok)
	}
}

func TestForeignKeyWithoutRegistry(t *testing.T) {
	m := shapeRepo(t, `{"name": "Todo", "properties": {
		"id": {"type": "number", "id": true, "generated": true}, "todoListId": "number"},
		"relations": {"todoList": {"type": "belongsTo", "model": "TodoList", "foreignKey": "todoListId"}}}`)
	// Outside a registry the target is unknown: the data source decides
	// (the memory connector keeps the instance).
	if _, err := m.Create(context.Background(), connector.Record{"todoListId": int64(99)}); err != nil {
		t.Errorf("create outside a registry: %v", err)
	}
}

func TestCreateThroughMissingSource(t *testing.T) {
	ctx := context.Background()
	repos := relationModels(t)
	patients, err := repos["Doctor"].Related("patients")
	if err != nil {
		t.Fatal(err)
	}
	_, err = patients.Create(ctx, int64(99), connector.Record{"name": "nobody's"})
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Code != "ENTITY_NOT_FOUND" || fe.Message != "Entity not found: Doctor with id 99" {
		t.Errorf("hasManyThrough create under a missing doctor: got %v; want ENTITY_NOT_FOUND naming Doctor 99", err)
	}
	for name, want := range map[string]int64{"Patient": 3, "Appointment": 3} {
		if n, err := repos[name].Count(ctx, nil); err != nil || n != want {
			t.Errorf("%s after the refused create: got (%d, %v); want %d", name, n, err, want)
		}
	}
	image, err := repos["TodoList"].Related("image")
	if err != nil {
		t.Fatal(err)
	}
	_, err = image.Create(ctx, int64(1), connector.Record{"url": "second.png"})
	if !errors.Is(err, fault.Conflict) {
		t.Errorf("a second hasOne image: got %v; want a conflict", err)
	}
	if _, err := image.Create(ctx, int64(2), connector.Record{"url": "home.png"}); err != nil {
		t.Errorf("the first image of list 2: %v", err)
	}
}
