package auth_test

import (
	"strings"
	"testing"

	"github.com/loopback-go/lb/auth"
)

// FuzzBearerToken checks that the Authorization header parser never
// panics, fails only with a 401, and returns a token only from a
// value that starts with "Bearer" and has exactly one space, as LoopBack
// (which also takes "Bearer0 x": it only checks the prefix).
func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"", "Bearer", "Bearer ", "Bearer a.b.c", "Bearer  a", "bearer x", "Basic Zm9vOmJhcg==", "Bearer a b", "Bearer\ta"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, err := auth.BearerToken(h)
		if err != nil {
			if !auth.IsUnauthorized(err) {
				t.Fatalf("%q: got %v; want a 401", h, err)
			}
			if tok != "" {
				t.Fatalf("%q: got token %q with an error", h, tok)
			}
			return
		}
		if tok == "" || strings.Count(h, " ") != 1 || !strings.HasPrefix(h, "Bearer") || !strings.HasSuffix(h, " "+tok) {
			t.Fatalf("%q: got token %q", h, tok)
		}
	})
}
