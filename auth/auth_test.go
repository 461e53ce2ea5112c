package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/rest/resttest"
)

type out struct {
	ID       string `json:"id"`
	Strategy string `json:"strategy"`
}

// bearer is a custom strategy: "Bearer good-<id>[-<role>]" authenticates.
type bearer struct{}

func (bearer) Authenticate(r *http.Request) (*auth.Profile, error) {
	tok, err := auth.BearerToken(r.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	rest, ok := strings.CutPrefix(tok, "good-")
	if !ok {
		return nil, auth.Unauthorized("Error verifying token : invalid token")
	}
	id, role, _ := strings.Cut(rest, "-")
	p := &auth.Profile{ID: id, Scopes: []string{"todo:read"}}
	if role != "" {
		p.Roles = []string{role}
	}
	return p, nil
}

func (bearer) Challenge(error) string { return `Bearer realm="api"` }

func newServer(t *testing.T, cfg auth.Config) (*rest.Server, *auth.Authenticator) {
	t.Helper()
	srv := rest.New(rest.Config{})
	a := auth.New(cfg)
	a.Register("jwt", bearer{})
	a.Register("apiKey", &auth.APIKey{Lookup: auth.StaticKeys(map[string]*auth.Profile{"k1": {ID: "service"}})})
	a.Register("basic", &auth.Basic{Verify: func(_ context.Context, u, p string) (*auth.Profile, error) {
		if u == "ann" && p == "s3cret:x" {
			return &auth.Profile{ID: "ann"}, nil
		}
		return nil, nil
	}})
	a.Install(srv)
	who := func(ctx context.Context, _ *struct{}) (*out, error) {
		p, ok := auth.ProfileFrom(ctx)
		if !ok {
			return &out{ID: "anonymous"}, nil
		}
		return &out{ID: p.ID, Strategy: p.Strategy}, nil
	}
	rest.Get(srv, "/default", who)
	rest.Get(srv, "/open", who, auth.Skip())
	rest.Get(srv, "/either", who, auth.Authenticate("jwt", "apiKey", "basic"))
	rest.Get(srv, "/admin", who, auth.Authorize(auth.Rules{AllowedRoles: []string{"admin"}}))
	rest.Get(srv, "/write", who, auth.Protect(auth.Rules{Scopes: []string{"todo:write"}}, "jwt"))
	rest.Get(srv, "/read", who, auth.Protect(auth.Rules{Scopes: []string{"todo:read"}}, "jwt"))
	rest.Get(srv, "/nobody", who, auth.Authorize(auth.Rules{DeniedRoles: []string{"admin"},
		Voters: []auth.Authorizer{auth.AuthorizerFunc(func(c *auth.Context) (auth.Decision, error) {
			if c.Profile.ID == "bob" {
				return auth.Allow, nil
			}
			return auth.Abstain, nil
		})}}))
	return srv, a
}

const body401 = `{"error":{"statusCode":401,"name":"UnauthorizedError","message":%q}}`

func TestAuthentication(t *testing.T) {
	srv, _ := newServer(t, auth.Config{Default: []string{"jwt"}})
	c := resttest.New(t, srv)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:s3cret:x"))
	tests := []struct {
		path, header, value string
		status              int
		body                string
		challenge           string
	}{
		{"/default", "", "", 401, jsonf(body401, auth.MsgHeaderNotFound), `Bearer realm="api"`},
		{"/default", "Authorization", "Basic xyz", 401, jsonf(body401, auth.MsgNotBearer), `Bearer realm="api"`},
		{"/default", "Authorization", "Bearer a b", 401, jsonf(body401, auth.MsgTooManyParts), `Bearer realm="api"`},
		{"/default", "Authorization", "Bearer bad", 401, jsonf(body401, "Error verifying token : invalid token"), `Bearer realm="api"`},
		{"/default", "Authorization", "Bearer good-ann", 200, `{"id":"ann","strategy":"jwt"}`, ""},
		{"/open", "", "", 200, `{"id":"anonymous","strategy":""}`, ""},
		{"/open", "Authorization", "Bearer bad", 200, `{"id":"anonymous","strategy":""}`, ""},
		{"/either", "X-API-Key", "k1", 200, `{"id":"service","strategy":"apiKey"}`, ""},
		{"/either", "Authorization", basic, 200, `{"id":"ann","strategy":"basic"}`, ""},
		{"/either", "X-API-Key", "k2", 401, jsonf(body401, auth.MsgHeaderNotFound), `Bearer realm="api"`},
	}
	for _, tt := range tests {
		cl := c
		if tt.header != "" {
			cl = c.WithHeader(tt.header, tt.value)
		}
		res := cl.Get(tt.path).Expect(tt.status).ExpectBody(tt.body)
		if tt.challenge != "" {
			if got := res.Header.Values("WWW-Authenticate"); len(got) == 0 || got[0] != tt.challenge {
				t.Errorf("%s %s: WWW-Authenticate %q; want first %q", tt.path, tt.value, got, tt.challenge)
			}
		} else {
			res.ExpectHeader("WWW-Authenticate", "")
		}
	}
	// Every strategy of the list challenges.
	res := c.Get("/either").Expect(401)
	if got := res.Header.Values("WWW-Authenticate"); len(got) != 3 || !strings.HasPrefix(got[2], "Basic realm=") {
		t.Errorf("got challenges %q; want jwt, apiKey and basic", got)
	}
}

func TestAuthorization(t *testing.T) {
	srv, _ := newServer(t, auth.Config{Default: []string{"jwt"}})
	c := resttest.New(t, srv)
	const body403 = `{"error":{"statusCode":403,"name":"ForbiddenError","message":"Access denied"}}`
	tests := []struct {
		path, token string
		status      int
	}{
		{"/admin", "good-ann", 403},
		{"/admin", "good-ann-admin", 200},
		{"/admin", "bad", 401},
		{"/write", "good-ann-admin", 403},
		{"/read", "good-ann", 200},
		{"/nobody", "good-ann", 403},       // every authorizer abstains: deny by default
		{"/nobody", "good-bob", 200},       // the operation's voter allows
		{"/nobody", "good-bob-admin", 403}, // a denied role wins (precedence DENY)
	}
	for _, tt := range tests {
		res := c.WithHeader("Authorization", "Bearer "+tt.token).Get(tt.path).Expect(tt.status)
		if tt.status == 403 {
			res.ExpectBody(body403).ExpectHeader("WWW-Authenticate", "")
		}
	}
}

func TestPrecedenceAllow(t *testing.T) {
	allow := auth.AuthorizerFunc(func(*auth.Context) (auth.Decision, error) { return auth.Allow, nil })
	deny := auth.AuthorizerFunc(func(*auth.Context) (auth.Decision, error) { return auth.Deny, nil })
	abstain := auth.AuthorizerFunc(func(*auth.Context) (auth.Decision, error) { return auth.Abstain, nil })
	ac := &auth.Context{Profile: &auth.Profile{ID: "x"}, Rules: &auth.Rules{}}
	tests := []struct {
		voters     []auth.Authorizer
		precedence auth.Decision
		def        auth.Decision
		want       auth.Decision
	}{
		{[]auth.Authorizer{allow, deny}, auth.Allow, auth.Deny, auth.Allow},
		{[]auth.Authorizer{allow, deny}, auth.Deny, auth.Deny, auth.Deny},
		{[]auth.Authorizer{deny, allow}, auth.Allow, auth.Deny, auth.Allow},
		{[]auth.Authorizer{deny, allow}, auth.Deny, auth.Deny, auth.Deny},
		{[]auth.Authorizer{abstain}, auth.Deny, auth.Allow, auth.Allow},
		{nil, auth.Deny, auth.Deny, auth.Deny},
	}
	for i, tt := range tests {
		got, err := auth.Decide(ac, tt.voters, tt.precedence, tt.def)
		if err != nil || got != tt.want {
			t.Errorf("%d: got %v, %v; want %v", i, got, err, tt.want)
		}
	}
	broken := auth.AuthorizerFunc(func(*auth.Context) (auth.Decision, error) { return auth.Allow, errors.New("db down") })
	if _, err := auth.Decide(ac, []auth.Authorizer{broken}, auth.Deny, auth.Allow); err == nil {
		t.Error("got no error from a failing authorizer; want one")
	}
}

func TestBrokenStrategyIs500(t *testing.T) {
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{Default: []string{"db"}})
	a.Register("db", auth.StrategyFunc(func(*http.Request) (*auth.Profile, error) {
		return nil, errors.New("pq: connection refused to 10.0.0.3")
	}))
	a.Install(srv)
	rest.Get(srv, "/x", func(context.Context, *struct{}) (*out, error) { return &out{}, nil })
	res := resttest.New(t, srv).Get("/x").Expect(500)
	if strings.Contains(string(res.Body), "10.0.0.3") {
		t.Errorf("got %s; the driver's text reached the client", res.Body)
	}
}

