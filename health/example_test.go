package health_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/health"
	"github.com/loopback-go/lb/rest"
)

func Example() {
	srv := rest.New(rest.Config{})
	h := health.Mount(srv, health.Config{})
	conn, _ := memory.New(memory.Config{})
	defer conn.Close()
	h.AddPing("db", conn)
	h.AddLive("worker", func(context.Context) error { return nil })

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/health", nil))
	body, _ := io.ReadAll(rec.Body)
	fmt.Println(rec.Code, string(body))
	// Output:
	// 200 {"status":"UP","checks":[{"name":"datasources.db","state":"UP","data":{"reason":""}},{"name":"worker","state":"UP","data":{"reason":""}}]}
}
