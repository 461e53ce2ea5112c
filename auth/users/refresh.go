package users

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/repository"
)

// RefreshConfig turns on LoopBack's refresh tokens
// (@loopback/authentication-jwt's RefreshTokenService).
type RefreshConfig struct {
	// Secret signs refresh tokens; it must differ from the access tokens'.
	Secret []byte
	// ExpiresIn is a refresh token's lifetime; 0 means 216000 seconds (60
	// hours), LoopBack's default.
	ExpiresIn time.Duration
	// Issuer is the refresh tokens' "iss"; "" means "loopback", LoopBack's.
	Issuer string
}

// RefreshToken records an issued refresh token: LoopBack's RefreshToken
// model, except that it keeps the token's SHA-256, not the token.
type RefreshToken struct {
	ID           string `json:"id" lb:"id,defaultFn=uuidv4"`
	UserID       string `json:"userId" required:"true" lb:"index"`
	RefreshToken string `json:"refreshToken" required:"true" lb:"unique"`
}

// TokenObject is what POST /users/refresh-login and POST /refresh answer,
// as LoopBack's TokenObject.
type TokenObject struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

type refresher struct {
	tokens *jwt.Strategy
	repo   *repository.CRUD[RefreshToken, string]
	hash   repository.Field[RefreshToken, string]
}

func (s *Service) initRefresh() error {
	rc := s.cfg.Refresh
	if rc == nil {
		return nil
	}
	if len(rc.Secret) == 0 || string(rc.Secret) == string(s.cfg.JWT.Secret) {
		return errors.New("users: Refresh.Secret must be set and differ from JWT.Secret")
	}
	exp := rc.ExpiresIn
	if exp == 0 {
		exp = 216000 * time.Second
	}
	iss := rc.Issuer
	if iss == "" {
		iss = "loopback"
	}
	tokens, err := jwt.New(jwt.Config{Secret: rc.Secret, ExpiresIn: exp, Issuer: iss, RequireExpiry: true, CacheSize: -1})
	if err != nil {
		return err
	}
	repo, err := repository.New[RefreshToken, string](s.conn)
	if err != nil {
		return err
	}
	s.refresh = &refresher{tokens: tokens, repo: repo,
		hash: repository.MustFieldOf(repo, func(r *RefreshToken) *string { return &r.RefreshToken })}
	return nil
}

func digest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ErrNoRefresh is the error of the refresh methods without Config.Refresh.
var ErrNoRefresh = errors.New("users: refresh tokens need Config.Refresh")

// RefreshLogin verifies the credentials and returns an access token and a
// refresh token (LoopBack's POST /users/refresh-login).
func (s *Service) RefreshLogin(ctx context.Context, email, password string) (*TokenObject, error) {
	if s.refresh == nil {
		return nil, ErrNoRefresh
	}
	u, err := s.Verify(ctx, email, password)
	if err != nil {
		return nil, err
	}
	access, err := s.tokens.Sign(Profile(u), map[string]any{"jti": newID()})
	if err != nil {
		return nil, fmt.Errorf("users: refresh login: %w", err)
	}
	refresh, err := s.refresh.tokens.Sign(&auth.Profile{ID: u.ID}, map[string]any{"userId": u.ID, "jti": newID()})
	if err != nil {
		return nil, fmt.Errorf("users: refresh login: %w", err)
	}
	if _, err := s.refresh.repo.Create(ctx, &RefreshToken{UserID: u.ID, RefreshToken: digest(refresh)}); err != nil {
		return nil, fmt.Errorf("users: refresh login: %w", err)
	}
	return &TokenObject{AccessToken: access, RefreshToken: refresh}, nil
}

// Refresh returns a new access token for a refresh token that this
// service issued, that has not expired and whose user exists (LoopBack's
// POST /refresh). Failures are 401s "Error verifying token : …".
func (s *Service) Refresh(ctx context.Context, refreshToken string) (*TokenObject, error) {
	if s.refresh == nil {
		return nil, ErrNoRefresh
	}
	_, claims, err := s.refresh.tokens.Verify(refreshToken)
	if err != nil {
		return nil, err
	}
	rec, err := s.refresh.repo.FindOne(ctx, filter.New().Where(s.refresh.hash.Eq(digest(refreshToken))).Filter())
	if errors.Is(err, fault.NotFound) || (err == nil && rec == nil) {
		return nil, auth.Unauthorized("Error verifying token : Invalid Token")
	}
	if err != nil {
		return nil, fmt.Errorf("users: refresh: %w", err)
	}
	if uid, _ := claims["userId"].(string); uid != rec.UserID {
		return nil, auth.Unauthorized("Error verifying token : Invalid Token")
	}
	u, err := s.users.FindByID(ctx, rec.UserID, nil)
	if errors.Is(err, fault.NotFound) {
		return nil, auth.Unauthorized(MsgUserGone)
	}
	if err != nil {
		return nil, fmt.Errorf("users: refresh: %w", err)
	}
	access, err := s.tokens.Sign(Profile(u), map[string]any{"jti": newID()})
	if err != nil {
		return nil, fmt.Errorf("users: refresh: %w", err)
	}
	return &TokenObject{AccessToken: access}, nil
}

// RevokeRefreshTokens deletes every refresh token of a user (after a
// password change, say).
func (s *Service) RevokeRefreshTokens(ctx context.Context, userID string) error {
	if s.refresh == nil {
		return ErrNoRefresh
	}
	uid := repository.MustFieldOf(s.refresh.repo, func(r *RefreshToken) *string { return &r.UserID })
	if _, err := s.refresh.repo.DeleteAll(ctx, uid.Eq(userID)); err != nil {
		return fmt.Errorf("users: revoke refresh tokens: %w", err)
	}
	return nil
}
