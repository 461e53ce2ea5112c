package repository_test

import (
	"context"
	"errors"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

func TestPolymorphicBelongsTo(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	var reg repository.Registry
	repos := map[string]*repository.Model{}
	for _, src := range []string{
		`{"name":"Delivery","properties":{"id":{"type":"number","id":true,"generated":true}}}`,
		`{"name":"Letter","base":"Delivery","properties":{"id":{"type":"number","id":true,"generated":true},"weight":"number"}}`,
		`{"name":"Parcel","base":"Delivery","properties":{"id":{"type":"number","id":true,"generated":true},"size":"string"}}`,
		`{"name":"Order","properties":{"id":{"type":"number","id":true,"generated":true},"deliveryId":"number","deliveryType":"string"},
		  "relations":{"delivery":{"type":"belongsTo","model":"Delivery","foreignKey":"deliveryId","polymorphic":true}}}`,
	} {
		def, err := model.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := repository.NewModel(conn, def)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Add(m); err != nil {
			t.Fatal(err)
		}
		repos[def.Name] = m
	}
	create := func(name string, r connector.Record) error {
		_, err := repos[name].Create(ctx, r)
		return err
	}
	for _, c := range []struct {
		m string
		r connector.Record
	}{
		{"Letter", connector.Record{"weight": 20.0}},
		{"Parcel", connector.Record{"size": "XL"}},
		{"Order", connector.Record{"deliveryId": 1, "deliveryType": "Letter"}},
		{"Order", connector.Record{"deliveryId": 1, "deliveryType": "Parcel"}},
		{"Order", connector.Record{}},
	} {
		if err := create(c.m, c.r); err != nil {
			t.Fatalf("create %s %v: %v", c.m, c.r, err)
		}
	}
	kind := func(err error) any {
		var fe *fault.Error
		if errors.As(err, &fe) {
			return fe.Kind
		}
		return err
	}
	if err := create("Order", connector.Record{"deliveryId": 99, "deliveryType": "Letter"}); kind(err) != fault.NotFound {
		t.Errorf("an order of a missing letter: got %v; want a fault.NotFound", err)
	}
	if err := create("Order", connector.Record{"deliveryId": 1, "deliveryType": "Order"}); kind(err) != fault.BadRequest {
		t.Errorf("an order whose delivery type is not a Delivery: got %v; want a fault.BadRequest", err)
	}

	got, err := repos["Order"].Find(ctx, &filter.Filter{Include: []filter.Inclusion{{Relation: "delivery"}}})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := got[0]["delivery"].(map[string]any); d == nil || d["weight"] != 20.0 {
		t.Errorf("order 1 delivery: got %v; want letter 1", got[0]["delivery"])
	}
	if d, _ := got[1]["delivery"].(map[string]any); d == nil || d["size"] != "XL" {
		t.Errorf("order 2 delivery: got %v; want parcel 1", got[1]["delivery"])
	}
	if _, ok := got[2]["delivery"]; ok {
		t.Errorf("order 3 (no delivery): got %v; want none", got[2]["delivery"])
	}

	rel, err := repos["Order"].Related("delivery")
	if err != nil {
		t.Fatal(err)
	}
	if d, err := rel.Get(ctx, int64(2), nil); err != nil || d["size"] != "XL" {
		t.Errorf("Get order 2's delivery: got %v, %v; want parcel 1", d, err)
	}
	if d, err := rel.Get(ctx, int64(3), nil); err != nil || d != nil {
		t.Errorf("Get order 3's delivery: got %v, %v; want nil, nil", d, err)
	}
}
