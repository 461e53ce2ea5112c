package rest_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

func TestAddRouteReturnsErrors(t *testing.T) {
	ok := func(context.Context, *rest.Request) (any, error) { return "ok", nil }
	// Eagerly compiled validators make a bad schema an AddRoute error;
	// TestLazyBrokenSchema covers the default.
	s := rest.New(rest.Config{EagerValidators: true})
	if err := s.AddRoute("GET", "/things/{id}", &openapi.Operation{}, ok); err != nil {
		t.Fatalf("AddRoute: %v", err)
	}
	tests := []struct {
		name, method, path string
		op                 *openapi.Operation
		want               string
	}{
		{"duplicate", "GET", "/things/{key}", nil, "conflicts with GET /things/{id}"},
		{"express style", "GET", "/users/:id", nil, "Express style"},
		{"relative", "GET", "users", nil, "must start with '/'"},
		{"bad schema", "GET", "/bad", &openapi.Operation{Parameters: []*openapi.Parameter{
			{Name: "q", In: "query", Schema: &openapi.Schema{Type: openapi.Types{"string"}, Pattern: "(["}}}}, "GET /bad"},
		{"unresolved parameter", "GET", "/unresolved", &openapi.Operation{Parameters: []*openapi.Parameter{
			{Ref: "#/components/parameters/Nope"}}}, "unresolved parameter reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.AddRoute(tt.method, tt.path, tt.op, ok)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "rest: ") {
				t.Errorf("got %v; want an error starting with rest: and containing %q", err, tt.want)
			}
		})
	}
	if n := len(s.Routes()); n != 1 {
		t.Errorf("got %d routes after the failures; want 1", n)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/bad", nil))
	if w.Code != 404 {
		t.Errorf("GET /bad after a failed AddRoute: got %d; want 404", w.Code)
	}
}

func TestRoutePanicsWhereAddRouteFails(t *testing.T) {
	s := rest.New(rest.Config{})
	defer func() {
		r := recover()
		if msg, _ := r.(string); !strings.Contains(msg, "Express style") {
			t.Errorf("Route with a bad path: recovered %v; want the AddRoute error", r)
		}
	}()
	s.Route("GET", "/users/:id", nil, func(context.Context, *rest.Request) (any, error) { return nil, nil })
}
