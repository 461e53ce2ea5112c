package graphql_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
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

// A subscription over a WebSocket with github.com/coder/websocket: the
// client speaks graphql-transport-ws (connection_init, subscribe), and
// each change written through the repository comes as a next message.
func Example_subscription() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	todos := repository.MustNew[Todo, int64](conn)
	bus := events.NewBus(events.Config{})
	defer bus.Close()
	todos.ObserveChanges(bus) // every write of todos is published

	h, err := graphql.New(graphql.Config{Models: []*repository.Model{todos.Model()}, Bus: bus})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h) // or srv.Mount("/graphql", h), graphql.Mount(…)
	defer srv.Close()

	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"),
		&websocket.DialOptions{Subprotocols: []string{graphql.Subprotocol}})
	if err != nil {
		panic(err)
	}
	defer c.CloseNow()
	send := func(msg string) { _ = c.Write(ctx, websocket.MessageText, []byte(msg)) }
	recv := func() string { _, b, _ := c.Read(ctx); return string(b) }
	send(`{"type":"connection_init","payload":{}}`) // {"Authorization":"Bearer …"} with Config.Authenticate
	fmt.Println(recv())
	send(`{"id":"1","type":"subscribe","payload":{"query":"subscription { todoChanged(kinds: [CREATE]) { kind id instance { title } } }"}}`)
	for bus.Subscribers() == 0 { // the subscription has started
		time.Sleep(time.Millisecond)
	}
	_, _ = todos.Create(ctx, &Todo{Title: "wash up"})
	fmt.Println(recv())
	send(`{"id":"1","type":"complete"}`) // stops the subscription
	c.Close(websocket.StatusNormalClosure, "")
	// Output:
	// {"type":"connection_ack"}
	// {"id":"1","type":"next","payload":{"data":{"todoChanged":{"kind":"CREATE","id":1,"instance":{"title":"wash up"}}}}}
}
