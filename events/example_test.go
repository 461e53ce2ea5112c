package events_test

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

func Example() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	notes := repository.MustNew[Note, int64](conn)

	bus := events.NewBus(events.Config{})
	notes.ObserveChanges(bus)
	sub := bus.Subscribe(ctx, events.Options{Where: filter.Prop("done").Eq(true)})
	defer sub.Close()

	n, _ := notes.Create(ctx, &Note{Title: "write the docs"}) // not done: filtered out
	_ = notes.UpdateByID(ctx, n.ID, repository.Patch{"done": true})

	ev := <-sub.Events()
	fmt.Println(ev.Kind, ev.ID, ev.Instance["title"], ev.Changed)
	// Output: update 1 write the docs [done]
}
