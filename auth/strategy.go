package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
)

// Strategy authenticates a request: LoopBack's AuthenticationStrategy. It
// returns the profile of a verified credential, or an error: an
// Unauthorized one (see Unauthorized) is answered 401 with its message;
// any other error is a 500 whose text the client never sees.
//
// A Strategy is called concurrently and must not keep per-request state.
type Strategy interface {
	Authenticate(r *http.Request) (*Profile, error)
}

// StrategyFunc adapts a function to Strategy.
type StrategyFunc func(r *http.Request) (*Profile, error)

// Authenticate calls f(r).
func (f StrategyFunc) Authenticate(r *http.Request) (*Profile, error) { return f(r) }

// Challenger is implemented by strategies that name themselves in the
// WWW-Authenticate header of a 401 (RFC 9110 §11.6.1): Challenge returns
// the challenge for the failure err, such as `Bearer realm="api",
// error="invalid_token"`.
type Challenger interface {
	Challenge(err error) string
}

// SecuritySchemer is implemented by strategies that describe themselves
// in the OpenAPI document's components.securitySchemes.
type SecuritySchemer interface {
	SecurityScheme() *openapi.SecurityScheme
}

// Unauthorized returns the error a strategy fails with for a missing or
// bad credential: a 401 {"error":{"statusCode":401,"name":
// "UnauthorizedError","message":message}}, as LoopBack's
// HttpErrors.Unauthorized.
func Unauthorized(message string) error {
	return &fault.Error{Kind: fault.Unauthorized, Name: "UnauthorizedError", Message: message}
}

// IsUnauthorized reports whether err is a 401 error.
func IsUnauthorized(err error) bool { return errors.Is(err, fault.Unauthorized) }

// The messages of LoopBack's JWT strategy (@loopback/authentication-jwt)
// for an Authorization header it cannot use.
const (
	MsgHeaderNotFound = "Authorization header not found."
	MsgNotBearer      = "Authorization header is not of type 'Bearer'."
	MsgTooManyParts   = "Authorization header value has too many parts. It must follow the pattern: 'Bearer xx.yy.zz' where xx.yy.zz is a valid JWT token."
	MsgTokenNull      = "Error verifying token : 'token' is null"
)

// BearerToken extracts the token of an `Authorization: Bearer <token>`
// header value exactly as LoopBack's JWT strategy does, with its 401
// messages: an empty header is MsgHeaderNotFound, one that does not start
// with "Bearer" MsgNotBearer, one that is not two space-separated parts
// MsgTooManyParts, and "Bearer " with nothing after it MsgTokenNull.
func BearerToken(header string) (string, error) {
	if header == "" {
		return "", Unauthorized(MsgHeaderNotFound)
	}
	if !strings.HasPrefix(header, "Bearer") {
		return "", Unauthorized(MsgNotBearer)
	}
	if strings.Count(header, " ") != 1 {
		return "", Unauthorized(MsgTooManyParts)
	}
	tok := header[strings.IndexByte(header, ' ')+1:]
	if tok == "" {
		return "", Unauthorized(MsgTokenNull)
	}
	return tok, nil
}

// APIKeyIn says where an API key is sent.
type APIKeyIn string

// Where an API key may be sent.
const (
	InHeader APIKeyIn = "header"
	InQuery  APIKeyIn = "query"
	InCookie APIKeyIn = "cookie"
)

// APIKey is a strategy that authenticates a key sent in a header, a query
// parameter or a cookie. Lookup maps a key to its profile; it returns
// (nil, nil) for an unknown key, which is a 401. Keys are compared by
// Lookup; StaticKeys compares in constant time.
type APIKey struct {
	// In is where the key is sent; "" means InHeader.
	In APIKeyIn
	// Name is the header, parameter or cookie name; "" means "X-API-Key".
	Name string
	// Lookup returns the profile of key, (nil, nil) for an unknown key.
	Lookup func(ctx context.Context, key string) (*Profile, error)
}

func (a *APIKey) name() string {
	if a.Name == "" {
		return "X-API-Key"
	}
	return a.Name
}

func (a *APIKey) in() APIKeyIn {
	if a.In == "" {
		return InHeader
	}
	return a.In
}

// Authenticate implements Strategy.
func (a *APIKey) Authenticate(r *http.Request) (*Profile, error) {
	var key string
	switch a.in() {
	case InQuery:
		key = r.URL.Query().Get(a.name())
	case InCookie:
		if c, err := r.Cookie(a.name()); err == nil {
			key = c.Value
		}
	default:
		key = r.Header.Get(a.name())
	}
	if key == "" {
		return nil, Unauthorized(fmt.Sprintf("API key not found in %s %q.", a.in(), a.name()))
	}
	p, err := a.Lookup(r.Context(), key)
	if err != nil {
		return nil, fmt.Errorf("api key lookup: %w", err)
	}
	if p == nil {
		return nil, Unauthorized("Invalid API key.")
	}
	return p, nil
}

// Challenge implements Challenger.
func (a *APIKey) Challenge(error) string {
	return fmt.Sprintf("APIKey in=%q, name=%q", a.in(), a.name())
}

// SecurityScheme implements SecuritySchemer.
func (a *APIKey) SecurityScheme() *openapi.SecurityScheme {
	return &openapi.SecurityScheme{Type: "apiKey", In: string(a.in()), Name: a.name()}
}

// StaticKeys returns an APIKey Lookup over a fixed key → profile map,
// comparing keys in constant time.
func StaticKeys(keys map[string]*Profile) func(context.Context, string) (*Profile, error) {
	type entry struct {
		key []byte
		p   *Profile
	}
	es := make([]entry, 0, len(keys))
	for k, p := range keys {
		es = append(es, entry{[]byte(k), p})
	}
	return func(_ context.Context, key string) (*Profile, error) {
		var found *Profile
		for _, e := range es {
			if subtle.ConstantTimeCompare(e.key, []byte(key)) == 1 {
				found = e.p
			}
		}
		return found, nil
	}
}

// Basic is HTTP Basic authentication (RFC 7617). Verify checks a user
// name and password and returns the profile, (nil, nil) when they do not
// match (a 401); it should compare in constant time (users.Service.Verify
// does).
type Basic struct {
	// Realm is sent in the challenge; "" means "api".
	Realm string
	// Verify checks the credentials.
	Verify func(ctx context.Context, user, password string) (*Profile, error)
}

// Authenticate implements Strategy.
func (b *Basic) Authenticate(r *http.Request) (*Profile, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, Unauthorized(MsgHeaderNotFound)
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return nil, Unauthorized("Authorization header is not of type 'Basic'.")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return nil, Unauthorized("Authorization header has malformed Basic credentials.")
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, Unauthorized("Authorization header has malformed Basic credentials.")
	}
	p, err := b.Verify(r.Context(), user, pass)
	if err != nil {
		if IsUnauthorized(err) {
			return nil, err
		}
		return nil, fmt.Errorf("basic verify: %w", err)
	}
	if p == nil {
		return nil, Unauthorized("Invalid user name or password.")
	}
	return p, nil
}

// Challenge implements Challenger.
func (b *Basic) Challenge(error) string {
	realm := b.Realm
	if realm == "" {
		realm = "api"
	}
	return fmt.Sprintf("Basic realm=%q, charset=\"UTF-8\"", realm)
}

// SecurityScheme implements SecuritySchemer.
func (b *Basic) SecurityScheme() *openapi.SecurityScheme {
	return &openapi.SecurityScheme{Type: "http", Scheme: "basic"}
}
