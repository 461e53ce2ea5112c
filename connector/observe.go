package connector

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Call describes one connector call seen by a [CallObserver].
type Call struct {
	// Model is the model's name (def.Name); "" for calls that are not
	// about one model (Ping, Begin, Execute, migration, discovery).
	Model string
	// Method is the connector method: "Create", "Find", "Count",
	// "UpdateAll", "DeleteAll", "ReplaceByID", "FindJSON", "CreateOwned",
	// "Ping", "Begin", "Execute", "Automigrate", "Autoupdate",
	// "DiscoverModels", "DiscoverDefinition", or a KeyValue method name.
	Method string
	// Command is the native command of an Execute call (its SQL), never
	// its parameters; "" for other calls.
	Command string
}

// CallObserver sees the calls made through a connector wrapped by
// [Observe]: metrics record their latency, tracing opens a span for each.
// ObserveCall runs before the call; the context it returns is passed to
// the connector (a tracer puts its span there) and the function it returns
// runs after the call with the call's error. Implementations must be safe
// for concurrent use.
type CallObserver interface {
	ObserveCall(ctx context.Context, c Call) (context.Context, func(err error))
}

// CallTimer is a [CallObserver] that needs only the duration and the
// outcome of a call, such as a latency histogram. A connector wrapped by
// [Observe] calls TimeCall after each call instead of ObserveCall, which
// saves the call the closure ObserveCall returns: observing with CallTimers
// only allocates nothing. TimeCall must be safe for concurrent use.
type CallTimer interface {
	CallObserver
	// TimeCall reports a call that took d and returned err.
	TimeCall(c Call, d time.Duration, err error)
}

// CallObserverFunc adapts a function to [CallObserver].
type CallObserverFunc func(ctx context.Context, c Call) (context.Context, func(err error))

// ObserveCall calls f.
func (f CallObserverFunc) ObserveCall(ctx context.Context, c Call) (context.Context, func(err error)) {
	return f(ctx, c)
}

// Observe returns a connector that passes every call to c and reports it to
// the observers, in order (the first observer's context is the outermost).
// With no observers it returns c itself, so an app that observes nothing
// pays nothing.
//
// The wrapper has the capabilities of c: it implements [JSONFinder],
// [OwnedCreator] and [KeyValue] only when c does. It always implements
// [Pinger], [Transactor], [Migrator], [Executor] and [Discoverer]; when c
// lacks one of those, the method returns an error that wraps
// errors.ErrUnsupported. [Unwrap] returns c.
func Observe(c Connector, obs ...CallObserver) Connector {
	if len(obs) == 0 || c == nil {
		return c
	}
	o := &observed{c: c}
	for _, ob := range obs {
		if t, ok := ob.(CallTimer); ok {
			o.timers = append(o.timers, t)
		} else {
			o.others = append(o.others, ob)
		}
	}
	_, j := c.(JSONFinder)
	_, w := c.(OwnedCreator)
	_, k := c.(KeyValue)
	switch {
	case j && w && k:
		return observedJOK{o, obsJSON{o}, obsOwned{o}, obsKV{o}}
	case j && w:
		return observedJO{o, obsJSON{o}, obsOwned{o}}
	case j && k:
		return observedJK{o, obsJSON{o}, obsKV{o}}
	case w && k:
		return observedOK{o, obsOwned{o}, obsKV{o}}
	case j:
		return observedJ{o, obsJSON{o}}
	case w:
		return observedO{o, obsOwned{o}}
	case k:
		return observedK{o, obsKV{o}}
	}
	return o
}

// Unwrap returns the connector that [Observe] wrapped, or c itself when c
// is not such a wrapper.
func Unwrap(c Connector) Connector {
	if u, ok := c.(interface{ unwrapConnector() Connector }); ok {
		return u.unwrapConnector()
	}
	return c
}

// The wrapper types: observed has the base methods and those every wrapper
// has; the others add the optional capabilities c has.
type (
	observedJOK struct {
		*observed
		obsJSON
		obsOwned
		obsKV
	}
	observedJO struct {
		*observed
		obsJSON
		obsOwned
	}
	observedJK struct {
		*observed
		obsJSON
		obsKV
	}
	observedOK struct {
		*observed
		obsOwned
		obsKV
	}
	observedJ struct {
		*observed
		obsJSON
	}
	observedO struct {
		*observed
		obsOwned
	}
	observedK struct {
		*observed
		obsKV
	}
)

