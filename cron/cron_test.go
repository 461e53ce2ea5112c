package cron_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/cron"
	"github.com/loopback-go/lb/fault"
)

func pgDB(t *testing.T) *sql.DB {
	t.Helper()
	url := os.Getenv("LB_TEST_POSTGRES_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	c, err := postgres.Open(url)
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+url+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.DB()
}

// ticks records, per second, which instances ran the job.
type ticks struct {
	mu  sync.Mutex
	ran map[int64][]string
}

func (tk *ticks) job(instance string) func(context.Context) error {
	return func(context.Context) error {
		tk.mu.Lock()
		defer tk.mu.Unlock()
		s := time.Now().Unix()
		tk.ran[s] = append(tk.ran[s], instance)
		return nil
	}
}

func (tk *ticks) snapshot() map[int64][]string {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	out := map[int64][]string{}
	for k, v := range tk.ran {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// TestOnceAcrossInstances: two instances (schedulers with their own
// database sessions) with the same Once job on a 1-second schedule: each
// tick runs it exactly once; when the instance that runs it stops, the
// other takes over.
func TestOnceAcrossInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds")
	}
	db1, db2 := pgDB(t), pgDB(t)
	name := "tick-" + sqltest.Suffix() // concurrent runs of this test do not share the lock
	tk := &ticks{ran: map[int64][]string{}}
	a := cron.New(cron.Config{Locker: cron.PostgresLocker(db1)})
	b := cron.New(cron.Config{Locker: cron.PostgresLocker(db2)})
	for inst, s := range map[string]*cron.Scheduler{"a": a, "b": b} {
		if err := s.Add(cron.Job{Name: name, Schedule: "* * * * * *", Once: true, Run: tk.job(inst)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(3500 * time.Millisecond)
	first := tk.snapshot()
	if len(first) < 2 {
		t.Fatalf("ticks in 3.5 s: got %d; want at least 2: %v", len(first), first)
	}
	var leader string
	for sec, who := range first {
		if len(who) != 1 {
			t.Errorf("tick %d ran on %v; want exactly one instance", sec, who)
		}
		if leader == "" {
			leader = who[0]
		}
	}
	// Stop the instance that runs the job; the other takes it over.
	stopLeader, other := a, b
	if leader == "b" {
		stopLeader, other = b, a
	}
	if err := stopLeader.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	if err := other.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := tk.snapshot()
	took := 0
	for sec, who := range after {
		if len(who) != 1 {
			t.Errorf("tick %d ran on %v; want exactly one instance", sec, who)
		}
		if _, seen := first[sec]; !seen && who[0] != leader {
			took++
		}
	}
	if took < 1 {
		t.Errorf("after %s stopped, the other instance ran no tick: %v", leader, after)
	}
}

func TestLocalJobAndStop(t *testing.T) {
	s := cron.New(cron.Config{})
	var n atomic.Int32
	started := make(chan struct{}, 10)
	release := make(chan struct{})
	if err := s.Add(cron.Job{Name: "work", Schedule: "@every 100ms", Run: func(ctx context.Context) error {
		n.Add(1)
		started <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-started
	time.Sleep(300 * time.Millisecond) // ticks while the run goes on are skipped
	if got := n.Load(); got != 1 {
		t.Errorf("runs while the first is still going: got %d; want 1", got)
	}
	// Stop waits for the run until its context is done.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Stop with a job running past the grace period: got %v; want DeadlineExceeded", err)
	}
	close(release)
}

func TestAddErrors(t *testing.T) {
	s := cron.New(cron.Config{})
	run := func(context.Context) error { return nil }
	tests := []struct {
		job  cron.Job
		want string
	}{
		{cron.Job{Schedule: "@hourly", Run: run}, "name: required"},
		{cron.Job{Name: "x", Schedule: "61 * * * *", Run: run}, `job "x": schedule "61 * * * *"`},
		{cron.Job{Name: "x", Schedule: "@hourly"}, `job "x": run: required`},
		{cron.Job{Name: "x", Schedule: "@hourly", Run: run, Once: true}, `job "x": once: needs a Locker`},
	}
	for _, tt := range tests {
		if err := s.Add(tt.job); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%+v): got %v; want an error containing %q", tt.job.Name, err, tt.want)
		}
	}
	if err := s.Add(cron.Job{Name: "x", Schedule: "@hourly", Run: run}); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(cron.Job{Name: "x", Schedule: "@daily", Run: run}); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Errorf("duplicate name: got %v", err)
	}
}
