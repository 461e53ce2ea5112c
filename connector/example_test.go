package connector_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// A connector reports a missing instance with NotFoundError, which carries
// LoopBack's code and message.
func ExampleNotFoundError() {
	def := &model.Definition{Name: "Todo"}
	err := fmt.Errorf("replace todo: %w", connector.NotFoundError(def, int64(99)))
	var fe *fault.Error
	errors.As(err, &fe)
	fmt.Println(errors.Is(err, fault.NotFound), fe.Code)
	fmt.Println(fe.Message)
	// Output:
	// true ENTITY_NOT_FOUND
	// Entity not found: Todo with id 99
}

type exampleTx struct{ committed bool }

func (tx *exampleTx) Commit(context.Context) error   { tx.committed = true; return nil }
func (tx *exampleTx) Rollback(context.Context) error { return nil }

// A transaction travels in the context; connectors find it with TxFrom.
func ExampleWithTx() {
	tx := &exampleTx{}
	ctx := connector.WithTx(context.Background(), tx)
	if mine, ok := connector.TxFrom(ctx).(*exampleTx); ok {
		_ = mine.Commit(ctx)
	}
	fmt.Println(tx.committed, connector.TxFrom(context.Background()) == nil)
	// Output: true true
}
