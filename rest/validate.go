package rest

import (
	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/openapi"
)

// validator checks decoded values against a compiled JSON schema.
type validator struct {
	v *validate.Validator
}

// compileValidator compiles s; $refs resolve in comps.
func compileValidator(s *openapi.Schema, comps map[string]*openapi.Schema) (*validator, error) {
	v, err := validate.Compile(s, comps)
	if err != nil {
		return nil, err
	}
	return &validator{v: v}, nil
}

// validate returns every error in LoopBack's details shape; nil when v is
// valid.
func (vl *validator) validate(v any) []validate.Detail {
	return vl.v.Validate(v)
}
