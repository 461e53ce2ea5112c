package jwt

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	gojwt "github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/openapi"
)

// DefaultMaxTokenSize is the largest token Config.MaxTokenSize allows by
// default (8 KiB); a longer one is refused before it is decoded.
const DefaultMaxTokenSize = 8 << 10

// DefaultExpiresIn is the lifetime of the tokens Sign issues by default:
// 6 hours, as @loopback/authentication-jwt's.
const DefaultExpiresIn = 6 * time.Hour

// Config configures a Strategy. Exactly one key source is needed: Secret
// (HS256/384/512), PublicKey (RS*, PS*, ES*, EdDSA) or JWKS.
type Config struct {
	// Secret is the HMAC secret of HS256/384/512 tokens.
	Secret []byte
	// PublicKey verifies RS*/PS* (*rsa.PublicKey), ES* (*ecdsa.PublicKey)
	// or EdDSA (ed25519.PublicKey) tokens.
	PublicKey crypto.PublicKey
	// JWKS verifies tokens with the keys of a JSON Web Key Set, fetched
	// and refreshed by NewJWKS; the token's kid selects the key.
	JWKS *JWKS
	// Algorithms lists the accepted "alg" values; nil means every
	// algorithm of the key's family (HS* for Secret, RS*/PS* for an RSA
	// key, ES* for an ECDSA key, EdDSA; RS*, PS*, ES* and EdDSA for JWKS).
	// "none" is never accepted, and an HS token is never verified with
	// a public key (algorithm confusion).
	Algorithms []string
	// Issuer and Audience, when set, must match the "iss" and "aud" claims.
	Issuer   string
	Audience string
	// Leeway is the clock skew allowed for exp, nbf and iat.
	Leeway time.Duration
	// RequireExpiry refuses tokens without an "exp" claim (LoopBack
	// accepts them; its own tokens always have one).
	RequireExpiry bool
	// MaxTokenSize caps the token's length in bytes; 0 means
	// DefaultMaxTokenSize.
	MaxTokenSize int
	// ExpiresIn is the lifetime of tokens Sign issues; 0 means
	// DefaultExpiresIn.
	ExpiresIn time.Duration
	// Realm is the realm of the WWW-Authenticate challenge; "" means "api".
	Realm string
	// Profile builds the profile from the verified claims; nil means
	// ProfileFromClaims. It is never called for an unverified token.
	Profile func(claims gojwt.MapClaims) (*auth.Profile, error)
	// Check, when set, is called with the verified profile and claims and
	// may refuse the token (a deleted user, a revoked token id) by
	// returning an auth.Unauthorized error.
	Check func(ctx context.Context, p *auth.Profile, claims gojwt.MapClaims) error
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// CacheSize bounds the cache of verified tokens (by their exact text,
	// signature included) that spares re-verifying a token a client sends
	// again: a hit still checks expiry and runs Check. 0 means 4096;
	// negative disables the cache. The cache is per Strategy, in memory.
	CacheSize int
}

// Strategy is the "jwt" bearer-token strategy: it reads
// `Authorization: Bearer <token>` (auth.BearerToken), verifies the token
// and returns its profile. Its 401 messages are LoopBack's
// ("Error verifying token : jwt expired"). Safe for concurrent use.
type Strategy struct {
	cfg    Config
	parser *gojwt.Parser
	keys   gojwt.Keyfunc
	method gojwt.SigningMethod // for Sign; nil without a Secret
	cache  *tokenCache         // nil when disabled
}

var (
	_ auth.Strategy        = (*Strategy)(nil)
	_ auth.Challenger      = (*Strategy)(nil)
	_ auth.SecuritySchemer = (*Strategy)(nil)
)

