package pgnotify_test

import (
	"context"
	"log"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/pgnotify"
	"github.com/loopback-go/lb/repository"
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
