// Package natsjs publishes the changes of a transactional outbox
// (package events/outbox) to NATS JetStream. It is a separate package so
// that only apps that use it import the NATS client.
//
//	nc, err := nats.Connect(nats.DefaultURL)
//	js, err := jetstream.New(nc)
//	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "CHANGES", Subjects: []string{"lb.changes.>"}})
//	go ob.Relay(ctx, &natsjs.Publisher{JS: js}, outbox.RelayOptions{})
//
// Messages go to lb.changes.<Model>.<kind>, each with its event id as
// Nats-Msg-Id: a message published again after a relay restart, within
// the stream's duplicate window, is stored once.
package natsjs
