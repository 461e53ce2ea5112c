package auth_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loopback-go/lb/auth"
)

func TestAPIKeyPlaces(t *testing.T) {
	lookup := auth.StaticKeys(map[string]*auth.Profile{"k1": {ID: "svc"}})
	tests := []struct {
		s    *auth.APIKey
		set  func(r *http.Request)
		want string // profile id, or the error
	}{
		{&auth.APIKey{Lookup: lookup}, func(r *http.Request) { r.Header.Set("X-API-Key", "k1") }, "svc"},
		{&auth.APIKey{Lookup: lookup}, func(r *http.Request) { r.Header.Set("X-API-Key", "k1x") }, "Invalid API key."},
		{&auth.APIKey{Lookup: lookup}, func(r *http.Request) {}, `API key not found in header "X-API-Key".`},
		{&auth.APIKey{In: auth.InQuery, Name: "api_key", Lookup: lookup}, func(r *http.Request) { r.URL.RawQuery = "api_key=k1" }, "svc"},
		{&auth.APIKey{In: auth.InQuery, Name: "api_key", Lookup: lookup}, func(r *http.Request) { r.Header.Set("X-API-Key", "k1") }, `API key not found in query "api_key".`},
		{&auth.APIKey{In: auth.InCookie, Name: "key", Lookup: lookup}, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "key", Value: "k1"}) }, "svc"},
		{&auth.APIKey{In: auth.InCookie, Name: "key", Lookup: lookup}, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "key", Value: "no"}) }, "Invalid API key."},
	}
	for i, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		tt.set(r)
		p, err := tt.s.Authenticate(r)
		got := ""
		if err != nil {
			got = err.Error()
			if !auth.IsUnauthorized(err) {
				t.Errorf("%d: got %v; want a 401", i, err)
			}
		} else {
			got = p.ID
		}
		if got != tt.want {
			t.Errorf("%d: got %q; want %q", i, got, tt.want)
		}
	}
}

func TestBasic(t *testing.T) {
	b := &auth.Basic{Realm: "todo", Verify: func(_ context.Context, u, p string) (*auth.Profile, error) {
		if u == "ann" && p == "pw" {
			return &auth.Profile{ID: "ann"}, nil
		}
		return nil, nil
	}}
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for header, want := range map[string]string{
		"Basic " + enc("ann:pw"):   "ann",
		"basic " + enc("ann:pw"):   "ann",
		"Basic " + enc("ann:nope"): "Invalid user name or password.",
		"Basic " + enc("annpw"):    "Authorization header has malformed Basic credentials.",
		"Basic !!!":                "Authorization header has malformed Basic credentials.",
		"Bearer x":                 "Authorization header is not of type 'Basic'.",
		"":                         auth.MsgHeaderNotFound,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		p, err := b.Authenticate(r)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = p.ID
		}
		if got != want {
			t.Errorf("%q: got %q; want %q", header, got, want)
		}
	}
	if got := b.Challenge(nil); got != `Basic realm="todo", charset="UTF-8"` {
		t.Errorf("challenge: got %s", got)
	}
}
