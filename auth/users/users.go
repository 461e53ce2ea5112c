package users

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/google/uuid"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/auth/jwt"
	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// User is @loopback/authentication-jwt's User model. Its id is a string
// (a UUID for new users).
type User struct {
	ID                string `json:"id" lb:"id,defaultFn=uuidv4"`
	Realm             string `json:"realm,omitempty"`
	Username          string `json:"username,omitempty"`
	Email             string `json:"email" required:"true" lb:"unique"`
	EmailVerified     bool   `json:"emailVerified,omitempty"`
	VerificationToken string `json:"verificationToken,omitempty"`
}

// UserCredentials is @loopback/authentication-jwt's UserCredentials model:
// the password hash of a user. It is never sent to a client.
type UserCredentials struct {
	ID       string `json:"id" lb:"id,defaultFn=uuidv4"`
	Password string `json:"password" required:"true"`
	UserID   string `json:"userId" required:"true" lb:"index"`
}

// MsgInvalidCredentials is LoopBack's 401 message for a failed login.
const MsgInvalidCredentials = "Invalid email or password."

// MsgUserGone is the 401 message for a valid token whose user no longer
// exists (LoopBack accepts such tokens).
const MsgUserGone = "Error verifying token : user not found"

// Config configures a Service.
type Config struct {
	// JWT configures the token strategy; it needs at least a Secret.
	// Its Check, if set, runs after the service's own (user exists).
	JWT jwt.Config
	// Hasher hashes new passwords; nil means Bcrypt{Cost: 10}.
	Hasher Hasher
	// MinPasswordLength is the shortest password signup accepts; 0 means 8.
	MinPasswordLength int
	// FailedLoginDelay is how long a failed login waits before it answers
	// (slowing down guessing); 0 means 300ms, negative none.
	FailedLoginDelay time.Duration
	// TrustTokens skips the per-request check that a token's user still
	// exists (a lookup by id); tokens then stay valid until they expire.
	TrustTokens bool
	// Revocations, when set, is where Logout records the ids (jti) of
	// revoked tokens until they expire; the strategy then refuses them.
	// Use a store every instance shares (Redis) when several serve the
	// API. Tokens without a jti (LoopBack's) cannot be revoked one by one.
	Revocations connector.KeyValue
	// Refresh, when set, turns on refresh tokens: RefreshLogin, Refresh,
	// and the routes POST /users/refresh-login and POST /refresh.
	Refresh *RefreshConfig
}

// Service is the users component: sign-up, login (bcrypt or argon2id
// hashes, tokens from its jwt.Strategy) and the JWT strategy that
// authenticates its users. Safe for concurrent use.
type Service struct {
	cfg     Config
	conn    connector.Connector
	users   *repository.CRUD[User, string]
	creds   *repository.CRUD[UserCredentials, string]
	tokens  *jwt.Strategy
	dummy   string // a hash to compare against for an unknown e-mail
	revoked *repository.KV[revocation]
	refresh *refresher // nil without Config.Refresh
	email   repository.Field[User, string]
	userID  repository.Field[UserCredentials, string]
}

// New returns the users service over conn.
func New(conn connector.Connector, cfg Config) (*Service, error) {
	if cfg.Hasher == nil {
		cfg.Hasher = Bcrypt{}
	}
	if cfg.MinPasswordLength == 0 {
		cfg.MinPasswordLength = 8
	}
	if cfg.FailedLoginDelay == 0 {
		cfg.FailedLoginDelay = 300 * time.Millisecond
	}
	s := &Service{cfg: cfg, conn: conn}
	var err error
	if s.users, err = repository.New[User, string](conn); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	if s.creds, err = repository.New[UserCredentials, string](conn); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	s.email = repository.MustFieldOf(s.users, func(u *User) *string { return &u.Email })
	s.userID = repository.MustFieldOf(s.creds, func(c *UserCredentials) *string { return &c.UserID })
	if cfg.Revocations != nil {
		def, err := model.FromStruct[revocation]()
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		s.revoked = repository.NewKV[revocation](cfg.Revocations, def)
	}
	jc := cfg.JWT
	next := jc.Check
	if !cfg.TrustTokens || s.revoked != nil {
		jc.Check = func(ctx context.Context, p *auth.Profile, c gojwt.MapClaims) error {
			if err := s.checkRevoked(ctx, c); err != nil {
				return err
			}
			if cfg.TrustTokens {
				return nil
			}
			if err := s.checkUser(ctx, p); err != nil {
				return err
			}
			if next != nil {
				return next(ctx, p, c)
			}
			return nil
		}
	}
	if s.tokens, err = jwt.New(jc); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	if err := s.initRefresh(); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	if s.dummy, err = s.cfg.Hasher.Hash("not a password of anyone"); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return s, nil
}

