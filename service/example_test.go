package service_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/service"
)

func ExampleCaller() {
	c := service.NewCaller("inventory", service.Policy{Timeout: time.Second, Backoff: time.Millisecond})
	tries := 0
	err := c.Call(context.Background(), "stock", true, func(ctx context.Context) error {
		tries++
		if tries < 3 {
			return &service.Error{Status: 503, Retryable: true} // the upstream is busy
		}
		return nil
	})
	fmt.Println(err, tries)

	err = c.Call(context.Background(), "reserve", false, func(ctx context.Context) error {
		return &service.Error{Status: 503, Retryable: true}
	})
	fmt.Println(err, errors.Is(err, fault.BadGateway))
	// Output:
	// <nil> 3
	// service inventory, operation reserve: upstream answered 503 Service Unavailable true
}
