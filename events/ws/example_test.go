package ws_test

import (
	"log"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/ws"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Mount a WebSocket change stream of notes at /notes/ws.
func ExampleMount() {
	conn, _ := memory.New(memory.Config{})
	notes := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{})
	notes.ObserveChanges(bus)

	srv := rest.New(rest.Config{})
	cfg := ws.Config{StreamConfig: events.StreamConfig{Bus: bus, Model: notes.Definition()}}
	if err := ws.Mount(srv, "/notes/ws", cfg); err != nil {
		log.Fatal(err)
	}
}