func TestStrategyFromContainer(t *testing.T) {
	srv := rest.New(rest.Config{})
	a := auth.New(auth.Config{Default: []string{"custom"}})
	a.Install(srv)
	di.AddExtension(srv.Container(), auth.StrategyPoint(), auth.StrategyPoint().Key("custom")).
		To(auth.StrategyFunc(func(r *http.Request) (*auth.Profile, error) {
			if r.Header.Get("X-User") == "" {
				return nil, auth.Unauthorized("no user")
			}
			return &auth.Profile{ID: r.Header.Get("X-User")}, nil
		}))
	rest.Get(srv, "/x", func(ctx context.Context, _ *struct{}) (*out, error) {
		p, _ := auth.ProfileFrom(ctx)
		return &out{ID: p.ID}, nil
	})
	c := resttest.New(t, srv)
	c.Get("/x").Expect(401).ExpectBody(jsonf(body401, "no user"))
	c.WithHeader("X-User", "zed").Get("/x").Expect(200).ExpectBody(`{"id":"zed","strategy":""}`)
}

type ctrl struct{}

func (ctrl) Routes(r *rest.ControllerRoutes) {
	rest.Get(r, "/c/a", func(context.Context, *struct{}) (*out, error) { return &out{ID: "a"}, nil })
	rest.Get(r, "/c/b", func(context.Context, *struct{}) (*out, error) { return &out{ID: "b"}, nil }, auth.Skip())
}

