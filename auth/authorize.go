package auth

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/rest"
)

// Decision is an authorizer's vote: LoopBack's AuthorizationDecision.
type Decision int

// The decisions. Abstain is the zero value.
const (
	Abstain Decision = iota
	Allow
	Deny
)

// String returns "ALLOW", "DENY" or "ABSTAIN", as LoopBack spells them.
func (d Decision) String() string {
	switch d {
	case Allow:
		return "ALLOW"
	case Deny:
		return "DENY"
	}
	return "ABSTAIN"
}

// Rules is the authorization metadata of an operation: LoopBack's
// AuthorizationMetadata.
type Rules struct {
	// AllowedRoles: the role authorizer allows a profile with one of them
	// and denies one with none of them (when the list is not empty).
	AllowedRoles []string
	// DeniedRoles: the role authorizer denies a profile with one of them.
	DeniedRoles []string
	// Scopes: the role authorizer denies a profile that lacks one of them.
	Scopes []string
	// Resource names what the operation acts on, for custom authorizers;
	// "" means the operation's path.
	Resource string
	// Voters run after the configured authorizers, for this operation
	// only.
	Voters []Authorizer
}

// Context is what authorizers decide on: LoopBack's AuthorizationContext
// and AuthorizationMetadata together.
type Context struct {
	// Profile is the authenticated principal (never nil).
	Profile *Profile
	// Request is the HTTP request; its body is not read yet.
	Request *http.Request
	// Operation is the route being called.
	Operation rest.RouteInfo
	// Rules is the operation's authorization metadata.
	Rules *Rules
}

// Resource returns Rules.Resource, or the operation's path.
func (c *Context) Resource() string {
	if c.Rules.Resource != "" {
		return c.Rules.Resource
	}
	return c.Operation.Path
}

// Authorizer votes on a request: LoopBack's Authorizer. An error is a 500
// (its text is not sent to the client); deny with Deny, not an error.
type Authorizer interface {
	Authorize(c *Context) (Decision, error)
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(c *Context) (Decision, error)

// Authorize calls f(c).
func (f AuthorizerFunc) Authorize(c *Context) (Decision, error) { return f(c) }

// RoleAuthorizer decides on Rules.AllowedRoles, DeniedRoles and Scopes:
// a denied role or a missing scope is Deny; with AllowedRoles, having one
// is Allow and having none Deny; otherwise (only scopes, all present) it
// is Allow when the rules named scopes and Abstain when they named nothing.
type RoleAuthorizer struct{}

// Authorize implements Authorizer.
func (RoleAuthorizer) Authorize(c *Context) (Decision, error) {
	r, p := c.Rules, c.Profile
	if slices.ContainsFunc(r.DeniedRoles, p.HasRole) {
		return Deny, nil
	}
	for _, s := range r.Scopes {
		if !p.HasScope(s) {
			return Deny, nil
		}
	}
	if len(r.AllowedRoles) > 0 {
		if slices.ContainsFunc(r.AllowedRoles, p.HasRole) {
			return Allow, nil
		}
		return Deny, nil
	}
	if len(r.Scopes) > 0 {
		return Allow, nil
	}
	return Abstain, nil
}

// MsgAccessDenied is LoopBack's 403 message.
const MsgAccessDenied = "Access denied"

// Forbidden returns the 403 error of a denied request:
// {"error":{"statusCode":403,"name":"ForbiddenError","message":"Access denied"}}.
func Forbidden() error {
	return &fault.Error{Kind: fault.Forbidden, Name: "ForbiddenError", Message: MsgAccessDenied}
}

// Decide runs the authorizers in order as LoopBack's authorization
// interceptor does: a vote equal to precedence ends the vote; otherwise
// the last vote that was not Abstain wins, and def applies when all
// abstained.
func Decide(c *Context, authorizers []Authorizer, precedence, def Decision) (Decision, error) {
	final := Abstain
	for _, a := range authorizers {
		d, err := a.Authorize(c)
		if err != nil {
			return Deny, fmt.Errorf("authorize %s: %w", c.Resource(), err)
		}
		if d == Abstain {
			continue
		}
		final = d
		if d == precedence {
			break
		}
	}
	if final == Abstain {
		final = def
	}
	return final, nil
}

func (a *Authenticator) authorize(c *Context) error {
	voters := a.cfg.Authorizers
	if len(c.Rules.Voters) > 0 {
		voters = append(slices.Clip(voters), c.Rules.Voters...)
	}
	d, err := Decide(c, voters, a.cfg.Precedence, a.cfg.DefaultDecision)
	if err != nil {
		return err
	}
	if d != Allow {
		return Forbidden()
	}
	return nil
}
