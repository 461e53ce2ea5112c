package lb_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb"
)

// recorder records lifecycle calls as "start:name" in call order.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, s)
}

// take returns and forgets the calls recorded so far for the given phase:
// the observer names, or with phase "" every call as "phase:name".
func (r *recorder) take(phase string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out, rest []string
	for _, c := range r.calls {
		p, name, _ := strings.Cut(c, ":")
		switch {
		case phase == "":
			out = append(out, c)
		case p == phase:
			out = append(out, name)
		default:
			rest = append(rest, c)
		}
	}
	r.calls = rest
	return out
}

// observer returns an observer that records its three hooks.
func (r *recorder) observer(name, group string) lb.Observer {
	hook := func(phase string) func(context.Context) error {
		return func(context.Context) error { r.add(phase + ":" + name); return nil }
	}
	return lb.Observer{Name: name, Group: group, Init: hook("init"), Start: hook("start"), Stop: hook("stop")}
}

// server is an lb.Server that records its calls; startErr fails Start.
type server struct {
	name     string
	rec      *recorder
	startErr error
}

func (s *server) Start(context.Context) error {
	if s.startErr != nil {
		return s.startErr
	}
	s.rec.add("start:" + s.name)
	return nil
}

func (s *server) Stop(context.Context) error { s.rec.add("stop:" + s.name); return nil }

func mustEqual(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q; want %q", what, got, want)
	}
}

func TestObserverOrder(t *testing.T) {
	tests := []struct {
		name      string
		cfg       lb.Config
		register  func(app *lb.App, r *recorder)
		wantStart []string
	}{
		{
			name: "unlisted groups first in registration order, then listed, server last",
			cfg:  lb.Config{ObserverGroups: []string{"g2", "g1"}},
			register: func(app *lb.App, r *recorder) {
				app.AddServer("s1", &server{name: "s1", rec: r})
				app.Observe(r.observer("a", "g1"))
				app.Observe(r.observer("b", "x"))
				app.Observe(r.observer("c", ""))
				app.Observe(r.observer("d", "g2"))
				app.Observe(r.observer("e", "x"))
			},
			wantStart: []string{"b", "e", "c", "d", "a", "s1"},
		},
		{
			name: "server stays last even when listed first",
			cfg:  lb.Config{ObserverGroups: []string{"server", "db"}},
			register: func(app *lb.App, r *recorder) {
				app.AddServer("rest", &server{name: "rest", rec: r})
				app.Observe(r.observer("db", "db"))
				app.Observe(r.observer("other", "other"))
			},
			wantStart: []string{"other", "db", "rest"},
		},
		{
			name: "disabled groups are skipped",
			cfg:  lb.Config{DisabledGroups: []string{"off"}},
			register: func(app *lb.App, r *recorder) {
				app.Observe(r.observer("a", "off"))
				app.Observe(r.observer("b", "on"))
			},
			wantStart: []string{"b"},
		},
		{
			name: "default config: registration order, server last",
			register: func(app *lb.App, r *recorder) {
				app.AddServer("rest", &server{name: "rest", rec: r})
				app.Observe(r.observer("a", ""))
				app.Observe(r.observer("b", "cache"))
				app.Observe(r.observer("c", ""))
			},
			wantStart: []string{"a", "c", "b", "rest"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			r := &recorder{}
			app := lb.New(tt.cfg)
			tt.register(app, r)
			if err := app.Start(ctx); err != nil {
				t.Fatalf("Start: %v", err)
			}
			calls := r.take("")
			var inits, starts []string
			for _, c := range calls {
				phase, name, _ := strings.Cut(c, ":")
				switch phase {
				case "init":
					inits = append(inits, name)
				case "start":
					starts = append(starts, name)
				}
			}
			// Servers have no Init; every other observer inits in start order.
			wantInit := slices.DeleteFunc(slices.Clone(tt.wantStart), func(n string) bool { return n == "s1" || n == "rest" })
			mustEqual(t, "init order", inits, wantInit)
			mustEqual(t, "start order", starts, tt.wantStart)
			if !slices.Equal(calls[:len(inits)], prefixed("init:", inits)) {
				t.Errorf("calls: got %q; want every init before the first start", calls)
			}
			if err := app.Stop(ctx); err != nil {
				t.Fatalf("Stop: %v", err)
			}
			wantStop := slices.Clone(tt.wantStart)
			slices.Reverse(wantStop)
			mustEqual(t, "stop order", r.take("stop"), wantStop)
		})
	}
}

func prefixed(p string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = p + n
	}
	return out
}

