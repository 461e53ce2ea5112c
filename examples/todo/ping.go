package main

import (
	"context"
	"strings"
	"time"

	"github.com/loopback-go/lb/rest"
)

// PingResponse is the body of GET /ping, in the shape of LoopBack's
// PingController: a greeting, the time, the request URL and its headers.
type PingResponse struct {
	Greeting string            `json:"greeting"`
	Date     string            `json:"date"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
}

// ping answers GET /ping. Header names are lower case and repeated headers
// are joined with ", ", as Node.js reports them.
func ping(ctx context.Context, _ *struct{}) (*PingResponse, error) {
	r := rest.HTTPRequest(ctx)
	headers := make(map[string]string, len(r.Header)+1)
	headers["host"] = r.Host
	for name, values := range r.Header {
		headers[strings.ToLower(name)] = strings.Join(values, ", ")
	}
	return &PingResponse{
		Greeting: "Hello from LoopBack",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		URL:      r.URL.RequestURI(),
		Headers:  headers,
	}, nil
}
