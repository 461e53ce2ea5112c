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
//
// # Fed by the outbox
//
// With Config.Outbox (*outbox.Outbox, which the repositories then observe
// in place of the relay) nothing is lost and ids agree: the outbox
// notifies each change's row id in the change's transaction, and every
// instance's relay, this one's included, reads the new rows and
// publishes them with events.Bus.PublishNumbered, the event's Seq being
// the row id. Notifications arrive in commit order and the outbox's ids
// follow it, so every bus sees the same events in the same order; after
// a lost connection the relay reads the rows it missed. The instances'
// streams share the outbox as their events.History, so a client resumes
// with Last-Event-ID on any of them:
//
//	ob, _ := outbox.New(ctx, outbox.Config{Conn: conn, Models: defs})
//	relay, _ := pgnotify.New(ctx, pgnotify.Config{URL: dbURL, Bus: bus, Outbox: ob})
//	todos.ObserveChanges(ob)
package pgnotify
