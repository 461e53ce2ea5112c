package mysql

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/loopback-go/lb/connector/sqlconn"
)

// Config configures a MySQL or MariaDB data source: a URL, or fields, or
// both (fields override what the URL says). The zero value connects to
// 127.0.0.1:3306 as root with no database selected.
type Config struct {
	// Name is the data source's name in error messages; "" means "mysql".
	Name string
	// URL is "mysql://user:pass@host:3306/db?param=value" or a
	// go-sql-driver DSN "user:pass@tcp(host:3306)/db".
	URL string
	// Host, Port, User, Password and Database override the URL's.
	Host     string
	Port     int
	User     string
	Password string
	Database string
	// ConnectTimeout bounds each connection attempt; 0 means 10s.
	ConnectTimeout time.Duration
	// MaxOpenConns limits open connections; 0 means 10.
	MaxOpenConns int
	// MaxIdleConns is the number of idle connections kept; 0 means
	// MaxOpenConns.
	MaxIdleConns int
	// ConnMaxLifetime closes connections older than this; 0 means 30m
	// (below the server's wait_timeout).
	ConnMaxLifetime time.Duration
	// ConnMaxIdleTime closes connections idle longer than this; 0 means 5m.
	ConnMaxIdleTime time.Duration
	// MaxWriters bounds the multi-row updates and deletes of one model
	// running at once outside transactions (see sqlconn.Options); 0 means
	// half of MaxOpenConns, negative means no bound.
	MaxWriters int
}

// ConfigFromEnv reads a Config from environment variables with the given
// prefix: PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER,
// PREFIX_PASSWORD, PREFIX_DATABASE, PREFIX_MAX_OPEN_CONNS,
// PREFIX_MAX_IDLE_CONNS, PREFIX_MAX_WRITERS, PREFIX_CONN_MAX_LIFETIME and
// PREFIX_CONNECT_TIMEOUT (Go durations).
func ConfigFromEnv(prefix string) (Config, error) {
	e := &sqlconn.Env{Prefix: prefix}
	cfg := Config{Name: e.String("NAME"), URL: e.String("URL"), Host: e.String("HOST"), User: e.String("USER"),
		Password: e.String("PASSWORD"), Database: e.String("DATABASE")}
	e.Int("PORT", &cfg.Port)
	e.Int("MAX_OPEN_CONNS", &cfg.MaxOpenConns)
	e.Int("MAX_IDLE_CONNS", &cfg.MaxIdleConns)
	e.Duration("CONN_MAX_LIFETIME", &cfg.ConnMaxLifetime)
	e.Duration("CONNECT_TIMEOUT", &cfg.ConnectTimeout)
	e.Int("MAX_WRITERS", &cfg.MaxWriters)
	if e.Err != nil {
		return cfg, fmt.Errorf("mysql: %w", e.Err)
	}
	return cfg, nil
}

// driverConfig builds the driver's configuration.
func (cfg Config) driverConfig() (*gomysql.Config, error) {
	dc := gomysql.NewConfig()
	dc.Net, dc.Addr, dc.User = "tcp", "127.0.0.1:3306", "root"
	switch u := cfg.URL; {
	case strings.HasPrefix(u, "mysql://") || strings.HasPrefix(u, "mariadb://"):
		pu, err := url.Parse(u)
		if err != nil {
			return nil, fmt.Errorf("mysql: url: %w", err)
		}
		if pu.Host != "" {
			dc.Addr = pu.Host
			if pu.Port() == "" {
				dc.Addr = net.JoinHostPort(pu.Hostname(), "3306")
			}
		}
		if pu.User != nil {
			dc.User = pu.User.Username()
			dc.Passwd, _ = pu.User.Password()
		}
		dc.DBName = strings.TrimPrefix(pu.Path, "/")
		if q := pu.Query(); len(q) > 0 {
			dc.Params = map[string]string{}
			for k := range q {
				dc.Params[k] = q.Get(k)
			}
		}
	case u != "":
		parsed, err := gomysql.ParseDSN(u)
		if err != nil {
			return nil, fmt.Errorf("mysql: dsn: %w", err)
		}
		dc = parsed
	}
	if cfg.Host != "" || cfg.Port != 0 {
		host, port, _ := net.SplitHostPort(dc.Addr)
		if cfg.Host != "" {
			host = cfg.Host
		}
		if cfg.Port != 0 {
			port = strconv.Itoa(cfg.Port)
		}
		if port == "" {
			port = "3306"
		}
		dc.Addr = net.JoinHostPort(host, port)
	}
	if cfg.User != "" {
		dc.User = cfg.User
	}
	if cfg.Password != "" {
		dc.Passwd = cfg.Password
	}
	if cfg.Database != "" {
		dc.DBName = cfg.Database
	}
	// What the connector relies on: times in UTC as time.Time, UpdateAll
	// counting matched (not changed) rows, one statement per call, and
	// server-side parameters.
	dc.ParseTime = true
	dc.Loc = time.UTC
	dc.ClientFoundRows = true
	dc.MultiStatements = false
	dc.InterpolateParams = false
	if dc.Collation == "" {
		dc.Collation = "utf8mb4_unicode_ci"
	}
	dc.Timeout = cfg.ConnectTimeout
	if dc.Timeout <= 0 {
		dc.Timeout = 10 * time.Second
	}
	dc.Logger = nopLogger{}
	return dc, nil
}

type nopLogger struct{}

func (nopLogger) Print(...any) {}

// Connector is the MySQL / MariaDB connector: a connector.Connector with
// transactions, migration, discovery, Execute and Ping (all from
// [sqlconn.Connector]).
type Connector struct {
	*sqlconn.Connector
}

// Open connects to the database at url with default pool settings:
//
//	c, err := mysql.Open("mysql://root@127.0.0.1:3306/todo")
func Open(url string) (*Connector, error) { return New(Config{URL: url}) }

// New connects as configured and checks the connection; the pool
// reconnects by itself after the server restarts.
func New(cfg Config) (*Connector, error) {
	dc, err := cfg.driverConfig()
	if err != nil {
		return nil, err
	}
	conn, err := gomysql.NewConnector(dc)
	if err != nil {
		return nil, fmt.Errorf("mysql: %w", err)
	}
	db := sqlOpenDB(conn)
	sqlconn.Pool{MaxOpenConns: cfg.MaxOpenConns, MaxIdleConns: cfg.MaxIdleConns,
		ConnMaxLifetime: cfg.ConnMaxLifetime, ConnMaxIdleTime: cfg.ConnMaxIdleTime}.
		Apply(db, sqlconn.Pool{MaxOpenConns: 10, ConnMaxLifetime: 30 * time.Minute, ConnMaxIdleTime: 5 * time.Minute})
	name := cfg.Name
	if name == "" {
		name = "mysql"
	}
	c := &Connector{sqlconn.New(name, Dialect{}, db, sqlconn.Options{CacheStatements: 64, CacheWrites: true, MaxWriters: cfg.MaxWriters})}
	ctx, cancel := context.WithTimeout(context.Background(), dc.Timeout)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("mysql: open: %w", err)
	}
	return c, nil
}
