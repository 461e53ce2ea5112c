package jwt_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/fault"
)

var (
	secret = []byte("a-test-secret-of-32-bytes-length")
	now    = time.Unix(1_800_000_000, 0)
)

func clock() time.Time { return now }

func hs(t *testing.T, alg string, claims gojwt.MapClaims, key []byte) string {
	t.Helper()
	tok, err := gojwt.NewWithClaims(gojwt.GetSigningMethod(alg), claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func claims(extra ...any) gojwt.MapClaims {
	c := gojwt.MapClaims{"id": "4", "name": "ann", "iat": now.Unix() - 10, "exp": now.Add(time.Hour).Unix()}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == nil {
			delete(c, extra[i].(string))
		} else {
			c[extra[i].(string)] = extra[i+1]
		}
	}
	return c
}

func newHS(t *testing.T, mut func(*jwt.Config)) *jwt.Strategy {
	t.Helper()
	cfg := jwt.Config{Secret: secret, Now: clock}
	if mut != nil {
		mut(&cfg)
	}
	s, err := jwt.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAttackTokens is the table of tokens that must be refused, each with
// the message a LoopBack client sees.
func TestAttackTokens(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	good := hs(t, "HS256", claims(), secret)
	parts := strings.Split(good, ".")
	rsStrategy, err := jwt.New(jwt.Config{PublicKey: &rsaKey.PublicKey, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	hsStrategy := newHS(t, nil)
	strict := newHS(t, func(c *jwt.Config) {
		c.Issuer, c.Audience, c.RequireExpiry, c.Algorithms = "https://issuer", "todo-api", true, []string{"HS256"}
	})
	tests := []struct {
		name  string
		s     *jwt.Strategy
		token string
		want  string
	}{
		{"alg none", hsStrategy, b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1] + ".", "invalid algorithm"},
		{"alg none with signature", hsStrategy, b64(`{"alg":"none"}`) + "." + parts[1] + "." + parts[2], "invalid algorithm"},
		{"alg None", hsStrategy, b64(`{"alg":"None"}`) + "." + parts[1] + ".", "invalid algorithm"},
		// HS256 signed with the RSA public key's PEM as the secret: the
		// classic confusion attack on a server configured with that key.
		{"algorithm confusion", rsStrategy, hs(t, "HS256", claims(), pubPEM), "invalid algorithm"},
		{"HS384 not allowed", strict, hs(t, "HS384", claims("iss", "https://issuer", "aud", "todo-api"), secret), "invalid algorithm"},
		{"wrong secret", hsStrategy, hs(t, "HS256", claims(), []byte("another-secret-another-secret-xx")), "invalid signature"},
		{"tampered payload", hsStrategy, parts[0] + "." + b64(`{"id":"1","exp":9999999999}`) + "." + parts[2], "invalid signature"},
		{"tampered signature", hsStrategy, parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])), "invalid signature"},
		{"signature stripped", hsStrategy, parts[0] + "." + parts[1] + ".", "invalid signature"},
		{"signature not base64", hsStrategy, parts[0] + "." + parts[1] + ".***", "invalid signature"},
		{"two segments", hsStrategy, parts[0] + "." + parts[1], "jwt malformed"},
		{"four segments", hsStrategy, good + ".x", "jwt malformed"},
		{"not base64", hsStrategy, "!!!." + parts[1] + "." + parts[2], "jwt malformed"},
		{"header not json", hsStrategy, b64("nope") + "." + parts[1] + "." + parts[2], "jwt malformed"},
		{"payload not json", hsStrategy, parts[0] + "." + b64("[1,2") + "." + parts[2], "jwt malformed"},
		{"garbage", hsStrategy, "abc", "jwt malformed"},
		{"oversized", hsStrategy, parts[0] + "." + strings.Repeat("A", jwt.DefaultMaxTokenSize) + "." + parts[2], "jwt too large"},
		{"expired", hsStrategy, hs(t, "HS256", claims("exp", now.Add(-time.Minute).Unix()), secret), "jwt expired"},
		{"not yet valid", hsStrategy, hs(t, "HS256", claims("nbf", now.Add(time.Minute).Unix()), secret), "jwt not active"},
		{"issued in the future", hsStrategy, hs(t, "HS256", claims("iat", now.Add(time.Hour).Unix()), secret), "jwt not active"},
		{"wrong issuer", strict, hs(t, "HS256", claims("iss", "https://evil", "aud", "todo-api"), secret), "jwt issuer invalid. expected: https://issuer"},
		{"wrong audience", strict, hs(t, "HS256", claims("iss", "https://issuer", "aud", "other"), secret), "jwt audience invalid. expected: todo-api"},
		{"no expiry when required", strict, hs(t, "HS256", claims("exp", nil, "iss", "https://issuer", "aud", "todo-api"), secret), "jwt has no expiry"},
		{"no subject", hsStrategy, hs(t, "HS256", claims("id", nil), secret), "jwt has no subject"},
		{"empty", hsStrategy, "", "'token' is null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.s.Verify(tt.token)
			if err == nil {
				t.Fatalf("accepted as %+v; want an error", p)
			}
			if !is401(err) {
				t.Fatalf("got %v; want a 401", err)
			}
			want := "Error verifying token : " + tt.want
			if err.Error() != want {
				t.Errorf("got %q; want %q", err.Error(), want)
			}
		})
	}
}

