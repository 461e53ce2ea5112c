package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// todoListApp is the example's REST server and the store behind it.
type todoListApp struct {
	srv   *rest.Server
	conn  connector.Connector
	repos *repos
	store string // where the data lives, for the start message
}

// newApp opens the store (seeding it when new) and builds the REST server.
func newApp(ctx context.Context, cfg config) (*todoListApp, error) {
	conn, store, fresh, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &todoListApp{conn: conn, store: store}
	if err := a.build(ctx, cfg, fresh); err != nil {
		conn.Close()
		return nil, err
	}
	return a, nil
}

// newRepos builds the three repositories and joins them in a registry.
func newRepos(conn connector.Connector) (*repos, error) {
	r := &repos{}
	var err error
	if r.lists, err = repository.New[TodoList, int64](conn); err != nil {
		return nil, err
	}
	if r.todos, err = repository.New[Todo, int64](conn); err != nil {
		return nil, err
	}
	if r.images, err = repository.New[TodoListImage, int64](conn); err != nil {
		return nil, err
	}
	if err := r.reg.Add(r.lists.Model(), r.todos.Model(), r.images.Model()); err != nil {
		return nil, err
	}
	return r, nil
}

// definitions returns the models' definitions, parents first.
func (r *repos) definitions() []*model.Definition {
	return []*model.Definition{r.lists.Definition(), r.todos.Definition(), r.images.Definition()}
}

func (a *todoListApp) build(ctx context.Context, cfg config, fresh bool) error {
	r, err := newRepos(a.conn)
	if err != nil {
		return err
	}
	a.repos = r
	if m, ok := a.conn.(connector.Migrator); ok && cfg.DBURL != "" {
		if err := m.Autoupdate(ctx, r.definitions()); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if !fresh && cfg.DBURL != "" {
		n, err := r.lists.Count(ctx, nil)
		if err != nil {
			return fmt.Errorf("count todo lists: %w", err)
		}
		fresh = n == 0
	}
	if fresh {
		if err := seed(ctx, r); err != nil {
			return err
		}
	}
	a.srv = rest.New(rest.Config{
		Host:    cfg.Host,
		Port:    cfg.Port,
		OpenAPI: rest.SpecConfig{Title: "@loopback/example-todo-list", Version: "1.0.0"},
	})
	if err := crud.Mount(a.srv, r.lists, crud.Options{}); err != nil {
		return err
	}
	if err := crud.Mount(a.srv, r.todos, crud.Options{}); err != nil {
		return err
	}
	if err := crud.Mount(a.srv, r.images, crud.Options{}); err != nil {
		return err
	}
	a.srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{Spec: a.srv.SpecJSON})))
	// GraphQL: todoLists { todos { … } image { … } }, relations read in one query per level.
	gql, err := graphql.New(graphql.Config{Models: []*repository.Model{r.lists.Model(), r.todos.Model(), r.images.Model()}})
	if err != nil {
		return err
	}
	a.srv.Mount("/graphql", gql)
	return nil
}

func (a *todoListApp) close() error { return a.conn.Close() }

// openStore opens the connector cfg selects. fresh reports a store that
// did not exist before (and is to be seeded).
func openStore(ctx context.Context, cfg config) (c connector.Connector, store string, fresh bool, err error) {
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
		c, err = sqlite.Open(u)
		store = "SQLite " + u
	case strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://"):
		c, err = postgres.Open(u)
		store = "PostgreSQL " + redact(u)
	case strings.HasPrefix(u, "mysql://"):
		c, err = mysql.Open(u)
		store = "MySQL " + redact(u)
	default:
		return nil, "", false, fmt.Errorf("DB_URL: unsupported scheme in %q (want sqlite:, file:, :memory:, postgres://, postgresql:// or mysql://)", redact(u))
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("open %s: %w", redact(cfg.DBURL), err)
	}
	if p, ok := c.(connector.Pinger); ok {
		if err := p.Ping(ctx); err != nil {
			c.Close()
			return nil, "", false, fmt.Errorf("connect to %s: %w", redact(cfg.DBURL), err)
		}
	}
	return c, store, false, nil
}

// redact removes the password from a database URL.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return url
	}
	if user, _, hasPass := strings.Cut(userinfo, ":"); hasPass {
		return scheme + "://" + user + ":xxxxx@" + host
	}
	return url
}
