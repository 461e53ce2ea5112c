package memory

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// fuzzDef has one property of each type, so that adoption converts every
// kind of value.
func fuzzDef(name string) *model.Definition {
	return &model.Definition{
		Name: name,
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "title", Type: model.String},
			{Name: "n", Type: model.Number, Integer: true},
			{Name: "when", Type: model.Date},
			{Name: "blob", Type: model.Buffer},
			{Name: "obj", Type: model.Object, Properties: []*model.Property{{Name: "at", Type: model.Date}}},
			{Name: "list", Type: model.Array, Items: &model.Property{Type: model.Number, Integer: true}},
		},
	}
}

// FuzzParseDB loads arbitrary db.json files: parsing never panics, and a
// file that parses can be queried, written back and parsed again with the
// same instances.
func FuzzParseDB(f *testing.F) {
	if data, err := os.ReadFile("testdata/lb4-todo.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"ids":{"T":3},"models":{"T":{"1":"{\"id\":1,\"when\":\"2026-01-01T00:00:00.000Z\",\"blob\":\"AAE=\"}","x":"{\"title\":\"str key\"}"}}}`))
	f.Add([]byte(`{"ids":{},"models":{},"kv":{"S":{"a":{"value":{"n":1,"at":"2026-01-01T00:00:00.000Z"}},"b":{"value":{},"expires":99999999999999}}}}`))
	f.Add([]byte(`{"models":{"T":{"2":"{\"blob\":{\"type\":\"Buffer\",\"data\":[1,2,300]},\"obj\":{\"at\":\"bad\"},\"list\":[1.5,2]}"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tables, err := parseDB(data)
		if err != nil {
			return
		}
		now := time.Now()
		kv, err := parseKV(data, now)
		if err != nil {
			return
		}
		c := &Connector{gate: make(chan struct{}, 1), tables: tables, kv: kv, now: func() time.Time { return now }}
		ctx := context.Background()
		counts := map[string]int{}
		for name := range tables {
			recs, err := c.Find(ctx, fuzzDef(name), &filter.Filter{Order: []filter.Order{{Property: "title"}}})
			if err != nil {
				t.Fatalf("Find %s: %v", name, err)
			}
			counts[name] = len(recs)
		}
		out, err := c.encodeDB()
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := parseDB(out)
		if err != nil {
			t.Fatalf("re-parse of the written file: %v\n%s", err, out)
		}
		for name, n := range counts {
			if got := len(again[name].raw); got != n {
				t.Fatalf("%s: %d instances after a round trip; want %d", name, got, n)
			}
		}
		kvAgain, err := parseKV(out, now)
		if err != nil {
			t.Fatalf("re-parse of the written key-value data: %v\n%s", err, out)
		}
		for name, m := range kv {
			if got := len(kvAgain[name]); got != len(m) {
				t.Fatalf("kv %s: %d keys after a round trip; want %d", name, got, len(m))
			}
		}
	})
}
