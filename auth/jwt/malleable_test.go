package jwt_test

import (
	"testing"

	"github.com/loopback-go/lb/auth/jwt"
)

// TestSignatureEncodingIsStrict: the last base64 character of an HS256
// signature carries 4 unused bits; a token whose text differs only there
// is not the token that was signed and must be refused (jsonwebtoken
// compares the text), or one token would have 16 spellings.
func TestSignatureEncodingIsStrict(t *testing.T) {
	s, err := jwt.New(jwt.Config{Secret: secret, Now: clock, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	tok := hs(t, "HS256", claims(), secret)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := tok[len(tok)-1]
	for i := 0; i < len(alphabet); i++ {
		if alphabet[i] == last {
			continue
		}
		if _, _, err := s.Verify(tok[:len(tok)-1] + alphabet[i:i+1]); err == nil {
			t.Errorf("accepted the signature's last character %q instead of %q", alphabet[i], last)
		}
	}
}
