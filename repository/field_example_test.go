package repository_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// Typed property handles and typed partial updates: filters, orders and
// patches that name properties through Go fields, checked by the compiler.
func ExampleFieldOf() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	tasks := repository.MustNew[Task, int64](conn)
	// Built once, with the repository.
	title := repository.MustFieldOf(tasks, func(t *Task) *string { return &t.Title })
	done := repository.MustFieldOf(tasks, func(t *Task) *bool { return &t.IsComplete })

	for _, t := range []string{"write the docs", "ship it", "write the tests"} {
		if _, err := tasks.Create(ctx, &Task{Title: t}); err != nil {
			log.Fatal(err)
		}
	}
	// A partial update from a typed instance: only the properties named.
	edit := Task{Title: "write the README", IsComplete: true}
	patch, err := tasks.PatchOf(&edit, title.Name())
	if err != nil {
		log.Fatal(err)
	}
	tasks.UpdateByID(ctx, 1, patch)
	// Or one property at a time, with a value of the field's type.
	tasks.UpdateByID(ctx, 2, done.Set(nil, true))

	open, _ := tasks.Find(ctx, filter.New().
		Where(filter.And(done.Eq(false), title.Like("write%"))).
		Order(title.Desc()).
		Filter())
	for _, t := range open {
		fmt.Println(t.ID, t.Title, t.IsComplete)
	}
	n, _ := tasks.Count(ctx, done.Eq(true))
	fmt.Println(title.Name(), done.Name(), n)
	// Output:
	// 3 write the tests false
	// 1 write the README false
	// title isComplete 1
}
