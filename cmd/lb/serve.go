package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/connector/mongodb"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/explorer"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// serveCommand is `lb serve`.
func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", envOr("HOST", "127.0.0.1"), "interface to listen on (env HOST)")
	port := fs.Int("port", envInt("PORT", 3000), "port to listen on, 0 for any free port (env PORT)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lb serve [-host HOST] [-port PORT] DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("serve: want one project directory, got %d arguments", fs.NArg())
	}
	p, err := loadProject(fs.Arg(0))
	if err != nil {
		return err
	}
	srv, closeAll, err := p.server(ctx, rest.Config{Host: *host, Port: *port,
		OpenAPI: rest.SpecConfig{Title: filepath.Base(absOr(p.dir)), Version: "1.0.0"}})
	if err != nil {
		return err
	}
	defer closeAll()
	// Validators compile on first use; a model whose schema does not
	// compile (a bad jsonSchema pattern, say) is refused here, at start,
	// rather than answering 500 to the first request that needs it.
	if err := srv.Validate(); err != nil {
		return fmt.Errorf("serve: %s: a model's schema does not compile: %w", p.dir, err)
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	url := srv.URL()
	fmt.Fprintf(stdout, "Serving %s at %s\n", p.dir, url)
	for _, ep := range p.endpoints {
		fmt.Fprintf(stdout, "  %-16s %s%s\n", ep.Model, url, ep.BasePath)
	}
	fmt.Fprintf(stdout, "  %-16s %s/explorer/\n  %-16s %s/openapi.json\n", "API explorer", url, "OpenAPI", url)
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rest.DefaultGracePeriod)
	defer cancel()
	return srv.Stop(stopCtx)
}

// server opens the data sources the endpoints use, creates or updates
// their tables, and mounts every endpoint on a new REST server.
func (p *project) server(ctx context.Context, cfg rest.Config) (*rest.Server, func(), error) {
	conns := map[string]connector.Connector{}
	closeAll := func() {
		for _, c := range conns {
			c.Close()
		}
	}
	byDS := map[string][]*model.Definition{}
	for _, ep := range p.endpoints {
		byDS[ep.DataSource] = append(byDS[ep.DataSource], p.models[ep.Model])
	}
	for _, name := range sortedKeys(byDS) {
		ds := p.datasources[name]
		c, err := p.open(ds)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s: data source %s: %w", ds.source, ds.Name, err)
		}
		conns[name] = c
		if m, ok := c.(connector.Migrator); ok && connectorNames[ds.Connector] != "memory" {
			if err := m.Autoupdate(ctx, byDS[name]); err != nil {
				closeAll()
				return nil, nil, fmt.Errorf("%s: data source %s: migrate: %w", ds.source, ds.Name, err)
			}
		}
	}
	srv := rest.New(cfg)
	// Every served model goes in one registry, so that relations between
	// them get their endpoints (a relation to a model that is not served
	// is an error naming it).
	var reg repository.Registry
	repos := make([]*repository.Model, len(p.endpoints))
	for i, ep := range p.endpoints {
		def := p.models[ep.Model]
		if p.datasources[ep.DataSource].NullForUnset {
			def = def.WithNullForUnset()
		}
		repo, err := repository.NewModel(conns[ep.DataSource], def)
		if err == nil {
			err = reg.Add(repo)
		}
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s: model %s: %w", ep.source, ep.Model, err)
		}
		repos[i] = repo
	}
	for i, ep := range p.endpoints {
		if err := crud.MountModel(srv, repos[i], crud.Options{BasePath: ep.BasePath, ReadOnly: ep.ReadOnly}); err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("%s: model %s: %w", ep.source, ep.Model, err)
		}
	}
	srv.Mount("/explorer", http.StripPrefix("/explorer", explorer.New(explorer.Config{Spec: srv.SpecJSON})))
	return srv, closeAll, nil
}

// open opens the connector of a data source.
func (p *project) open(ds *datasourceConfig) (connector.Connector, error) {
	file := ds.File
	if file != "" && !filepath.IsAbs(file) {
		file = filepath.Join(p.dir, file)
	}
	switch connectorNames[ds.Connector] {
	case "memory":
		if file != "" {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				return nil, err
			}
		}
		return memory.New(memory.Config{File: file})
	case "sqlite":
		if file == "" && ds.URL == "" {
			return sqlite.Open(":memory:")
		}
		return sqlite.New(sqlite.Config{Name: ds.Name, File: file, URL: ds.URL})
	case "postgres":
		return postgres.New(postgres.Config{Name: ds.Name, URL: ds.URL, Host: ds.Host, Port: ds.Port,
			User: ds.User, Password: ds.Password, Database: ds.Database})
	case "mysql":
		return mysql.New(mysql.Config{Name: ds.Name, URL: ds.URL, Host: ds.Host, Port: ds.Port,
			User: ds.User, Password: ds.Password, Database: ds.Database})
	case "mongodb":
		return mongodb.New(mongodb.Config{Name: ds.Name, URL: ds.URL, Host: ds.Host, Port: ds.Port,
			User: ds.User, Password: ds.Password, Database: ds.Database})
	}
	return nil, fmt.Errorf("connector %q is not available", ds.Connector)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return n
	}
	return def
}

func absOr(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