// TestParallelGroup checks that observers of one group run concurrently:
// each one's Start waits for the other's, which cannot finish in sequence.
func TestParallelGroup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	app := lb.New(lb.Config{ParallelObservers: true})
	a, b := make(chan struct{}), make(chan struct{})
	rendezvous := func(mine, other chan struct{}) func(context.Context) error {
		return func(ctx context.Context) error {
			close(mine)
			select {
			case <-other:
				return nil
			case <-ctx.Done():
				return fmt.Errorf("the other observer never started: %w", ctx.Err())
			}
		}
	}
	app.Observe(lb.Observer{Name: "a", Group: "g", Start: rendezvous(a, b)})
	app.Observe(lb.Observer{Name: "b", Group: "g", Start: rendezvous(b, a)})
	if err := app.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if got := app.State(); got != lb.Started {
		t.Errorf("state: got %v; want started", got)
	}
}

func TestStartFailureRollsBack(t *testing.T) {
	boom := errors.New("boom")
	for _, parallel := range []bool{false, true} {
		t.Run(fmt.Sprintf("parallel=%v", parallel), func(t *testing.T) {
			ctx := context.Background()
			r := &recorder{}
			app := lb.New(lb.Config{ObserverGroups: []string{"g1", "g2"}, ParallelObservers: parallel})
			app.AddServer("rest", &server{name: "rest", rec: r})
			app.Observe(r.observer("a", "g1"))
			app.Observe(r.observer("b", "g1"))
			fail := true
			bad := r.observer("bad", "g2")
			goodStart := bad.Start
			bad.Start = func(ctx context.Context) error {
				if fail {
					return boom
				}
				return goodStart(ctx)
			}
			app.Observe(bad)
			app.Observe(r.observer("c", "g2"))

			err := app.Start(ctx)
			if !errors.Is(err, boom) {
				t.Fatalf("Start: got %v; want an error wrapping boom", err)
			}
			if want := `lb: start observer "bad" (group "g2"): boom`; !strings.Contains(err.Error(), want) {
				t.Errorf("error: got %q; want it to contain %q", err, want)
			}
			if got := app.State(); got != lb.Stopped {
				t.Errorf("state: got %v; want stopped", got)
			}
			r.take("init")
			starts := r.take("start")
			stops := r.take("stop")
			if parallel {
				// c ran alongside bad and is stopped before g1. Within a
				// group, order is not defined.
				slices.Sort(starts)
				mustEqual(t, "started", starts, []string{"a", "b", "c"})
				if len(stops) == 3 {
					slices.Sort(stops[1:])
				}
				mustEqual(t, "stopped", stops, []string{"c", "a", "b"})
			} else {
				mustEqual(t, "started", starts, []string{"a", "b"})
				mustEqual(t, "stopped", stops, []string{"b", "a"})
			}

			// The app can be started again once the cause is gone; observers
			// are not initialized twice.
			fail = false
			if err := app.Start(ctx); err != nil {
				t.Fatalf("second Start: %v", err)
			}
			mustEqual(t, "second start inits", r.take("init"), nil)
			if err := app.Stop(ctx); err != nil {
				t.Fatalf("Stop: %v", err)
			}
		})
	}
}

func TestStateTransitions(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	app := lb.New(lb.Config{})
	if got := app.State(); got != lb.Created {
		t.Fatalf("new app: got %v; want created", got)
	}

	// Lifecycle calls made from inside a hook see the transitional state.
	var inHook []string
	try := func(ops ...string) func(context.Context) error {
		return func(ctx context.Context) error {
			for _, op := range ops {
				var err error
				switch op {
				case "init":
					err = app.Init(ctx)
				case "start":
					err = app.Start(ctx)
				case "stop":
					err = app.Stop(ctx)
				}
				var se *lb.StateError
				if !errors.As(err, &se) {
					return fmt.Errorf("%s from a hook: got %v; want a *StateError", op, err)
				}
				inHook = append(inHook, err.Error())
			}
			return nil
		}
	}
	app.Observe(lb.Observer{Name: "probe", Init: try("init", "start", "stop"), Start: try("init", "start", "stop"), Stop: try("init", "start", "stop")})
	app.Observe(r.observer("o", ""))

	steps := []struct {
		op      string
		wantErr string // "" for success
		state   lb.State
	}{
		{"stop", "lb: cannot stop: app is created", lb.Created},
		{"init", "", lb.Initialized},
		{"init", "", lb.Initialized}, // no-op
		{"stop", "lb: cannot stop: app is initialized", lb.Initialized},
		{"start", "", lb.Started},
		{"start", "", lb.Started}, // no-op
		{"init", "", lb.Started},  // no-op
		{"stop", "", lb.Stopped},
		{"stop", "lb: cannot stop: app is stopped", lb.Stopped},
		{"init", "", lb.Stopped},  // no-op
		{"start", "", lb.Started}, // restart
		{"stop", "", lb.Stopped},
	}
	for i, s := range steps {
		var err error
		switch s.op {
		case "init":
			err = app.Init(ctx)
		case "start":
			err = app.Start(ctx)
		case "stop":
			err = app.Stop(ctx)
		}
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != s.wantErr {
			t.Errorf("step %d %s: got error %q; want %q", i, s.op, got, s.wantErr)
		}
		if st := app.State(); st != s.state {
			t.Errorf("step %d %s: got state %v; want %v", i, s.op, st, s.state)
		}
	}
	mustEqual(t, "calls", r.take(""), []string{"init:o", "start:o", "stop:o", "start:o", "stop:o"})
	mustEqual(t, "errors from hooks", inHook, []string{
		"lb: cannot init: app is initializing", "lb: cannot start: app is initializing", "lb: cannot stop: app is initializing",
		"lb: cannot init: app is starting", "lb: cannot start: app is starting", "lb: cannot stop: app is starting",
		"lb: cannot init: app is stopping", "lb: cannot start: app is stopping", "lb: cannot stop: app is stopping",
		"lb: cannot init: app is starting", "lb: cannot start: app is starting", "lb: cannot stop: app is starting",
		"lb: cannot init: app is stopping", "lb: cannot start: app is stopping", "lb: cannot stop: app is stopping",
	})
}

