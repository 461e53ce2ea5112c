package natsjs_test

import (
	"fmt"

	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/outbox/natsjs"
)

func ExamplePublisher_Subject() {
	p := &natsjs.Publisher{}
	fmt.Println(p.Subject(outbox.Message{Model: "Todo", Kind: "update"}))
	// Output: lb.changes.Todo.update
}