func TestControllerMetadata(t *testing.T) {
	srv, _ := newServer(t, auth.Config{})
	srv.Controller(ctrl{}, auth.Authenticate("apiKey"))
	c := resttest.New(t, srv)
	c.Get("/c/a").Expect(401)
	c.WithHeader("X-API-Key", "k1").Get("/c/a").Expect(200)
	c.Get("/c/b").Expect(200)
	c.Get("/default").Expect(200) // no Default: not authenticated
}

func TestOpenAPISecurity(t *testing.T) {
	srv, _ := newServer(t, auth.Config{Default: []string{"jwt"}})
	srv.Controller(ctrl{}, auth.Authenticate("apiKey"))
	var doc struct {
		Components struct {
			SecuritySchemes map[string]json.RawMessage `json:"securitySchemes"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			Security *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	resttest.New(t, srv).Get("/openapi.json").Expect(200).JSON(&doc)
	wantSchemes := map[string]string{
		"apiKey": `{"in":"header","name":"X-API-Key","type":"apiKey"}`,
		"basic":  `{"scheme":"basic","type":"http"}`,
	}
	for name, want := range wantSchemes {
		if got := compact(doc.Components.SecuritySchemes[name]); got != want {
			t.Errorf("securitySchemes.%s: got %s; want %s", name, got, want)
		}
	}
	if _, ok := doc.Components.SecuritySchemes["jwt"]; ok {
		t.Error("the custom bearer strategy has no SecurityScheme; want none written")
	}
	sec := func(p string) string {
		s := doc.Paths[p]["get"].Security
		if s == nil {
			return "none"
		}
		b, _ := json.Marshal(*s)
		return string(b)
	}
	for path, want := range map[string]string{
		"/open":   "none",
		"/either": `[{"apiKey":[]},{"basic":[]}]`,
		"/c/a":    `[{"apiKey":[]}]`,
		"/c/b":    "none",
	} {
		if got := sec(path); got != want {
			t.Errorf("%s security: got %s; want %s", path, got, want)
		}
	}
}

func compact(raw json.RawMessage) string {
	var v any
	json.Unmarshal(raw, &v) //nolint:errcheck // compared below
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonf(format string, args ...any) string {
	for _, a := range args {
		s, _ := json.Marshal(a)
		format = strings.Replace(format, "%q", string(s), 1)
	}
	return format
}
