package pgnotify_test

import (
	"context"
	"log"
	"time"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/pgnotify"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Relay the changes of notes to every instance on the same database.
func ExampleNew() {
	ctx := context.Background()
	url := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	conn, err := postgres.Open(url)
	if err != nil {
		log.Fatal(err)
	}
	notes := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{})
	relay, err := pgnotify.New(ctx, pgnotify.Config{URL: url, DB: conn.DB(), Bus: bus, Models: []*repository.Model{notes.Model()}})
	if err != nil {
		log.Fatal(err)
	}
	defer relay.Close()
	notes.ObserveChanges(relay)
}

// Feed every instance's bus from the transactional outbox: the event ids
// are the outbox's, the same everywhere, and a client resuming with
// Last-Event-ID on any instance is replayed what it missed from the
// outbox.
func ExampleNew_outbox() {
	ctx := context.Background()
	url := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	conn, err := postgres.Open(url)
	if err != nil {
		log.Fatal(err)
	}
	notes := repository.MustNew[Note, int64](conn)
	ob, err := outbox.New(ctx, outbox.Config{Conn: conn, Models: []*model.Definition{notes.Definition()}})
	if err != nil {
		log.Fatal(err)
	}
	bus := events.NewBus(events.Config{})
	relay, err := pgnotify.New(ctx, pgnotify.Config{URL: url, Bus: bus, Outbox: ob})
	if err != nil {
		log.Fatal(err)
	}
	defer relay.Close()
	notes.ObserveChanges(ob)                                                 // the outbox, not the relay
	go ob.Relay(ctx, outbox.Nowhere, outbox.RelayOptions{Poll: time.Minute}) // marks sent, prunes after Retain
	srv := rest.New(rest.Config{})
	err = events.MountSSE(srv, "/notes/changes", events.StreamConfig{Bus: bus, Model: notes.Definition(), History: ob})
	if err != nil {
		log.Fatal(err)
	}
}