var (
	_ Connector  = (*observed)(nil)
	_ Pinger     = (*observed)(nil)
	_ Transactor = (*observed)(nil)
	_ Migrator   = (*observed)(nil)
	_ Executor   = (*observed)(nil)
	_ Discoverer = (*observed)(nil)
	_ JSONFinder = observedJOK{}
	_ KeyValue   = observedJOK{}
)

type observed struct {
	c Connector
	// timers are the observers that are CallTimers, others the rest; a
	// call observed by timers only costs two clock reads and no
	// allocation.
	timers []CallTimer
	others []CallObserver
}

func (o *observed) unwrapConnector() Connector { return o.c }

// callEnd ends an observed call: it is what start returns in place of a
// closure, so that a call seen by CallTimers only allocates nothing.
type callEnd struct {
	o     *observed
	c     Call
	start time.Duration // since epoch; meaningful when o has timers
	end   func(error)   // the other observers' ends, or nil
}

// epoch is the origin of the monotonic clock readings of timed calls:
// time.Since of a time with a monotonic reading reads only that clock.
var epoch = time.Now()

// start reports the beginning of a call to every observer and returns the
// context for the call and what ends it.
func (o *observed) start(ctx context.Context, c Call) (context.Context, callEnd) {
	e := callEnd{o: o, c: c}
	switch len(o.others) {
	case 0:
	case 1:
		ctx, e.end = o.others[0].ObserveCall(ctx, c)
	default:
		ends := make([]func(error), len(o.others))
		for i, ob := range o.others {
			ctx, ends[i] = ob.ObserveCall(ctx, c)
		}
		e.end = func(err error) {
			for i := len(ends) - 1; i >= 0; i-- {
				ends[i](err)
			}
		}
	}
	if len(o.timers) > 0 {
		e.start = time.Since(epoch)
	}
	return ctx, e
}

// done reports the end of the call with its error.
func (e callEnd) done(err error) {
	if len(e.o.timers) > 0 {
		d := time.Since(epoch) - e.start
		for _, t := range e.o.timers {
			t.TimeCall(e.c, d, err)
		}
	}
	if e.end != nil {
		e.end(err)
	}
}

func modelName(def *model.Definition) string {
	if def == nil {
		return ""
	}
	return def.Name
}

func unsupported(method string, c Connector) error {
	return fmt.Errorf("connector %T: %s: %w", c, method, errors.ErrUnsupported)
}

func (o *observed) Create(ctx context.Context, def *model.Definition, rec Record) (Record, error) {
	ctx, end := o.start(ctx, Call{Model: modelName(def), Method: "Create"})
	out, err := o.c.Create(ctx, def, rec)
	end.done(err)
	return out, err
}

func (o *observed) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]Record, error) {
	ctx, end := o.start(ctx, Call{Model: modelName(def), Method: "Find"})
	out, err := o.c.Find(ctx, def, f)
	end.done(err)
	return out, err
}

func (o *observed) Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	ctx, end := o.start(ctx, Call{Model: modelName(def), Method: "Count"})
	n, err := o.c.Count(ctx, def, w)
	end.done(err)
	return n, err
}

func (o *observed) UpdateAll(ctx context.Context, def *model.Definition, w *filter.Where, data Record) (int64, error) {
	ctx, end := o.start(ctx, Call{Model: modelName(def), Method: "UpdateAll"})
	n, err := o.c.UpdateAll(ctx, def, w, data)
	end.done(err)
	return n, err
}

func (o *observed) DeleteAll(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	ctx, end := o.start(ctx, Call{Model: modelName(def), Method: "DeleteAll"})
	n, err := o.c.DeleteAll(ctx, def, w)
	end.done(err)
	return n, err
}

func (o *observed) ReplaceByID(ctx context.Context, def *model.Definition, id any, rec Record) error {
	ctx, end := o.start(ctx, Call{Model: modelName(def), Method: "ReplaceByID"})
	err := o.c.ReplaceByID(ctx, def, id, rec)
	end.done(err)
	return err
}

// Close closes the wrapped connector; it is not reported.
func (o *observed) Close() error { return o.c.Close() }

func (o *observed) Ping(ctx context.Context) error {
	p, ok := o.c.(Pinger)
	if !ok {
		return unsupported("Ping", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "Ping"})
	err := p.Ping(ctx)
	end.done(err)
	return err
}

func (o *observed) Begin(ctx context.Context, opts TxOptions) (Tx, error) {
	t, ok := o.c.(Transactor)
	if !ok {
		return nil, unsupported("Begin", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "Begin"})
	tx, err := t.Begin(ctx, opts)
	end.done(err)
	return tx, err
}

