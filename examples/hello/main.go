// Command hello is the smallest LoopBack for Go app: an lb.App running one
// plain net/http server that answers GET /ping, with the API explorer at
// /explorer.
//
//	go run ./examples/hello
//	curl http://127.0.0.1:3000/ping
//
// It listens on HOST:PORT (default 127.0.0.1:3000; PORT=0 picks a free
// port) and stops gracefully on Ctrl-C or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/explorer"
)

func main() {
	if err := run(context.Background(), os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
		os.Exit(1)
	}
}

// run builds the app from the environment and runs it until ctx is done or
// a signal arrives.
func run(ctx context.Context, getenv func(string) string, out io.Writer) error {
	addr, err := listenAddr(getenv)
	if err != nil {
		return err
	}
	app, _ := newApp(addr, out)
	return app.Run(ctx)
}

// listenAddr reads HOST and PORT, defaulting to 127.0.0.1:3000.
func listenAddr(getenv func(string) string) (string, error) {
	host, port := getenv("HOST"), getenv("PORT")
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3000"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("invalid PORT %q: want a number from 0 to 65535", port)
	}
	return net.JoinHostPort(host, port), nil
}

// newApp returns the app and its HTTP server, which will listen on addr and
// print its URL to out once it does.
func newApp(addr string, out io.Writer) (*lb.App, *httpServer) {
	app := lb.New(lb.Config{Name: "hello"})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ping", ping)
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, spec)
	})
	explorer.Mount(mux, "/explorer", explorer.Config{
		Spec: func(*http.Request) ([]byte, error) { return []byte(spec), nil },
	})

	srv := &httpServer{addr: addr, out: out, handler: mux}
	app.AddServer("http", srv)
	return app, srv
}

// ping answers like LoopBack's ping example: a greeting, the time, and
// what the server saw of the request.
func ping(w http.ResponseWriter, r *http.Request) {
	headers := map[string]string{}
	for k := range r.Header {
		headers[k] = r.Header.Get(k)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(struct {
		Greeting string            `json:"greeting"`
		Date     time.Time         `json:"date"`
		URL      string            `json:"url"`
		Headers  map[string]string `json:"headers"`
	}{"Hello from LoopBack", time.Now().UTC(), r.URL.RequestURI(), headers})
}

// spec describes GET /ping for the explorer.
const spec = `{
  "openapi": "3.1.0",
  "info": {"title": "hello", "version": "1.0.0"},
  "servers": [{"url": "/"}],
  "paths": {
    "/ping": {
      "get": {
        "operationId": "PingController.ping",
        "tags": ["PingController"],
        "responses": {
          "200": {
            "description": "Ping Response",
            "content": {"application/json": {"schema": {
              "type": "object",
              "title": "PingResponse",
              "properties": {
                "greeting": {"type": "string"},
                "date": {"type": "string", "format": "date-time"},
                "url": {"type": "string"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
              }
            }}}
          }
        }
      }
    }
  }
}`

// httpServer runs an http.Handler as an lb.Server: Start listens and serves
// in the background, Stop shuts down gracefully. It can be started again
// after a stop.
type httpServer struct {
	addr    string
	out     io.Writer
	handler http.Handler

	mu  sync.Mutex
	srv *http.Server // the running server, nil when stopped
	url string
}

var _ lb.Server = (*httpServer)(nil)

// Start listens on the configured address and serves in a goroutine.
func (s *httpServer) Start(ctx context.Context) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	url := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.srv, s.url = srv, url
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(s.out, "serve:", err)
		}
	}()
	fmt.Fprintf(s.out, "Server is running at %s\nTry %s/ping or %s/explorer\n", url, url, url)
	return nil
}

// Stop stops accepting connections and waits for active requests until
// ctx is done.
func (s *httpServer) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Shutdown(ctx)
}

// URL returns the server's base URL once it has started.
func (s *httpServer) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}
