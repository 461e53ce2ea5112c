// Command hello is the smallest LoopBack for Go app: one typed operation,
// GET /ping, on a REST server run by an lb.App, with the OpenAPI document
// at /openapi.json and the API explorer at /explorer.
//
//	go run ./examples/hello
//	curl http://127.0.0.1:3000/ping
//
// It listens on HOST:PORT (default 127.0.0.1:3000; PORT=0 picks a free
// port), logs where, and stops gracefully on Ctrl-C or SIGTERM.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/rest"
)

func main() {
	if err := run(context.Background(), os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
		os.Exit(1)
	}
}

// run builds the app from the environment and runs it until ctx is done or
// a signal arrives; the server logs to out.
func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	cfg, err := serverConfig(getenv)
	if err != nil {
		return err
	}
	cfg.Logger = slog.New(slog.NewTextHandler(out, nil))
	app, _ := newApp(cfg)
	return app.Run(ctx)
}

// serverConfig reads HOST and PORT, defaulting to 127.0.0.1:3000.
func serverConfig(getenv func(string) string) (rest.Config, error) {
	cfg := rest.Config{Host: getenv("HOST"), Port: 3000, OpenAPI: rest.SpecConfig{Title: "hello", Version: "1.0.0"}}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if p := getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return cfg, fmt.Errorf("invalid PORT %q: want a number from 0 to 65535", p)
		}
		cfg.Port = n
	}
	return cfg, nil
}

// newApp returns the app and its REST server.
func newApp(cfg rest.Config) (*lb.App, *rest.Server) {
	srv := rest.New(cfg)
	rest.Get(srv, "/ping", ping, rest.OperationID("PingController.ping"))
	srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{Spec: srv.SpecJSON})))
	app := lb.New(lb.Config{Name: "hello"})
	app.AddServer("rest", srv)
	return app, srv
}

// Pong is the answer of GET /ping, as LoopBack's ping example gives it: a
// greeting, the time, and what the server saw of the request.
type Pong struct {
	Greeting string            `json:"greeting"`
	Date     time.Time         `json:"date"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
}

// ping answers GET /ping.
func ping(ctx context.Context, _ *struct{}) (*Pong, error) {
	r := rest.HTTPRequest(ctx)
	headers := map[string]string{}
	for k := range r.Header {
		headers[k] = r.Header.Get(k)
	}
	return &Pong{"Hello from LoopBack", time.Now().UTC(), r.URL.RequestURI(), headers}, nil
}
