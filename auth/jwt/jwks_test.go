package jwt_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/loopback-go/lb/auth/jwt"
)

// keyServer serves a JWKS whose keys the test rotates.
type keyServer struct {
	mu      sync.Mutex
	set     *jwkset.MemoryJWKSet
	fetches atomic.Int64
}

func (k *keyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.fetches.Add(1)
	k.mu.Lock()
	data, err := k.set.JSONPublic(r.Context())
	k.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data) //nolint:errcheck // test server
}

func (k *keyServer) rotate(t *testing.T, kid string) *ecdsa.PrivateKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := jwkset.NewJWKFromKey(&priv.PublicKey, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kid, ALG: jwkset.AlgES256}})
	if err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.set = jwkset.NewMemoryStorage() // the old key is gone: a rotation
	if err := k.set.KeyWrite(context.Background(), jwk); err != nil {
		t.Fatal(err)
	}
	return priv
}

func es256(t *testing.T, kid string, key *ecdsa.PrivateKey) string {
	t.Helper()
	tok := gojwt.NewWithClaims(gojwt.SigningMethodES256, gojwt.MapClaims{"sub": "u-" + kid, "exp": time.Now().Add(time.Hour).Unix()})
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestJWKSRotation verifies against a key set that rotates, from many
// goroutines at once (run with -race): a token of the new key triggers
// one refresh and then verifies, an old key's token is refused, and the
// identity provider is not hammered.
func TestJWKSRotation(t *testing.T) {
	ks := &keyServer{}
	k1 := ks.rotate(t, "k1")
	ts := httptest.NewServer(ks)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	set, err := jwt.NewJWKS(ctx, jwt.JWKSConfig{URL: ts.URL, UnknownKIDInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.New(jwt.Config{JWKS: set, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	old := es256(t, "k1", k1)
	if p, _, err := s.Verify(old); err != nil || p.ID != "u-k1" {
		t.Fatalf("got %v, %v; want k1's token accepted", p, err)
	}
	// An HS256 token naming the key set's kid: algorithm confusion.
	hsTok := gojwt.NewWithClaims(gojwt.SigningMethodHS256, gojwt.MapClaims{"sub": "evil"})
	hsTok.Header["kid"] = "k1"
	forged, _ := hsTok.SignedString([]byte("anything"))
	if _, _, err := s.Verify(forged); err == nil || err.Error() != "Error verifying token : invalid algorithm" {
		t.Errorf("got %v; want an HS token refused", err)
	}

	k2 := ks.rotate(t, "k2")
	fresh := es256(t, "k2", k2)
	before, started := ks.fetches.Load(), time.Now()
	var wg sync.WaitGroup
	var okCount atomic.Int64
	deadline := time.Now().Add(5 * time.Second)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, _, err := s.Verify(fresh); err == nil {
					okCount.Add(1)
					return
				}
				if time.Now().After(deadline) {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	if okCount.Load() != 16 {
		t.Fatalf("%d of 16 goroutines verified the new key's token; want all", okCount.Load())
	}
	limit := int64(time.Since(started)/(50*time.Millisecond)) + 2
	if n := ks.fetches.Load() - before; n < 1 || n > limit {
		t.Errorf("%d fetches for the rotation; want 1 to %d (one per 50ms at most)", n, limit)
	}
	if _, _, err := s.Verify(es256(t, "made-up", k2)); err == nil || err.Error() != "Error verifying token : invalid signature" {
		t.Errorf("got %v; want an unknown kid refused", err)
	}
	if _, _, err := s.Verify(old); err == nil {
		t.Error("a token of the rotated-out key was accepted")
	}
}

func TestJWKSUnreachable(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	ts.Close()
	if _, err := jwt.NewJWKS(context.Background(), jwt.JWKSConfig{URL: ts.URL}); err == nil {
		t.Error("got no error for an unreachable key set")
	}
}
