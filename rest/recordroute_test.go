package rest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/internal/httpobs"
	"github.com/loopback-go/lb/rest"
)

// TestRecordRouteAfterRouting checks RecordRoute installed after routing,
// as metrics and tracing install it: the recorder of an observing
// middleware learns the path template of a matched operation (and nothing
// for an unmatched path), and handlers still see the route's parameters.
func TestRecordRouteAfterRouting(t *testing.T) {
	srv := rest.New(rest.Config{})
	var route string
	srv.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec, w, r := httpobs.Wrap(w, r)
			next.ServeHTTP(w, r)
			route = rec.Route
		})
	})
	srv.UseIn(rest.GroupAuthentication, rest.RecordRoute)
	srv.UseIn(rest.GroupAuthentication, rest.RecordRoute) // twice is harmless
	rest.Get(srv, "/notes/{id}", func(ctx context.Context, in *struct {
		ID int64 `path:"id"`
	}) (*greetOut, error) {
		if in.ID != 7 {
			t.Errorf("handler got id %d; want 7", in.ID)
		}
		return &greetOut{Greeting: "note"}, nil
	})
	for _, tt := range []struct {
		path, want string
		status     int
	}{
		{"/notes/7", "/notes/{id}", 200},
		{"/nowhere", "", 404},
	} {
		route = "unset"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
		if w.Code != tt.status || route != tt.want {
			t.Errorf("GET %s: status %d, route %q; want %d, %q", tt.path, w.Code, route, tt.status, tt.want)
		}
	}
}
