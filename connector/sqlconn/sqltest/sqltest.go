// Package sqltest is the test kit of the SQL connectors: it runs the same
// tests of filter compilation, type mapping, errors, transactions,
// migration, discovery and injection resistance against a real SQLite,
// PostgreSQL or MySQL database. The connector-independent behaviour is
// covered by connector/connectortest; this kit covers what is specific to
// SQL.
package sqltest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Suffix returns a random suffix for table, schema or database names.
func Suffix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// SkipOrFail skips the test with msg, or fails it when CI=true (the real
// servers must be there in CI).
func SkipOrFail(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: the server must be available)", msg)
	}
	t.Skip(msg)
}

// fixture is a migrated database with the kit's models and seed data.
type fixture struct {
	c                     *sqlconn.Connector
	customer, order, note *model.Definition
	ids                   map[string]int64
	suffix                string
}

var (
	t1 = time.Date(2024, 1, 2, 3, 4, 5, 123000000, time.UTC)
	t2 = time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
)

func seed() []connector.Record {
	return []connector.Record{
		{"name": "Alice", "email": "a@x.io", "age": int64(30), "score": 1.5, "balance": 100.25, "vip": true, "joined": t1,
			"address": map[string]any{"city": "Paris", "zip": float64(75001), "geo": map[string]any{"lat": 48.8}},
			"tags":    []any{"a", "b"}, "extra": map[string]any{"k": float64(1), "when": "2024-01-02T03:04:05.123Z"}, "photo": []byte{1, 2, 3}},
		{"name": "bob", "email": "b@x.io", "age": int64(25), "score": 2.5, "balance": 50.0, "vip": false, "joined": t2,
			"address": map[string]any{"city": "Berlin", "zip": float64(10115)}, "tags": []any{}, "extra": "s"},
		{"name": "Carol", "email": nil, "age": nil, "score": nil, "vip": nil, "joined": nil, "address": nil},
		{"name": "dave_100%", "email": "d@x.io", "age": int64(40), "score": 10.0, "vip": true,
			"address": map[string]any{"city": "paris", "zip": float64(75002)}},
	}
}

func setup(t *testing.T, c *sqlconn.Connector) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{c: c, ids: map[string]int64{}, suffix: Suffix()}
	f.customer, f.order, f.note = Models(f.suffix)
	defs := []*model.Definition{f.customer, f.order, f.note}
	if err := c.Automigrate(ctx, defs); err != nil {
		t.Fatalf("Automigrate: %v", err)
	}
	t.Cleanup(func() {
		for _, def := range []*model.Definition{f.order, f.customer, f.note} {
			tb, _ := c.Table(def)
			if _, err := c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb)); err != nil {
				t.Logf("drop %s: %v", tb.Name, err)
			}
		}
	})
	for _, rec := range seed() {
		out, err := c.Create(ctx, f.customer, rec)
		if err != nil {
			t.Fatalf("Create %v: %v", rec["name"], err)
		}
		id, ok := out["id"].(int64)
		if !ok || id <= 0 {
			t.Fatalf("Create returned id %#v; want a positive int64", out["id"])
		}
		f.ids[rec["name"].(string)] = id
	}
	return f
}

func names(recs []connector.Record) []string {
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		s, _ := r["name"].(string)
		out = append(out, s)
	}
	return out
}

func cond(path string, op filter.Op, v any) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: path, Op: op, Value: v}}}
}

