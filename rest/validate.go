package rest

import (
	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/openapi"
)

// validator checks decoded values against a compiled JSON schema, with a
// quick check in front that accepts the common valid values of simple
// schemas without running the full validator.
type validator struct {
	v     *validate.Validator
	quick *quickCheck // nil when the schema is not simple enough
}

// compileValidator compiles s; $refs resolve in comps.
func compileValidator(s *openapi.Schema, comps map[string]*openapi.Schema) (*validator, error) {
	v, err := validate.Compile(s, comps)
	if err != nil {
		return nil, err
	}
	return &validator{v: v, quick: compileQuick(s, comps)}, nil
}

// validate returns every error in LoopBack's details shape; nil when v is
// valid.
func (vl *validator) validate(v any) []validate.Detail {
	if vl.quick != nil && vl.quick.accepts(v) {
		return nil
	}
	return vl.v.Validate(v)
}
