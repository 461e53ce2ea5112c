package redislock_test

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/loopback-go/lb/cron"
	"github.com/loopback-go/lb/cron/redislock"
)

// Each instance of the app runs the nightly purge only when it holds the
// job's lock on the shared Redis server.
func Example() {
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	locker, err := redislock.New(client, redislock.Options{TTL: time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := cron.New(cron.Config{Locker: locker})
	err = s.Add(cron.Job{Name: "purge", Schedule: "0 0 3 * * *", Once: true, Run: func(context.Context) error {
		return nil // purge old records
	}})
	fmt.Println(err)
	// app.Observe(lb.ObserverOf("cron", "cron", s)) starts and stops it with the app.
	// Output: <nil>
}