// New returns a Strategy, or an error when cfg has no key source, several,
// or an algorithm that does not fit the key.
func New(cfg Config) (*Strategy, error) {
	n := 0
	for _, set := range []bool{len(cfg.Secret) > 0, cfg.PublicKey != nil, cfg.JWKS != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("jwt: exactly one of Secret, PublicKey and JWKS is needed")
	}
	if cfg.MaxTokenSize == 0 {
		cfg.MaxTokenSize = DefaultMaxTokenSize
	}
	if cfg.ExpiresIn == 0 {
		cfg.ExpiresIn = DefaultExpiresIn
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Profile == nil {
		cfg.Profile = ProfileFromClaims
	}
	family, err := familyOf(cfg)
	if err != nil {
		return nil, err
	}
	algs := cfg.Algorithms
	if algs == nil {
		algs = family
	}
	for _, a := range algs {
		if !contains(family, a) {
			return nil, fmt.Errorf("jwt: algorithm %q does not fit the configured key", a)
		}
	}
	s := &Strategy{cfg: cfg}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = 4096
	}
	if cfg.CacheSize > 0 {
		s.cache = &tokenCache{max: cfg.CacheSize, m: map[string]cached{}}
	}
	opts := []gojwt.ParserOption{
		gojwt.WithValidMethods(algs),
		gojwt.WithLeeway(cfg.Leeway),
		gojwt.WithTimeFunc(cfg.Now),
		gojwt.WithIssuedAt(),
		gojwt.WithStrictDecoding(), // one spelling per token: no malleable padding bits
	}
	if cfg.Issuer != "" {
		opts = append(opts, gojwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, gojwt.WithAudience(cfg.Audience))
	}
	if cfg.RequireExpiry {
		opts = append(opts, gojwt.WithExpirationRequired())
	}
	s.parser = gojwt.NewParser(opts...)
	switch {
	case len(cfg.Secret) > 0:
		secret := cfg.Secret
		s.keys = func(*gojwt.Token) (any, error) { return secret, nil }
		s.method = gojwt.GetSigningMethod(algs[0])
	case cfg.PublicKey != nil:
		pk := cfg.PublicKey
		s.keys = func(*gojwt.Token) (any, error) { return pk, nil }
	default:
		s.keys = cfg.JWKS.kf.Keyfunc
	}
	return s, nil
}

var (
	hmacAlgs  = []string{"HS256", "HS384", "HS512"}
	rsaAlgs   = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	ecdsaAlgs = []string{"ES256", "ES384", "ES512"}
)

