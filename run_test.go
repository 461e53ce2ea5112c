package lb_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loopback-go/lb"
)

// runApp starts app.Run in a goroutine and returns a channel with its result
// and a channel closed once the app's observers have started.
func runApp(ctx context.Context, app *lb.App, r *recorder) (<-chan error, <-chan struct{}) {
	started := make(chan struct{})
	app.Observe(lb.Observer{
		Name:  "started",
		Group: "zz-last", // unlisted groups run in registration order: this one is last
		Start: func(context.Context) error { close(started); return nil },
		Stop:  func(context.Context) error { r.add("stop:started"); return nil },
	})
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	return done, started
}

// wait returns the result of Run, failing the test if Run does not return
// within a minute (a hang, not a speed check).
func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunContextCancel(t *testing.T) {
	r := &recorder{}
	app := lb.New(lb.Config{})
	app.Observe(r.observer("a", ""))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done, started := runApp(ctx, app, r)
	<-started
	if got := app.State(); got != lb.Started {
		t.Errorf("state while running: got %v; want started", got)
	}
	cancel()
	if err := wait(t, done); err != nil {
		t.Fatalf("Run: got %v; want nil", err)
	}
	mustEqual(t, "stopped", r.take("stop"), []string{"started", "a"})
	if got := app.State(); got != lb.Stopped {
		t.Errorf("state after Run: got %v; want stopped", got)
	}
}

func TestRunSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			r := &recorder{}
			app := lb.New(lb.Config{})
			app.Observe(r.observer("a", ""))
			done, started := runApp(context.Background(), app, r)
			// Run has registered for the signals before it starts the
			// observers, so once they have started the signal is Run's.
			<-started
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatalf("kill: %v", err)
			}
			if err := wait(t, done); err != nil {
				t.Fatalf("Run: got %v; want nil", err)
			}
			mustEqual(t, "stopped", r.take("stop"), []string{"started", "a"})
		})
	}
}

func TestRunGracePeriodExpires(t *testing.T) {
	r := &recorder{}
	release := make(chan struct{})
	defer close(release)
	app := lb.New(lb.Config{GracePeriod: 10 * time.Millisecond})
	// A stop hook that ignores its context: Run must not wait for it.
	app.Observe(lb.Observer{Name: "stuck", Stop: func(context.Context) error { <-release; return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	done, started := runApp(ctx, app, r)
	<-started
	cancel()
	err := wait(t, done)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run: got %v; want an error wrapping context.DeadlineExceeded", err)
	}
	if want := "lb: stop: grace period 10ms expired"; !strings.Contains(err.Error(), want) {
		t.Errorf("Run error: got %q; want it to contain %q", err, want)
	}
	if got := app.State(); got != lb.Stopping {
		t.Errorf("state: got %v; want stopping (the stuck hook is still running)", got)
	}
}

func TestRunStopHookSeesGraceDeadline(t *testing.T) {
	r := &recorder{}
	app := lb.New(lb.Config{GracePeriod: time.Hour})
	var deadline time.Time
	var hasDeadline bool
	app.Observe(lb.Observer{Name: "d", Stop: func(ctx context.Context) error {
		deadline, hasDeadline = ctx.Deadline()
		return ctx.Err()
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done, started := runApp(ctx, app, r)
	<-started
	cancel()
	if err := wait(t, done); err != nil {
		t.Fatalf("Run: got %v; want nil (the stop context must not be canceled with Run's)", err)
	}
	if !hasDeadline || time.Until(deadline) < 50*time.Minute {
		t.Errorf("stop context deadline: got %v (set %v); want about an hour from now", deadline, hasDeadline)
	}
}

func TestRunErrors(t *testing.T) {
	boom := errors.New("boom")
	t.Run("start", func(t *testing.T) {
		app := lb.New(lb.Config{})
		app.AddServer("rest", &server{rec: &recorder{}, startErr: boom})
		err := app.Run(context.Background())
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), `lb: start observer "rest" (group "server"): boom`) {
			t.Errorf("Run: got %v; want the start error naming the server", err)
		}
	})
	t.Run("stop", func(t *testing.T) {
		r := &recorder{}
		app := lb.New(lb.Config{})
		app.Observe(lb.Observer{Name: "s", Stop: func(context.Context) error { return boom }})
		ctx, cancel := context.WithCancel(context.Background())
		done, started := runApp(ctx, app, r)
		<-started
		cancel()
		if err := wait(t, done); !errors.Is(err, boom) {
			t.Errorf("Run: got %v; want the stop error", err)
		}
	})
	t.Run("already started", func(t *testing.T) {
		app := lb.New(lb.Config{})
		ctx, cancel := context.WithCancel(context.Background())
		if err := app.Start(ctx); err != nil {
			t.Fatal(err)
		}
		cancel() // Run on a started app: Start is a no-op, then it waits and stops
		if err := app.Run(ctx); err != nil {
			t.Errorf("Run: got %v; want nil", err)
		}
		if app.State() != lb.Stopped {
			t.Errorf("state: got %v; want stopped", app.State())
		}
	})
}
