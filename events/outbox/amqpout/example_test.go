package amqpout_test

import (
	"context"
	"log"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/outbox/amqpout"
)

// Relay an outbox to the topic exchange lb.changes.
func ExampleNew() {
	var ob *outbox.Outbox // outbox.New(ctx, outbox.Config{Conn: conn})
	conn, err := amqp.Dial("amqp://guest:guest@127.0.0.1:5672/")
	if err != nil {
		log.Fatal(err)
	}
	pub, err := amqpout.New(conn, "lb.changes")
	if err != nil {
		log.Fatal(err)
	}
	go ob.Relay(context.Background(), pub, outbox.RelayOptions{})
}
