package model

import (
	"strings"
	"testing"
)

// TestPolymorphicHasOne checks a polymorphic hasOne relation from a struct
// tag and from JSON: the discriminator is a string property of the source.
func TestPolymorphicHasOne(t *testing.T) {
	type Deliverable struct {
		ID         int64 `json:"id" lb:"id,generated"`
		ShipmentID int64 `json:"shipmentId"`
	}
	type Shipment struct {
		ID              int64        `json:"id" lb:"id,generated"`
		DeliverableType string       `json:"deliverableType"`
		Deliverable     *Deliverable `json:"deliverable,omitempty" lb:"hasOne,keyTo=shipmentId,polymorphic"`
	}
	d, err := FromStruct[Shipment]()
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Relation("deliverable"); r == nil || r.Type != HasOne || r.Polymorphic != "deliverableType" {
		t.Errorf("struct tag: got %+v; want a hasOne with discriminator deliverableType", r)
	}
	j, err := Parse([]byte(`{"name":"Shipment","properties":{"id":{"type":"number","id":true},"kind":"string"},
		"relations":{"deliverable":{"type":"hasOne","model":"Deliverable","foreignKey":"shipmentId","polymorphic":{"discriminator":"kind"}}}}`))
	if err != nil || j.Relation("deliverable").Polymorphic != "kind" {
		t.Fatalf("JSON: got %v; want discriminator kind", err)
	}
	if _, err := Parse([]byte(`{"name":"Shipment","properties":{"id":{"type":"number","id":true}},
		"relations":{"deliverable":{"type":"hasOne","model":"Deliverable","polymorphic":true}}}`)); err == nil || !strings.Contains(err.Error(), "deliverableType") {
		t.Errorf("hasOne without its discriminator property: got %v; want an error naming deliverableType", err)
	}
}

// TestPolymorphicThrough checks a polymorphic hasManyThrough relation in
// JSON ("polymorphic" on the relation or inside "through"): the
// discriminator must be a string property of the through model, checked
// when the relation is resolved.
func TestPolymorphicThrough(t *testing.T) {
	for _, tt := range []struct {
		rel, through, want string
		ok                 bool
	}{
		{`"polymorphic":{"discriminator":"itemType"}`, "", "itemType", true},
		{``, `,"polymorphic":{"discriminator":"itemType"}`, "itemType", true},
		{`"polymorphic":true`, "", "deliverablesType", false},
		{``, `,"polymorphic":{"discriminator":"count"}`, "count", false},
	} {
		rel := `"type":"hasManyThrough","model":"Deliverable","through":{"model":"Item","keyFrom":"courierId","keyTo":"deliverableId"` + tt.through + `}`
		if tt.rel != "" {
			rel += "," + tt.rel
		}
		c, err := Parse([]byte(`{"name":"Courier","properties":{"id":{"type":"number","id":true}},"relations":{"deliverables":{` + rel + `}}}`))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if got := c.Relation("deliverables").Polymorphic; got != tt.want {
			t.Errorf("%s: discriminator %q; want %q", rel, got, tt.want)
		}
		var reg Registry
		for _, src := range []string{
			`{"name":"Deliverable","properties":{"id":{"type":"number","id":true}}}`,
			`{"name":"Item","properties":{"id":{"type":"number","id":true},"courierId":"number","deliverableId":"number","itemType":"string","count":"number"}}`,
		} {
			if err := reg.Add(mustParse(t, src)); err != nil {
				t.Fatal(err)
			}
		}
		if err := reg.Add(c); err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Resolve(c, "deliverables"); (err == nil) != tt.ok {
			t.Errorf("%s: Resolve: got %v; want ok %v", rel, err, tt.ok)
		}
	}
}

func mustParse(t *testing.T, src string) *Definition {
	t.Helper()
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
