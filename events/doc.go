// Package events delivers the changes made through repositories to
// subscribers: in-process Go code (a GraphQL subscription, a cache), and
// HTTP clients through Server-Sent Events ([SSE]).
//
// # Change events
//
// A [Bus] observes repositories (it is a [repository.ChangeObserver]):
//
//	bus := events.NewBus(events.Config{})
//	todos.ObserveChanges(bus) // every write of todos is published
//
// Every write — Create, CreateAll, Save, UpdateByID, ReplaceByID,
// DeleteByID, and each instance UpdateAll or DeleteAll touches — becomes
// one [Event]: the model's name, the [Kind] ("create", "update",
// "replace", "delete"), the instance's id, the instance after the change
// (for a delete, as it was) without its hidden properties, and the names
// of the properties the write set. Events are published after the write
// is committed: at once outside a transaction, at the commit of a
// transaction begun by repository.Begin or repository.Transact, and never
// for a transaction rolled back. A model nobody observes pays nothing.
//
// # Subscribing
//
// [Bus.Subscribe] returns a [Subscription] whose Events channel receives
// the events [Options] select: some models, a LoopBack where filter on the
// instance, a Match function (an ownership rule), and a resume point
// (After, a [Event.Seq]) replayed from the bus's recent history:
//
//	sub := bus.Subscribe(ctx, events.Options{
//		Models: []string{"Todo"},
//		Where:  filter.Prop("isComplete").Eq(false),
//	})
//	defer sub.Close()
//	for ev := range sub.Events() {
//		fmt.Println(ev.Kind, ev.ID, ev.Instance["title"])
//	}
//	// sub.Err() says why it ended: events.ErrSlow, events.ErrClosed …
//
// Publishing never waits for a subscriber: each has a bounded buffer
// (Options.Buffer), and one whose buffer is full when an event comes is
// dropped, its channel closed and Err returning [ErrSlow]. A subscription
// ends when its context ends, on Close, or on [Bus.Close].
//
// # Server-Sent Events and WebSocket
//
// [MountSSE] serves a model's changes as a text/event-stream at, say,
// GET /todos/changes: one SSE event per change (id: the Seq, event: the
// kind, data: the [Event] as JSON), the where query parameter applied to
// each instance, Last-Event-ID resume, a heartbeat comment every
// [StreamConfig].Heartbeat, a client that does not keep up disconnected.
// It is an ordinary operation of the rest.Server, so it is in the OpenAPI
// document and authentication applies; with auth.Owner on the model's
// base path the owner condition joins the where, so each user sees only
// the changes of their instances. Package events/ws serves the same
// stream over a WebSocket, and events/pgnotify carries changes between
// instances sharing a PostgreSQL database.
//
// # Event ids and resume
//
// A bus fed by repositories numbers its events from 1 ([Event.Seq]); the
// numbers mean nothing to another process, or after a restart. On
// PostgreSQL with the transactional outbox (events/outbox), a
// pgnotify.Relay given the outbox publishes each change with
// [Bus.PublishNumbered], its Seq the outbox row's id: the same event id
// on every instance, in commit order. A reconnecting client sends the
// last id it saw (Last-Event-ID; ?lastEventId= on the WebSocket, which
// browsers cannot give headers), parsed by [ParseLastEventID]: not a
// number is a 400 in LoopBack's shape. [StreamConfig.Open] then
//
//   - replays from the bus's history when it holds every event after that
//     id;
//   - otherwise, with a [History] ([StreamConfig].History, the outbox),
//     subscribes first, replays from the History page by page, and skips
//     the live events up to the last one replayed: no gap, no duplicate;
//   - when the events after the id are gone (older than the outbox's
//     retention, or, without a History, than the bus's history), starts
//     with a reset — SSE "event: reset" without an id, data
//     {"kind":"reset","after":N,"message":…} ([ResetJSON]), the same JSON
//     as the first WebSocket message — then the live events: the client
//     reloads its data and follows.
//
// A History that fails is a 503 before the stream starts.
package events
