package jwt_test

import (
	"strings"
	"testing"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
)

// FuzzVerify decodes arbitrary tokens: it never panics, refuses with a
// 401 whose message starts with LoopBack's prefix, and accepts only a
// token whose signature the secret produced (the fuzzer cannot forge one).
func FuzzVerify(f *testing.F) {
	s, err := jwt.New(jwt.Config{Secret: secret, Now: clock})
	if err != nil {
		f.Fatal(err)
	}
	good, _ := gojwt.NewWithClaims(gojwt.SigningMethodHS256, gojwt.MapClaims{"id": "1", "exp": now.Unix() + 60}).SignedString(secret)
	for _, t := range []string{good, "", "a.b.c", "..", "eyJhbGciOiJub25lIn0.eyJpZCI6IjEifQ.", good + "x", strings.Repeat("A", 9000)} {
		f.Add(t)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		p, _, err := s.Verify(tok)
		if err != nil {
			if !auth.IsUnauthorized(err) || !strings.HasPrefix(err.Error(), "Error verifying token : ") {
				t.Fatalf("%q: got %v; want a LoopBack 401", tok, err)
			}
			return
		}
		if p == nil || p.ID == "" {
			t.Fatalf("%q: accepted without a profile", tok)
		}
		parts := strings.Split(tok, ".")
		if len(parts) != 3 || !strings.HasPrefix(good, parts[0]+".") {
			t.Fatalf("%q: accepted a token the test did not sign", tok)
		}
	})
}
