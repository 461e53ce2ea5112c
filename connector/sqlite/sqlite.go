package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	msqlite "modernc.org/sqlite"

	"github.com/loopback-go/lb/connector/sqlconn"
)

// Config configures a SQLite data source. The zero value is an in-memory
// database named "sqlite".
type Config struct {
	// Name is the data source's name in error messages; "" means "sqlite".
	Name string
	// URL locates the database: "file:data/todo.db" (SQLite URI, query
	// parameters allowed), "sqlite:data/todo.db", "sqlite:///abs/todo.db",
	// a plain path, or ":memory:". Ignored when File is set.
	URL string
	// File is the path of the database file; it and its directory are
	// created when missing.
	File string
	// MaxOpenConns limits open connections; 0 means 4 for files (WAL lets
	// readers run beside the single writer) and 1 for memory databases.
	MaxOpenConns int
	// MaxIdleConns is the number of idle connections kept; 0 means
	// MaxOpenConns.
	MaxIdleConns int
	// ConnMaxLifetime closes connections older than this; 0 means never.
	ConnMaxLifetime time.Duration
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection; 0 means 5s.
	BusyTimeout time.Duration
}

// ConfigFromEnv reads a Config from environment variables with the given
// prefix: PREFIX_URL, PREFIX_FILE, PREFIX_MAX_OPEN_CONNS, PREFIX_BUSY_TIMEOUT
// (a Go duration). ConfigFromEnv("TODO_DB") reads TODO_DB_URL and so on.
func ConfigFromEnv(prefix string) (Config, error) {
	e := &sqlconn.Env{Prefix: prefix}
	cfg := Config{URL: e.String("URL"), File: e.String("FILE"), Name: e.String("NAME")}
	e.Int("MAX_OPEN_CONNS", &cfg.MaxOpenConns)
	e.Duration("BUSY_TIMEOUT", &cfg.BusyTimeout)
	if e.Err != nil {
		return cfg, fmt.Errorf("sqlite: %w", e.Err)
	}
	return cfg, nil
}

// Connector is the SQLite connector: a connector.Connector with
// transactions, migration, discovery, Execute and Ping (all from
// [sqlconn.Connector]).
type Connector struct {
	*sqlconn.Connector
}

// Open opens the database at url (see Config.URL) with default settings:
//
//	c, err := sqlite.Open("file:data/todo.db")
func Open(url string) (*Connector, error) { return New(Config{URL: url}) }

// New opens a SQLite database as configured. Foreign keys are enforced,
// file databases use WAL, transactions take the write lock when they begin
// (so they never fail halfway on a lock upgrade), and REGEXP is a Go
// regular expression.
func New(cfg Config) (*Connector, error) {
	dsn, memory, err := cfg.dsn()
	if err != nil {
		return nil, err
	}
	drv := &msqlite.Driver{}
	if err := drv.RegisterDeterministicScalarFunction("regexp", 2, newRegexpFunc()); err != nil {
		return nil, fmt.Errorf("sqlite: register regexp: %w", err)
	}
	if err := drv.RegisterDeterministicScalarFunction("lb_fold", 1, foldFunc); err != nil {
		return nil, fmt.Errorf("sqlite: register lb_fold: %w", err)
	}
	db := sql.OpenDB(&dsnConnector{drv: drv, dsn: dsn})
	maxOpen := cfg.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = 4
		if memory {
			maxOpen = 1
		}
	}
	db.SetMaxOpenConns(maxOpen)
	idle := cfg.MaxIdleConns
	if idle <= 0 {
		idle = maxOpen
	}
	db.SetMaxIdleConns(idle)
	db.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	if memory {
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	}
	name := cfg.Name
	if name == "" {
		name = "sqlite"
	}
	c := &Connector{sqlconn.New(name, Dialect{}, db, sqlconn.Options{CacheStatements: 128, CacheWrites: true})}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	return c, nil
}

// dsn builds the driver's DSN and reports whether it is an in-memory
// database.
func (cfg Config) dsn() (string, bool, error) {
	path, query := cfg.File, url.Values{}
	if path == "" {
		u := cfg.URL
		switch {
		case u == "" || u == ":memory:" || u == "sqlite::memory:" || u == "file::memory:":
			path = ":memory:"
		case strings.HasPrefix(u, "sqlite://"):
			path = strings.TrimPrefix(u, "sqlite://")
		case strings.HasPrefix(u, "sqlite:"):
			path = strings.TrimPrefix(u, "sqlite:")
		case strings.HasPrefix(u, "file://"):
			path = strings.TrimPrefix(u, "file://")
		case strings.HasPrefix(u, "file:"):
			path = strings.TrimPrefix(u, "file:")
		default:
			path = u
		}
		if p, q, ok := strings.Cut(path, "?"); ok {
			v, err := url.ParseQuery(q)
			if err != nil {
				return "", false, fmt.Errorf("sqlite: url %q: %w", cfg.URL, err)
			}
			path, query = p, v
		}
	}
	busy := cfg.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	query.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	query.Add("_pragma", "foreign_keys(1)")
	memory := path == ":memory:" || query.Get("mode") == "memory"
	if path == ":memory:" {
		// One named database shared by the pool's connections.
		var b [8]byte
		_, _ = rand.Read(b[:])
		path = "/lb-" + hex.EncodeToString(b[:])
		query.Set("vfs", "memdb")
	} else if !memory {
		query.Add("_pragma", "journal_mode(WAL)")
		query.Add("_pragma", "synchronous(NORMAL)")
		if dir := filepath.Dir(path); dir != "." && dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return "", false, fmt.Errorf("sqlite: create directory for %s: %w", path, err)
			}
		}
	}
	if query.Get("_txlock") == "" {
		query.Set("_txlock", "immediate")
	}
	// In a SQLite URI, %, ? and # in the path must be escaped.
	path = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + path + "?" + query.Encode(), memory, nil
}

// dsnConnector opens connections of a private driver, so that the regexp
// function is registered for this data source only.
type dsnConnector struct {
	drv *msqlite.Driver
	dsn string
}

func (c *dsnConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.drv.Open(c.dsn)
}

func (c *dsnConnector) Driver() driver.Driver { return c.drv }

// foldFunc is lb_fold(text): text in lower case by Unicode rules (SQLite's
// lower() and LIKE fold ASCII only), for ilike.
func foldFunc(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case string:
		return strings.ToLower(v), nil
	case []byte:
		return strings.ToLower(string(v)), nil
	}
	return args[0], nil
}

// newRegexpFunc returns the REGEXP implementation: regexp(pattern, value)
// with a small cache of compiled patterns.
func newRegexpFunc() func(*msqlite.FunctionContext, []driver.Value) (driver.Value, error) {
	var mu sync.Mutex
	cache := map[string]*regexp.Regexp{}
	return func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if args[0] == nil || args[1] == nil {
			return nil, nil
		}
		pattern, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("regexp: pattern must be text")
		}
		var s string
		switch v := args[1].(type) {
		case string:
			s = v
		case []byte:
			s = string(v)
		default:
			s = fmt.Sprint(v)
		}
		mu.Lock()
		re := cache[pattern]
		mu.Unlock()
		if re == nil {
			var err error
			if re, err = regexp.Compile(pattern); err != nil {
				return nil, fmt.Errorf("regexp: %w", err)
			}
			mu.Lock()
			if len(cache) > 256 {
				clear(cache)
			}
			cache[pattern] = re
			mu.Unlock()
		}
		if re.MatchString(s) {
			return int64(1), nil
		}
		return int64(0), nil
	}
}
