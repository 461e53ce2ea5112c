// Package outbox is a transactional outbox on PostgreSQL: every change of
// the repositories it observes is written to the outbox table in the
// same transaction as the change (a rolled-back write leaves no row, a
// committed one always has its row), and [Outbox.Relay] publishes the rows
// to a broker and marks them sent.
//
//	ob, err := outbox.New(ctx, outbox.Config{Conn: conn, Bus: bus})
//	todos.ObserveChanges(ob) // records in the write's transaction, then publishes on bus
//	go ob.Relay(ctx, &natsjs.Publisher{JS: js}, outbox.RelayOptions{})
//
// An observed write outside a transaction runs in one (see
// repository.ChangeRecorder). Delivery is at least once: a relay that
// stops between publishing and marking its batch sent publishes the batch
// again when it restarts. Each message carries a unique event id
// ([Message].EventID, "eventId" in the JSON payload) for consumers to
// de-duplicate; package events/outbox/natsjs publishes to NATS JetStream
// with the event id as the message id, so the stream stores each change
// once. Several relays may run at once (rows are taken FOR UPDATE SKIP
// LOCKED); then order is kept per batch only.
package outbox
