package postgres_test

import (
	"context"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/model"
)

// A model may name its own schema; automigrate creates it.
func TestModelSchema(t *testing.T) {
	c := openTest(t)
	ctx := context.Background()
	schema := "lbtest_model_" + sqltest.Suffix()
	t.Cleanup(func() {
		admin, err := postgres.Open(testURL())
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.DB().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE")
	})
	def := &model.Definition{Name: "Item", Properties: []*model.Property{
		{Name: "id", Type: model.String, ID: 1, Generated: true},
		{Name: "n", Type: model.Number, Integer: true},
	}, Settings: model.Settings{Connector: map[string]map[string]any{"postgresql": {"schema": schema, "table": "items"}}}}
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatalf("Automigrate: %v", err)
	}
	out, err := c.Create(ctx, def, connector.Record{"n": int64(1)})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := c.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+postgres.Dialect{}.Quote(schema)+`.items WHERE id = $1`, out["id"]).Scan(&n); err != nil || n != 1 {
		t.Errorf("row in %s.items: %d, %v; want 1", schema, n, err)
	}
	// The database fills in a uuid when a row is inserted by hand.
	var id string
	if err := c.DB().QueryRowContext(ctx, `INSERT INTO `+postgres.Dialect{}.Quote(schema)+`.items (n) VALUES (2) RETURNING id`).Scan(&id); err != nil || len(id) != 36 {
		t.Errorf("default uuid = %q, %v; want 36 characters", id, err)
	}
	def2, err := c.DiscoverDefinition(ctx, "items", connector.DiscoverOptions{Schema: schema})
	if err != nil || len(def2.Properties) != 2 || def2.Properties[0].ID != 1 {
		t.Errorf("discover %s.items = %+v, %v", schema, def2, err)
	}
}