// Strategy returns the JWT strategy that authenticates the service's
// users; register it as "jwt".
func (s *Service) Strategy() *jwt.Strategy { return s.tokens }

// Definitions returns the User and UserCredentials model definitions, for
// a data source's migration (the unique index on email).
func (s *Service) Definitions() []*model.Definition {
	defs := []*model.Definition{s.users.Definition(), s.creds.Definition()}
	if s.refresh != nil {
		defs = append(defs, s.refresh.repo.Definition())
	}
	return defs
}

func newID() string { return uuid.NewString() }

// Migrate creates or updates the storage of both models when the
// connector supports migration.
func (s *Service) Migrate(ctx context.Context) error {
	m, ok := s.conn.(connector.Migrator)
	if !ok {
		return nil
	}
	if err := m.Autoupdate(ctx, s.Definitions()); err != nil {
		return fmt.Errorf("users: migrate: %w", err)
	}
	return nil
}

func (s *Service) checkUser(ctx context.Context, p *auth.Profile) error {
	ok, err := s.users.Exists(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("users: look up token user: %w", err)
	}
	if !ok {
		return auth.Unauthorized(MsgUserGone)
	}
	return nil
}

// NewUser is what SignUp takes: LoopBack's NewUserRequest.
type NewUser struct {
	Email    string `json:"email" required:"true" format:"email" maxLength:"254"`
	Password string `json:"password" required:"true" minLength:"8" maxLength:"72" doc:"At least 8 characters (72 bytes at most, bcrypt's limit)."`
	Username string `json:"username,omitempty" maxLength:"100"`
	Realm    string `json:"realm,omitempty" maxLength:"100"`
}

