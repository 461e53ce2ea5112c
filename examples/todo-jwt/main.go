// Command todo-jwt is LoopBack 4's todo-jwt example ported to LoopBack for
// Go: the Todo CRUD API at /todos, which requires a JSON Web Token, and
// the users API that issues them: POST /signup, POST /users/login and
// GET /whoAmI. The API explorer is at /explorer (its Authorize button
// takes the token), the OpenAPI document at /openapi.json.
//
//	JWT_SECRET=$(openssl rand -hex 32) go run ./examples/todo-jwt
//
// Environment:
//
//	JWT_SECRET  the HS256 secret tokens are signed and verified with
//	            (required). Set it to LoopBack's example secret,
//	            myjwts3cr3t, to accept tokens a LoopBack todo-jwt app
//	            issued; never in production.
//	HOST, PORT  where to listen (default 127.0.0.1:3000)
//	DB_FILE     the memory connector's data file in LoopBack's db.json
//	            format (default data/db.json; created and seeded with
//	            four todos when missing). LoopBack's own todo-jwt db.json
//	            loads as is: its user testuser1@abc.com logs in with the
//	            password testuser1. The empty string keeps data in memory.
//	DB_URL      run on SQL instead: sqlite:todo.db, postgres://…,
//	            mysql://…; tables (with a unique index on User.email) are
//	            created or updated at start.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/loopback-go/lb"
)

func main() {
	cfg, err := configFromEnv(os.LookupEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "todo-jwt:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "todo-jwt:", err)
		os.Exit(1)
	}
}

// config is the example's configuration.
type config struct {
	Host   string
	Port   int
	DBFile string // "" keeps data in memory only
	DBURL  string
	Secret string
	// BcryptCost is the cost of new password hashes; 0 means 10. Tests
	// lower it.
	BcryptCost int
}

// errNoSecret is the error of a missing JWT_SECRET.
var errNoSecret = errors.New("JWT_SECRET is not set: set it to a long random string (LoopBack's example secret is myjwts3cr3t, for tokens a LoopBack app issued)")

// configFromEnv reads JWT_SECRET, HOST, PORT, DB_FILE and DB_URL.
func configFromEnv(lookup func(string) (string, bool)) (config, error) {
	cfg := config{Host: "127.0.0.1", Port: 3000, DBFile: "data/db.json"}
	cfg.Secret, _ = lookup("JWT_SECRET")
	if cfg.Secret == "" {
		return cfg, errNoSecret
	}
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
	app := lb.New(lb.Config{Name: "todo-jwt"})
	app.AddServer("rest", announcer{a})
	return app.Run(ctx)
}

// announcer starts the REST server and prints where it listens.
type announcer struct{ a *todoApp }

func (s announcer) Start(ctx context.Context) error {
	if err := s.a.srv.Start(ctx); err != nil {
		return err
	}
	url := s.a.srv.URL()
	fmt.Printf("Todo API:     %s/todos (log in at POST %s/users/login)\nAPI explorer: %s/explorer/\nData:         %s\n", url, url, url, s.a.store)
	return nil
}

func (s announcer) Stop(ctx context.Context) error { return s.a.srv.Stop(ctx) }