func familyOf(cfg Config) ([]string, error) {
	switch k := cfg.PublicKey.(type) {
	case nil:
		if cfg.JWKS != nil {
			return append(append(append([]string{}, rsaAlgs...), ecdsaAlgs...), "EdDSA"), nil
		}
		return hmacAlgs, nil
	case *rsa.PublicKey:
		return rsaAlgs, nil
	case *ecdsa.PublicKey:
		return ecdsaAlgs, nil
	case ed25519.PublicKey:
		return []string{"EdDSA"}, nil
	default:
		return nil, fmt.Errorf("jwt: unsupported public key type %T", k)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Authenticate implements auth.Strategy.
func (s *Strategy) Authenticate(r *http.Request) (*auth.Profile, error) {
	tok, err := auth.BearerToken(r.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	p, claims, err := s.Verify(tok)
	if err != nil {
		return nil, err
	}
	if s.cfg.Check != nil {
		if err := s.cfg.Check(r.Context(), p, claims); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Verify checks a token and returns its profile and claims. Every failure
// is an auth.Unauthorized error whose message is LoopBack's
// ("Error verifying token : " and jsonwebtoken's words: "jwt malformed",
// "invalid signature", "jwt expired", "jwt not active", "invalid
// algorithm", "jwt audience invalid. expected: …", "jwt issuer invalid.
// expected: …").
func (s *Strategy) Verify(token string) (*auth.Profile, gojwt.MapClaims, error) {
	if token == "" {
		return nil, nil, auth.Unauthorized(auth.MsgTokenNull)
	}
	if len(token) > s.cfg.MaxTokenSize {
		return nil, nil, verifyError("jwt too large")
	}
	if s.cache != nil {
		if p, claims, ok := s.cache.get(token, s.cfg.Now(), s.cfg.Leeway); ok {
			return p, claims, nil
		}
	}
	claims := gojwt.MapClaims{}
	if _, err := s.parser.ParseWithClaims(token, claims, s.keys); err != nil {
		return nil, nil, verifyError(s.reason(err))
	}
	p, err := s.cfg.Profile(claims)
	if err != nil {
		return nil, nil, verifyError(err.Error())
	}
	if p == nil || p.ID == "" {
		return nil, nil, verifyError("jwt has no subject")
	}
	p.Claims = claims
	if s.cache != nil {
		s.cache.put(token, p, claims)
	}
	return p, claims, nil
}

func verifyError(reason string) error {
	return auth.Unauthorized("Error verifying token : " + reason)
}

// reason words a verification failure as jsonwebtoken does.
func (s *Strategy) reason(err error) string {
	switch {
	case errors.Is(err, gojwt.ErrTokenMalformed) && strings.Contains(err.Error(), "decode signature"):
		return "invalid signature" // jsonwebtoken compares the text: any other signature is "invalid"
	case errors.Is(err, gojwt.ErrTokenMalformed):
		return "jwt malformed"
	case errors.Is(err, gojwt.ErrTokenSignatureInvalid):
		if strings.Contains(err.Error(), "signing method") {
			return "invalid algorithm"
		}
		return "invalid signature"
	case errors.Is(err, gojwt.ErrTokenExpired):
		return "jwt expired"
	case errors.Is(err, gojwt.ErrTokenNotValidYet), errors.Is(err, gojwt.ErrTokenUsedBeforeIssued):
		return "jwt not active"
	case errors.Is(err, gojwt.ErrTokenInvalidAudience):
		return "jwt audience invalid. expected: " + s.cfg.Audience
	case errors.Is(err, gojwt.ErrTokenInvalidIssuer):
		return "jwt issuer invalid. expected: " + s.cfg.Issuer
	case errors.Is(err, gojwt.ErrTokenRequiredClaimMissing):
		return "jwt has no expiry"
	case errors.Is(err, gojwt.ErrTokenUnverifiable) && strings.Contains(err.Error(), "signing method"):
		return "invalid algorithm"
	case errors.Is(err, gojwt.ErrTokenUnverifiable):
		return "invalid signature" // no key for it (an unknown kid)
	}
	return "invalid token"
}

// Challenge implements auth.Challenger: `Bearer realm="api"`, with
// error="invalid_token" when a token was sent but refused (RFC 6750).
func (s *Strategy) Challenge(err error) string {
	realm := s.cfg.Realm
	if realm == "" {
		realm = "api"
	}
	c := fmt.Sprintf("Bearer realm=%q", realm)
	var msg string
	if err != nil {
		msg = err.Error()
	}
	if strings.HasPrefix(msg, "Error verifying token") && msg != auth.MsgTokenNull {
		c += `, error="invalid_token"`
	}
	return c
}

// SecurityScheme implements auth.SecuritySchemer: LoopBack's
// {"type":"http","scheme":"bearer","bearerFormat":"JWT"}.
func (s *Strategy) SecurityScheme() *openapi.SecurityScheme {
	return &openapi.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: "JWT"}
}

// Sign issues a token for p as @loopback/authentication-jwt does: claims
// {"id", "name", "email"} plus "iat" and "exp" (Config.ExpiresIn later),
// "iss" and "aud" when configured, "roles" and "scope" when p has them,
// and extra claims. It needs a Secret (HS*, the first of Algorithms).
func (s *Strategy) Sign(p *auth.Profile, extra map[string]any) (string, error) {
	if s.method == nil {
		return "", errors.New("jwt: Sign needs a Secret")
	}
	now := s.cfg.Now()
	claims := gojwt.MapClaims{"id": p.ID, "iat": now.Unix(), "exp": now.Add(s.cfg.ExpiresIn).Unix()}
	if p.Name != "" {
		claims["name"] = p.Name
	}
	if p.Email != "" {
		claims["email"] = p.Email
	}
	if len(p.Roles) > 0 {
		claims["roles"] = p.Roles
	}
	if len(p.Scopes) > 0 {
		claims["scope"] = strings.Join(p.Scopes, " ")
	}
	if s.cfg.Issuer != "" {
		claims["iss"] = s.cfg.Issuer
	}
	if s.cfg.Audience != "" {
		claims["aud"] = s.cfg.Audience
	}
	for k, v := range extra {
		claims[k] = v
	}
	tok, err := gojwt.NewWithClaims(s.method, claims).SignedString(s.cfg.Secret)
	if err != nil {
		return "", fmt.Errorf("jwt: sign: %w", err)
	}
	return tok, nil
}

// ProfileFromClaims builds a profile from LoopBack's claims: ID from "id"
// (else "sub"), Name from "name", Email from "email", Roles from "roles",
// Scopes from "scope" (space-separated) or "scopes"/"scp" (arrays).
func ProfileFromClaims(c gojwt.MapClaims) (*auth.Profile, error) {
	p := &auth.Profile{}
	switch id := c["id"].(type) {
	case string:
		p.ID = id
	case float64:
		p.ID = fmt.Sprint(id)
	}
	if p.ID == "" {
		p.ID, _ = c["sub"].(string)
	}
	p.Name, _ = c["name"].(string)
	p.Email, _ = c["email"].(string)
	p.Roles = stringList(c["roles"])
	if sc, ok := c["scope"].(string); ok {
		p.Scopes = strings.Fields(sc)
	} else if sc := stringList(c["scopes"]); sc != nil {
		p.Scopes = sc
	} else {
		p.Scopes = stringList(c["scp"])
	}
	return p, nil
}

func stringList(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// JWKS is a JSON Web Key Set fetched from a URL, cached and refreshed in
// the background (keyfunc/v3 over jwkset): keys rotate without a restart,
// and a token whose kid is unknown triggers a refresh, at most once per
// JWKSConfig.UnknownKIDInterval. Safe for concurrent use; the cache is per
// process.
type JWKS struct {
	kf keyfunc.Keyfunc
}

// JWKSConfig configures NewJWKS.
type JWKSConfig struct {
	// URL is the key set's address (an identity provider's jwks_uri).
	URL string
	// RefreshInterval is how often the set is fetched again; 0 means an hour.
	RefreshInterval time.Duration
	// UnknownKIDInterval is the shortest time between two refreshes caused
	// by unknown kids (a rotation, or a client sending made-up kids); 0
	// means 5 minutes.
	UnknownKIDInterval time.Duration
	// HTTPClient fetches the set; nil means a client with a 10-second
	// timeout.
	HTTPClient *http.Client
}

// NewJWKS fetches the key set and keeps it fresh until ctx ends. It fails
// when the first fetch fails.
func NewJWKS(ctx context.Context, cfg JWKSConfig) (*JWKS, error) {
	// A request with an unknown kid never waits for the rate limiter: it
	// fails at once when a refresh ran recently (else made-up kids would
	// hold requests for minutes).
	ov := keyfunc.Override{RefreshInterval: cfg.RefreshInterval, HTTPTimeout: 10 * time.Second, RateLimitWaitMax: time.Millisecond}
	if cfg.UnknownKIDInterval > 0 {
		ov.RefreshUnknownKID = rate.NewLimiter(rate.Every(cfg.UnknownKIDInterval), 1)
	}
	if cfg.HTTPClient != nil {
		ov.Client = cfg.HTTPClient
	}
	fail := false
	ov.NoErrorReturnFirstHTTPReq = &fail
	ov.RefreshErrorHandlerFunc = func(string) func(context.Context, error) {
		return func(context.Context, error) {} // the old keys stay in use
	}
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.URL}, ov)
	if err != nil {
		return nil, fmt.Errorf("jwt: jwks: %w", err)
	}
	return &JWKS{kf: kf}, nil
}
