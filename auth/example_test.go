package auth_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/rest"
)

func Example() {
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{Default: []string{"apiKey"}})
	a.Register("apiKey", &auth.APIKey{Lookup: auth.StaticKeys(map[string]*auth.Profile{
		"s3cret": {ID: "reporting", Roles: []string{"reader"}},
	})})
	a.Install(srv)
	type me struct {
		ID string `json:"id"`
	}
	rest.Get(srv, "/me", func(ctx context.Context, _ *struct{}) (*me, error) {
		p, _ := auth.ProfileFrom(ctx)
		return &me{ID: p.ID}, nil
	}, auth.Authorize(auth.Rules{AllowedRoles: []string{"reader"}}))

	for _, key := range []string{"", "s3cret"} {
		r := httptest.NewRequest(http.MethodGet, "/me", nil)
		if key != "" {
			r.Header.Set("X-API-Key", key)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		body, _ := io.ReadAll(w.Body)
		fmt.Println(w.Code, string(body))
	}
	// Output:
	// 401 {"error":{"statusCode":401,"name":"UnauthorizedError","message":"API key not found in header \"X-API-Key\"."}}
	// 200 {"id":"reporting"}
}
