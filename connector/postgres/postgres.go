package postgres

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/loopback-go/lb/connector/sqlconn"
)

// Config configures a PostgreSQL data source: a URL, or fields, or both
// (fields override what the URL says). The zero value connects as the
// libpq defaults and PG* environment variables say.
type Config struct {
	// Name is the data source's name in error messages; "" means
	// "postgresql".
	Name string
	// URL is a connection URL or keyword/value string:
	// "postgres://user:pass@localhost:5432/todo?sslmode=disable".
	URL string
	// Host, Port, User, Password and Database override the URL's.
	Host     string
	Port     int
	User     string
	Password string
	Database string
	// Schema is put first on the search_path (tables are created there)
	// and created when missing; "" keeps the server's search_path.
	Schema string
	// SSLMode sets the URL's sslmode ("disable", "require", "verify-full", …).
	SSLMode string
	// ApplicationName is reported to the server.
	ApplicationName string
	// ConnectTimeout bounds each connection attempt; 0 means 10s.
	ConnectTimeout time.Duration
	// MaxOpenConns limits open connections; 0 means 10.
	MaxOpenConns int
	// MaxIdleConns is the number of idle connections kept; 0 means
	// MaxOpenConns.
	MaxIdleConns int
	// ConnMaxLifetime closes connections older than this; 0 means 30m.
	ConnMaxLifetime time.Duration
	// ConnMaxIdleTime closes connections idle longer than this; 0 means 5m.
	ConnMaxIdleTime time.Duration
	// StatementTimeout makes the server cancel a statement that runs
	// longer (its statement_timeout); the call then fails with a 503
	// fault.Unavailable. 0 keeps the server's setting (none by default).
	StatementTimeout time.Duration
	// MaxWriters bounds the multi-row updates and deletes of one model
	// running at once outside transactions (see sqlconn.Options); 0 means
	// half of MaxOpenConns, negative means no bound.
	MaxWriters int
}

// ConfigFromEnv reads a Config from environment variables with the given
// prefix: PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER,
// PREFIX_PASSWORD, PREFIX_DATABASE, PREFIX_SCHEMA, PREFIX_SSLMODE,
// PREFIX_MAX_OPEN_CONNS, PREFIX_MAX_IDLE_CONNS, PREFIX_MAX_WRITERS,
// PREFIX_CONN_MAX_LIFETIME, PREFIX_CONNECT_TIMEOUT and
// PREFIX_STATEMENT_TIMEOUT (Go durations). ConfigFromEnv("TODO_DB") reads
// TODO_DB_URL and so on.
func ConfigFromEnv(prefix string) (Config, error) {
	e := &sqlconn.Env{Prefix: prefix}
	cfg := Config{Name: e.String("NAME"), URL: e.String("URL"), Host: e.String("HOST"), User: e.String("USER"),
		Password: e.String("PASSWORD"), Database: e.String("DATABASE"), Schema: e.String("SCHEMA"), SSLMode: e.String("SSLMODE")}
	e.Int("PORT", &cfg.Port)
	e.Int("MAX_OPEN_CONNS", &cfg.MaxOpenConns)
	e.Int("MAX_IDLE_CONNS", &cfg.MaxIdleConns)
	e.Duration("CONN_MAX_LIFETIME", &cfg.ConnMaxLifetime)
	e.Duration("CONNECT_TIMEOUT", &cfg.ConnectTimeout)
	e.Int("MAX_WRITERS", &cfg.MaxWriters)
	e.Duration("STATEMENT_TIMEOUT", &cfg.StatementTimeout)
	if e.Err != nil {
		return cfg, fmt.Errorf("postgres: %w", e.Err)
	}
	return cfg, nil
}

// Connector is the PostgreSQL connector: a connector.Connector with
// transactions, migration, discovery, Execute and Ping (all from
// [sqlconn.Connector]), over pgx through database/sql.
type Connector struct {
	*sqlconn.Connector
}

// Open connects to the database at url with default pool settings:
//
//	c, err := postgres.Open("postgres://postgres@localhost:5432/todo")
func Open(url string) (*Connector, error) { return New(Config{URL: url}) }

// connString builds the pgx connection string of cfg: the URL (or a
// minimal one) with cfg.SSLMode applied.
func (cfg Config) connString() (string, error) {
	cs := cfg.URL
	if cs == "" {
		cs = "postgres:///"
	}
	if cfg.SSLMode == "" {
		return cs, nil
	}
	if !strings.Contains(cs, "://") { // keyword/value form
		return cs + " sslmode=" + cfg.SSLMode, nil
	}
	u, err := url.Parse(cs)
	if err != nil {
		return "", fmt.Errorf("postgres: url: %w", err)
	}
	q := u.Query()
	q.Set("sslmode", cfg.SSLMode)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// New connects as configured. It checks the connection (and creates the
// schema) before returning; the pool reconnects by itself after the server
// restarts.
func New(cfg Config) (*Connector, error) {
	cs, err := cfg.connString()
	if err != nil {
		return nil, err
	}
	pc, err := pgx.ParseConfig(cs)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse config: %w", err)
	}
	if cfg.Host != "" {
		pc.Host = cfg.Host
	}
	if cfg.Port != 0 {
		pc.Port = uint16(cfg.Port)
	}
	if cfg.User != "" {
		pc.User = cfg.User
	}
	if cfg.Password != "" {
		pc.Password = cfg.Password
	}
	if cfg.Database != "" {
		pc.Database = cfg.Database
	}
	if cfg.ApplicationName != "" {
		pc.RuntimeParams["application_name"] = cfg.ApplicationName
	}
	pc.ConnectTimeout = cfg.ConnectTimeout
	if pc.ConnectTimeout <= 0 {
		pc.ConnectTimeout = 10 * time.Second
	}
	if cfg.StatementTimeout > 0 {
		pc.RuntimeParams["statement_timeout"] = strconv.FormatInt(max(1, cfg.StatementTimeout.Milliseconds()), 10)
	}
	if cfg.Schema != "" {
		pc.RuntimeParams["search_path"] = Dialect{}.Quote(cfg.Schema) + ", public"
	}
	db := stdlib.OpenDB(*pc)
	sqlconn.Pool{MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns,
		ConnMaxLifetime: cfg.ConnMaxLifetime, ConnMaxIdleTime: cfg.ConnMaxIdleTime}.
		Apply(db, sqlconn.Pool{MaxOpenConns: 10, ConnMaxLifetime: 30 * time.Minute, ConnMaxIdleTime: 5 * time.Minute})
	name := cfg.Name
	if name == "" {
		name = "postgresql"
	}
	c := &Connector{sqlconn.New(name, Dialect{}, db, sqlconn.Options{AfterExplicitID: syncIdentity, MaxWriters: cfg.MaxWriters, Native: native{db}})}
	ctx, cancel := context.WithTimeout(context.Background(), pc.ConnectTimeout)
	defer cancel()
	if cfg.Schema != "" {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+Dialect{}.Quote(cfg.Schema)); err != nil {
			db.Close()
			if perr := c.Ping(ctx); perr != nil {
				err = perr
			}
			return nil, fmt.Errorf("postgres: create schema %s: %w", cfg.Schema, err)
		}
	} else if err := c.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return c, nil
}
