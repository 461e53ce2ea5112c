package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/mongodb"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
)

// openSQL opens a PostgreSQL, MySQL or MongoDB database from its URL. The returned
// store description leaves the password out.
func openSQL(ctx context.Context, url string) (connector.Connector, string, bool, error) {
	var (
		c    connector.Connector
		kind string
		err  error
	)
	switch {
	case strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://"):
		kind = "PostgreSQL"
		c, err = postgres.Open(url)
	case strings.HasPrefix(url, "mysql://"):
		kind = "MySQL"
		c, err = mysql.Open(url)
	case strings.HasPrefix(url, "mongodb://") || strings.HasPrefix(url, "mongodb+srv://"):
		kind = "MongoDB"
		c, err = mongodb.Open(url)
	default:
		return nil, "", false, fmt.Errorf("DB_URL: unsupported scheme in %q (want sqlite:, file:, :memory:, postgres://, postgresql://, mysql:// or mongodb://)", redact(url))
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("open %s: %w", redact(url), err)
	}
	if p, ok := c.(connector.Pinger); ok {
		if err := p.Ping(ctx); err != nil {
			c.Close()
			return nil, "", false, fmt.Errorf("connect to %s: %w", redact(url), err)
		}
	}
	return c, kind + " " + redact(url), false, nil
}

// redact removes the password from a database URL.
func redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return url
	}
	if user, _, hasPass := strings.Cut(userinfo, ":"); hasPass {
		return scheme + "://" + user + ":xxxxx@" + host
	}
	return url
}
