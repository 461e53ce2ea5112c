package auth

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// StrategyPoint is the di extension point strategies may be bound to,
// by name, instead of (or as well as) Authenticator.Register:
//
//	di.AddExtension(srv.Container(), auth.StrategyPoint(), auth.StrategyPoint().Key("jwt")).To(strategy)
func StrategyPoint() di.ExtensionPoint[Strategy] {
	return di.NewExtensionPoint[Strategy]("authentication.strategies")
}

// Config configures an Authenticator. The zero value authenticates only
// the operations that declare strategies (Authenticate) and authorizes
// only those that declare rules (Authorize).
type Config struct {
	// Default lists the strategies of operations that declare none; nil
	// means such operations are not authenticated. Skip opts an operation
	// out.
	Default []string
	// Authorizers run, in order, for every operation that declares
	// authorization (Authorize); the operation's own voters run after
	// them. Nil means RoleAuthorizer alone.
	Authorizers []Authorizer
	// Precedence is the decision that ends the vote as soon as an
	// authorizer returns it (LoopBack's precedence); Abstain (the zero
	// value) means Deny.
	Precedence Decision
	// DefaultDecision is the decision when every authorizer abstained;
	// Abstain (the zero value) means Deny.
	DefaultDecision Decision
	// AuthorizeAll authorizes every authenticated operation, with empty
	// Rules for those that declare none (so DefaultDecision applies unless
	// an authorizer decides).
	AuthorizeAll bool
}

// Authenticator holds the named strategies and authorizers of a server and
// runs them for each operation, in rest.GroupAuthentication. Register
// strategies while setting up; it is safe for concurrent use once serving.
type Authenticator struct {
	cfg        Config
	strategies map[string]Strategy
	srv        *rest.Server
}

// New returns an Authenticator configured by cfg.
func New(cfg Config) *Authenticator {
	if cfg.Precedence == Abstain {
		cfg.Precedence = Deny
	}
	if cfg.DefaultDecision == Abstain {
		cfg.DefaultDecision = Deny
	}
	if cfg.Authorizers == nil {
		cfg.Authorizers = []Authorizer{RoleAuthorizer{}}
	}
	return &Authenticator{cfg: cfg, strategies: map[string]Strategy{}}
}

// Register names a strategy. The name is what operations list in
// Authenticate and the security scheme's name in the OpenAPI document.
// Registering a name twice panics (a programming error).
func (a *Authenticator) Register(name string, s Strategy) *Authenticator {
	if _, dup := a.strategies[name]; dup {
		panic(fmt.Sprintf("auth: strategy %q registered twice", name))
	}
	a.strategies[name] = s
	return a
}

// strategy returns the strategy named name: registered, else bound to
// StrategyPoint in the server's container.
func (a *Authenticator) strategy(name string) (Strategy, error) {
	if s, ok := a.strategies[name]; ok {
		return s, nil
	}
	if a.srv != nil {
		if s, err := di.Get(a.srv.Container(), StrategyPoint().Key(name)); err == nil && s != nil {
			return s, nil
		}
	}
	return nil, fmt.Errorf("auth: no strategy named %q", name)
}

// Install adds the authentication and authorization middleware to
// srv's rest.GroupAuthentication and a spec enhancer that writes
// components.securitySchemes and each protected operation's security.
func (a *Authenticator) Install(srv *rest.Server) {
	a.srv = srv
	srv.UseIn(rest.GroupAuthentication, a.middleware)
	srv.EnhanceSpec(a.enhance)
}

type metaKey struct{}

// spec is what an operation declares.
type spec struct {
	strategies []string
	skip       bool
	rules      *Rules
}

func specOf(ri rest.RouteInfo) spec {
	s, _ := ri.Value(metaKey{}).(spec)
	return s
}

// Authenticate declares the strategies of an operation (or, given to
// rest.Server.Controller, of every operation of a controller), tried in
// order; the first that authenticates wins. With none, the operation is
// authenticated with Config.Default. An operation's own declaration
// (Authenticate, Skip, Authorize or Protect) replaces its controller's
// as a whole.
func Authenticate(strategies ...string) rest.OperationOption {
	return rest.Metadata(metaKey{}, spec{strategies: strategies})
}

