package memory_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
	"github.com/loopback-go/lb/connector/memory"
)

// callLog counts the calls an observed connector reports, by model and
// method, and checks that every call that starts also ends.
type callLog struct {
	mu    sync.Mutex
	calls map[connector.Call]int
	open  int
	errs  int
}

func (l *callLog) ObserveCall(ctx context.Context, c connector.Call) (context.Context, func(error)) {
	l.mu.Lock()
	if l.calls == nil {
		l.calls = map[connector.Call]int{}
	}
	l.calls[c]++
	l.open++
	l.mu.Unlock()
	return ctx, func(err error) {
		l.mu.Lock()
		l.open--
		if err != nil {
			l.errs++
		}
		l.mu.Unlock()
	}
}

// TestConformanceObserved runs the whole conformance suite through
// connector.Observe: the wrapper changes nothing a caller can see, and
// reports every call.
func TestConformanceObserved(t *testing.T) {
	var log callLog
	connectortest.RunWith(t, func(t *testing.T) connector.Connector {
		c, err := memory.New(memory.Config{})
		if err != nil {
			t.Fatal(err)
		}
		return connector.Observe(c, &log)
	}, connectortest.Options{Prefix: "Obs", LikeIsRegexp: true})
	log.mu.Lock()
	defer log.mu.Unlock()
	if log.open != 0 {
		t.Errorf("calls started but not ended: got %d; want 0", log.open)
	}
	if log.calls[connector.Call{Model: "ObsTodo", Method: "Create"}] == 0 {
		t.Errorf("no Create of ObsTodo reported; got %v", log.calls)
	}
	if log.calls[connector.Call{Model: "ObsTodo", Method: "Find"}] == 0 {
		t.Errorf("no Find of ObsTodo reported")
	}
	if log.errs == 0 {
		t.Errorf("no failed call reported; the suite makes some")
	}
}

func TestObserveCapabilities(t *testing.T) {
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := connector.Observe(c); got != connector.Connector(c) {
		t.Errorf("Observe with no observers: got %T; want the connector itself", got)
	}
	var log callLog
	o := connector.Observe(c, &log, &log)
	for name, ok := range map[string]bool{
		"JSONFinder": is[connector.JSONFinder](o), "OwnedCreator": is[connector.OwnedCreator](o),
		"KeyValue": is[connector.KeyValue](o), "Pinger": is[connector.Pinger](o),
		"Transactor": is[connector.Transactor](o),
	} {
		if !ok {
			t.Errorf("observed memory connector lost %s", name)
		}
	}
	if connector.Unwrap(o) != connector.Connector(c) {
		t.Errorf("Unwrap: got %T; want the memory connector", connector.Unwrap(o))
	}
	if err := o.(connector.Pinger).Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := log.calls[connector.Call{Method: "Ping"}]; got != 2 {
		t.Errorf("Ping seen by two observers: got %d; want 2", got)
	}
	// A connector with only the base interface gets errors.ErrUnsupported
	// from the capabilities every wrapper has, and none of the others.
	b := connector.Observe(baseOnly{c}, &log)
	if is[connector.KeyValue](b) || is[connector.JSONFinder](b) {
		t.Errorf("observed base connector claims optional capabilities")
	}
	if err := b.(connector.Pinger).Ping(context.Background()); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Ping on a connector without Pinger: got %v; want ErrUnsupported", err)
	}
}

// baseOnly hides every optional capability of a connector.
type baseOnly struct{ connector.Connector }

func is[I any](c connector.Connector) bool { _, ok := c.(I); return ok }

// callTimer records the calls reported to TimeCall; ObserveCall must not
// be called for a CallTimer.
type callTimer struct {
	mu       sync.Mutex
	timed    []connector.Call
	failed   int
	observed int
}

func (t *callTimer) ObserveCall(ctx context.Context, c connector.Call) (context.Context, func(error)) {
	t.mu.Lock()
	t.observed++
	t.mu.Unlock()
	return ctx, func(error) {}
}

func (t *callTimer) TimeCall(c connector.Call, d time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d < 0 {
		panic("negative duration")
	}
	t.timed = append(t.timed, c)
	if err != nil {
		t.failed++
	}
}

// TestObserveCallTimer checks that a CallTimer is told of every call,
// with its error, through TimeCall alone, and that it mixes with an
// ordinary observer, which still sees its calls start and end; and that
// a call observed by timers only allocates nothing for the observation.
func TestObserveCallTimer(t *testing.T) {
	c, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var timer callTimer
	var log callLog
	o := connector.Observe(c, &timer, &log)
	ctx := context.Background()
	if err := o.(connector.Pinger).Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := o.(connector.Executor).Execute(ctx, "no such command"); err == nil {
		t.Fatal("Execute of an unknown command: got no error")
	}
	timer.mu.Lock()
	if len(timer.timed) != 2 || timer.timed[0].Method != "Ping" || timer.timed[1].Method != "Execute" {
		t.Errorf("timed calls: got %v; want Ping then Execute", timer.timed)
	}
	if timer.failed != 1 || timer.observed != 0 {
		t.Errorf("failed %d, ObserveCall called %d times; want 1 and 0", timer.failed, timer.observed)
	}
	timer.mu.Unlock()
	if log.calls[connector.Call{Method: "Ping"}] != 1 || log.open != 0 || log.errs != 1 {
		t.Errorf("the other observer: calls %v, open %d, errors %d; want Ping once, 0 open, 1 error", log.calls, log.open, log.errs)
	}

	only := connector.Observe(c, &timer).(connector.Pinger)
	only.Ping(ctx)                                                         //nolint:errcheck // warm up
	if n := testing.AllocsPerRun(100, func() { only.Ping(ctx) }); n != 0 { //nolint:errcheck // measured
		t.Errorf("allocations of a Ping observed by a CallTimer: got %v; want 0", n)
	}
}
