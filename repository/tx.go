package repository

import (
	"context"
	"errors"
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
)

// Begin starts a transaction on conn and returns a context that carries
// it: every repository call made with that context, on any repository of
// conn, runs inside the transaction until tx.Commit or tx.Rollback. A
// connector without transactions gives a fault.NotImplemented error.
//
//	ctx, tx, err := repository.Begin(ctx, conn, connector.TxOptions{})
//	if err != nil { ... }
//	defer tx.Rollback(ctx) // no-op after Commit
//	... repo.Create(ctx, ...) ...
//	err = tx.Commit(ctx)
func Begin(ctx context.Context, conn connector.Connector, opts connector.TxOptions) (context.Context, connector.Tx, error) {
	t, ok := conn.(connector.Transactor)
	if !ok {
		return ctx, nil, fault.New(fault.NotImplemented, "NOT_IMPLEMENTED", "transactions are not supported by the connector")
	}
	tx, err := t.Begin(ctx, opts)
	if err != nil {
		return ctx, nil, fmt.Errorf("begin transaction: %w", err)
	}
	p := &pending{}
	ctx = context.WithValue(connector.WithTx(ctx, tx), pendingKey{}, p)
	return ctx, &changedTx{Tx: tx, p: p}, nil
}

// Transact runs fn in a transaction on conn: it commits when fn returns
// nil and rolls back when fn returns an error or panics (the panic is
// re-raised).
func Transact(ctx context.Context, conn connector.Connector, opts connector.TxOptions, fn func(ctx context.Context) error) (err error) {
	txCtx, tx, err := Begin(ctx, conn, opts)
	if err != nil {
		return err
	}
	return runTx(ctx, txCtx, tx, fn)
}

// runTx runs fn in the transaction tx that txCtx carries, as Transact.
func runTx(ctx, txCtx context.Context, tx connector.Tx, fn func(ctx context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(ctx)
			panic(p)
		}
	}()
	if err := fn(txCtx); err != nil {
		if rerr := tx.Rollback(ctx); rerr != nil && !errors.Is(rerr, connector.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