func is401(err error) bool {
	return auth.IsUnauthorized(err) && fault.KindOf(err) == fault.Unauthorized
}

func TestLeeway(t *testing.T) {
	s := newHS(t, func(c *jwt.Config) { c.Leeway = 2 * time.Minute })
	tok := hs(t, "HS256", claims("exp", now.Add(-time.Minute).Unix(), "nbf", now.Add(time.Minute).Unix()), secret)
	if _, _, err := s.Verify(tok); err != nil {
		t.Fatalf("got %v; want the token accepted within the leeway", err)
	}
	tok = hs(t, "HS256", claims("exp", now.Add(-3*time.Minute).Unix()), secret)
	if _, _, err := s.Verify(tok); err == nil || !strings.HasSuffix(err.Error(), "jwt expired") {
		t.Fatalf("got %v; want jwt expired past the leeway", err)
	}
}

func TestAsymmetricAlgorithms(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		alg  string
		priv any
		pub  any
	}{
		{"RS256", rsaKey, &rsaKey.PublicKey},
		{"PS384", rsaKey, &rsaKey.PublicKey},
		{"ES256", ecKey, &ecKey.PublicKey},
		{"EdDSA", edPriv, edPub},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			tok, err := gojwt.NewWithClaims(gojwt.GetSigningMethod(tt.alg), claims()).SignedString(tt.priv)
			if err != nil {
				t.Fatal(err)
			}
			s, err := jwt.New(jwt.Config{PublicKey: tt.pub, Now: clock})
			if err != nil {
				t.Fatal(err)
			}
			p, _, err := s.Verify(tok)
			if err != nil {
				t.Fatalf("got %v; want accepted", err)
			}
			if p.ID != "4" || p.Name != "ann" {
				t.Errorf("got %+v; want id 4, name ann", p)
			}
		})
	}
}

// TestLoopBackTokens verifies tokens written by jsonwebtoken, the library
// @loopback/authentication-jwt signs with, using LoopBack's example secret.
func TestLoopBackTokens(t *testing.T) {
	data, err := os.ReadFile("testdata/loopback-tokens.txt")
	if err != nil {
		t.Fatal(err)
	}
	var toks []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			toks = append(toks, l)
		}
	}
	s, err := jwt.New(jwt.Config{Secret: []byte("myjwts3cr3t")})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := s.Verify(toks[0])
	if err != nil {
		t.Fatalf("got %v; want LoopBack's token accepted", err)
	}
	if p.ID != "4" || p.Name != "testuser1" || p.Email != "testuser1@abc.com" {
		t.Errorf("got %+v; want LoopBack's profile", p)
	}
	if _, _, err := s.Verify(toks[1]); err == nil || err.Error() != "Error verifying token : jwt expired" {
		t.Errorf("got %v; want jwt expired", err)
	}
}

