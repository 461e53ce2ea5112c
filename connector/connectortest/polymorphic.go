package connectortest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// The models of the polymorphic section: a deliverable is a letter or a
// parcel; a shipment has one deliverable (its deliverableType names which
// model holds it); a courier carries deliverables through courier items
// (each item's deliverableType names the model of the one it links).
const (
	deliverableModel = "Deliverable"
	letterModel      = "Letter"
	parcelModel      = "Parcel"
	shipmentModel    = "Shipment"
	courierModel     = "Courier"
	courierItemModel = "CourierItem"
)

// testPolymorphic checks polymorphic hasOne and hasManyThrough relations
// declared as LoopBack JSON models: inclusion finds each related instance
// in the model its discriminator names, with a scope; a discriminator that
// names no model of the relation includes nothing.
func (s *suite) testPolymorphic(t *testing.T) {
	var defs []*model.Definition
	for _, src := range []string{
		`{"name":"` + s.n(deliverableModel) + `","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string","shipmentId":"number"}}`,
		`{"name":"` + s.n(letterModel) + `","base":"` + s.n(deliverableModel) + `","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string","shipmentId":"number","weight":"number"}}`,
		`{"name":"` + s.n(parcelModel) + `","base":"` + s.n(deliverableModel) + `","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string","shipmentId":"number","size":"string"}}`,
		`{"name":"` + s.n(shipmentModel) + `","properties":{"id":{"type":"number","id":true,"generated":true},"deliverableType":"string"},
		  "relations":{"deliverable":{"type":"hasOne","model":"` + s.n(deliverableModel) + `","foreignKey":"shipmentId","polymorphic":true}}}`,
		`{"name":"` + s.n(courierItemModel) + `","properties":{"id":{"type":"number","id":true,"generated":true},"courierId":"number","deliverableId":"number","itemType":"string"}}`,
		`{"name":"` + s.n(courierModel) + `","properties":{"id":{"type":"number","id":true,"generated":true},"name":"string"},
		  "relations":{"deliverables":{"type":"hasManyThrough","model":"` + s.n(deliverableModel) + `",
		    "through":{"model":"` + s.n(courierItemModel) + `","keyFrom":"courierId","keyTo":"deliverableId","polymorphic":{"discriminator":"itemType"}}}}}`,
	} {
		def, err := model.Parse([]byte(src))
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, src)
		}
		defs = append(defs, def)
	}
	e := s.setup(t, defs...)
	var reg repository.Registry
	repos := map[string]*repository.Model{}
	for _, d := range defs {
		m := e.repo(d)
		if err := reg.Add(m); err != nil {
			t.Fatal(err)
		}
		repos[d.Name] = m
	}
	create := func(name string, recs ...connector.Record) {
		t.Helper()
		for _, r := range recs {
			if _, err := repos[s.n(name)].Create(e.ctx, r); err != nil {
				t.Fatalf("create %s %v: %v", name, r, err)
			}
		}
	}
	letter, parcel := s.n(letterModel), s.n(parcelModel)
	create(shipmentModel, connector.Record{"deliverableType": letter}, connector.Record{"deliverableType": parcel},
		connector.Record{"deliverableType": s.n(shipmentModel)}, connector.Record{})
	// Letter 1 and parcel 1 share an id: the discriminator tells them apart.
	create(letterModel, connector.Record{"name": "l1", "shipmentId": int64(1), "weight": 20.0}, connector.Record{"name": "l2", "shipmentId": int64(2)})
	create(parcelModel, connector.Record{"name": "p1", "shipmentId": int64(2), "size": "XL"}, connector.Record{"name": "p2", "shipmentId": int64(1)})
	create(courierModel, connector.Record{"name": "c1"}, connector.Record{"name": "c2"}, connector.Record{"name": "c3"})
	create(courierItemModel,
		connector.Record{"courierId": int64(1), "deliverableId": int64(2), "itemType": parcel},
		connector.Record{"courierId": int64(1), "deliverableId": int64(1), "itemType": letter},
		connector.Record{"courierId": int64(1), "deliverableId": int64(1), "itemType": "Nothing"},
		connector.Record{"courierId": int64(2), "deliverableId": int64(1), "itemType": parcel},
		connector.Record{"courierId": int64(2), "deliverableId": int64(99), "itemType": letter})

	name := func(v any) string {
		r, _ := v.(map[string]any)
		n, _ := r["name"].(string)
		return n
	}
	byID := &filter.Filter{Order: []filter.Order{{Property: "id"}}}
	withInc := func(rel string, scope *filter.Filter) *filter.Filter {
		f := *byID
		f.Include = []filter.Inclusion{{Relation: rel, Scope: scope}}
		return &f
	}

	ships, err := repos[s.n(shipmentModel)].Find(e.ctx, withInc("deliverable", nil))
	if err != nil {
		t.Fatalf("find shipments with their deliverable: %v", err)
	}
	var got []string
	for _, sh := range ships {
		got = append(got, name(sh["deliverable"]))
	}
	if want := []string{"l1", "p1", "", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("hasOne: shipments' deliverables: got %q; want %q", got, want)
	}
	if d, _ := ships[0]["deliverable"].(map[string]any); d["weight"] != 20.0 {
		t.Errorf("hasOne: shipment 1's letter: got %v; want weight 20", d)
	}
	if d, _ := ships[1]["deliverable"].(map[string]any); d["size"] != "XL" {
		t.Errorf("hasOne: shipment 2's parcel: got %v; want size XL", d)
	}
	scoped, err := repos[s.n(shipmentModel)].Find(e.ctx, withInc("deliverable", &filter.Filter{Fields: &filter.Fields{Include: []string{"name"}}}))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := scoped[1]["deliverable"].(map[string]any); !reflect.DeepEqual(d, map[string]any{"name": "p1"}) {
		t.Errorf("hasOne with scope fields [name]: got %v; want {name: p1}", d)
	}

	couriers, err := repos[s.n(courierModel)].Find(e.ctx, withInc("deliverables", nil))
	if err != nil {
		t.Fatalf("find couriers with their deliverables: %v", err)
	}
	names := func(v any) []string {
		out := []string{}
		list, _ := v.([]any)
		for _, x := range list {
			out = append(out, name(x))
		}
		return out
	}
	for i, want := range [][]string{{"p2", "l1"}, {"p1"}, {}} {
		if g := names(couriers[i]["deliverables"]); !reflect.DeepEqual(g, want) {
			t.Errorf("hasManyThrough: courier %d's deliverables: got %v; want %v (through order, each in its own model)", i+1, g, want)
		}
	}
	scopedC, err := repos[s.n(courierModel)].Find(e.ctx, withInc("deliverables", &filter.Filter{Where: where("name", filter.Neq, "p2")}))
	if err != nil {
		t.Fatal(err)
	}
	if g := names(scopedC[0]["deliverables"]); !reflect.DeepEqual(g, []string{"l1"}) {
		t.Errorf("hasManyThrough with a scope: courier 1's deliverables: got %v; want [l1]", g)
	}
	polymorphicAccessors(t, e, repos[s.n(shipmentModel)], repos[s.n(courierModel)])
}

