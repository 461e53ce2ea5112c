package jwt

import (
	"slices"
	"sync"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/loopback-go/lb/auth"
)

// tokenCache remembers verified tokens by their exact text. A token's
// text includes its signature, so a hit is a token this Strategy verified
// before; what may have changed since is the time, so expiry and
// not-before are checked again on every hit. When full it starts over.
type tokenCache struct {
	max int
	mu  sync.RWMutex
	m   map[string]cached
}

type cached struct {
	p      *auth.Profile
	claims gojwt.MapClaims
	exp    time.Time // zero: no expiry
	nbf    time.Time // zero: none
}

func (c *tokenCache) get(token string, now time.Time, leeway time.Duration) (*auth.Profile, gojwt.MapClaims, bool) {
	c.mu.RLock()
	e, ok := c.m[token]
	c.mu.RUnlock()
	if !ok {
		return nil, nil, false
	}
	if !e.exp.IsZero() && now.After(e.exp.Add(leeway)) || !e.nbf.IsZero() && now.Before(e.nbf.Add(-leeway)) {
		c.mu.Lock()
		delete(c.m, token)
		c.mu.Unlock()
		return nil, nil, false // verify again: the error says why
	}
	p := *e.p // each request gets its own profile to keep
	p.Roles, p.Scopes = slices.Clip(p.Roles), slices.Clip(p.Scopes)
	return &p, e.claims, true
}

func (c *tokenCache) put(token string, p *auth.Profile, claims gojwt.MapClaims) {
	e := cached{claims: claims}
	cp := *p
	e.p = &cp
	if t, err := claims.GetExpirationTime(); err == nil && t != nil {
		e.exp = t.Time
	}
	if t, err := claims.GetNotBefore(); err == nil && t != nil {
		e.nbf = t.Time
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[token] = e
	c.mu.Unlock()
}