func (o *observed) Automigrate(ctx context.Context, defs []*model.Definition) error {
	m, ok := o.c.(Migrator)
	if !ok {
		return unsupported("Automigrate", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "Automigrate"})
	err := m.Automigrate(ctx, defs)
	end.done(err)
	return err
}

func (o *observed) Autoupdate(ctx context.Context, defs []*model.Definition) error {
	m, ok := o.c.(Migrator)
	if !ok {
		return unsupported("Autoupdate", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "Autoupdate"})
	err := m.Autoupdate(ctx, defs)
	end.done(err)
	return err
}

func (o *observed) Execute(ctx context.Context, command string, args ...any) (*Result, error) {
	e, ok := o.c.(Executor)
	if !ok {
		return nil, unsupported("Execute", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "Execute", Command: command})
	res, err := e.Execute(ctx, command, args...)
	end.done(err)
	return res, err
}

func (o *observed) DiscoverModels(ctx context.Context, opts DiscoverOptions) ([]ModelInfo, error) {
	d, ok := o.c.(Discoverer)
	if !ok {
		return nil, unsupported("DiscoverModels", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "DiscoverModels"})
	out, err := d.DiscoverModels(ctx, opts)
	end.done(err)
	return out, err
}

func (o *observed) DiscoverDefinition(ctx context.Context, table string, opts DiscoverOptions) (*model.Definition, error) {
	d, ok := o.c.(Discoverer)
	if !ok {
		return nil, unsupported("DiscoverDefinition", o.c)
	}
	ctx, end := o.start(ctx, Call{Method: "DiscoverDefinition"})
	out, err := d.DiscoverDefinition(ctx, table, opts)
	end.done(err)
	return out, err
}

type obsJSON struct{ o *observed }

func (j obsJSON) FindJSON(ctx context.Context, def *model.Definition, f *filter.Filter) (JSONRows, error) {
	ctx, end := j.o.start(ctx, Call{Model: modelName(def), Method: "FindJSON"})
	rows, err := j.o.c.(JSONFinder).FindJSON(ctx, def, f)
	end.done(err)
	return rows, err
}

type obsOwned struct{ o *observed }

func (w obsOwned) CreateOwned(ctx context.Context, def *model.Definition, rec Record) (Record, error) {
	ctx, end := w.o.start(ctx, Call{Model: modelName(def), Method: "CreateOwned"})
	out, err := w.o.c.(OwnedCreator).CreateOwned(ctx, def, rec)
	end.done(err)
	return out, err
}

type obsKV struct{ o *observed }

func (k obsKV) kv() KeyValue { return k.o.c.(KeyValue) }

func (k obsKV) Get(ctx context.Context, def *model.Definition, key string) (Record, bool, error) {
	ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "Get"})
	v, ok, err := k.kv().Get(ctx, def, key)
	end.done(err)
	return v, ok, err
}

func (k obsKV) Set(ctx context.Context, def *model.Definition, key string, value Record, ttl time.Duration) error {
	ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "Set"})
	err := k.kv().Set(ctx, def, key, value, ttl)
	end.done(err)
	return err
}

func (k obsKV) Delete(ctx context.Context, def *model.Definition, key string) error {
	ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "Delete"})
	err := k.kv().Delete(ctx, def, key)
	end.done(err)
	return err
}

func (k obsKV) DeleteAllKeys(ctx context.Context, def *model.Definition) error {
	ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "DeleteAllKeys"})
	err := k.kv().DeleteAllKeys(ctx, def)
	end.done(err)
	return err
}

func (k obsKV) Expire(ctx context.Context, def *model.Definition, key string, ttl time.Duration) error {
	ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "Expire"})
	err := k.kv().Expire(ctx, def, key, ttl)
	end.done(err)
	return err
}

func (k obsKV) TTL(ctx context.Context, def *model.Definition, key string) (time.Duration, error) {
	ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "TTL"})
	d, err := k.kv().TTL(ctx, def, key)
	end.done(err)
	return d, err
}

// Keys reports the call when the iteration ends.
func (k obsKV) Keys(ctx context.Context, def *model.Definition, pattern string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		ctx, end := k.o.start(ctx, Call{Model: modelName(def), Method: "Keys"})
		var err error
		for key, e := range k.kv().Keys(ctx, def, pattern) {
			if e != nil {
				err = e
			}
			if !yield(key, e) {
				break
			}
		}
		end.done(err)
	}
}