// polymorphicAccessors checks the accessors of polymorphic relations:
// reads find the instances in the models the discriminators name, writes
// are refused with a 400 and change nothing.
func polymorphicAccessors(t *testing.T, e *env, shipments, couriers *repository.Model) {
	t.Helper()
	rel, err := shipments.Related("deliverable")
	if err != nil {
		t.Fatal(err)
	}
	if d, err := rel.Get(e.ctx, int64(2), nil); err != nil || d["size"] != "XL" {
		t.Errorf("Get shipment 2's deliverable: got %v, %v; want parcel p1", d, err)
	}
	var fe *fault.Error
	if d, err := rel.Get(e.ctx, int64(4), nil); !errors.As(err, &fe) || fe.Kind != fault.NotFound {
		t.Errorf("Get shipment 4's deliverable (no discriminator): got %v, %v; want a fault.NotFound", d, err)
	}
	if _, err := rel.Create(e.ctx, int64(4), connector.Record{"name": "x"}); !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
		t.Errorf("Create through a polymorphic hasOne: got %v; want a fault.BadRequest", err)
	}
	crel, err := couriers.Related("deliverables")
	if err != nil {
		t.Fatal(err)
	}
	found, err := crel.Find(e.ctx, int64(1), nil)
	if err != nil || len(found) != 2 || found[0]["name"] != "p2" || found[1]["name"] != "l1" {
		t.Errorf("Find courier 1's deliverables: got %v, %v; want p2, l1", found, err)
	}
	if _, err := crel.Link(e.ctx, int64(3), int64(1), nil); !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
		t.Errorf("Link through a polymorphic hasManyThrough: got %v; want a fault.BadRequest", err)
	}
	if found, err := crel.Find(e.ctx, int64(3), nil); err != nil || len(found) != 0 {
		t.Errorf("courier 3 after a refused link: got %v, %v; want none", found, err)
	}
}
