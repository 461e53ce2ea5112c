package events_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/events"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

const fanout = 1000

// BenchmarkFanoutSSE measures one write delivered to 1,000 SSE clients
// over real sockets: each iteration updates a note and waits until the
// last client has read the event (time to last delivery).
func BenchmarkFanoutSSE(b *testing.B) {
	conn, _ := memory.New(memory.Config{})
	notes := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{History: -1})
	notes.ObserveChanges(bus)
	srv := rest.New(rest.Config{MaxInFlight: -1})
	if err := events.MountSSE(srv, "/notes/changes", events.StreamConfig{Bus: bus, Model: notes.Definition()}); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer bus.Close()
	ctx := context.Background()
	n, _ := notes.Create(ctx, &Note{Title: "x"})

	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: fanout}}
	var got sync.WaitGroup
	for range fanout {
		resp, err := client.Get(ts.URL + "/notes/changes")
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
	for bus.Subscribers() < fanout {
		runtime.Gosched()
	}
	b.ResetTimer()
	for range b.N {
		got.Add(fanout)
		if err := notes.UpdateByID(ctx, n.ID, repository.Patch{"done": true}); err != nil {
			b.Fatal(err)
		}
		got.Wait()
	}
}

// BenchmarkFanoutBus is the baseline: the same write delivered to 1,000
// in-process subscribers of the bus.
func BenchmarkFanoutBus(b *testing.B) {
	conn, _ := memory.New(memory.Config{})
	notes := repository.MustNew[Note, int64](conn)
	bus := events.NewBus(events.Config{History: -1})
	notes.ObserveChanges(bus)
	defer bus.Close()
	ctx := context.Background()
	n, _ := notes.Create(ctx, &Note{Title: "x"})
	var got sync.WaitGroup
	for range fanout {
		s := bus.Subscribe(ctx, events.Options{})
		go func() {
			for range s.Events() {
				got.Done()
			}
		}()
	}
	b.ResetTimer()
	for range b.N {
		got.Add(fanout)
		if err := notes.UpdateByID(ctx, n.ID, repository.Patch{"done": true}); err != nil {
			b.Fatal(err)
		}
		got.Wait()
	}
}
