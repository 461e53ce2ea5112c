package sqltest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// driverText are fragments of driver messages that must never reach a
// client.
var driverText = []string{"SQLSTATE", "ERROR:", "Error 1", "Error 3", "SQL logic", "operator does not exist", "invalid byte sequence"}

// wantRefused checks err is a fault of kind whose message has none of the
// driver's text and contains every one of want.
func wantRefused(t *testing.T, what string, err error, kind fault.Kind, want ...string) {
	t.Helper()
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind != kind {
		t.Errorf("%s: got %v; want a %v fault", what, err, kind)
		return
	}
	for _, frag := range driverText {
		if strings.Contains(fe.Message, frag) {
			t.Errorf("%s: message %q carries driver text %q", what, fe.Message, frag)
		}
	}
	for _, w := range want {
		if !strings.Contains(fe.Message, w) {
			t.Errorf("%s: message %q; want it to contain %q", what, fe.Message, w)
		}
	}
	if kind == fault.BadRequest && strings.Contains(fe.Message, "instance") {
		t.Errorf("%s: a bad filter's message %q speaks of an instance", what, fe.Message)
	}
}

// testRefusals calls the connector directly, without the repository's
// validation: what the connector itself refuses before the database, and
// how refusals of the database are reported (never with its text).
func testRefusals(t *testing.T, c *sqlconn.Connector) {
	f := setup(t, c)
	ctx := context.Background()
	_, err := c.Create(ctx, f.customer, connector.Record{"name": "a\x00b"})
	wantRefused(t, "create with NUL", err, fault.Invalid, "`name` must not contain a NUL character")
	_, err = c.UpdateAll(ctx, f.customer, nil, connector.Record{"tags": []any{"\xff"}})
	wantRefused(t, "update with invalid UTF-8", err, fault.Invalid, "`tags` must be valid UTF-8 text")
	_, err = c.Find(ctx, f.customer, &filter.Filter{Where: cond("name", filter.Eq, "\xff")})
	wantRefused(t, "find invalid UTF-8", err, fault.BadRequest, "name")
	_, err = c.Count(ctx, f.customer, cond("name", filter.Like, "%\x00"))
	wantRefused(t, "count like NUL", err, fault.BadRequest, "name", "like")
	_, err = c.DeleteAll(ctx, f.customer, cond("vip", filter.Like, "t%"))
	wantRefused(t, "like on a boolean", err, fault.BadRequest, "vip", "like")
	got, err := c.Find(ctx, f.customer, &filter.Filter{Where: cond("age", filter.Like, "3%")})
	if err != nil || !slices.Equal(names(got), []string{"Alice"}) {
		t.Errorf("like on an integer: got (%v, %v); want [Alice]", names(got), err)
	}
	got, err = c.Find(ctx, f.customer, &filter.Filter{Where: cond("name", filter.Like, `dave\_100\%`)})
	if err != nil || !slices.Equal(names(got), []string{"dave_100%"}) {
		t.Errorf("like with escapes: got (%v, %v); want [dave_100%%]", names(got), err)
	}
	got, err = c.Find(ctx, f.customer, &filter.Filter{Where: cond("name", filter.Ilike, `DAVE\_100%\`)})
	if err != nil || len(got) != 0 {
		t.Errorf("like with a trailing backslash: got (%v, %v); want none", names(got), err)
	}

	// Values only the database refuses: a column length the model does not
	// declare (SQLite stores any length).
	short := &model.Definition{Name: "Short", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "code", Type: model.String, Connector: map[string]map[string]any{
			"postgresql": {"dataType": "VARCHAR(3)"}, "mysql": {"dataType": "VARCHAR(3)"}, "sqlite": {"dataType": "VARCHAR(3)"}}},
	}}
	s := map[string]any{"table": "short_" + f.suffix}
	short.Settings.Connector = map[string]map[string]any{"sqlite": s, "postgresql": s, "mysql": s}
	if err := c.Automigrate(ctx, []*model.Definition{short}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tb, _ := c.Table(short)
		_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
	})
	_, err = c.Create(ctx, short, connector.Record{"code": "abcdef"})
	if c.Dialect().Name() != "sqlite" {
		wantRefused(t, "value longer than its column", err, fault.Invalid, "The `Short` instance is not valid", "too long")
	}
	// A value the engine refuses in a hand-written statement.
	var cast string
	switch c.Dialect().Name() {
	case "postgresql":
		cast = "SELECT CAST('x' AS VARCHAR(1)) || CAST('abc' AS INTEGER)"
	case "mysql":
		cast = "SELECT ~0 + 1"
	}
	if cast != "" {
		_, err = c.Execute(ctx, cast)
		wantRefused(t, "value refused in Execute", err, fault.Invalid, "execute: a value")
	}
	// A pattern the engine refuses (only reachable through hand-written
	// SQL now that patterns are checked and translated) is a 400 without
	// the engine's text.
	var raw string
	switch c.Dialect().Name() {
	case "postgresql":
		raw = "SELECT 'a' ~ '('"
	case "mysql":
		raw = "SELECT 'a' REGEXP '('"
	}
	if raw != "" {
		_, err = c.Execute(ctx, raw)
		wantRefused(t, "regexp the engine refuses", err, fault.BadRequest, "pattern is not supported by "+c.Dialect().Name())
	}
}
