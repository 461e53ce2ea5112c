package memory_test

import (
	"context"
	"errors"
	"sync"
	"testing"

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
