package repository_test

import (
	"context"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// BenchmarkIncludePolymorphicHasOne compares including a polymorphic
// hasOne relation (100 shipments, half with a letter, half with a parcel:
// one query per model named) with including a plain hasOne relation over
// the same data (one query).
func BenchmarkIncludePolymorphicHasOne(b *testing.B) {
	for _, poly := range []bool{false, true} {
		name := "plain"
		rel := `"deliverable":{"type":"hasOne","model":"Letter","foreignKey":"shipmentId"}`
		if poly {
			name = "polymorphic"
			rel = `"deliverable":{"type":"hasOne","model":"Deliverable","foreignKey":"shipmentId","polymorphic":true}`
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			conn, _ := memory.New(memory.Config{})
			defer conn.Close()
			var reg repository.Registry
			repos := map[string]*repository.Model{}
			for _, src := range []string{
				`{"name":"Deliverable","properties":{"id":{"type":"number","id":true,"generated":true},"shipmentId":"number"}}`,
				`{"name":"Letter","base":"Deliverable","properties":{"id":{"type":"number","id":true,"generated":true},"shipmentId":"number"}}`,
				`{"name":"Parcel","base":"Deliverable","properties":{"id":{"type":"number","id":true,"generated":true},"shipmentId":"number"}}`,
				`{"name":"Shipment","properties":{"id":{"type":"number","id":true,"generated":true},"deliverableType":"string"},"relations":{` + rel + `}}`,
			} {
				def, err := model.Parse([]byte(src))
				if err != nil {
					b.Fatal(err)
				}
				m, err := repository.NewModel(conn, def)
				if err != nil {
					b.Fatal(err)
				}
				if err := reg.Add(m); err != nil {
					b.Fatal(err)
				}
				repos[def.Name] = m
			}
			for i := 1; i <= 100; i++ {
				typ := "Letter"
				if poly && i%2 == 0 {
					typ = "Parcel"
				}
				if _, err := repos["Shipment"].Create(ctx, connector.Record{"deliverableType": typ}); err != nil {
					b.Fatal(err)
				}
				if _, err := repos[typ].Create(ctx, connector.Record{"shipmentId": i}); err != nil {
					b.Fatal(err)
				}
			}
			f := &filter.Filter{Include: []filter.Inclusion{{Relation: "deliverable"}}}
			b.ResetTimer()
			for b.Loop() {
				recs, err := repos["Shipment"].Find(ctx, f)
				if err != nil || len(recs) != 100 || recs[99]["deliverable"] == nil {
					b.Fatalf("find: %d, %v", len(recs), err)
				}
			}
		})
	}
}
