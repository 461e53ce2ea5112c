package metrics_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/rest"
)

func Example() {
	srv := rest.New(rest.Config{})
	metrics.Mount(srv, metrics.Config{})
	rest.Get(srv, "/hello/{name}", func(ctx context.Context, in *struct {
		Name string `path:"name"`
	}) (*struct{}, error) {
		return nil, nil
	})
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/hello/ann", nil))

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(line, "http_requests_total{") {
			fmt.Println(line)
		}
	}
	// Output:
	// http_requests_total{method="GET",path="/hello/{name}",status="2xx"} 1
}
