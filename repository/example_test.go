package repository_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Task struct {
	ID         int64  `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	IsComplete bool   `json:"isComplete"`
}

// The typed repository of a Go model on the memory connector.
func Example() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	tasks := repository.MustNew[Task, int64](conn)

	first, _ := tasks.Create(ctx, &Task{Title: "write the docs"})
	tasks.Create(ctx, &Task{Title: "ship it"})
	tasks.UpdateByID(ctx, first.ID, repository.Patch{"isComplete": true})

	open, _ := tasks.Find(ctx, &filter.Filter{
		Where: &filter.Where{Conds: []filter.Cond{{Path: "isComplete", Op: filter.Eq, Value: false}}},
	})
	fmt.Println(len(open), open[0].Title)

	_, err := tasks.FindByID(ctx, 99, nil)
	fmt.Println(errors.Is(err, fault.NotFound), err)
	// Output:
	// 1 ship it
	// true Entity not found: Task with id 99
}

// A zero-code model: a LoopBack JSON definition and records.
func ExampleModel() {
	ctx := context.Background()
	def, _ := model.Parse([]byte(`{"name": "Note", "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"text": {"type": "string", "required": true}}}`))
	conn, _ := memory.New(memory.Config{})
	notes, _ := repository.NewModel(conn, def)

	created, _ := notes.Create(ctx, connector.Record{"text": "hello"})
	fmt.Println(created["id"], created["text"])

	_, err := notes.Create(ctx, connector.Record{"text": ""})
	fmt.Println(err)
	// Output:
	// 1 hello
	// The `Note` instance is not valid. Details: `text` can't be blank (value: "").
}

// Repository calls made with the transaction's context run inside it.
func ExampleTransact() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	tasks := repository.MustNew[Task, int64](conn)

	err := repository.Transact(ctx, conn, connector.TxOptions{}, func(ctx context.Context) error {
		tasks.Create(ctx, &Task{Title: "one"})
		return errors.New("changed my mind")
	})
	n, _ := tasks.Count(ctx, nil)
	fmt.Println(err, n)
	// Output: changed my mind 0
}

// A key-value repository with expiry.
func ExampleKV() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	sessions := repository.NewKV[Session](conn, model.MustFromStruct[Session]())

	sessions.Set(ctx, "session:42", &Session{User: "ann"}, 30*time.Minute)
	s, ok, _ := sessions.Get(ctx, "session:42")
	fmt.Println(s.User, ok)
	for key := range sessions.Keys(ctx, "session:*") {
		fmt.Println(key)
	}
	// Output:
	// ann true
	// session:42
}
