package cron_test

import (
	"context"
	"fmt"
	"time"

	"github.com/loopback-go/lb/cron"
)

func Example() {
	s := cron.New(cron.Config{})
	ran := make(chan struct{}, 1)
	err := s.Add(cron.Job{Name: "heartbeat", Schedule: "@every 10ms", Run: func(context.Context) error {
		select {
		case ran <- struct{}{}:
		default:
		}
		return nil
	}})
	if err != nil {
		panic(err)
	}
	s.Start(context.Background())
	<-ran
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(s.Stop(ctx))
	// Output: <nil>
}
