package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/outbox"
	"github.com/loopback-go/lb/events/pgnotify"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// changeFeed makes a.changes, the bus of the todos' change events, and
// returns the stream configuration of GET /todos/changes and /todos/ws.
//
// In memory, on SQLite, MySQL or MongoDB the bus observes the repository
// and numbers the events itself. On PostgreSQL every change is written to
// the outbox table lb_outbox in the change's transaction; a pgnotify
// relay, woken by the outbox's NOTIFY, publishes each row on the bus with
// its id as the event id, so several instances on one database stream
// every change made through any of them, under the same ids, and a
// client reconnecting to any instance with Last-Event-ID is replayed what
// it missed from the outbox (kept 24 hours). A relay with no broker marks
// the rows sent so that they are pruned after that. CHANGES=local
// (cfg.LocalChanges) keeps the first behaviour on PostgreSQL too.
func (a *todoApp) changeFeed(ctx context.Context, cfg config, conn connector.Connector, todos *repository.CRUD[Todo, int64]) (events.StreamConfig, error) {
	a.changes = events.NewBus(events.Config{})
	stream := events.StreamConfig{Bus: a.changes, Model: todos.Definition()}
	if cfg.LocalChanges || !strings.HasPrefix(cfg.DBURL, "postgres://") && !strings.HasPrefix(cfg.DBURL, "postgresql://") {
		todos.ObserveChanges(a.changes)
		return stream, nil
	}
	ob, err := outbox.New(ctx, outbox.Config{Conn: conn, Models: []*model.Definition{todos.Definition()}, Logger: a.logger})
	if err != nil {
		return stream, err
	}
	relay, err := pgnotify.New(ctx, pgnotify.Config{URL: cfg.DBURL, Bus: a.changes, Outbox: ob, Logger: a.logger})
	if err != nil {
		return stream, fmt.Errorf("listen to the changes: %w", err)
	}
	todos.ObserveChanges(ob)
	rctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for rctx.Err() == nil {
			err := ob.Relay(rctx, outbox.Nowhere, outbox.RelayOptions{Poll: time.Minute})
			if rctx.Err() == nil {
				a.logger.Warn("todo: outbox relay", "error", err)
				select {
				case <-rctx.Done():
				case <-time.After(5 * time.Second):
				}
			}
		}
	}()
	a.stopFeed = func() {
		stop()
		<-done
		relay.Close()
	}
	stream.History = ob
	return stream, nil
}
