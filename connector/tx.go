package connector

import (
	"context"
	"errors"
)

// Transactor is implemented by connectors that support transactions.
type Transactor interface {
	// Begin starts a transaction. Attach it to a context with [WithTx]:
	// every call of this connector with that context (or one derived from
	// it) runs inside the transaction until Commit or Rollback.
	Begin(ctx context.Context, opts TxOptions) (Tx, error)
}

// Tx is a transaction begun by a [Transactor].
//
// After Commit or Rollback the transaction is done: further calls of
// either return [ErrTxDone], so `defer tx.Rollback(ctx)` after a
// successful Commit is harmless. Calls of the connector with a context that
// still carries a done transaction fail with ErrTxDone.
type Tx interface {
	// Commit makes the transaction's changes visible and durable.
	Commit(ctx context.Context) error
	// Rollback discards the transaction's changes.
	Rollback(ctx context.Context) error
}

// ErrTxDone is returned when a transaction is used after Commit or Rollback.
var ErrTxDone = errors.New("connector: transaction has already been committed or rolled back")

// TxOptions configure a transaction. The zero value asks for the data
// source's default isolation level, read-write.
type TxOptions struct {
	// Isolation is the isolation level; connectors that cannot honour a
	// level run at a stronger one (never a weaker one).
	Isolation Isolation
	// ReadOnly asks for a read-only transaction where supported.
	ReadOnly bool
}

// Isolation is a transaction isolation level, as in SQL.
type Isolation int

// The isolation levels. IsolationDefault (the zero value) is the data
// source's default.
const (
	IsolationDefault Isolation = iota
	ReadUncommitted
	ReadCommitted
	RepeatableRead
	Serializable
)

// String returns the SQL name of the level ("READ COMMITTED"), or
// "DEFAULT".
func (i Isolation) String() string {
	switch i {
	case ReadUncommitted:
		return "READ UNCOMMITTED"
	case ReadCommitted:
		return "READ COMMITTED"
	case RepeatableRead:
		return "REPEATABLE READ"
	case Serializable:
		return "SERIALIZABLE"
	}
	return "DEFAULT"
}

type txKey struct{}

// WithTx returns a copy of ctx that carries tx. Connectors run every call
// made with the returned context (or a context derived from it) inside tx
// when tx is theirs.
func WithTx(ctx context.Context, tx Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFrom returns the transaction ctx carries, or nil. Connectors assert it
// to their own type and ignore transactions they did not begin:
//
//	if tx, ok := connector.TxFrom(ctx).(*myTx); ok && tx.conn == c { ... }
func TxFrom(ctx context.Context) Tx {
	tx, _ := ctx.Value(txKey{}).(Tx)
	return tx
}
