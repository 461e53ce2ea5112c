package users

import (
	"context"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/rest"
)

// Credentials is the body of POST /users/login.
type Credentials struct {
	Email    string `json:"email" required:"true" format:"email"`
	Password string `json:"password" required:"true" minLength:"8"`
}

// Token is the answer of POST /users/login.
type Token struct {
	Token string `json:"token"`
}

type signUpIn struct {
	Body NewUser
}

type loginIn struct {
	Body Credentials
}

// RefreshGrant is the body of POST /refresh.
type RefreshGrant struct {
	RefreshToken string `json:"refreshToken" required:"true" minLength:"1"`
}

type refreshIn struct {
	Body RefreshGrant
}

// Controller serves LoopBack's UserController of the todo-jwt example:
// POST /signup, POST /users/login and GET /whoAmI, with its operationIds
// (UserController.signUp …). Register it with rest.Server.Controller.
// With Config.Revocations it also serves POST /users/logout (204), which
// revokes the token it is called with; with Config.Refresh, LoopBack's
// POST /users/refresh-login ({"accessToken","refreshToken"}) and
// POST /refresh ({"refreshToken"} → {"accessToken"}).
type Controller struct {
	// Service does the work.
	Service *Service
	// Strategy names the strategy of GET /whoAmI; "" means "jwt".
	Strategy string
}

// ControllerName implements rest.ControllerNamer.
func (c *Controller) ControllerName() string { return "UserController" }

// Routes implements rest.Controller.
func (c *Controller) Routes(r *rest.ControllerRoutes) {
	strategy := c.Strategy
	if strategy == "" {
		strategy = "jwt"
	}
	rest.Post(r, "/signup", func(ctx context.Context, in *signUpIn) (*User, error) {
		return c.Service.SignUp(ctx, in.Body)
	}, rest.OperationID("signUp"), auth.Skip())
	rest.Post(r, "/users/login", func(ctx context.Context, in *loginIn) (*Token, error) {
		tok, err := c.Service.Login(ctx, in.Body.Email, in.Body.Password)
		if err != nil {
			return nil, err
		}
		return &Token{Token: tok}, nil
	}, rest.OperationID("login"), auth.Skip())
	rest.Get(r, "/whoAmI", func(ctx context.Context, _ *struct{}) (*string, error) {
		p, ok := auth.ProfileFrom(ctx)
		if !ok {
			return nil, auth.Unauthorized(auth.MsgHeaderNotFound)
		}
		return &p.ID, nil
	}, rest.OperationID("whoAmI"), auth.Authenticate(strategy))
	if c.Service.refresh != nil {
		rest.Post(r, "/users/refresh-login", func(ctx context.Context, in *loginIn) (*TokenObject, error) {
			return c.Service.RefreshLogin(ctx, in.Body.Email, in.Body.Password)
		}, rest.OperationID("refreshLogin"), auth.Skip())
		rest.Post(r, "/refresh", func(ctx context.Context, in *refreshIn) (*TokenObject, error) {
			return c.Service.Refresh(ctx, in.Body.RefreshToken)
		}, rest.OperationID("refresh"), auth.Skip())
	}
	if c.Service.revoked != nil {
		rest.Post(r, "/users/logout", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			p, ok := auth.ProfileFrom(ctx)
			if !ok {
				return nil, auth.Unauthorized(auth.MsgHeaderNotFound)
			}
			return nil, c.Service.Logout(ctx, p.Claims)
		}, rest.OperationID("logout"), auth.Authenticate(strategy))
	}
}
