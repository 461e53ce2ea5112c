package sqltest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

func testAutoupdate(t *testing.T, c *sqlconn.Connector) {
	ctx := context.Background()
	suffix := Suffix()
	v1 := &model.Definition{Name: "Item", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
	}, Settings: model.Settings{Table: "item_" + suffix}}
	owner := &model.Definition{Name: "Owner", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
	}, Settings: model.Settings{Table: "owner_" + suffix}}
	t.Cleanup(func() {
		for _, d := range []*model.Definition{v1, owner} {
			tb, _ := c.Table(d)
			_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
		}
	})
	if err := c.Autoupdate(ctx, []*model.Definition{v1}); err != nil {
		t.Fatalf("Autoupdate (create): %v", err)
	}
	if _, err := c.Create(ctx, v1, connector.Record{"title": "kept"}); err != nil {
		t.Fatal(err)
	}
	v2 := &model.Definition{Name: "Item", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String, Index: true},
		{Name: "code", Type: model.String, Unique: true, Required: true},
		{Name: "ownerId", Type: model.Number, Integer: true},
	}, Relations: []*model.Relation{{Name: "owner", Type: model.BelongsTo, Target: "Owner", ForeignKey: "ownerId", OnDelete: model.Restrict}},
		Settings: model.Settings{Table: "item_" + suffix}}
	if err := c.Autoupdate(ctx, []*model.Definition{owner, v2}); err != nil {
		t.Fatalf("Autoupdate (alter): %v", err)
	}
	// Twice is harmless.
	if err := c.Autoupdate(ctx, []*model.Definition{owner, v2}); err != nil {
		t.Fatalf("Autoupdate (again): %v", err)
	}
	recs, err := c.Find(ctx, v2, nil)
	if err != nil || len(recs) != 1 || recs[0]["title"] != "kept" {
		t.Fatalf("after autoupdate: %v, %v; want the kept row", recs, err)
	}
	if _, err := c.Create(ctx, v2, connector.Record{"title": "new", "code": "c1"}); err != nil {
		t.Fatalf("create with new column: %v", err)
	}
	if _, err := c.Create(ctx, v2, connector.Record{"title": "dup", "code": "c1"}); !errors.Is(err, fault.Conflict) {
		t.Errorf("duplicate of new unique column: %v; want Conflict", err)
	}
	tb, _ := c.Table(v2)
	info, err := c.Dialect().Inspector().Table(ctx, c.DB(), tb.Schema, tb.Name)
	if err != nil || info == nil {
		t.Fatalf("inspect: %v", err)
	}
	if len(info.ForeignKeys) != 1 || info.ForeignKeys[0].TargetTable != "owner_"+suffix {
		t.Errorf("foreign keys = %+v; want one to owner_%s", info.ForeignKeys, suffix)
	}
	if _, err := c.Create(ctx, v2, connector.Record{"title": "orphan", "code": "c2", "ownerId": int64(77)}); !errors.Is(err, fault.Conflict) {
		t.Errorf("orphan after autoupdate: %v; want Conflict", err)
	}
	var idx []string
	for _, ix := range info.Indexes {
		idx = append(idx, fmt.Sprintf("%s:%v", strings.Join(ix.Columns, ","), ix.Unique))
	}
	for _, want := range []string{"title:false", "code:true"} {
		if !slices.Contains(idx, want) {
			t.Errorf("indexes %q; want %s", idx, want)
		}
	}
	if c.Dialect().InlineForeignKeys() {
		return // SQLite cannot drop a constraint
	}
	// Without onDelete the relation is an index only: autoupdate drops the
	// constraint it made, and an owner's rows no longer hold it back.
	v3 := *v2
	v3.Relations = []*model.Relation{{Name: "owner", Type: model.BelongsTo, Target: "Owner", ForeignKey: "ownerId"}}
	if err := c.Autoupdate(ctx, []*model.Definition{owner, &v3}); err != nil {
		t.Fatalf("Autoupdate (relation without onDelete): %v", err)
	}
	info, err = c.Dialect().Inspector().Table(ctx, c.DB(), tb.Schema, tb.Name)
	if err != nil || info == nil {
		t.Fatalf("inspect: %v", err)
	}
	if len(info.ForeignKeys) != 0 {
		t.Errorf("foreign keys after dropping onDelete: %+v; want none", info.ForeignKeys)
	}
	if _, err := c.Create(ctx, &v3, connector.Record{"title": "orphan", "code": "c3", "ownerId": int64(77)}); err != nil {
		t.Errorf("a row whose owner is missing, without a constraint: %v", err)
	}
	if err := c.Autoupdate(ctx, []*model.Definition{owner, &v3}); err != nil {
		t.Fatalf("Autoupdate (again, nothing to drop): %v", err)
	}
}

