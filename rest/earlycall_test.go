package rest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/rest"
)

type ctxKey struct{}

// TestRequestStateAcrossMiddleware checks what handlers and middleware
// see of the request's state, whether or not a middleware changes the
// request's context: the request id of the recorder, values middleware
// added, and RouteOf only after routing (in the handler too, through
// HTTPRequest, when no middleware changed the context).
func TestRequestStateAcrossMiddleware(t *testing.T) {
	for _, withValue := range []bool{false, true} {
		s := rest.New(rest.Config{})
		var beforeRoute bool
		s.Use(rest.RequestID(), func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, beforeRoute = rest.RouteOf(r)
				if withValue {
					r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "added"))
				}
				next.ServeHTTP(w, r)
			})
		})
		var id, value string
		var route string
		rest.Get(s, "/things/{id}", func(ctx context.Context, in *thingID) (*string, error) {
			id = rest.RequestIDFrom(ctx)
			value, _ = ctx.Value(ctxKey{}).(string)
			if ri, ok := rest.RouteOf(rest.HTTPRequest(ctx)); ok {
				route = ri.Path
			}
			out := "ok"
			return &out, nil
		})
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/things/1", nil))
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if got := w.Header().Get(rest.RequestIDHeader); id == "" || got != id {
			t.Errorf("withValue=%v: handler's request id %q; response header %q", withValue, id, got)
		}
		if wantValue := map[bool]string{true: "added"}[withValue]; value != wantValue {
			t.Errorf("withValue=%v: value in the handler's context %q; want %q", withValue, value, wantValue)
		}
		if beforeRoute {
			t.Errorf("withValue=%v: RouteOf in middleware before routing: ok; want not", withValue)
		}
		if !withValue && route != "/things/{id}" {
			t.Errorf("withValue=%v: RouteOf in the handler: %q; want /things/{id}", withValue, route)
		}
	}
}

// TestRequestIDAllocations bounds what a request through RequestID costs
// the REST layer: the request's state and nothing for the recorder, the
// request copy or the id.
func TestRequestIDAllocations(t *testing.T) {
	s := rest.New(rest.Config{})
	s.Use(rest.RequestID())
	rest.Get(s, "/things/{id}", func(ctx context.Context, in *thingID) (*string, error) { return nil, nil })
	req := httptest.NewRequest("GET", "/things/1", nil)
	w := &nopWriter{h: http.Header{}}
	s.ServeHTTP(w, req)
	// The call (with recorder and request copy) and the typed input.
	if n := testing.AllocsPerRun(200, func() { clear(w.h); s.ServeHTTP(w, req) }); n > 2 {
		t.Errorf("allocations per request: got %v; want at most 2", n)
	}
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}
