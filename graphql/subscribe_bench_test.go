package graphql_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/connector"
)

// BenchmarkSubscriptionFanout measures one write delivered to N GraphQL
// subscribers over real WebSockets: each iteration updates a todo and
// waits until the last client has read its next message (time to last
// delivery). events.BenchmarkFanoutSSE is the same measure for the SSE
// stream of 1,000 clients:
//
//	go test ./graphql -run XXX -bench SubscriptionFanout
//	go test ./events -run XXX -bench FanoutSSE
func BenchmarkSubscriptionFanout(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			fx := newSubFixture(b, nil)
			ctx := context.Background()
			var got sync.WaitGroup
			for i := range n {
				ws := dialWS(b, fx.srv.URL, nil)
				ws.init("")
				ws.send(subscribe("s", `subscription { todoChanged { kind id instance { title } } }`))
				go func() {
					for {
						_, m, err := ws.c.Read(ctx)
						if err != nil {
							return
						}
						if strings.HasPrefix(string(m), `{"id":"s","type":"next"`) {
							got.Done()
						}
					}
				}()
				_ = i
			}
			fx.waitSubscribers(b, n)
			b.ResetTimer()
			for i := range b.N {
				got.Add(n)
				if err := fx.todos.UpdateByID(ctx, 1, connector.Record{"title": fmt.Sprint("t", i)}); err != nil {
					b.Fatal(err)
				}
				got.Wait()
			}
		})
	}
}