// Run runs the kit against the connector open returns; open is called once
// per subtest group and the connector is closed by the kit.
func Run(t *testing.T, open func(t *testing.T) *sqlconn.Connector) {
	t.Run("Where", func(t *testing.T) { testWhere(t, open(t)) })
	t.Run("Query", func(t *testing.T) { testQuery(t, open(t)) })
	t.Run("Types", func(t *testing.T) { testTypes(t, open(t)) })
	t.Run("Errors", func(t *testing.T) { testErrors(t, open(t)) })
	t.Run("Transactions", func(t *testing.T) { testTx(t, open(t)) })
	t.Run("Injection", func(t *testing.T) { testInjection(t, open(t)) })
	t.Run("Autoupdate", func(t *testing.T) { testAutoupdate(t, open(t)) })
	t.Run("Discovery", func(t *testing.T) { testDiscovery(t, open(t)) })
	t.Run("Execute", func(t *testing.T) { testExecute(t, open(t)) })
	t.Run("OddNames", func(t *testing.T) { testOddNames(t, open(t)) })
	t.Run("WireInjection", func(t *testing.T) { RunWireInjection(t, open(t)) })
	t.Run("Unicode", func(t *testing.T) { testUnicode(t, open(t)) })
	t.Run("Refusals", func(t *testing.T) { testRefusals(t, open(t)) })
	t.Run("Regexp", func(t *testing.T) { testRegexp(t, open(t)) })
}

// testUnicode checks that ilike and like treat non-ASCII text alike on
// every engine.
func testUnicode(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	for _, title := range []string{"Émile Zola", "ÉCOLE", "straße", "日本語"} {
		if _, err := c.Create(ctx, f.note, connector.Record{"title": title}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		w    *filter.Where
		want []string
	}{
		{cond("title", filter.Ilike, "émile%"), []string{"Émile Zola"}},
		{cond("title", filter.Ilike, "%COLE"), []string{"ÉCOLE"}},
		{cond("title", filter.Like, "é%"), []string{}},
		{cond("title", filter.Like, "%本%"), []string{"日本語"}},
		{cond("title", filter.Like, "日_語"), []string{"日本語"}},
		{cond("title", filter.Like, "stra_e"), []string{"straße"}},
		{cond("title", filter.Nilike, "é%"), []string{"straße", "日本語"}},
		{cond("title", filter.Regexp, &filter.RegexpValue{Pattern: "^é", Flags: "i"}), []string{"Émile Zola", "ÉCOLE"}},
	}
	for _, tt := range tests {
		recs, err := c.Find(ctx, f.note, &filter.Filter{Where: tt.w, Order: []filter.Order{{Property: "title"}}})
		if err != nil {
			t.Fatalf("%+v: %v", tt.w.Conds[0], err)
		}
		got := make([]string, 0, len(recs))
		for _, r := range recs {
			got = append(got, r["title"].(string))
		}
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%+v: got %q; want %q", tt.w.Conds[0], got, want)
		}
	}
}

