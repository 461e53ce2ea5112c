package sqlconn_test

import (
	"fmt"
	"log"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// A filter compiles to SQL with every value bound and every name quoted
// from the model definition.
func ExampleSelect() {
	def := &model.Definition{Name: "Todo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
		{Name: "isComplete", Type: model.Boolean, Connector: map[string]map[string]any{
			"postgresql": {"columnName": "is_complete"},
		}},
	}}
	t, err := sqlconn.NewTable("postgresql", def)
	if err != nil {
		log.Fatal(err)
	}
	q, err := sqlconn.Select(postgres.Dialect{}, t, &filter.Filter{
		Where: &filter.Where{
			Conds: []filter.Cond{{Path: "isComplete", Op: filter.Eq, Value: false}},
			Or: []*filter.Where{
				{Conds: []filter.Cond{{Path: "title", Op: filter.Ilike, Value: "%milk%"}}},
				{Conds: []filter.Cond{{Path: "id", Op: filter.Inq, Value: []any{int64(1), int64(2)}}}},
			},
		},
		Order: []filter.Order{{Property: "title", Desc: true}},
		Limit: 10,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(q.SQL)
	fmt.Println(q.Args...)
	// Output:
	// SELECT "id", "title", "is_complete" FROM "Todo" WHERE "is_complete" = $1 AND (("title" ILIKE $2) OR (("id" IN ($3, $4)))) ORDER BY "title" DESC LIMIT $5
	// false %milk% 1 2 10
}

// Unknown names never reach SQL: they are a 400.
func ExampleSelect_unknownProperty() {
	def := &model.Definition{Name: "Todo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1},
	}}
	t, _ := sqlconn.NewTable("postgresql", def)
	_, err := sqlconn.Select(postgres.Dialect{}, t, &filter.Filter{
		Order: []filter.Order{{Property: "id; DROP TABLE todo"}},
	})
	fmt.Println(err)
	// Output: order: unknown property "id; DROP TABLE todo" of model Todo
}
