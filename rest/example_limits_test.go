package rest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/loopback-go/lb/rest"
)

// A server for the internet bounds how long a body may take, how many
// requests run at once and how many connections stay open; Stats counts
// what the bounds refused.
func ExampleServer_Stats() {
	s := rest.New(rest.Config{
		BodyReadTimeout: 10 * time.Second, // 408 after that
		MaxInFlight:     1,                // 503 with Retry-After over that
		MaxConnections:  5000,             // Start's listener queues the rest
		Logger:          discard(),
	})
	release := make(chan struct{})
	rest.Get(s, "/slow", func(context.Context, *struct{}) (*Greeting, error) {
		<-release
		return &Greeting{Message: "done"}, nil
	})
	busy := make(chan struct{})
	go func() {
		defer close(busy)
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil))
	}()
	for s.Stats().InFlight == 0 {
		time.Sleep(time.Millisecond)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/slow", nil))
	fmt.Println(w.Code, w.Header().Get("Retry-After"), w.Body.String())
	close(release)
	<-busy
	fmt.Printf("%+v\n", s.Stats())
	// Output:
	// 503 1 {"error":{"statusCode":503,"message":"Service Unavailable"}}
	// {InFlight:0 Rejected:1 Canceled:0 TimedOut:0}
}
