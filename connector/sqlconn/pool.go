package sqlconn

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Pool holds the pool settings the SQL connectors share. A zero field means
// the default given to [Pool.Apply].
type Pool struct {
	MaxOpenConns    int
	MaxIdleConns    int           // 0: MaxOpenConns
	ConnMaxLifetime time.Duration // 0: the default
	ConnMaxIdleTime time.Duration // 0: the default
}

// Apply sets the pool settings of db, with def filling in zero fields (a
// zero MaxIdleConns means MaxOpenConns).
func (p Pool) Apply(db *sql.DB, def Pool) {
	if p.MaxOpenConns <= 0 {
		p.MaxOpenConns = def.MaxOpenConns
	}
	if p.MaxIdleConns <= 0 {
		p.MaxIdleConns = p.MaxOpenConns
	}
	if p.ConnMaxLifetime <= 0 {
		p.ConnMaxLifetime = def.ConnMaxLifetime
	}
	if p.ConnMaxIdleTime <= 0 {
		p.ConnMaxIdleTime = def.ConnMaxIdleTime
	}
	db.SetMaxOpenConns(p.MaxOpenConns)
	db.SetMaxIdleConns(p.MaxIdleConns)
	db.SetConnMaxLifetime(p.ConnMaxLifetime)
	db.SetConnMaxIdleTime(p.ConnMaxIdleTime)
}

// Env reads the settings of a data source from environment variables named
// PREFIX_KEY. The first malformed value is kept as Err; later reads do
// nothing.
type Env struct {
	// Prefix is put before every key, with an underscore.
	Prefix string
	// Err is the first error, or nil.
	Err error
}

// String returns PREFIX_key, or "".
func (e *Env) String(key string) string { return os.Getenv(e.Prefix + "_" + key) }

// Int sets *dst from PREFIX_key when it is set.
func (e *Env) Int(key string, dst *int) {
	if v := e.String(key); v != "" && e.Err == nil {
		n, err := strconv.Atoi(v)
		if err != nil {
			e.Err = fmt.Errorf("%s_%s: %w", e.Prefix, key, err)
			return
		}
		*dst = n
	}
}

// Duration sets *dst from PREFIX_key (a Go duration: "30s") when it is set.
func (e *Env) Duration(key string, dst *time.Duration) {
	if v := e.String(key); v != "" && e.Err == nil {
		d, err := time.ParseDuration(v)
		if err != nil {
			e.Err = fmt.Errorf("%s_%s: %w", e.Prefix, key, err)
			return
		}
		*dst = d
	}
}
