package sqlite_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Open an in-memory database, create the table of a model and query it
// with a LoopBack filter.
func Example() {
	ctx := context.Background()
	c, err := sqlite.Open(":memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	todo := &model.Definition{Name: "Todo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String, Required: true},
		{Name: "isComplete", Type: model.Boolean},
	}}
	if err := c.Automigrate(ctx, []*model.Definition{todo}); err != nil {
		log.Fatal(err)
	}
	for _, title := range []string{"buy milk", "walk the dog", "Buy bread"} {
		if _, err := c.Create(ctx, todo, connector.Record{"title": title, "isComplete": false}); err != nil {
			log.Fatal(err)
		}
	}
	recs, err := c.Find(ctx, todo, &filter.Filter{
		Where: &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Ilike, Value: "buy%"}}},
		Order: []filter.Order{{Property: "title"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range recs {
		fmt.Println(r["id"], r["title"])
	}
	// Output:
	// 3 Buy bread
	// 1 buy milk
}

// Run calls in a transaction by putting it in the context.
func ExampleConnector_Begin() {
	ctx := context.Background()
	c, err := sqlite.Open(":memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	note := &model.Definition{Name: "Note", Properties: []*model.Property{
		{Name: "id", Type: model.String, ID: 1, Generated: true, DefaultFn: "uuidv4"},
		{Name: "text", Type: model.String},
	}}
	if err := c.Automigrate(ctx, []*model.Definition{note}); err != nil {
		log.Fatal(err)
	}
	tx, err := c.Begin(ctx, connector.TxOptions{Isolation: connector.Serializable})
	if err != nil {
		log.Fatal(err)
	}
	tctx := connector.WithTx(ctx, tx)
	if _, err := c.Create(tctx, note, connector.Record{"text": "draft"}); err != nil {
		log.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		log.Fatal(err)
	}
	n, err := c.Count(ctx, note, nil)
	fmt.Println(n, err)
	// Output: 0 <nil>
}
