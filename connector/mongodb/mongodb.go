package mongodb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
)

// Config configures a MongoDB data source as LoopBack's mongodb datasource
// does: a URL, or host, port, database, user and password, or both (fields
// override what the URL says). The zero value connects to
// mongodb://127.0.0.1:27017 and uses the database "test".
type Config struct {
	// Name is the data source's name in error messages; "" means
	// "mongodb".
	Name string
	// URL is a MongoDB connection string:
	// "mongodb://user:pass@localhost:27017/todo?authSource=admin". Its
	// path names the database.
	URL string
	// Host, Port, User, Password and Database override the URL's.
	Host     string
	Port     int
	User     string
	Password string
	Database string
	// AuthSource is the database holding the user; "" means the driver's
	// default (the database, or admin).
	AuthSource string
	// ConnectTimeout bounds connecting and choosing a server for each
	// call; 0 means the URL's connectTimeoutMS and
	// serverSelectionTimeoutMS, or 10s. A call that finds no server in
	// that time fails with a 503.
	ConnectTimeout time.Duration
	// Timeout bounds each operation (the server is told with maxTimeMS),
	// so that an expensive query, such as a regular expression a client
	// wrote, cannot run on; the call then fails with a 503. It applies
	// when the call's context has no deadline of its own. 0 means no
	// bound (or the URL's timeoutMS).
	Timeout time.Duration
	// MaxPoolSize limits open connections; 0 means 100 (the driver's).
	MaxPoolSize int
	// MinPoolSize is the number of connections kept open; 0 means none.
	MinPoolSize int
	// MaxConnIdleTime closes connections idle longer than this; 0 means
	// never.
	MaxConnIdleTime time.Duration
}

// ConfigFromEnv reads a Config from environment variables with the given
// prefix: PREFIX_NAME, PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER,
// PREFIX_PASSWORD, PREFIX_DATABASE, PREFIX_AUTH_SOURCE,
// PREFIX_MAX_POOL_SIZE, PREFIX_MIN_POOL_SIZE, PREFIX_CONNECT_TIMEOUT,
// PREFIX_TIMEOUT and PREFIX_MAX_CONN_IDLE_TIME (Go durations). ConfigFromEnv("TODO_DB")
// reads TODO_DB_URL and so on. A malformed number or duration is an error.
func ConfigFromEnv(prefix string) (Config, error) {
	get := func(k string) string { return os.Getenv(prefix + "_" + k) }
	cfg := Config{Name: get("NAME"), URL: get("URL"), Host: get("HOST"), User: get("USER"),
		Password: get("PASSWORD"), Database: get("DATABASE"), AuthSource: get("AUTH_SOURCE")}
	var errs []error
	num := func(k string, dst *int) {
		if s := get(k); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_%s: %w", prefix, k, err))
			}
			*dst = n
		}
	}
	dur := func(k string, dst *time.Duration) {
		if s := get(k); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_%s: %w", prefix, k, err))
			}
			*dst = d
		}
	}
	num("PORT", &cfg.Port)
	num("MAX_POOL_SIZE", &cfg.MaxPoolSize)
	num("MIN_POOL_SIZE", &cfg.MinPoolSize)
	dur("CONNECT_TIMEOUT", &cfg.ConnectTimeout)
	dur("TIMEOUT", &cfg.Timeout)
	dur("MAX_CONN_IDLE_TIME", &cfg.MaxConnIdleTime)
	if err := errors.Join(errs...); err != nil {
		return cfg, fmt.Errorf("mongodb: %w", err)
	}
	return cfg, nil
}

// uri builds the connection string of cfg and the database name.
func (cfg Config) uri() (string, string, error) {
	raw := cfg.URL
	if raw == "" {
		raw = "mongodb://127.0.0.1:27017/"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") {
		return "", "", errors.New("mongodb: url: want mongodb://host[:port]/database")
	}
	if cfg.Host != "" || cfg.Port != 0 {
		host, port := u.Hostname(), u.Port()
		if cfg.Host != "" {
			host = cfg.Host
		}
		if cfg.Port != 0 {
			port = strconv.Itoa(cfg.Port)
		}
		if port == "" || u.Scheme == "mongodb+srv" {
			u.Host = host
		} else {
			u.Host = host + ":" + port
		}
	}
	if cfg.User != "" || cfg.Password != "" {
		user := cfg.User
		if user == "" && u.User != nil {
			user = u.User.Username()
		}
		pass := cfg.Password
		if pass == "" && u.User != nil {
			pass, _ = u.User.Password()
		}
		u.User = url.UserPassword(user, pass)
	}
	db := strings.TrimPrefix(u.Path, "/")
	if cfg.Database != "" {
		db = cfg.Database
	}
	if db == "" {
		db = "test"
	}
	if cfg.AuthSource != "" {
		q := u.Query()
		q.Set("authSource", cfg.AuthSource)
		u.RawQuery = q.Encode()
	}
	return u.String(), db, nil
}

