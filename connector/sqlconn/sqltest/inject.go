package sqltest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Fragments are SQL injection attempts used as values and names.
var Fragments = []string{
	`'; DROP TABLE canary; --`,
	`" OR 1=1 --`,
	"` OR 1=1 --",
	`Alice' OR '1'='1`,
	`1; DELETE FROM canary`,
	`name) OR (1=1`,
	`$1`, `?`, `\'`, "\x00",
	`name DESC; DROP TABLE canary`,
}

func testInjection(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	canary := &model.Definition{Name: "Canary", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "v", Type: model.String},
	}, Settings: model.Settings{Table: "canary_" + f.suffix}}
	if err := c.Automigrate(ctx, []*model.Definition{canary}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tb, _ := c.Table(canary)
		_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
	})
	if _, err := c.Create(ctx, canary, connector.Record{"v": "alive"}); err != nil {
		t.Fatal(err)
	}
	// rejected reports whether err is a client error (PostgreSQL refuses
	// NUL bytes in text, with 422); other errors fail the test.
	rejected := func(err error) bool {
		k := fault.KindOf(err)
		return err != nil && (k == fault.Invalid || k == fault.BadRequest)
	}
	stored := 0
	for _, frag := range Fragments {
		frag = strings.ReplaceAll(frag, "canary", "canary_"+f.suffix)
		// Values are inert: they match nothing and change nothing.
		for _, op := range []filter.Op{filter.Eq, filter.Neq, filter.Like, filter.Ilike, filter.Gt, filter.Inq} {
			v := any(frag)
			if op == filter.Inq {
				v = []any{frag}
			}
			recs, err := c.Find(ctx, f.customer, &filter.Filter{Where: cond("name", op, v)})
			if rejected(err) {
				continue
			}
			if err != nil {
				t.Errorf("value %q with %s: %v", frag, op, err)
				continue
			}
			if op == filter.Eq && len(recs) != 0 {
				t.Errorf("value %q matched %d rows; want 0", frag, len(recs))
			}
		}
		if _, err := c.Find(ctx, f.customer, &filter.Filter{Where: cond("address.city", filter.Eq, frag)}); err != nil && !rejected(err) {
			t.Errorf("nested value %q: %v", frag, err)
		}
		if _, err := c.Create(ctx, f.note, connector.Record{"title": frag}); err == nil {
			stored++
		} else if !rejected(err) {
			t.Errorf("create with %q: %v", frag, err)
		}
		// Names are rejected.
		bad := []*filter.Filter{
			{Where: cond(frag, filter.Eq, 1)},
			{Where: cond("address."+frag, filter.Eq, 1)},
			{Where: cond("name."+frag, filter.Eq, 1)},
			{Order: []filter.Order{{Property: frag}}},
			{Fields: &filter.Fields{Include: []string{frag}}},
			{Fields: &filter.Fields{Exclude: []string{frag}}},
		}
		for i, bf := range bad {
			if _, err := c.Find(ctx, f.customer, bf); !errors.Is(err, fault.BadRequest) {
				t.Errorf("name %q in filter %d: err = %v; want fault.BadRequest", frag, i, err)
			}
		}
		if _, err := c.UpdateAll(ctx, f.customer, cond(frag, filter.Eq, 1), connector.Record{"name": "x"}); !errors.Is(err, fault.BadRequest) {
			t.Errorf("UpdateAll with name %q: %v; want BadRequest", frag, err)
		}
		if _, err := c.DeleteAll(ctx, f.customer, cond(frag, filter.Eq, 1)); !errors.Is(err, fault.BadRequest) {
			t.Errorf("DeleteAll with name %q: %v; want BadRequest", frag, err)
		}
		// Include is the repository's business: the connector ignores it.
		if _, err := c.Find(ctx, f.customer, &filter.Filter{Include: []filter.Inclusion{{Relation: frag}}}); err != nil {
			t.Errorf("include %q: %v", frag, err)
		}
		// Unknown record keys never reach SQL.
		if _, err := c.Create(ctx, f.note, connector.Record{"title": "k", frag: "v"}); err != nil {
			t.Errorf("create with key %q: %v", frag, err)
		}
		stored++
	}
	if _, err := c.Find(ctx, f.customer, &filter.Filter{Where: cond("name", filter.Regexp, "(?")}); !errors.Is(err, fault.BadRequest) {
		t.Errorf("invalid regexp: %v; want BadRequest", err)
	}
	recs, err := c.Find(ctx, canary, nil)
	if err != nil {
		t.Fatalf("canary table: %v", err)
	}
	if len(recs) != 1 || recs[0]["v"] != "alive" {
		t.Fatalf("canary = %v; want one row 'alive'", recs)
	}
	if n, _ := c.Count(ctx, f.customer, nil); n != 4 {
		t.Errorf("customers = %d; want 4 (nothing deleted)", n)
	}
	n, _ := c.Count(ctx, f.note, nil)
	if n != int64(stored) || stored < 2*len(Fragments)-1 {
		t.Errorf("notes = %d (%d stored); want %d", n, stored, 2*len(Fragments)-1)
	}
}
