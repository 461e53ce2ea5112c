package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/events/ws"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/health"
	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/tracing"
)

// todoApp is the example's REST server and the store behind it.
type todoApp struct {
	srv     *rest.Server
	conn    connector.Connector
	metrics *metrics.Metrics
	health  *health.Health
	tracing *tracing.Tracing // nil unless OTLP_ENDPOINT is set
	logger  *slog.Logger
	store   string // where the data lives, for the start message
	changes *events.Bus
	// stopFeed stops what feeds changes on PostgreSQL; nil elsewhere.
	stopFeed func()
	logOut   *rest.LogBuffer // stderr, batched: the logger's output
}

// newApp opens the store (seeding it when new), and builds the REST server.
func newApp(ctx context.Context, cfg config) (*todoApp, error) {
	conn, store, fresh, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &todoApp{conn: conn, store: store}
	if err := a.build(ctx, cfg, fresh); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func (a *todoApp) build(ctx context.Context, cfg config, fresh bool) error {
	conn, err := a.observe(cfg)
	if err != nil {
		return err
	}
	todos, err := repository.New[Todo, int64](conn)
	if err != nil {
		return err
	}
	if m, ok := a.conn.(connector.Migrator); ok && cfg.DBURL != "" {
		if err := m.Autoupdate(ctx, []*model.Definition{todos.Definition()}); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if !fresh && cfg.DBURL != "" {
		n, err := todos.Count(ctx, nil)
		if err != nil {
			return fmt.Errorf("count todos: %w", err)
		}
		fresh = n == 0
	}
	if fresh {
		if err := seed(ctx, todos); err != nil {
			return err
		}
	}
	a.srv = rest.New(rest.Config{
		Host:    cfg.Host,
		Port:    cfg.Port,
		OpenAPI: rest.SpecConfig{Title: "@loopback/example-todo", Version: "1.0.0"},
		Logger:  a.logger,
	})
	a.operations(cfg)
	geo, err := newGeocoder(a.srv, cfg.GeocoderURL, cfg.Logger)
	if err != nil {
		return err
	}
	// The geocoder intercepts create and replaceById only: the other
	// operations run without an interceptor chain.
	err = crud.Mount(a.srv, todos, crud.Options{Operations: func(id string) []rest.OperationOption {
		if id == "TodoController.create" || id == "TodoController.replaceById" {
			return []rest.OperationOption{rest.WithInterceptors(geo.intercept)}
		}
		return nil
	}})
	if err != nil {
		return err
	}
	// GET /todos/changes: the changes of todos as Server-Sent Events.
	stream, err := a.changeFeed(ctx, cfg, conn, todos)
	if err != nil {
		return err
	}
	if err := events.MountSSE(a.srv, "/todos/changes", stream); err != nil {
		return err
	}
	// GET /todos/ws: the same changes over a WebSocket.
	if err := ws.Mount(a.srv, "/todos/ws", ws.Config{StreamConfig: stream}); err != nil {
		return err
	}
	rest.Get(a.srv, "/ping", ping, rest.OperationID("PingController.ping"),
		rest.WithOperation(func(op *openapi.Operation) {
			op.Tags = []string{"PingController"}
			op.Responses["200"].Description = "Ping Response"
		}))
	public, err := fs.Sub(publicFiles, "public")
	if err != nil {
		return err
	}
	a.srv.Static("/", public) // the home page, at / and /index.html
	a.srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{Spec: a.srv.SpecJSON})))
	// GraphQL queries, mutations and subscriptions (todoChanged, fed by the
	// same bus, over a graphql-transport-ws WebSocket); GraphiQL in a browser.
	gql, err := graphql.New(graphql.Config{Models: []*repository.Model{todos.Model()}, Logger: a.logger, Bus: a.changes})
	if err != nil {
		return err
	}
	a.srv.Mount("/graphql", gql)
	return nil
}

// publicFiles are the static files served at the root, as LoopBack's
// example serves its public directory.
//
//go:embed public
var publicFiles embed.FS

func (a *todoApp) close() error {
	if a.stopFeed != nil {
		a.stopFeed()
	}
	if a.changes != nil {
		a.changes.Close() // ends the open change streams
	}
	err := a.conn.Close()
	if a.logOut != nil {
		a.logOut.Close() // the last records reach stderr
	}
	return err
}

// openStore opens the connector cfg selects. fresh reports a store that
// did not exist before (and is to be seeded).
func openStore(ctx context.Context, cfg config) (conn connector.Connector, store string, fresh bool, err error) {
	switch u := cfg.DBURL; {
	case u == "":
		if cfg.DBFile == "" {
			c, err := memory.New(memory.Config{})
			return c, "memory (no file)", true, err
		}
		_, statErr := os.Stat(cfg.DBFile)
		fresh = errors.Is(statErr, os.ErrNotExist)
		if err := os.MkdirAll(filepath.Dir(cfg.DBFile), 0o755); err != nil {
			return nil, "", false, fmt.Errorf("create the directory of %s: %w", cfg.DBFile, err)
		}
		c, err := memory.New(memory.Config{File: cfg.DBFile})
		if err != nil {
			return nil, "", false, fmt.Errorf("open %s: %w", cfg.DBFile, err)
		}
		return c, "memory, persisted to " + cfg.DBFile, fresh, nil
	case strings.HasPrefix(u, "sqlite:") || strings.HasPrefix(u, "file:") || u == ":memory:":
		c, err := sqlite.Open(u)
		if err != nil {
			return nil, "", false, fmt.Errorf("open %s: %w", u, err)
		}
		return c, "SQLite " + u, false, nil
	}
	return openSQL(ctx, cfg.DBURL)
}
