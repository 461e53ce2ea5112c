// Command todo-list is LoopBack 4's todo-list example ported to LoopBack
// for Go: TodoList hasMany Todo and hasOne TodoListImage, Todo and
// TodoListImage belongTo TodoList, with the CRUD APIs at /todo-lists,
// /todos and /todo-list-images, every relation endpoint LoopBack's example
// serves (/todo-lists/{id}/todos, /todo-lists/{id}/todo-list-image,
// /todos/{id}/todo-list, /todo-list-images/{id}/todo-list), inclusion
// (?filter={"include":["todos"]}), the API explorer at /explorer and the
// OpenAPI document at /openapi.json.
//
//	go run ./examples/todo-list
//
// Environment:
//
//	HOST, PORT  where to listen (default 127.0.0.1:3000)
//	DB_FILE     the memory connector's data file in LoopBack's db.json
//	            format (default data/db.json, relative to the working
//	            directory; created and seeded with LoopBack's two lists and
//	            four todos when missing; a db.json written by LoopBack's
//	            example loads as is). Set it to the empty string to keep
//	            the data in memory only.
//	DB_URL      run on SQL instead: sqlite:todo-list.db, file:… or :memory:
//	            (SQLite), postgres://... (PostgreSQL), mysql://... (MySQL);
//	            tables are created or updated at start and seeded when
//	            empty.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/loopback-go/lb"
)

func main() {
	cfg, err := configFromEnv(os.LookupEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "todo-list:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "todo-list:", err)
		os.Exit(1)
	}
}

// config is the example's configuration.
type config struct {
	Host string
	Port int
	// DBFile is the memory connector's file; "" keeps data in memory only.
	DBFile string
	// DBURL selects a SQL database instead of the memory connector.
	DBURL string
}

// configFromEnv reads HOST, PORT, DB_FILE and DB_URL. DB_FILE unset means
// data/db.json; set to the empty string it means no file.
func configFromEnv(lookup func(string) (string, bool)) (config, error) {
	cfg := config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json"}
	if v, ok := lookup("HOST"); ok && v != "" {
		cfg.Host = v
	}
	if v, ok := lookup("PORT"); ok && v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return cfg, fmt.Errorf("PORT=%q: want a port number from 0 to 65535", v)
		}
		cfg.Port = p
	}
	if v, ok := lookup("DB_FILE"); ok {
		cfg.DBFile = v
	}
	if v, ok := lookup("DB_URL"); ok {
		cfg.DBURL = v
	}
	return cfg, nil
}

// run serves the example until SIGINT or SIGTERM.
func run(ctx context.Context, cfg config) error {
	a, err := newApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.close()
	app := lb.New(lb.Config{Name: "todo-list"})
	app.AddServer("rest", announcer{a})
	return app.Run(ctx)
}

// announcer starts the REST server and prints where it listens.
type announcer struct{ a *todoListApp }

func (s announcer) Start(ctx context.Context) error {
	if err := s.a.srv.Start(ctx); err != nil {
		return err
	}
	url := s.a.srv.URL()
	fmt.Printf("Todo-list API: %s/todo-lists\nAPI explorer:  %s/explorer/\nData:          %s\n", url, url, s.a.store)
	return nil
}

func (s announcer) Stop(ctx context.Context) error { return s.a.srv.Stop(ctx) }
