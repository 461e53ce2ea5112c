package filter_test

import (
	"fmt"
	"net/url"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/model"
)

func Example() {
	def := model.MustFromStruct[Todo]()

	// A filter as a client sends it, validated against the model: the
	// string "false" becomes the boolean false.
	f, err := filter.ParseJSON([]byte(`{"where":{"isComplete":"false","title":{"like":"buy%"}},"order":"id DESC","limit":2}`))
	if err != nil {
		panic(err)
	}
	if err := f.Validate(def); err != nil {
		panic(err)
	}

	todos := []map[string]any{
		{"id": int64(1), "title": "buy milk", "isComplete": false},
		{"id": int64(2), "title": "walk the dog", "isComplete": false},
		{"id": int64(3), "title": "buy bread", "isComplete": false},
		{"id": int64(4), "title": "buy eggs", "isComplete": true},
	}
	found, err := filter.Apply(todos, f, def)
	if err != nil {
		panic(err)
	}
	for _, t := range found {
		fmt.Println(t["id"], t["title"])
	}
	// Output:
	// 3 buy bread
	// 1 buy milk
}

// Todo is the model of the examples.
type Todo struct {
	ID         int64  `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	IsComplete bool   `json:"isComplete,omitempty"`
}

func ExampleFromValue() {
	// The nested query-string form, as decoded by the REST layer.
	query, _ := url.ParseQuery("filter[where][id][inq]=1&filter[where][id][inq]=3&filter[limit]=5")
	f, err := filter.FromValue(qs.Parse(query)["filter"])
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Limit, f.Where.Conds[0].Op, f.Where.Conds[0].Value)
	// Output: 5 inq [1 3]
}

func ExampleParseJSON_error() {
	_, err := filter.ParseJSON([]byte(`{"limit":0}`))
	fmt.Println(err)
	// Output: Invalid filter: limit must be >= 1.
}

func ExampleFilter_Validate() {
	def := model.MustFromStruct[Todo]()
	f, _ := filter.ParseJSON([]byte(`{"where":{"colour":"red"}}`))
	fmt.Println(f.Validate(def))
	f, _ = filter.ParseJSON([]byte(`{"include":["owner"]}`))
	fmt.Println(f.Validate(def))
	// Output:
	// Invalid filter: where.colour unknown property "colour" of model Todo.
	// Invalid "filter.include" entries: "owner"
}

func ExampleCompile() {
	m, err := filter.Compile(filter.Or(
		filter.Prop("title").Ilike("%MILK%"),
		filter.Prop("tags").Eq("urgent"),
	))
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Match(map[string]any{"title": "buy milk"}))
	fmt.Println(m.Match(map[string]any{"title": "call mum", "tags": []any{"home", "urgent"}}))
	fmt.Println(m.Match(map[string]any{"title": "call mum"}))
	// Output:
	// true
	// true
	// false
}

func ExampleNew() {
	f := filter.New().
		Where(filter.Prop("isComplete").Eq(false)).
		Order("title DESC").
		Limit(10).
		Filter()
	fmt.Println(f.Limit, f.Order[0].Property, f.Order[0].Desc)
	// Output: 10 title true
}