func TestStartRunsInitFirst(t *testing.T) {
	r := &recorder{}
	app := lb.New(lb.Config{})
	app.Observe(r.observer("o", ""))
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "calls", r.take(""), []string{"init:o", "start:o"})
}

func TestInitFailure(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	boom := errors.New("no config")
	app := lb.New(lb.Config{})
	app.Observe(r.observer("a", ""))
	fail := true
	app.Observe(lb.Observer{Name: "b", Init: func(context.Context) error {
		if fail {
			return boom
		}
		r.add("init:b")
		return nil
	}})
	err := app.Init(ctx)
	if !errors.Is(err, boom) || err.Error() != `lb: init observer "b": no config` {
		t.Fatalf("Init: got %v; want lb: init observer \"b\": no config", err)
	}
	if got := app.State(); got != lb.Created {
		t.Errorf("state after failed init: got %v; want created", got)
	}
	fail = false
	if err := app.Start(ctx); err != nil {
		t.Fatalf("Start after failed init: %v", err)
	}
	mustEqual(t, "calls", r.take(""), []string{"init:a", "init:b", "start:a"})
}

func TestStopCallsEveryHook(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	app := lb.New(lb.Config{})
	e1, e2 := errors.New("e1"), errors.New("e2")
	app.Observe(r.observer("a", ""))
	app.Observe(lb.Observer{Name: "b", Stop: func(context.Context) error { return e1 }})
	app.Observe(r.observer("c", ""))
	app.Observe(lb.Observer{Name: "d", Stop: func(context.Context) error { return e2 }})
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.take("")
	err := app.Stop(ctx)
	if !errors.Is(err, e1) || !errors.Is(err, e2) {
		t.Errorf("Stop: got %v; want both e1 and e2", err)
	}
	if !strings.Contains(err.Error(), `lb: stop observer "b": e1`) {
		t.Errorf("Stop error %q does not name observer b", err)
	}
	mustEqual(t, "stopped", r.take("stop"), []string{"c", "a"})
	if got := app.State(); got != lb.Stopped {
		t.Errorf("state: got %v; want stopped", got)
	}
}

func TestObserverAddedWhileStarted(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	app := lb.New(lb.Config{})
	app.Observe(r.observer("a", ""))
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	app.Observe(r.observer("late", ""))
	if err := app.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := app.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// late was never started, so the first stop left it alone; the restart
	// initializes and starts it.
	mustEqual(t, "calls", r.take(""), []string{"init:a", "start:a", "stop:a", "init:late", "start:a", "start:late"})
}

func TestObserverOf(t *testing.T) {
	r := &recorder{}
	o := lb.ObserverOf("rest", "server", &server{name: "rest", rec: r})
	if o.Name != "rest" || o.Group != "server" || o.Init != nil || o.Start == nil || o.Stop == nil {
		t.Errorf("ObserverOf: got %+v; want name, group, Start and Stop set, Init nil", o)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("ObserverOf(struct{}{}) did not panic")
			}
		}()
		lb.ObserverOf("x", "", struct{}{})
	}()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Observe with an empty name did not panic")
			}
		}()
		lb.New(lb.Config{}).Observe(lb.Observer{})
	}()
}

func TestStateString(t *testing.T) {
	for s, want := range map[lb.State]string{lb.Created: "created", lb.Initializing: "initializing", lb.Stopped: "stopped", lb.State(42): "State(42)"} {
		if got := s.String(); got != want {
			t.Errorf("String: got %q; want %q", got, want)
		}
	}
}
