package lb_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loopback-go/lb"
)

// BenchmarkStartStop measures one start and stop of an app with 20
// observers in 4 groups and a server.
func BenchmarkStartStop(b *testing.B) {
	ctx := context.Background()
	app := lb.New(lb.Config{ObserverGroups: []string{"g1", "g2"}})
	nop := func(context.Context) error { return nil }
	for i := range 20 {
		app.Observe(lb.Observer{Name: fmt.Sprint("o", i), Group: fmt.Sprint("g", i%4), Init: nop, Start: nop, Stop: nop})
	}
	app.AddServer("rest", &server{rec: &recorder{}})
	b.ReportAllocs()
	for b.Loop() {
		if err := app.Start(ctx); err != nil {
			b.Fatal(err)
		}
		if err := app.Stop(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		lb.New(lb.Config{})
	}
}
