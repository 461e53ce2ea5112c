package graphql_test

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/repository"
)

func Example() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	lists := repository.MustNew[TodoList, int64](conn)
	todos := repository.MustNew[Todo, int64](conn)
	var reg repository.Registry
	if err := reg.Add(lists.Model(), todos.Model()); err != nil {
		panic(err)
	}
	list, _ := lists.Create(ctx, &TodoList{Title: "chores"})
	_, _ = todos.Create(ctx, &Todo{Title: "wash up", TodoListID: list.ID})

	h, err := graphql.New(graphql.Config{Models: []*repository.Model{lists.Model(), todos.Model()}})
	if err != nil {
		panic(err)
	}
	// Over HTTP: srv.Mount("/graphql", h), then POST {"query": …}.
	resp := h.Do(ctx, graphql.Request{Query: `{ todoLists { title todos(limit: 5) { title } } }`}, false)
	body, _ := resp.AppendJSON(nil)
	fmt.Println(string(body))
	// Output: {"data":{"todoLists":[{"title":"chores","todos":[{"title":"wash up"}]}]}}
}