func testWhere(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	tests := []struct {
		name string
		w    *filter.Where
		want []string
	}{
		{"eq", cond("name", filter.Eq, "Alice"), []string{"Alice"}},
		{"implicit eq", cond("name", "", "bob"), []string{"bob"}},
		{"gt", cond("age", filter.Gt, int64(25)), []string{"Alice", "dave_100%"}},
		{"gte", cond("age", filter.Gte, int64(25)), []string{"Alice", "bob", "dave_100%"}},
		{"lt", cond("age", filter.Lt, int64(30)), []string{"bob"}},
		{"lte", cond("age", filter.Lte, int64(30)), []string{"Alice", "bob"}},
		{"neq keeps nulls", cond("age", filter.Neq, int64(30)), []string{"bob", "Carol", "dave_100%"}},
		{"eq null", cond("age", filter.Eq, nil), []string{"Carol"}},
		{"neq null", cond("age", filter.Neq, nil), []string{"Alice", "bob", "dave_100%"}},
		{"inq", cond("age", filter.Inq, []any{int64(25), int64(40)}), []string{"bob", "dave_100%"}},
		{"inq empty", cond("age", filter.Inq, []any{}), []string{}},
		{"nin empty", cond("age", filter.Nin, []any{}), []string{"Alice", "bob", "Carol", "dave_100%"}},
		{"nin", cond("age", filter.Nin, []any{int64(25)}), []string{"Alice", "Carol", "dave_100%"}},
		{"inq with null", cond("age", filter.Inq, []any{nil, int64(25)}), []string{"bob", "Carol"}},
		{"nin with null", cond("age", filter.Nin, []any{nil, int64(25)}), []string{"Alice", "dave_100%"}},
		{"inq only null", cond("age", filter.Inq, []any{nil}), []string{"Carol"}},
		{"nin only null", cond("age", filter.Nin, []any{nil}), []string{"Alice", "bob", "dave_100%"}},
		{"between", cond("age", filter.Between, []any{int64(25), int64(30)}), []string{"Alice", "bob"}},
		{"exists", cond("age", filter.Exists, true), []string{"Alice", "bob", "dave_100%"}},
		{"not exists", cond("age", filter.Exists, false), []string{"Carol"}},
		{"like is case-sensitive", cond("name", filter.Like, "A%"), []string{"Alice"}},
		{"like underscore", cond("name", filter.Like, "dave_1%"), []string{"dave_100%"}},
		{"like inner", cond("name", filter.Like, "%o%"), []string{"bob", "Carol"}},
		{"like escapes", cond("name", filter.Like, `dave\_100\%`), []string{"dave_100%"}},
		{"like escaped percent", cond("name", filter.Like, `%\%`), []string{"dave_100%"}},
		{"like escaped underscore", cond("name", filter.Like, `%\_%`), []string{"dave_100%"}},
		{"ilike escapes", cond("name", filter.Ilike, `DAVE\_%`), []string{"dave_100%"}},
		{"nlike", cond("name", filter.Nlike, "A%"), []string{"bob", "Carol", "dave_100%"}},
		{"ilike", cond("name", filter.Ilike, "a%"), []string{"Alice"}},
		{"nilike", cond("name", filter.Nilike, "A%"), []string{"bob", "Carol", "dave_100%"}},
		{"regexp", cond("name", filter.Regexp, &filter.RegexpValue{Pattern: "^b"}), []string{"bob"}},
		{"regexp case-sensitive", cond("name", filter.Regexp, &filter.RegexpValue{Pattern: "^B"}), []string{}},
		{"regexp i", cond("name", filter.Regexp, &filter.RegexpValue{Pattern: "^B", Flags: "i"}), []string{"bob"}},
		{"regexp string form", cond("name", filter.Regexp, "/^c/i"), []string{"Carol"}},
		{"regexp class", cond("name", filter.Regexp, &filter.RegexpValue{Pattern: "^[A-C]"}), []string{"Alice", "Carol"}},
		{"bool true", cond("vip", filter.Eq, true), []string{"Alice", "dave_100%"}},
		{"bool false", cond("vip", filter.Eq, false), []string{"bob"}},
		{"date gt", cond("joined", filter.Gt, time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)), []string{"Alice"}},
		{"date eq", cond("joined", filter.Eq, t1), []string{"Alice"}},
		{"decimal between", cond("balance", filter.Between, []any{50.0, 100.25}), []string{"Alice", "bob"}},
		{"float lt", cond("score", filter.Lt, 2.0), []string{"Alice"}},
		{"nested eq", cond("address.city", filter.Eq, "Paris"), []string{"Alice"}},
		{"nested number", cond("address.zip", filter.Gt, float64(75001)), []string{"dave_100%"}},
		{"nested deep", cond("address.geo.lat", filter.Gt, 40.0), []string{"Alice"}},
		{"nested inq", cond("address.city", filter.Inq, []any{"Berlin", "paris"}), []string{"bob", "dave_100%"}},
		{"nested like", cond("address.city", filter.Like, "P%"), []string{"Alice"}},
		{"nested date", cond("extra.when", filter.Lt, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)), []string{"Alice"}},
		{"nested exists", cond("address.city", filter.Exists, true), []string{"Alice", "bob", "dave_100%"}},
		{"or", &filter.Where{Or: []*filter.Where{cond("name", filter.Eq, "Alice"), cond("age", filter.Eq, int64(25))}}, []string{"Alice", "bob"}},
		{"and with or", &filter.Where{And: []*filter.Where{cond("age", filter.Gt, int64(20)),
			{Or: []*filter.Where{cond("vip", filter.Eq, true), cond("name", filter.Eq, "bob")}}}}, []string{"Alice", "bob", "dave_100%"}},
		{"conds and or", &filter.Where{Conds: []filter.Cond{{Path: "vip", Op: filter.Eq, Value: true}},
			Or: []*filter.Where{cond("age", filter.Eq, int64(30)), cond("age", filter.Eq, int64(25))}}, []string{"Alice"}},
		{"empty and", &filter.Where{And: []*filter.Where{{}}}, []string{"Alice", "bob", "Carol", "dave_100%"}},
		{"empty or branch", &filter.Where{Or: []*filter.Where{{}, cond("name", filter.Eq, "x")}}, []string{"Alice", "bob", "Carol", "dave_100%"}},
		{"nil", nil, []string{"Alice", "bob", "Carol", "dave_100%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := c.Find(ctx, f.customer, &filter.Filter{Where: tt.w})
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if got := names(recs); !slices.Equal(got, tt.want) {
				t.Errorf("got %q; want %q", got, tt.want)
			}
			n, err := c.Count(ctx, f.customer, tt.w)
			if err != nil {
				t.Fatalf("Count: %v", err)
			}
			if n != int64(len(tt.want)) {
				t.Errorf("Count = %d; want %d", n, len(tt.want))
			}
		})
	}
}