// Skip declares that an operation is not authenticated, whatever
// Config.Default says (LoopBack's @authenticate.skip()).
func Skip() rest.OperationOption {
	return rest.Metadata(metaKey{}, spec{skip: true})
}

// Protect declares both the strategies (none: Config.Default) and the
// authorization rules of an operation.
func Protect(rules Rules, strategies ...string) rest.OperationOption {
	return rest.Metadata(metaKey{}, spec{strategies: strategies, rules: &rules})
}

// Authorize declares the authorization rules of an operation, which is
// authenticated with Config.Default.
func Authorize(rules Rules) rest.OperationOption {
	return rest.Metadata(metaKey{}, spec{rules: &rules})
}

// strategiesOf returns the strategies that apply to an operation.
func (a *Authenticator) strategiesOf(sp spec) []string {
	if sp.skip {
		return nil
	}
	if len(sp.strategies) > 0 {
		return sp.strategies
	}
	return a.cfg.Default
}

// middleware authenticates and authorizes the request's operation, in
// rest.GroupAuthentication (Install puts it there).
func (a *Authenticator) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri, ok := rest.RouteOf(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		sp := specOf(ri)
		names := a.strategiesOf(sp)
		if len(names) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		p, err := a.authenticate(w, r, names)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		rules := sp.rules
		if rules == nil && a.cfg.AuthorizeAll {
			rules = &Rules{}
		}
		if rules != nil {
			ac := &Context{Profile: p, Request: r, Operation: ri, Rules: rules}
			if err := a.authorize(ac); err != nil {
				a.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(WithProfile(r.Context(), p)))
	})
}

// authenticate tries each strategy in order. On failure it sets one
// WWW-Authenticate challenge per strategy and returns the first error.
func (a *Authenticator) authenticate(w http.ResponseWriter, r *http.Request, names []string) (*Profile, error) {
	var first error
	var challenges []string
	for _, name := range names {
		s, err := a.strategy(name)
		if err != nil {
			return nil, err
		}
		p, err := s.Authenticate(r)
		if err == nil && (p == nil || p.ID == "") {
			err = fmt.Errorf("auth: strategy %q returned no profile", name)
		}
		if err == nil {
			p.Strategy = name
			return p, nil
		}
		if !IsUnauthorized(err) {
			return nil, err // a broken strategy or store: 500, not "try the next"
		}
		if first == nil {
			first = err
		}
		if c, ok := s.(Challenger); ok {
			challenges = append(challenges, c.Challenge(err))
		}
	}
	for _, c := range challenges {
		w.Header().Add("WWW-Authenticate", c)
	}
	return nil, first
}

func (a *Authenticator) writeError(w http.ResponseWriter, r *http.Request, err error) {
	a.srv.WriteError(w, r, err)
}

// enhance writes the security schemes of the strategies in use and the
// security requirement of each authenticated operation.
func (a *Authenticator) enhance(doc *openapi.Document) {
	for _, ri := range a.srv.Routes() {
		names := a.strategiesOf(specOf(ri))
		if len(names) == 0 {
			continue
		}
		item := doc.Paths[ri.Path]
		if item == nil {
			continue
		}
		op := item.Operation(ri.Method)
		if op == nil {
			continue
		}
		var req openapi.SecurityRequirements
		for _, n := range names {
			s, err := a.strategy(n)
			if err != nil {
				continue
			}
			ss, ok := s.(SecuritySchemer)
			if !ok {
				continue
			}
			if doc.Components.SecuritySchemes == nil {
				doc.Components.SecuritySchemes = map[string]*openapi.SecurityScheme{}
			}
			if _, ok := doc.Components.SecuritySchemes[n]; !ok {
				doc.Components.SecuritySchemes[n] = ss.SecurityScheme()
			}
			req = append(req, openapi.SecurityRequirement{n: scopesOf(specOf(ri))})
		}
		if req == nil || op.Security != nil {
			continue
		}
		cp := *op
		cp.Security = req
		item.SetOperation(ri.Method, &cp) //nolint:errcheck // the method is one the document holds
	}
}

func scopesOf(sp spec) []string {
	if sp.rules == nil || len(sp.rules.Scopes) == 0 {
		return []string{}
	}
	return slices.Clone(sp.rules.Scopes)
}
