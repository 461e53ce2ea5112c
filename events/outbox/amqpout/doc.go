// Package amqpout publishes the changes of a transactional outbox
// (package events/outbox) to RabbitMQ (AMQP 0-9-1), with publisher
// confirms: the relay marks a change sent only after the broker confirmed
// it. Each message's AMQP message id is the change's event id, for
// consumers to de-duplicate (delivery is at least once).
//
//	conn, err := amqp.Dial("amqp://guest:guest@127.0.0.1:5672/")
//	pub, err := amqpout.New(conn, "lb.changes") // a topic exchange: routing keys "Todo.update"
//	go ob.Relay(ctx, pub, outbox.RelayOptions{})
package amqpout
