package pgnotify_test

import (
	"bufio"
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/repository"
)

// BenchmarkFanoutSSEOutbox measures one write on PostgreSQL delivered to
// 1,000 SSE clients over real sockets, the whole way the todo example
// takes on PostgreSQL: the change and its outbox row committed together,
// the NOTIFY, the relay reading the row and publishing it on the bus,
// 1,000 streams writing it (time to the last delivery). Compare with
// events.BenchmarkFanoutSSE (the bus fed in process, memory connector).
func BenchmarkFanoutSSEOutbox(b *testing.B) {
	const fanout = 1000
	ctx := context.Background()
	in := newObInstance(b, "lbnotbench_"+sqltest.Suffix(), 0)
	n, err := in.notes.Create(ctx, &Note{Title: "x"})
	if err != nil {
		b.Fatal(err)
	}
	latest, err := in.ob.Latest(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for in.bus.Seq() < latest { // the create reached the bus: the clients will not see it
		runtime.Gosched()
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: fanout}}
	var got sync.WaitGroup
	for range fanout {
		resp, err := client.Get(in.url + "/notes/changes")
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		go func(r *bufio.Reader) {
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if strings.HasPrefix(line, "data: ") {
					got.Done()
				}
			}
		}(bufio.NewReaderSize(resp.Body, 4096))
	}
	for in.bus.Subscribers() < fanout {
		runtime.Gosched()
	}
	b.ResetTimer()
	for i := range b.N {
		got.Add(fanout)
		if err := in.notes.UpdateByID(ctx, n.ID, repository.Patch{"done": i%2 == 0}); err != nil {
			b.Fatal(err)
		}
		got.Wait()
	}
}
