package auth

import (
	"context"
	"slices"
)

// Profile is the authenticated principal of a request, LoopBack's
// UserProfile: ID is its securityId. A strategy builds it only from a
// credential it has verified; handlers read it with ProfileFrom.
type Profile struct {
	// ID identifies the principal (LoopBack's securityId); never empty for
	// an authenticated request.
	ID string `json:"id"`
	// Name and Email are optional descriptions of the principal.
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Roles and Scopes are what the role/scope authorizer checks.
	Roles  []string `json:"roles,omitempty"`
	Scopes []string `json:"scopes,omitempty"`
	// Strategy is the name of the strategy that authenticated the request.
	Strategy string `json:"-"`
	// Claims holds the verified claims of a token (or other attributes a
	// strategy found), for custom authorizers; nil when there are none.
	Claims map[string]any `json:"-"`
}

// HasRole reports whether the profile has the role.
func (p *Profile) HasRole(role string) bool { return p != nil && slices.Contains(p.Roles, role) }

// HasScope reports whether the profile has the scope.
func (p *Profile) HasScope(scope string) bool { return p != nil && slices.Contains(p.Scopes, scope) }

type profileKey struct{}

// WithProfile returns ctx carrying p. The middleware installed by
// Authenticator.Install calls it after a strategy succeeded; tests of
// handlers may call it to impersonate a user.
func WithProfile(ctx context.Context, p *Profile) context.Context {
	return context.WithValue(ctx, profileKey{}, p)
}

// ProfileFrom returns the authenticated profile of the request ctx belongs
// to; ok is false for an operation that skips authentication or when no
// strategy ran.
func ProfileFrom(ctx context.Context) (p *Profile, ok bool) {
	p, ok = ctx.Value(profileKey{}).(*Profile)
	return p, ok && p != nil
}
