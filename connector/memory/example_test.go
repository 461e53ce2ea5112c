package memory_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/model"
)

var todoDef = &model.Definition{
	Name: "Todo",
	Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
	},
}

// A store persisted to a db.json file in LoopBack's format.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "memory-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "db.json")
	ctx := context.Background()

	conn, _ := memory.New(memory.Config{File: path})
	conn.Create(ctx, todoDef, connector.Record{"title": "persisted"})
	conn.Close()

	data, _ := os.ReadFile(path)
	fmt.Print(string(data))
	// Output:
	// {
	//   "ids": {
	//     "Todo": 2
	//   },
	//   "models": {
	//     "Todo": {
	//       "1": "{\"id\":1,\"title\":\"persisted\"}"
	//     }
	//   }
	// }
}

// Calls made with the transaction's context run inside it; Rollback undoes
// them.
func ExampleConnector_Begin() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	tx, _ := conn.Begin(ctx, connector.TxOptions{Isolation: connector.Serializable})
	txCtx := connector.WithTx(ctx, tx)
	conn.Create(txCtx, todoDef, connector.Record{"title": "maybe"})
	inside, _ := conn.Count(txCtx, todoDef, nil)
	tx.Rollback(ctx)
	after, _ := conn.Count(ctx, todoDef, nil)
	fmt.Println(inside, after)
	// Output: 1 0
}

// Key-value entries with a TTL, listed by glob pattern.
func ExampleConnector_Set() {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	conn.Set(ctx, todoDef, "todo:1", connector.Record{"title": "cached"}, time.Minute)
	v, ok, _ := conn.Get(ctx, todoDef, "todo:1")
	fmt.Println(v["title"], ok)
	for key := range conn.Keys(ctx, todoDef, "todo:*") {
		fmt.Println(key)
	}
	// Output:
	// cached true
	// todo:1
}
