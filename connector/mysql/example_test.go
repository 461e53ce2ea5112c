package mysql_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Connect with a URL, create the table of a model and update matching
// rows.
func Example() {
	ctx := context.Background()
	c, err := mysql.Open("mysql://root@127.0.0.1:3306/test")
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
	if _, err := c.Create(ctx, todo, connector.Record{"title": "ship it"}); err != nil {
		log.Fatal(err)
	}
	n, err := c.UpdateAll(ctx, todo, &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Like, Value: "ship%"}}},
		connector.Record{"isComplete": true})
	fmt.Println(n, err)
}
