package rest

import (
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/openapi"
)

// validator checks decoded values against a compiled JSON schema, with a
// quick check in front that accepts the common valid values of simple
// schemas without running the full validator.
//
// A validator is compiled on first use (see "Validation is compiled
// lazily" in the package documentation): compiling every route's schema
// is most of what registering routes costs, and a process that serves a
// few routes should not pay it for all of them at start.
// Config.EagerValidators compiles at registration instead, and
// Server.Validate compiles every validator not compiled yet.
type validator struct {
	// what names the schema in errors: `parameter "filter"`, "request
	// body".
	what string
	// schema and comps are what compile compiles; comps is a copy of the
	// document's components as they were at registration, so that a
	// reference resolves (or fails to) as it would have then.
	schema *openapi.Schema
	comps  map[string]*openapi.Schema

	once  sync.Once
	err   error // from compiling; set once
	v     *validate.Validator
	quick *quickCheck // nil when the schema is not simple enough
}

// compileValidator compiles s now; $refs resolve in comps.
func compileValidator(s *openapi.Schema, comps map[string]*openapi.Schema) (*validator, error) {
	vl := lazyValidator(s, comps, "")
	if err := vl.compile(); err != nil {
		return nil, err
	}
	return vl, nil
}

// lazyValidator returns the validator of s, compiled on first use; $refs
// resolve in a copy of comps taken now.
func lazyValidator(s *openapi.Schema, comps map[string]*openapi.Schema, what string) *validator {
	return &validator{what: what, schema: s, comps: maps.Clone(comps)}
}

// newValidator returns the validator of s: compiled now when eager (its
// error returned as compiling has always reported it), else on first use.
func newValidator(s *openapi.Schema, comps map[string]*openapi.Schema, what string, eager bool) (*validator, error) {
	if eager {
		vl, err := compileValidator(s, comps)
		if err != nil {
			return nil, err
		}
		vl.what = what
		return vl, nil
	}
	return lazyValidator(s, comps, what), nil
}

// compile compiles the validator once; every call returns the same error.
func (vl *validator) compile() error {
	vl.once.Do(func() {
		v, err := validate.Compile(vl.schema, vl.comps)
		if err != nil {
			vl.err = err
			return
		}
		vl.v, vl.quick = v, compileQuick(vl.schema, vl.comps)
		vl.comps = nil // no longer needed
	})
	return vl.err
}

// errSchema is the error of a request whose operation's schema does not
// compile: a programming error, answered 500 (and logged with the
// request's method and path).
type errSchema struct {
	what string
	err  error
}

func (e *errSchema) Error() string {
	return fmt.Sprintf("rest: the schema of the %s does not compile: %v", e.what, e.err)
}

func (e *errSchema) Unwrap() error { return e.err }

// validate returns every error in LoopBack's details shape; nil when v is
// valid. The error is that of a schema that does not compile (see
// compile).
func (vl *validator) validate(v any) ([]validate.Detail, error) {
	if err := vl.compile(); err != nil {
		return nil, &errSchema{what: vl.what, err: err}
	}
	if vl.quick != nil && vl.quick.accepts(v) {
		return nil, nil
	}
	return vl.v.Validate(v), nil
}

// validators returns the validators of an endpoint's parameters and body.
func (e *endpoint) validators() []*validator {
	var out []*validator
	add := func(ps []*param) {
		for _, p := range ps {
			if p.check != nil {
				out = append(out, p.check)
			}
		}
	}
	add(e.params)
	if e.typedIn != nil {
		for _, f := range e.typedIn.fields {
			add([]*param{f.p})
		}
	}
	for _, b := range []*body{e.body, e.typedBody()} {
		if b == nil {
			continue
		}
		for _, m := range b.media {
			if m.check != nil {
				out = append(out, m.check)
			}
		}
	}
	return out
}

// typedBody is the body of a typed operation, nil for others.
func (e *endpoint) typedBody() *body {
	if e.typedIn == nil {
		return nil
	}
	return e.typedIn.body
}

// Validate compiles the request validators of every registered route that
// have not been compiled yet (they are compiled on first use otherwise;
// see the package documentation) and returns the errors of the schemas
// that do not compile, each naming its method, path and parameter or
// body; nil when all compile. Call it from a test, or at start when a
// broken schema should stop the process rather than fail its requests
// with 500; Config.EagerValidators compiles each route's validators as it
// is registered instead.
func (s *Server) Validate() error {
	s.mu.Lock()
	eps := append([]*endpoint(nil), s.endpoints...)
	s.mu.Unlock()
	var errs []error
	for _, e := range eps {
		for _, vl := range e.validators() {
			if err := vl.compile(); err != nil {
				errs = append(errs, fmt.Errorf("rest: %s %s: %s: %w", e.method, e.path, vl.what, err))
			}
		}
	}
	return errors.Join(errs...)
}
