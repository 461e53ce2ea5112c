package cron

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	robfig "github.com/robfig/cron/v3"
)

// Job is a scheduled job.
type Job struct {
	// Name identifies the job in logs and, for Once jobs, names its lock
	// across instances. Required and unique within a scheduler.
	Name string
	// Schedule is a cron expression with an optional leading seconds field
	// ("0 */5 * * * *" or "*/5 * * * *", as LoopBack's @loopback/cron
	// takes), or a descriptor such as "@hourly" or "@every 30s".
	Schedule string
	// Run does the work. Its context is canceled when the scheduler stops
	// and the grace period is over. A run still going when the next tick
	// comes makes that tick skip the job.
	Run func(ctx context.Context) error
	// Once runs the job on one instance only, when several instances of
	// the app share a database: only the instance that holds the job's
	// lock ([Config.Locker]) runs it; the others take over, on their next
	// tick, when that instance stops or loses its database session.
	Once bool
}

// Locker elects, per job, the one instance that runs it. [PostgresLocker]
// implements it with PostgreSQL advisory locks, package cron/redislock
// with Redis keys.
type Locker interface {
	// Hold reports whether this instance holds the lock named name,
	// taking it when it is free. It is called on each tick of a Once job.
	Hold(ctx context.Context, name string) (bool, error)
	// Close releases every lock this instance holds.
	Close() error
}

// Config configures a [Scheduler]. The zero value is usable for jobs that
// are not Once.
type Config struct {
	// Locker is required when a job is Once.
	Locker Locker
	// Location is the time zone of the schedules; nil means time.Local.
	Location *time.Location
	// Logger receives job failures and skipped ticks; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Scheduler runs jobs on their schedules between Start and Stop, as a
// lifecycle observer of the app (lb.Starter and lb.Stopper):
//
//	s := cron.New(cron.Config{Locker: cron.PostgresLocker(db)})
//	s.Add(cron.Job{Name: "purge", Schedule: "0 0 * * * *", Once: true, Run: purge})
//	app.Observe(lb.ObserverOf("cron", "cron", s))
type Scheduler struct {
	cfg    Config
	c      *robfig.Cron
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	names   map[string]bool
	started bool
}

var parser = robfig.NewParser(robfig.SecondOptional | robfig.Minute | robfig.Hour | robfig.Dom |
	robfig.Month | robfig.Dow | robfig.Descriptor)

// New returns a scheduler with no jobs.
func New(cfg Config) *Scheduler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.Local
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		cfg: cfg, ctx: ctx, cancel: cancel, names: map[string]bool{},
		c: robfig.New(robfig.WithLocation(loc), robfig.WithParser(parser)),
	}
}

// Add schedules j. It fails, naming the job, when the name is empty or
// taken, the schedule does not parse, Run is nil, or j is Once and the
// scheduler has no Locker. Jobs may be added before or after Start.
func (s *Scheduler) Add(j Job) error {
	if j.Name == "" {
		return errors.New("cron: job: name: required")
	}
	if j.Run == nil {
		return fmt.Errorf("cron: job %q: run: required", j.Name)
	}
	if j.Once && s.cfg.Locker == nil {
		return fmt.Errorf("cron: job %q: once: needs a Locker in the scheduler's Config", j.Name)
	}
	sched, err := parser.Parse(j.Schedule)
	if err != nil {
		return fmt.Errorf("cron: job %q: schedule %q: %w", j.Name, j.Schedule, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.names[j.Name] {
		return fmt.Errorf("cron: job %q: name already in use", j.Name)
	}
	s.names[j.Name] = true
	s.c.Schedule(sched, &runner{s: s, j: j})
	return nil
}

// Start starts running the jobs on their schedules. It implements
// lb.Starter.
func (s *Scheduler) Start(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("cron: already started")
	}
	s.started = true
	s.c.Start()
	return nil
}

// Stop stops scheduling and waits for running jobs to return until ctx is
// done, then cancels their context; last it releases the locks this
// instance holds, so another instance takes the Once jobs over. It
// implements lb.Stopper.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	started := s.started
	s.started = false
	s.mu.Unlock()
	var err error
	if started {
		done := s.c.Stop()
		select {
		case <-done.Done():
		case <-ctx.Done():
			err = fmt.Errorf("cron: stop: %w", ctx.Err())
		}
	}
	s.cancel()
	if s.cfg.Locker != nil {
		if cerr := s.cfg.Locker.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("cron: release locks: %w", cerr)
		}
	}
	return err
}

// runner runs one job on its ticks.
type runner struct {
	s       *Scheduler
	j       Job
	running atomic.Bool
}

func (r *runner) Run() {
	log := r.s.cfg.Logger
	if !r.running.CompareAndSwap(false, true) {
		log.LogAttrs(r.s.ctx, slog.LevelWarn, "cron: job still running, tick skipped", slog.String("job", r.j.Name))
		return
	}
	defer r.running.Store(false)
	if r.j.Once {
		ok, err := r.s.cfg.Locker.Hold(r.s.ctx, r.j.Name)
		if err != nil {
			log.LogAttrs(r.s.ctx, slog.LevelWarn, "cron: lock failed, tick skipped", slog.String("job", r.j.Name), slog.Any("error", err))
			return
		}
		if !ok {
			return // another instance runs it
		}
	}
	defer func() {
		if v := recover(); v != nil {
			log.LogAttrs(r.s.ctx, slog.LevelError, "cron: job panicked", slog.String("job", r.j.Name), slog.Any("panic", v))
		}
	}()
	if err := r.j.Run(r.s.ctx); err != nil {
		log.LogAttrs(r.s.ctx, slog.LevelError, "cron: job failed", slog.String("job", r.j.Name), slog.Any("error", err))
	}
}
