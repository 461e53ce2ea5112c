package rest_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// TestParamsOnDemand checks that an operation registered with
// ParamsOnDemand gets no Params map but the same values through
// Request.Param, and that an interceptor still sees (and can change)
// Params.
func TestParamsOnDemand(t *testing.T) {
	op := func() *openapi.Operation {
		return &openapi.Operation{Parameters: []*openapi.Parameter{
			{Name: "id", In: openapi.InPath, Required: true, Schema: &openapi.Schema{Type: openapi.Types{"integer"}}},
			{Name: "q", In: openapi.InQuery, Schema: &openapi.Schema{Type: openapi.Types{"string"}}},
		}}
	}
	type seen struct {
		mapNil    bool
		id, q     any
		idOK, qOK bool
	}
	var got seen
	h := func(_ context.Context, req *rest.Request) (any, error) {
		got = seen{mapNil: req.Params == nil}
		got.id, got.idOK = req.Param("id")
		got.q, got.qOK = req.Param("q")
		return "ok", nil
	}
	s := rest.New(rest.Config{})
	s.Route("GET", "/plain/{id}", op(), h)
	s.Route("GET", "/lazy/{id}", op(), h, rest.ParamsOnDemand())
	s.Route("GET", "/intercepted/{id}", op(), h, rest.ParamsOnDemand(),
		rest.WithInterceptors(func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
			req := inv.Args[0].(*rest.Request)
			if req.Params == nil {
				t.Error("interceptor: Params is nil; want the map")
			} else {
				req.Params["q"] = "set by the interceptor"
			}
			return next(ctx)
		}))
	for _, tt := range []struct {
		path string
		want seen
	}{
		{"/plain/7?q=x", seen{false, int64(7), "x", true, true}},
		{"/lazy/7?q=x", seen{true, int64(7), "x", true, true}},
		{"/lazy/8", seen{true, int64(8), nil, true, false}},
		{"/intercepted/9", seen{false, int64(9), "set by the interceptor", true, true}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			got = seen{}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if got != tt.want {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
		})
	}
}
