package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/auth/users"
	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Todo is the model of LoopBack's todo-jwt example.
type Todo struct {
	ID         int64  `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	Desc       string `json:"desc,omitempty"`
	IsComplete *bool  `json:"isComplete,omitempty"`
}

// todoApp is the example's REST server and the store behind it.
type todoApp struct {
	srv   *rest.Server
	conn  connector.Connector
	users *users.Service
	store string
}

func newApp(ctx context.Context, cfg config) (*todoApp, error) {
	if cfg.Secret == "" {
		return nil, errNoSecret
	}
	conn, store, fresh, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &todoApp{conn: conn, store: store}
	if err := a.build(ctx, cfg, fresh); err != nil {
		conn.Close()
		return nil, err
	}
	return a, nil
}

func (a *todoApp) build(ctx context.Context, cfg config, fresh bool) error {
	todos, err := repository.New[Todo, int64](a.conn)
	if err != nil {
		return err
	}
	a.users, err = users.New(a.conn, users.Config{
		JWT:    jwt.Config{Secret: []byte(cfg.Secret)}, // HS256, 6 hours, as LoopBack
		Hasher: users.Bcrypt{Cost: cfg.BcryptCost},
	})
	if err != nil {
		return err
	}
	if m, ok := a.conn.(connector.Migrator); ok && cfg.DBURL != "" {
		defs := append([]*model.Definition{todos.Definition()}, a.users.Definitions()...)
		if err := m.Autoupdate(ctx, defs); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	if cfg.DBURL == "" {
		// LoopBack's memory connector wrote numeric user ids.
		if err := a.users.NormalizeLegacyIDs(ctx); err != nil {
			return err
		}
	}
	if fresh {
		for _, t := range seedTodos {
			if _, err := todos.Create(ctx, &t); err != nil {
				return fmt.Errorf("seed todo %q: %w", t.Title, err)
			}
		}
	}
	a.srv = rest.New(rest.Config{
		Host:    cfg.Host,
		Port:    cfg.Port,
		OpenAPI: rest.SpecConfig{Title: "@loopback/example-todo-jwt", Version: "1.0.0"},
	})
	authn := auth.New(auth.Config{Default: []string{"jwt"}}) // every operation, unless it skips
	authn.Register("jwt", a.users.Strategy())
	authn.Install(a.srv)
	if err := crud.Mount(a.srv, todos, crud.Options{}); err != nil {
		return err
	}
	a.srv.Controller(&users.Controller{Service: a.users})
	a.srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{Spec: a.srv.SpecJSON})))
	return nil
}

// seedTodos are the todos of LoopBack's example.
var seedTodos = []Todo{
	{Title: "Take over the galaxy", Desc: "MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"},
	{Title: "destroy alderaan", Desc: "Make sure there are no survivors left!"},
	{Title: "play space invaders", Desc: "Become the very best!"},
	{Title: "crush rebel scum", Desc: "Every.Last.One."},
}

func (a *todoApp) close() error { return a.conn.Close() }

// openStore opens the connector cfg selects; fresh reports a new store.
func openStore(ctx context.Context, cfg config) (connector.Connector, string, bool, error) {
	u := cfg.DBURL
	switch {
	case u == "" && cfg.DBFile == "":
		c, err := memory.New(memory.Config{})
		return c, "memory (no file)", true, err
	case u == "":
		_, statErr := os.Stat(cfg.DBFile)
		if err := os.MkdirAll(filepath.Dir(cfg.DBFile), 0o755); err != nil {
			return nil, "", false, fmt.Errorf("create the directory of %s: %w", cfg.DBFile, err)
		}
		c, err := memory.New(memory.Config{File: cfg.DBFile})
		if err != nil {
			return nil, "", false, fmt.Errorf("open %s: %w", cfg.DBFile, err)
		}
		return c, "memory, persisted to " + cfg.DBFile, errors.Is(statErr, os.ErrNotExist), nil
	}
	var (
		c   connector.Connector
		err error
	)
	switch {
	case strings.HasPrefix(u, "sqlite:") || strings.HasPrefix(u, "file:") || u == ":memory:":
		c, err = sqlite.Open(u)
	case strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://"):
		c, err = postgres.Open(u)
	case strings.HasPrefix(u, "mysql://"):
		c, err = mysql.Open(u)
	default:
		return nil, "", false, errors.New("DB_URL: unsupported scheme (want sqlite:, file:, :memory:, postgres://, postgresql:// or mysql://)")
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("open DB_URL: %w", err)
	}
	if p, ok := c.(connector.Pinger); ok {
		if err := p.Ping(ctx); err != nil {
			c.Close()
			return nil, "", false, fmt.Errorf("connect to DB_URL: %w", err)
		}
	}
	// Seed SQL stores with no todos yet.
	todos, err := repository.New[Todo, int64](c)
	if err != nil {
		c.Close()
		return nil, "", false, err
	}
	if m, ok := c.(connector.Migrator); ok {
		if err := m.Autoupdate(ctx, []*model.Definition{todos.Definition()}); err != nil {
			c.Close()
			return nil, "", false, fmt.Errorf("migrate: %w", err)
		}
	}
	n, err := todos.Count(ctx, nil)
	if err != nil {
		c.Close()
		return nil, "", false, fmt.Errorf("count todos: %w", err)
	}
	return c, "SQL (DB_URL)", n == 0, nil
}
