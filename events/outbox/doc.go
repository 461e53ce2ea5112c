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
//
// # Ids, NOTIFY and the relay's wake-up
//
// Each row's id (a bigserial) is drawn under a transaction-scoped
// advisory lock held until the write commits, so ids follow commit
// order: whoever sees id n sees every id below it (the price: the
// commits of recorded writes are serialized). In the same transaction
// the row is notified with pg_notify on Config.Channel (default
// "lb_outbox:<schema>.<table>"), its payload the id. With Config.URL the
// relay LISTENs there on a dedicated connection and publishes right
// after each commit; polling (RelayOptions.Poll) stays as the fallback
// for a lost connection or a missed notification.
//
// # The change streams' history
//
// Sent rows are kept for Config.Retain (24 hours by default) and then
// deleted by [Outbox.Prune], which the relay runs every minute; unsent
// rows stay until sent. An outbox without a broker relays to [Nowhere] to
// have its rows pruned. [Outbox.Since] replays the kept rows as events
// whose Seq is the row id (it implements events.History, for
// events.StreamConfig.History and ws), typed by Config.Models, and
// reports events.ErrExpired for a resume point it no longer holds; with
// pgnotify.Config.Outbox every instance publishes the rows on its bus
// under those ids:
//
//	ob, _ := outbox.New(ctx, outbox.Config{Conn: conn, Models: []*model.Definition{todos.Definition()}})
//	relay, _ := pgnotify.New(ctx, pgnotify.Config{URL: dbURL, Bus: bus, Outbox: ob})
//	todos.ObserveChanges(ob)
//	events.MountSSE(srv, "/todos/changes", events.StreamConfig{Bus: bus, Model: todos.Definition(), History: ob})
package outbox
