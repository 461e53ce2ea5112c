// Command ferretdb serves a MongoDB-wire-compatible database for the tests
// of connector/mongodb and for CI: FerretDB's embeddable package, on
// PostgreSQL (-postgresql) or SQLite (-sqlite, the default). It lives in a
// module of its own so that the main module does not depend on FerretDB.
//
//	go run . -listen 127.0.0.1:27017 -sqlite file:/tmp/ferretdb/
//
// It prints the MongoDB URI it serves and runs until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	pg := flag.String("postgresql", "", "PostgreSQL URL (postgresql handler); empty: the sqlite handler")
	lite := flag.String("sqlite", "file:"+os.TempDir()+"/ferretdb/", "SQLite directory URI (sqlite handler)")
	level := flag.String("log", "error", "log level: debug, info, warn or error")
	flag.Parse()
	if err := run(*listen, *pg, *lite, *level); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listen, pg, lite, level string) error {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return fmt.Errorf("log level: %w", err)
	}
	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listen},
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv})),
	}
	if pg != "" {
		cfg.Handler, cfg.PostgreSQLURL = "postgresql", pg
	} else {
		if dir, ok := strings.CutPrefix(lite, "file:"); ok {
			if err := os.MkdirAll(strings.SplitN(dir, "?", 2)[0], 0o755); err != nil {
				return fmt.Errorf("sqlite directory: %w", err)
			}
		}
		cfg.Handler, cfg.SQLiteURL = "sqlite", lite
	}
	f, err := ferretdb.New(cfg)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	fmt.Println(f.MongoDBURI())
	<-done
	return nil
}