// SignUp creates a user and its credentials. A password shorter than
// MinPasswordLength is a 422; an e-mail that is taken a 409.
func (s *Service) SignUp(ctx context.Context, in NewUser) (*User, error) {
	if len([]rune(in.Password)) < s.cfg.MinPasswordLength {
		return nil, fault.New(fault.Invalid, "VALIDATION_FAILED", fmt.Sprintf("The password must have at least %d characters.", s.cfg.MinPasswordLength))
	}
	email := strings.TrimSpace(in.Email)
	hash, err := s.cfg.Hasher.Hash(in.Password)
	if err != nil {
		return nil, fmt.Errorf("users: signup: %w", err)
	}
	taken, err := s.users.Count(ctx, s.email.Eq(email))
	if err != nil {
		return nil, fmt.Errorf("users: signup: %w", err)
	}
	if taken > 0 {
		return nil, errEmailTaken()
	}
	u, err := s.users.Create(ctx, &User{Email: email, Username: in.Username, Realm: in.Realm})
	if err != nil {
		if errors.Is(err, fault.Conflict) {
			return nil, errEmailTaken() // a concurrent signup won: the unique index
		}
		return nil, fmt.Errorf("users: signup: %w", err)
	}
	if _, err := s.creds.Create(ctx, &UserCredentials{Password: hash, UserID: u.ID}); err != nil {
		if derr := s.users.DeleteByID(ctx, u.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return nil, fmt.Errorf("users: signup: credentials: %w", err)
	}
	return u, nil
}

func errEmailTaken() error {
	return fault.New(fault.Conflict, "EMAIL_TAKEN", "A user with this email already exists.")
}

// Verify checks an e-mail and password as LoopBack's
// MyUserService.verifyCredentials does, and returns the user. A wrong
// e-mail or password is the same 401 (MsgInvalidCredentials) after
// FailedLoginDelay; an unknown e-mail still costs one hash comparison, so
// that timing does not tell which was wrong.
func (s *Service) Verify(ctx context.Context, email, password string) (*User, error) {
	u, err := s.users.FindOne(ctx, filter.New().Where(s.email.Eq(email)).Filter())
	if err != nil && !errors.Is(err, fault.NotFound) {
		return nil, fmt.Errorf("users: login: %w", err)
	}
	hash := s.dummy
	if u != nil {
		c, err := s.creds.FindOne(ctx, filter.New().Where(s.userID.Eq(u.ID)).Filter())
		if err != nil && !errors.Is(err, fault.NotFound) {
			return nil, fmt.Errorf("users: login: %w", err)
		}
		if c != nil {
			hash = c.Password
		}
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, fmt.Errorf("users: login: %w", err)
	}
	if !ok || u == nil || hash == s.dummy {
		s.delay(ctx)
		return nil, auth.Unauthorized(MsgInvalidCredentials)
	}
	return u, nil
}

func (s *Service) delay(ctx context.Context) {
	if s.cfg.FailedLoginDelay <= 0 {
		return
	}
	t := time.NewTimer(s.cfg.FailedLoginDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Profile is the profile LoopBack's convertToUserProfile makes of a user:
// ID and Name (the username) and Email.
func Profile(u *User) *auth.Profile {
	return &auth.Profile{ID: u.ID, Name: u.Username, Email: u.Email}
}

// Login verifies the credentials and returns a token for the user.
func (s *Service) Login(ctx context.Context, email, password string) (string, error) {
	u, err := s.Verify(ctx, email, password)
	if err != nil {
		return "", err
	}
	tok, err := s.tokens.Sign(Profile(u), map[string]any{"jti": newID()})
	if err != nil {
		return "", fmt.Errorf("users: login: %w", err)
	}
	return tok, nil
}

// NormalizeLegacyIDs rewrites users and credentials whose id or userId is
// not a string — LoopBack's memory connector writes generated numeric ids
// (the todo-jwt example's db.json has user 4) — as strings ("4"), the
// type LoopBack's User model declares, so that they can be found by id.
// It reads every user and credential record: run it once, at start, on a
// memory connector file written by LoopBack.
func (s *Service) NormalizeLegacyIDs(ctx context.Context) error {
	if err := normalize(ctx, s.users.Model(), "email", "id"); err != nil {
		return fmt.Errorf("users: normalize User ids: %w", err)
	}
	if err := normalize(ctx, s.creds.Model(), "password", "id", "userId"); err != nil {
		return fmt.Errorf("users: normalize UserCredentials ids: %w", err)
	}
	return nil
}

// normalize re-creates each record whose props are not strings, found
// again by its key property (a string).
func normalize(ctx context.Context, m *repository.Model, key string, props ...string) error {
	recs, err := m.Find(ctx, nil)
	if err != nil {
		return err
	}
	for _, r := range recs {
		changed := false
		for _, p := range props {
			switch v := r[p].(type) {
			case int64, float64:
				r[p] = fmt.Sprint(v)
				changed = true
			}
		}
		k, ok := r[key].(string)
		if !changed || !ok {
			continue
		}
		err := repository.Transact(ctx, m.Connector(), connector.TxOptions{}, func(ctx context.Context) error {
			if _, err := m.DeleteAll(ctx, filter.Prop(key).Eq(k)); err != nil {
				return err
			}
			_, err := m.Create(ctx, r)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// revocation is a revoked token id's record.
type revocation struct {
	_      struct{} `lb:"name=RevokedToken"`
	UserID string   `json:"userId"`
}

// MsgRevoked is the 401 message for a token revoked by Logout.
const MsgRevoked = "Error verifying token : jwt revoked"

func (s *Service) checkRevoked(ctx context.Context, c gojwt.MapClaims) error {
	jti, _ := c["jti"].(string)
	if s.revoked == nil || jti == "" {
		return nil
	}
	_, found, err := s.revoked.Get(ctx, jti)
	if err != nil {
		return fmt.Errorf("users: look up revoked token: %w", err)
	}
	if found {
		return auth.Unauthorized(MsgRevoked)
	}
	return nil
}

// ErrNoRevocations is Logout's error when Config.Revocations is not set.
var ErrNoRevocations = errors.New("users: logout needs Config.Revocations")

// Logout revokes the token whose verified claims are claims (from
// auth.ProfileFrom(ctx).Claims) until it expires. A token without a jti
// or an expiry cannot be revoked: that is a 400.
func (s *Service) Logout(ctx context.Context, claims map[string]any) error {
	if s.revoked == nil {
		return ErrNoRevocations
	}
	c := gojwt.MapClaims(claims)
	jti, _ := c["jti"].(string)
	exp, err := c.GetExpirationTime()
	if jti == "" || err != nil || exp == nil {
		return fault.New(fault.BadRequest, "TOKEN_NOT_REVOCABLE", "This token has no id or no expiry and cannot be revoked.")
	}
	ttl := time.Until(exp.Time) + time.Minute // the verifier's leeway, and clock skew
	if ttl <= 0 {
		return nil
	}
	sub, _ := c["id"].(string)
	if err := s.revoked.Set(ctx, jti, &revocation{UserID: sub}, ttl); err != nil {
		return fmt.Errorf("users: revoke token: %w", err)
	}
	return nil
}