func testQuery(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	t.Run("order limit skip", func(t *testing.T) {
		recs, err := c.Find(ctx, f.customer, &filter.Filter{Order: []filter.Order{{Property: "age", Desc: true}, {Property: "name"}}, Limit: 2, Skip: 1})
		if err != nil {
			t.Fatal(err)
		}
		// NULL sorts first or last depending on the engine; only check the rows around it.
		got := names(recs)
		if len(got) != 2 {
			t.Fatalf("got %q; want 2 rows", got)
		}
		if !slices.Contains(got, "Alice") {
			t.Errorf("got %q; want Alice among rows 2-3 of age DESC", got)
		}
	})
	t.Run("skip without limit", func(t *testing.T) {
		recs, err := c.Find(ctx, f.customer, &filter.Filter{Skip: 3})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(recs); !slices.Equal(got, []string{"dave_100%"}) {
			t.Errorf("got %q; want [dave_100%%]", got)
		}
	})
	t.Run("fields include", func(t *testing.T) {
		recs, err := c.Find(ctx, f.customer, &filter.Filter{Fields: &filter.Fields{Include: []string{"name"}}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || len(recs[0]) != 1 || recs[0]["name"] != "Alice" {
			t.Errorf("got %v; want [{name: Alice}]", recs)
		}
	})
	t.Run("fields exclude", func(t *testing.T) {
		recs, err := c.Find(ctx, f.customer, &filter.Filter{Fields: &filter.Fields{Exclude: []string{"photo", "extra"}}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := recs[0]["photo"]; ok {
			t.Errorf("excluded photo is present: %v", recs[0])
		}
		if recs[0]["email"] != "a@x.io" {
			t.Errorf("email = %v; want a@x.io", recs[0]["email"])
		}
	})
	t.Run("update all", func(t *testing.T) {
		n, err := c.UpdateAll(ctx, f.customer, cond("vip", filter.Eq, true), connector.Record{"score": 99.0, "unknown": 1})
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("UpdateAll = %d; want 2", n)
		}
		// Setting a value that does not change still counts the match.
		n, err = c.UpdateAll(ctx, f.customer, cond("vip", filter.Eq, true), connector.Record{"score": 99.0})
		if err != nil || n != 2 {
			t.Errorf("UpdateAll (unchanged) = %d, %v; want 2", n, err)
		}
		cnt, _ := c.Count(ctx, f.customer, cond("score", filter.Eq, 99.0))
		if cnt != 2 {
			t.Errorf("count after update = %d; want 2", cnt)
		}
	})
	t.Run("replace", func(t *testing.T) {
		id := f.ids["bob"]
		if err := c.ReplaceByID(ctx, f.customer, id, connector.Record{"id": id, "name": "Bobby"}); err != nil {
			t.Fatal(err)
		}
		recs, _ := c.Find(ctx, f.customer, &filter.Filter{Where: cond("id", filter.Eq, id)})
		if len(recs) != 1 || recs[0]["name"] != "Bobby" || recs[0]["age"] != nil {
			t.Errorf("after replace got %v; want name Bobby and null age", recs)
		}
		err := c.ReplaceByID(ctx, f.customer, int64(987654), connector.Record{"name": "x"})
		if !errors.Is(err, fault.NotFound) {
			t.Errorf("ReplaceByID missing = %v; want fault.NotFound", err)
		}
	})
	t.Run("delete all", func(t *testing.T) {
		n, err := c.DeleteAll(ctx, f.customer, cond("age", filter.Exists, false))
		if err != nil || n != 2 { // Carol, and Bobby whose age replace set to null
			t.Errorf("DeleteAll = %d, %v; want 2", n, err)
		}
		n, _ = c.Count(ctx, f.customer, nil)
		if n != 2 {
			t.Errorf("Count after delete = %d; want 2", n)
		}
	})
	t.Run("explicit id then generated", func(t *testing.T) {
		if _, err := c.Create(ctx, f.customer, connector.Record{"id": int64(1000), "name": "Explicit"}); err != nil {
			t.Fatal(err)
		}
		out, err := c.Create(ctx, f.customer, connector.Record{"name": "Next"})
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := out["id"].(int64); id <= 1000 {
			t.Errorf("generated id after explicit 1000 = %v; want > 1000", out["id"])
		}
	})
	t.Run("uuid id", func(t *testing.T) {
		out, err := c.Create(ctx, f.note, connector.Record{"title": "n"})
		if err != nil {
			t.Fatal(err)
		}
		id, _ := out["id"].(string)
		if len(id) != 36 {
			t.Fatalf("uuid id = %#v; want 36 characters", out["id"])
		}
		recs, err := c.Find(ctx, f.note, &filter.Filter{Where: cond("id", filter.Eq, id)})
		if err != nil || len(recs) != 1 {
			t.Errorf("find by uuid = %v, %v; want one", recs, err)
		}
		// Rows inserted by hand get a uuid from the column default.
		nt, _ := c.Table(f.note)
		b := sqlconn.NewBuilder(c.Dialect())
		b.WriteString("INSERT INTO ")
		b.TableRef(nt)
		b.WriteString(" (")
		b.Ident("title")
		b.WriteString(") VALUES (")
		b.Arg("by hand")
		b.WriteString(")")
		if _, err := c.Execute(ctx, b.String(), b.Args()...); err != nil {
			t.Fatalf("insert by hand: %v", err)
		}
		recs, err = c.Find(ctx, f.note, &filter.Filter{Where: cond("title", filter.Eq, "by hand")})
		if err != nil || len(recs) != 1 {
			t.Fatalf("find by hand = %v, %v; want one", recs, err)
		}
		if id, _ := recs[0]["id"].(string); len(id) != 36 || strings.Count(id, "-") != 4 {
			t.Errorf("default uuid = %q; want a uuid", id)
		}
	})
}

func testTypes(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	recs, err := c.Find(ctx, f.customer, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := recs[0]
	checks := []struct {
		prop string
		want any
	}{
		{"name", "Alice"}, {"email", "a@x.io"}, {"age", int64(30)}, {"score", 1.5}, {"balance", 100.25},
		{"vip", true}, {"joined", t1},
		{"address", map[string]any{"city": "Paris", "zip": float64(75001), "geo": map[string]any{"lat": 48.8}}},
		{"tags", []any{"a", "b"}}, {"extra", map[string]any{"k": float64(1), "when": "2024-01-02T03:04:05.123Z"}}, {"photo", []byte{1, 2, 3}},
	}
	for _, ck := range checks {
		got := a[ck.prop]
		if gt, ok := got.(time.Time); ok {
			if !gt.Equal(ck.want.(time.Time)) {
				t.Errorf("%s = %v; want %v", ck.prop, got, ck.want)
			}
			continue
		}
		if gb, ok := got.([]byte); ok {
			if !bytes.Equal(gb, ck.want.([]byte)) {
				t.Errorf("%s = %v; want %v", ck.prop, got, ck.want)
			}
			continue
		}
		if !reflect.DeepEqual(got, ck.want) {
			t.Errorf("%s = %#v (%T); want %#v (%T)", ck.prop, got, got, ck.want, ck.want)
		}
	}
	if recs[1]["vip"] != false || recs[1]["extra"] != "s" {
		t.Errorf("bob vip, extra = %#v, %#v; want false, \"s\"", recs[1]["vip"], recs[1]["extra"])
	}
	for _, p := range []string{"email", "age", "vip", "joined", "address"} {
		if v, ok := recs[2][p]; ok && v != nil {
			t.Errorf("Carol %s = %#v; want null", p, v)
		}
	}
}

func testErrors(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	_, err := c.Create(ctx, f.customer, connector.Record{"id": f.ids["Alice"], "name": "dup"})
	if !errors.Is(err, fault.Conflict) {
		t.Fatalf("duplicate id: %v; want fault.Conflict", err)
	}
	if !strings.Contains(err.Error(), "Duplicate entry for Customer.id") {
		t.Errorf("duplicate id message %q; want it to contain %q", err, "Duplicate entry for Customer.id")
	}
	_, err = c.Create(ctx, f.customer, connector.Record{"name": "dup", "email": "a@x.io"})
	if !errors.Is(err, fault.Conflict) {
		t.Errorf("duplicate unique email: %v; want fault.Conflict", err)
	}
	_, err = c.Create(ctx, f.order, connector.Record{"customerId": int64(424242), "total": 1.0})
	if !errors.Is(err, fault.Conflict) {
		t.Errorf("foreign key violation: %v; want fault.Conflict", err)
	}
	if _, err := c.Create(ctx, f.order, connector.Record{"customerId": f.ids["Alice"], "total": 1.0}); err != nil {
		t.Errorf("order of an existing customer: %v", err)
	}
	_, err = c.Create(ctx, f.customer, connector.Record{"name": nil})
	if !errors.Is(err, fault.Invalid) {
		t.Errorf("null required name: %v; want fault.Invalid", err)
	}
	_, err = c.Find(ctx, f.customer, &filter.Filter{Where: cond("nope", filter.Eq, 1)})
	if !errors.Is(err, fault.BadRequest) {
		t.Errorf("unknown property: %v; want fault.BadRequest", err)
	}
}

func testTx(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	for _, iso := range []connector.Isolation{connector.IsolationDefault, connector.ReadCommitted, connector.RepeatableRead, connector.Serializable} {
		t.Run(iso.String(), func(t *testing.T) {
			tx, err := c.Begin(ctx, connector.TxOptions{Isolation: iso})
			if err != nil {
				t.Fatalf("Begin: %v", err)
			}
			tctx := connector.WithTx(ctx, tx)
			if _, err := c.Create(tctx, f.note, connector.Record{"title": "in tx " + iso.String()}); err != nil {
				t.Fatalf("Create in tx: %v", err)
			}
			if n, _ := c.Count(tctx, f.note, cond("title", filter.Eq, "in tx "+iso.String())); n != 1 {
				t.Errorf("count inside tx = %d; want 1", n)
			}
			if err := tx.Rollback(ctx); err != nil {
				t.Fatalf("Rollback: %v", err)
			}
			if n, _ := c.Count(ctx, f.note, cond("title", filter.Eq, "in tx "+iso.String())); n != 0 {
				t.Errorf("count after rollback = %d; want 0", n)
			}
			if err := tx.Commit(ctx); !errors.Is(err, connector.ErrTxDone) {
				t.Errorf("Commit after Rollback = %v; want ErrTxDone", err)
			}
			if _, err := c.Count(tctx, f.note, nil); !errors.Is(err, connector.ErrTxDone) {
				t.Errorf("call with a done tx = %v; want ErrTxDone", err)
			}
		})
	}
	t.Run("commit", func(t *testing.T) {
		tx, err := c.Begin(ctx, connector.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		tctx := connector.WithTx(ctx, tx)
		if _, err := c.Create(tctx, f.note, connector.Record{"title": "committed"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := c.UpdateAll(tctx, f.customer, cond("name", filter.Eq, "Alice"), connector.Record{"age": int64(31)}); n != 1 {
			t.Errorf("UpdateAll in tx = %d; want 1", n)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := c.Count(ctx, f.note, cond("title", filter.Eq, "committed")); n != 1 {
			t.Errorf("count after commit = %d; want 1", n)
		}
	})
	t.Run("failed call rolls back", func(t *testing.T) {
		tx, err := c.Begin(ctx, connector.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		tctx := connector.WithTx(ctx, tx)
		if _, err := c.Create(tctx, f.note, connector.Record{"title": "lost"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Create(tctx, f.customer, connector.Record{"id": f.ids["Alice"], "name": "dup"}); !errors.Is(err, fault.Conflict) {
			t.Fatalf("duplicate in tx = %v; want Conflict", err)
		}
		if err := tx.Commit(ctx); !errors.Is(err, connector.ErrTxDone) {
			t.Errorf("Commit after failed call = %v; want ErrTxDone", err)
		}
		if n, _ := c.Count(ctx, f.note, cond("title", filter.Eq, "lost")); n != 0 {
			t.Errorf("work before the failed call was kept: count = %d; want 0", n)
		}
	})
	t.Run("other connector's tx ignored", func(t *testing.T) {
		tctx := connector.WithTx(ctx, foreignTx{})
		if _, err := c.Count(tctx, f.note, nil); err != nil {
			t.Errorf("Count with a foreign tx: %v", err)
		}
	})
}

type foreignTx struct{}

func (foreignTx) Commit(context.Context) error   { return nil }
func (foreignTx) Rollback(context.Context) error { return nil }

func testExecute(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	ct, _ := c.Table(f.customer)
	b := sqlconn.NewBuilder(c.Dialect())
	b.WriteString("SELECT ")
	b.Ident("name")
	b.WriteString(" FROM ")
	b.TableRef(ct)
	b.WriteString(" WHERE ")
	b.Ident("age")
	b.WriteString(" > ")
	b.Arg(int64(26))
	b.WriteString(" ORDER BY ")
	b.Ident("id")
	res, err := c.Execute(ctx, b.String(), b.Args()...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || fmt.Sprint(res.Rows[0]["name"]) != "Alice" {
		t.Errorf("Execute rows = %v; want Alice, dave", res.Rows)
	}
	b = sqlconn.NewBuilder(c.Dialect())
	b.WriteString("UPDATE ")
	b.TableRef(ct)
	b.WriteString(" SET ")
	b.Ident("score")
	b.WriteString(" = ")
	b.Arg(1.0)
	res, err = c.Execute(ctx, b.String(), b.Args()...)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsAffected != 4 {
		t.Errorf("RowsAffected = %d; want 4", res.RowsAffected)
	}
}