func TestSignRoundTrip(t *testing.T) {
	s := newHS(t, func(c *jwt.Config) { c.Issuer = "me" })
	tok, err := s.Sign(&auth.Profile{ID: "u1", Name: "ann", Email: "a@b.c", Roles: []string{"admin"}, Scopes: []string{"todo:read", "todo:write"}}, map[string]any{"jti": "t1"})
	if err != nil {
		t.Fatal(err)
	}
	p, c, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "u1" || !p.HasRole("admin") || !p.HasScope("todo:write") || c["jti"] != "t1" || c["iss"] != "me" {
		t.Errorf("got %+v %v; want the signed profile back", p, c)
	}
	exp, _ := c.GetExpirationTime()
	if got := exp.Sub(now); got != jwt.DefaultExpiresIn {
		t.Errorf("lifetime %v; want %v", got, jwt.DefaultExpiresIn)
	}
}

func TestConfigErrors(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	for name, cfg := range map[string]jwt.Config{
		"no key":           {},
		"two keys":         {Secret: secret, PublicKey: &rsaKey.PublicKey},
		"HS alg for RSA":   {PublicKey: &rsaKey.PublicKey, Algorithms: []string{"HS256"}},
		"none":             {Secret: secret, Algorithms: []string{"none"}},
		"unsupported type": {PublicKey: "key"},
	} {
		if _, err := jwt.New(cfg); err == nil {
			t.Errorf("%s: got no error; want one", name)
		}
	}
}

func TestAuthenticateHeader(t *testing.T) {
	s := newHS(t, nil)
	tok := hs(t, "HS256", claims(), secret)
	for header, want := range map[string]string{
		"":                    auth.MsgHeaderNotFound,
		"Basic abc":           auth.MsgNotBearer,
		"Bearer a b":          auth.MsgTooManyParts,
		"Bearer":              auth.MsgTooManyParts,
		"Bearer ":             auth.MsgTokenNull,
		"Bearer " + tok + "x": "Error verifying token : invalid signature",
		"Bearer " + tok:       "",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if header != "" {
			r.Header.Set("Authorization", header)
		}
		p, err := s.Authenticate(r)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: got %v; want accepted", header, err)
		case want == "" && p.ID != "4":
			t.Errorf("%q: got %+v; want id 4", header, p)
		case want != "" && (err == nil || err.Error() != want):
			t.Errorf("%q: got %v; want %q", header, err, want)
		}
	}
}

func TestCacheRechecksExpiry(t *testing.T) {
	clock := now
	s, err := jwt.New(jwt.Config{Secret: secret, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	tok := hs(t, "HS256", claims("exp", now.Add(time.Minute).Unix()), secret)
	p1, _, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	p1.Roles = append(p1.Roles, "admin") // a handler changing its copy
	p2, _, err := s.Verify(tok)          // served from the cache
	if err != nil || p2.HasRole("admin") {
		t.Fatalf("got %+v, %v; want a fresh copy of the cached profile", p2, err)
	}
	clock = now.Add(2 * time.Minute)
	if _, _, err := s.Verify(tok); err == nil || err.Error() != "Error verifying token : jwt expired" {
		t.Fatalf("got %v; want a cached token to expire", err)
	}
	other := "A"
	if tok[len(tok)-1] == 'A' {
		other = "B"
	}
	if _, _, err := s.Verify(tok[:len(tok)-1] + other); err == nil {
		t.Fatal("a token differing from a cached one in its signature was accepted")
	}
}