// Connector is the MongoDB connector: a connector.Connector with
// migration (indexes), discovery by sampling and Ping, over the official
// driver. It is safe for concurrent use.
type Connector struct {
	name    string
	client  *mongo.Client
	db      *mongo.Database
	timeout time.Duration
	maps    *mappings
}

var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.Migrator   = (*Connector)(nil)
	_ connector.Discoverer = (*Connector)(nil)
	_ connector.Pinger     = (*Connector)(nil)
)

// Open connects to the database of url with default settings:
//
//	c, err := mongodb.Open("mongodb://localhost:27017/todo")
func Open(url string) (*Connector, error) { return New(Config{URL: url}) }

// New connects as configured. It checks that the server answers before
// returning (an unreachable server is a fault.Unavailable error); the
// driver reconnects by itself after the server comes back.
func New(cfg Config) (*Connector, error) {
	uri, dbName, err := cfg.uri()
	if err != nil {
		return nil, err
	}
	timeout := cfg.ConnectTimeout
	var opts *options.ClientOptions
	if timeout > 0 {
		opts = options.Client().ApplyURI(uri).SetConnectTimeout(timeout).SetServerSelectionTimeout(timeout)
	} else {
		// The URL's connectTimeoutMS and serverSelectionTimeoutMS win
		// over the 10s default.
		timeout = 10 * time.Second
		opts = options.Client().SetConnectTimeout(timeout).SetServerSelectionTimeout(timeout).ApplyURI(uri)
	}
	if cfg.Timeout > 0 {
		opts.SetTimeout(cfg.Timeout)
	}
	if cfg.MaxPoolSize > 0 {
		opts.SetMaxPoolSize(uint64(cfg.MaxPoolSize))
	}
	if cfg.MinPoolSize > 0 {
		opts.SetMinPoolSize(uint64(cfg.MinPoolSize))
	}
	if cfg.MaxConnIdleTime > 0 {
		opts.SetMaxConnIdleTime(cfg.MaxConnIdleTime)
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("mongodb: options: %w", err)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: connect: %w", err)
	}
	name := cfg.Name
	if name == "" {
		name = "mongodb"
	}
	c := &Connector{name: name, client: client, db: client.Database(dbName), timeout: timeout, maps: newMappings()}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("mongodb: open: %w", err)
	}
	return c, nil
}

// Database is the name of the database the connector works in.
func (c *Connector) Database() string { return c.db.Name() }

// Client is the driver's client, for what the connector does not cover.
// Commands run through it bypass the connector's error mapping.
func (c *Connector) Client() *mongo.Client { return c.client }

// Ping checks that the server answers; see [connector.Pinger].
func (c *Connector) Ping(ctx context.Context) error {
	if err := c.client.Ping(ctx, readpref.Primary()); err != nil {
		return c.fail("ping", err)
	}
	return nil
}

// Close disconnects from the server.
func (c *Connector) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if err := c.client.Disconnect(ctx); err != nil && !errors.Is(err, mongo.ErrClientDisconnected) {
		return fmt.Errorf("mongodb: close: %w", err)
	}
	return nil
}

// unavailable reports whether err means the server could not be reached.
func unavailable(err error) bool {
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var sel topology.ServerSelectionError
	return errors.As(err, &sel)
}

// fail maps a driver error of step to a fault kind. The driver's text is
// kept only in the wrapped error (for logs), never in the message.
func (c *Connector) fail(step string, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", step, err)
	}
	if unavailable(err) {
		return &fault.Error{Kind: fault.Unavailable, Code: "DATASOURCE_UNAVAILABLE",
			Message: fmt.Sprintf("datasource %s is unavailable", c.name), Err: err}
	}
	var ce mongo.CommandError
	if errors.As(err, &ce) && ce.Code == 11600 { // InterruptedAtShutdown
		return &fault.Error{Kind: fault.Unavailable, Code: "DATASOURCE_UNAVAILABLE",
			Message: fmt.Sprintf("datasource %s is unavailable", c.name), Err: err}
	}
	return &fault.Error{Kind: fault.Internal, Message: fmt.Sprintf("%s: %s failed", c.name, step), Err: err}
}

// idFilter selects one document by id.
func idFilter(id any) bson.D { return bson.D{{Key: "_id", Value: id}} }
