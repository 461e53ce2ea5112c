package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// noteDef is a model with a column of every kind the native path decodes.
func noteDef(table string) *model.Definition {
	s := map[string]any{"table": table}
	return &model.Definition{Name: "Note", Settings: model.Settings{Connector: map[string]map[string]any{"postgresql": s}},
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "title", Type: model.String},
			{Name: "n", Type: model.Number},
			{Name: "price", Type: model.Number, Connector: map[string]map[string]any{"postgresql": {"dataPrecision": 10, "dataScale": 2}}},
			{Name: "done", Type: model.Boolean},
			{Name: "at", Type: model.Date},
			{Name: "meta", Type: model.Object},
			{Name: "blob", Type: model.Buffer},
		}}
}

// TestNativeMatchesDatabaseSQL reads the same rows through the native path
// (outside a transaction) and through database/sql (inside one) and wants
// the same records, NULLs and odd column types included.
func TestNativeMatchesDatabaseSQL(t *testing.T) {
	c := openTest(t)
	ctx := context.Background()
	def := noteDef("note_" + sqltest.Suffix())
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	for _, rec := range []connector.Record{
		{"title": "full", "n": 1.5, "price": 12.34, "done": true, "at": at, "meta": map[string]any{"a": []any{1.0, "x"}}, "blob": []byte{0, 1, 2}},
		{"title": "sparse"},
		{},
	} {
		if _, err := c.Create(ctx, def, rec); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := c.Begin(ctx, connector.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for _, f := range []*filter.Filter{nil, {Where: &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "full"}}}}} {
		native, err := c.Find(ctx, def, f)
		if err != nil {
			t.Fatal(err)
		}
		viaSQL, err := c.Find(connector.WithTx(ctx, tx), def, f)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%#v", native) != fmt.Sprintf("%#v", viaSQL) {
			t.Errorf("native:\n%#v\ndatabase/sql:\n%#v", native, viaSQL)
		}
	}
	got, err := c.Find(ctx, def, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "full"}}}})
	if err != nil || len(got) != 1 {
		t.Fatalf("got %v, %v", got, err)
	}
	r := got[0]
	if r["n"] != 1.5 || r["price"] != 12.34 || r["done"] != true || !r["at"].(time.Time).Equal(at) ||
		fmt.Sprint(r["meta"]) != "map[a:[1 x]]" || fmt.Sprint(r["blob"]) != "[0 1 2]" {
		t.Errorf("read back %#v", r)
	}
	// Count, UpdateAll and DeleteAll run natively too.
	if n, err := c.Count(ctx, def, nil); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
	if n, err := c.UpdateAll(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "sparse"}}}, connector.Record{"n": 2.0}); err != nil || n != 1 {
		t.Errorf("UpdateAll = %d, %v; want 1", n, err)
	}
	if n, err := c.DeleteAll(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: nil}}}); err != nil || n != 1 {
		t.Errorf("DeleteAll = %d, %v; want 1", n, err)
	}
}

// TestNativeStatementTimeout: a find running past Config.StatementTimeout
// is a 503 on the native path as well.
func TestNativeStatementTimeout(t *testing.T) {
	schema := "lbtest_" + sqltest.Suffix()
	setup := openSchema(t, schema)
	ctx := context.Background()
	view := "slow_" + sqltest.Suffix()
	if _, err := setup.Execute(ctx, `CREATE VIEW "`+view+`" AS SELECT 1::bigint AS id, pg_sleep(2)::text AS title`); err != nil {
		t.Fatal(err)
	}
	c, err := postgres.New(postgres.Config{URL: testURL(), Schema: schema, StatementTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	def := &model.Definition{Name: "Slow", Settings: model.Settings{Table: view}, Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1}, {Name: "title", Type: model.String}}}
	start := time.Now()
	_, err = c.Find(ctx, def, nil)
	if !errors.Is(err, fault.Unavailable) {
		t.Errorf("slow find: got %v; want fault.Unavailable", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("slow find ran %v; want it cancelled after 100ms", d)
	}
	if n, err := c.Count(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "x"}}}); !errors.Is(err, fault.Unavailable) {
		t.Errorf("slow count: got %d, %v; want a 503", n, err)
	}
}

// TestNativeTerminatedConnections kills the server processes of every
// pooled connection: the calls that meet a dead connection fail with 503
// and the pool recovers by itself, without a restart of the server.
func TestNativeTerminatedConnections(t *testing.T) {
	schema := "lbtest_" + sqltest.Suffix()
	openSchema(t, schema)
	app := "lbtest_kill_" + sqltest.Suffix()
	c, err := postgres.New(postgres.Config{URL: testURL(), Schema: schema, ApplicationName: app, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	def := noteDef("note_" + sqltest.Suffix())
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, def, connector.Record{"title": "x"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup // open every connection of the pool
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.Find(ctx, def, nil)
		}()
	}
	wg.Wait()
	admin, err := postgres.Open(testURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	res, err := admin.Execute(ctx, "SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = $1", app)
	if err != nil || len(res.Rows) == 0 {
		t.Fatalf("terminate: %v, %v", res, err)
	}
	ok := 0
	for i := 0; i < 30 && ok < 3; i++ {
		_, err := c.Find(ctx, def, nil)
		switch {
		case err == nil:
			ok++
		case errors.Is(err, fault.Unavailable):
			ok = 0
		default:
			t.Fatalf("call %d after the kill: %v; want success or fault.Unavailable", i, err)
		}
	}
	if ok < 3 {
		t.Errorf("the pool did not recover after its connections were terminated")
	}
}
