package sqlite_test

import (
	"context"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/model"
)

// An in-memory database lives as long as its Connector and is private to
// it.
func TestMemoryShared(t *testing.T) {
	ctx := context.Background()
	def := &model.Definition{Name: "M", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "v", Type: model.String},
	}}
	a, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(ctx, def, connector.Record{"v": "x"}); err != nil {
		t.Fatal(err)
	}
	tx, err := a.Begin(ctx, connector.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(connector.WithTx(ctx, tx), def, connector.Record{"v": "in tx"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Count(ctx, def, nil); got != 2 {
		t.Errorf("count after commit = %d; want 2", got)
	}
	b, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Count(ctx, def, nil); err == nil {
		t.Errorf("a second :memory: connector sees the first one's table")
	}
}