func testDiscovery(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	ct, _ := c.Table(f.customer)
	ot, _ := c.Table(f.order)
	models, err := c.DiscoverModels(ctx, connector.DiscoverOptions{Schema: ct.Schema})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, m := range models {
		found = append(found, m.Name)
	}
	for _, want := range []string{ct.Name, ot.Name} {
		if !slices.Contains(found, want) {
			t.Errorf("DiscoverModels = %q; want it to include %s", found, want)
		}
	}
	def, err := c.DiscoverDefinition(ctx, ct.Name, connector.DiscoverOptions{Schema: ct.Schema})
	if err != nil {
		t.Fatal(err)
	}
	props := map[string]*model.Property{}
	for _, p := range def.Properties {
		props[p.Name] = p
	}
	if p := props["id"]; p == nil || p.ID != 1 || !p.Generated || p.Type != model.Number || !p.Integer {
		t.Errorf("id = %+v; want generated integer id", p)
	}
	if p := props["emailAddress"]; p == nil || p.Type != model.String || p.Connector[c.Dialect().Name()]["columnName"] != "email_address" {
		t.Errorf("emailAddress = %+v; want string with columnName email_address", p)
	}
	if p := props["name"]; p == nil || !p.Required {
		t.Errorf("name = %+v; want required", p)
	}
	wantTypes := map[string]model.Type{"vip": model.Boolean, "joined": model.Date, "score": model.Number, "balance": model.Number, "photo": model.Buffer}
	if c.Dialect().Name() != "sqlite" { // SQLite stores JSON as TEXT
		wantTypes["address"] = model.Object
	}
	for name, typ := range wantTypes {
		if p := props[name]; p == nil || p.Type != typ {
			t.Errorf("%s = %+v; want type %s", name, p, typ)
		}
	}
	od, err := c.DiscoverDefinition(ctx, ot.Name, connector.DiscoverOptions{Schema: ot.Schema})
	if err != nil {
		t.Fatal(err)
	}
	if len(od.Relations) != 1 || od.Relations[0].Type != model.BelongsTo || od.Relations[0].Target != ct.Name || od.Relations[0].ForeignKey != "customerId" {
		t.Errorf("order relations = %+v; want belongsTo %s via customerId", od.Relations, ct.Name)
	} else if od.Relations[0].Name != "customer" {
		t.Errorf("relation name = %q; want customer", od.Relations[0].Name)
	}
	// Views are listed with opts.Views and described like tables.
	view := "v_customer_" + f.suffix
	b := sqlconn.NewBuilder(c.Dialect())
	b.WriteString("CREATE VIEW ")
	b.Ident(view)
	b.WriteString(" AS SELECT ")
	b.Ident("id")
	b.WriteString(", ")
	b.Ident("name")
	b.WriteString(" FROM ")
	b.TableRef(ct)
	if _, err := c.Execute(ctx, b.String()); err != nil {
		t.Fatalf("create view: %v", err)
	}
	t.Cleanup(func() {
		_, _ = c.DB().ExecContext(context.Background(), "DROP VIEW IF EXISTS "+c.Dialect().Quote(view))
	})
	models, err = c.DiscoverModels(ctx, connector.DiscoverOptions{Schema: ct.Schema, Views: true})
	if err != nil {
		t.Fatal(err)
	}
	var sawView bool
	for _, m := range models {
		if m.Name == view {
			sawView = m.Type == "view"
		}
		if m.Name == ct.Name && m.Type != "table" {
			t.Errorf("%s has type %q; want table", m.Name, m.Type)
		}
	}
	if !sawView {
		t.Errorf("DiscoverModels with views = %+v; want view %s", models, view)
	}
	vd, err := c.DiscoverDefinition(ctx, view, connector.DiscoverOptions{Schema: ct.Schema})
	if err != nil {
		t.Fatal(err)
	}
	if len(vd.Properties) != 2 || vd.Properties[1].Name != "name" || vd.Properties[1].Type != model.String {
		t.Errorf("view properties = %+v; want id and name", vd.Properties)
	}
	if _, err := c.DiscoverDefinition(ctx, "no_such_table_"+f.suffix, connector.DiscoverOptions{}); err == nil {
		t.Errorf("DiscoverDefinition of a missing table: nil error")
	}
}

// testOddNames stores a model whose table and column names hold quotes,
// backticks and spaces: identifiers are quoted, never spliced.
func testOddNames(t *testing.T, c *sqlconn.Connector) {
	ctx := context.Background()
	suffix := Suffix()
	odd := func(name string) map[string]map[string]any {
		s := map[string]any{"columnName": name}
		return map[string]map[string]any{"sqlite": s, "postgresql": s, "mysql": s}
	}
	def := &model.Definition{Name: "Odd", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "a", Type: model.String, Connector: odd(`it's "a"`)},
		{Name: "b", Type: model.String, Unique: true, Connector: odd("b`; DROP TABLE x; --")},
	}, Settings: model.Settings{Table: `odd "table" ` + "`" + suffix + "`'"}}
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatalf("Automigrate: %v", err)
	}
	t.Cleanup(func() {
		tb, _ := c.Table(def)
		_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
	})
	if _, err := c.Create(ctx, def, connector.Record{"a": "x", "b": "y"}); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := c.Create(ctx, def, connector.Record{"a": "x2", "b": "y"}); !errors.Is(err, fault.Conflict) {
		t.Errorf("duplicate b: %v; want Conflict", err)
	}
	recs, err := c.Find(ctx, def, &filter.Filter{Where: cond("b", filter.Eq, "y"), Order: []filter.Order{{Property: "a", Desc: true}}})
	if err != nil || len(recs) != 1 || recs[0]["a"] != "x" {
		t.Fatalf("Find = %v, %v; want one row", recs, err)
	}
	if n, err := c.UpdateAll(ctx, def, cond("a", filter.Like, "x%"), connector.Record{"b": "z"}); err != nil || n != 1 {
		t.Errorf("UpdateAll = %d, %v; want 1", n, err)
	}
	tb, _ := c.Table(def)
	info, err := c.Dialect().Inspector().Table(ctx, c.DB(), tb.Schema, tb.Name)
	if err != nil || info == nil || len(info.Columns) != 3 || info.Columns[1].Name != `it's "a"` {
		t.Errorf("inspect odd table = %+v, %v", info, err)
	}
}
