package mongodb_test

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/loopback-go/lb/connector/mongodb"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// Todo is a model whose string id is a MongoDB ObjectId.
type Todo struct {
	ID         string `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	IsComplete bool   `json:"isComplete"`
}

// A typed repository over a MongoDB collection. (The example needs a
// server, so it is compiled but not run; TestExample runs the same code.)
func Example() {
	if err := example(os.Stdout, os.Getenv("MONGODB_URL")); err != nil {
		fmt.Println(err)
	}
}

func example(w io.Writer, url string) error {
	ctx := context.Background()
	c, err := mongodb.New(mongodb.Config{URL: url, Database: "lb_example"})
	if err != nil {
		return err
	}
	defer c.Close()
	defer c.Client().Database("lb_example").Drop(ctx)

	todos := repository.MustNew[Todo, string](c)
	created, err := todos.Create(ctx, &Todo{Title: "try MongoDB"})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "created", len(created.ID), created.Title == "try MongoDB")
	found, err := todos.Find(ctx, filter.New().Where(filter.Prop("title").Like("MongoDB")).Filter())
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "found", len(found))
	return nil
}
