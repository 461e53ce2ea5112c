package sqlconn

import (
	"context"
	"testing"
)

// nameDialect is a Dialect of which only Name is used.
type nameDialect struct{ Dialect }

func (nameDialect) Name() string { return "testdb" }

type recordingObserver struct{ system, statement string }

func (o *recordingObserver) ObserveStatement(_ context.Context, system, statement string) {
	o.system, o.statement = system, statement
}

type ctxKey int

// requestContext is a context as deep as a served request's.
func requestContext() context.Context {
	ctx := context.Background()
	for i := range 6 {
		ctx = context.WithValue(ctx, ctxKey(i), i)
	}
	return ctx
}

func TestObserveStatement(t *testing.T) {
	c := &Connector{d: nameDialect{}}
	o := &recordingObserver{}
	c.observe(requestContext(), "SELECT 1") // no observer: nothing happens
	ctx, cancel := context.WithCancel(WithStatementObserver(requestContext(), o))
	defer cancel()
	c.observe(ctx, `SELECT "id" FROM "note" WHERE "id" = $1`)
	if o.system != "testdb" || o.statement != `SELECT "id" FROM "note" WHERE "id" = $1` {
		t.Errorf("observer saw %q, %q", o.system, o.statement)
	}
}

// BenchmarkObserve is the cost per statement of the hook: "unset" is what
// every statement pays when nothing observes it.
func BenchmarkObserve(b *testing.B) {
	c := &Connector{d: nameDialect{}}
	for _, tt := range []struct {
		name string
		ctx  context.Context
	}{
		{"unset", requestContext()},
		{"set", WithStatementObserver(requestContext(), &recordingObserver{})},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.observe(tt.ctx, "SELECT 1")
			}
		})
	}
}
