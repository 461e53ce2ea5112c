package outbox_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/repository"
)

type Todo struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
}

// printer is a Publisher that prints; natsjs.Publisher is a real one.
type printer struct{}

func (printer) Publish(_ context.Context, m outbox.Message) error {
	fmt.Println(m.Model, m.Kind, m.EventID != "")
	return nil
}

func Example() {
	ctx := context.Background()
	conn, err := postgres.Open("postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	todos := repository.MustNew[Todo, int64](conn)
	ob, err := outbox.New(ctx, outbox.Config{Conn: conn})
	if err != nil {
		log.Fatal(err)
	}
	todos.ObserveChanges(ob)
	go ob.Relay(ctx, printer{}, outbox.RelayOptions{})
}
