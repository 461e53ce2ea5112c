// Package pgnotify carries change events between the instances of an app
// that share a PostgreSQL database, with LISTEN/NOTIFY: a client connected
// to instance A sees, on A's SSE or WebSocket stream, a write made
// through instance B.
//
//	bus := events.NewBus(events.Config{})
//	relay, err := pgnotify.New(ctx, pgnotify.Config{
//		URL: dbURL, DB: conn.DB(), Bus: bus,
//		Models: []*repository.Model{todos.Model()},
//	})
//	defer relay.Close()
//	todos.ObserveChanges(relay) // not the bus: the relay publishes there too
//
// Each change is published on the local bus at once and sent with
// pg_notify after the commit (parameterized, on the channel
// Config.Channel); the other instances' relays publish it on their buses,
// with the id and instance typed by the model's definition. A change whose
// notification would pass PostgreSQL's payload limit (8000 bytes) is sent
// without its instance, which receivers fetch by id. The listening
// connection reconnects after a failure; NOTIFY is not durable, so
// changes made while an instance is disconnected are not delivered to it.
package pgnotify
