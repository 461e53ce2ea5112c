package postgres_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Connect from the environment (TODO_DB_URL, TODO_DB_HOST, …), update the
// schema without losing data and query with a LoopBack filter.
func Example() {
	ctx := context.Background()
	cfg, err := postgres.ConfigFromEnv("TODO_DB")
	if err != nil {
		log.Fatal(err)
	}
	c, err := postgres.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	todo := &model.Definition{Name: "Todo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String, Required: true},
		{Name: "isComplete", Type: model.Boolean, Connector: map[string]map[string]any{
			"postgresql": {"columnName": "is_complete"},
		}},
	}}
	if err := c.Autoupdate(ctx, []*model.Definition{todo}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.Create(ctx, todo, connector.Record{"title": "write docs", "isComplete": false}); err != nil {
		log.Fatal(err)
	}
	open, err := c.Count(ctx, todo, &filter.Where{Conds: []filter.Cond{{Path: "isComplete", Op: filter.Eq, Value: false}}})
	fmt.Println(open, err)
}

// Describe an existing table as a model definition (lb discover).
func ExampleConnector_DiscoverDefinition() {
	c, err := postgres.Open("postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	def, err := c.DiscoverDefinition(context.Background(), "todo", connector.DiscoverOptions{Schema: "public"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range def.Properties {
		fmt.Println(p.Name, p.Type, p.ID > 0)
	}
}
