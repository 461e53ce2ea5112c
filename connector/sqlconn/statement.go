package sqlconn

import "context"

// StatementObserver sees the SQL text of each statement a [Connector] runs
// for a context that carries it ([WithStatementObserver]): tracing records
// it on the span of the repository call. It gets the statement with its
// placeholders ($1, ?), never the values bound to them.
type StatementObserver interface {
	// ObserveStatement is called just before the statement runs, with the
	// call's context, the dialect's name as an OpenTelemetry db.system
	// value ("postgresql", "mysql", "sqlite") and the SQL text.
	ObserveStatement(ctx context.Context, system, statement string)
}

type statementObserverKey struct{}

// WithStatementObserver returns ctx carrying o: every statement a
// Connector runs for the returned context (or one derived from it) is
// shown to o first. A context without an observer costs one context lookup
// per statement.
func WithStatementObserver(ctx context.Context, o StatementObserver) context.Context {
	return context.WithValue(ctx, statementObserverKey{}, o)
}

// observe shows statement to the observer ctx carries, if any.
func (c *Connector) observe(ctx context.Context, statement string) {
	if o, ok := ctx.Value(statementObserverKey{}).(StatementObserver); ok && o != nil {
		o.ObserveStatement(ctx, c.d.Name(), statement)
	}
}
