package rest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/rest"
)

// TestSpecJSONMatchesEndpoint checks that SpecJSON answers what the JSON
// spec endpoint serves for the same request, in 3.1 and 3.0.
func TestSpecJSONMatchesEndpoint(t *testing.T) {
	s := rest.New(rest.Config{BasePath: "/api"})
	rest.Get(s, "/hello/{name}", func(_ context.Context, in *greetIn) (*Greeting, error) {
		return &Greeting{Message: in.Name}, nil
	})
	for _, query := range []string{"", "?openapi=3.0"} {
		req := httptest.NewRequest(http.MethodGet, "/api/openapi.json"+query, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		served, _ := io.ReadAll(rec.Body)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /api/openapi.json%s: got %d; want 200", query, rec.Code)
		}
		got, err := s.SpecJSON(httptest.NewRequest(http.MethodGet, "/api/explorer/openapi.json"+query, nil))
		if err != nil {
			t.Fatalf("SpecJSON: %v", err)
		}
		if string(got) != string(served) {
			t.Errorf("SpecJSON%s differs from the endpoint:\n got %.200s\nwant %.200s", query, got, served)
		}
		if !strings.Contains(string(got), `"/hello/{name}"`) || !strings.Contains(string(got), `"/api"`) {
			t.Errorf("SpecJSON%s lacks the operation or the basePath server: %.300s", query, got)
		}
	}
}
