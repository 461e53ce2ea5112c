package cron

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// PostgresLocker returns a [Locker] that elects instances with PostgreSQL
// session advisory locks, one per job, keyed by a 64-bit hash of
// "lb.cron." + the job's name. It keeps one connection of db for its
// session; the locks live as long as that session: when the instance
// stops (Close) or its session ends, the lock is free and another
// instance takes the job on its next tick. On every tick the holder checks
// in pg_locks that its session still holds the lock, so a broken
// connection never leaves two instances running a job.
//
// db must reach PostgreSQL (through pgx's database/sql driver, for
// example); every statement is parameterized.
func PostgresLocker(db *sql.DB) Locker { return &pgLocker{db: db} }

type pgLocker struct {
	db   *sql.DB
	mu   sync.Mutex
	conn *sql.Conn
}

// holdSQL takes the lock unless this session holds it already (taking it
// again would stack a second hold on it).
const holdSQL = `SELECT CASE WHEN EXISTS (
	SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
	AND classid = (($1::bigint >> 32) & 4294967295)::oid AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1)
THEN true ELSE pg_try_advisory_lock($1::bigint) END`

func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("lb.cron." + name))
	return int64(h.Sum64())
}

func (l *pgLocker) Hold(ctx context.Context, name string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		c, err := l.db.Conn(ctx)
		if err != nil {
			return false, fmt.Errorf("cron: lock %q: connect: %w", name, err)
		}
		l.conn = c
	}
	var ok bool
	if err := l.conn.QueryRowContext(ctx, holdSQL, lockKey(name)).Scan(&ok); err != nil {
		// Start afresh on the next tick. A session that still works must
		// not go back to the pool holding locks.
		uctx, cancel := context.WithTimeout(context.Background(), time.Second)
		l.conn.ExecContext(uctx, "SELECT pg_advisory_unlock_all()") //nolint:errcheck // best effort: a broken session holds nothing
		cancel()
		l.conn.Close() //nolint:errcheck // see above
		l.conn = nil
		return false, fmt.Errorf("cron: lock %q: %w", name, err)
	}
	return ok, nil
}

// Close ends the session, which releases its advisory locks.
func (l *pgLocker) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return nil
	}
	_, err := l.conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock_all()")
	cerr := l.conn.Close()
	l.conn = nil
	if err != nil {
		return fmt.Errorf("cron: unlock: %w", err)
	}
	return cerr
}
