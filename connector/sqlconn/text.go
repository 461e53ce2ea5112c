package sqlconn

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// checkText returns why s cannot be stored or compared as text alike on
// every engine (see model.TextProblem), or nil. The connectors refuse such
// text before the database.
func checkText(s string) error {
	if p := model.TextProblem(s); p != "" {
		return errors.New(p)
	}
	return nil
}

// literalTrailingEscape makes a like pattern that ends with an unpaired
// backslash (an escape with nothing to escape) end with an escaped
// backslash instead: the trailing backslash is a literal backslash, as on
// the memory connector, where engines would refuse the pattern
// (PostgreSQL) or read it their own way.
func literalTrailingEscape(p string) string {
	n := 0
	for n < len(p) && p[len(p)-1-n] == '\\' {
		n++
	}
	if n%2 == 1 {
		return p + `\`
	}
	return p
}

// invalidValue returns LoopBack's ValidationError (a fault.Invalid, 422)
// for property prop of model, with the details object of the model
// validation errors:
//
//	The `Todo` instance is not valid. Details: `title` is too long (at most 20 characters).
func invalidValue(model, prop, code, msg string) *fault.Error {
	return &fault.Error{
		Kind:    fault.Invalid,
		Name:    "ValidationError",
		Message: fmt.Sprintf("The `%s` instance is not valid. Details: `%s` %s.", model, prop, msg),
		Details: &validationDetails{
			Context:  model,
			Codes:    map[string][]string{prop: {code}},
			Messages: map[string][]string{prop: {msg}},
		},
	}
}

// validationDetails is the details object of LoopBack's ValidationError,
// with its keys in LoopBack's order (the repository's ValidationDetails
// has the same JSON form).
type validationDetails struct {
	Context  string              `json:"context"`
	Codes    map[string][]string `json:"codes"`
	Messages map[string][]string `json:"messages"`
}

// checkStored checks a value about to be stored in column c: text must be
// storable (see checkText) and no longer than the column's declared
// length, counted in characters as the engines count them. It returns nil
// or a *fault.Error.
func checkStored(t *Table, c *Column, v any) error {
	if p := model.TextProblem(v); p != "" {
		return invalidValue(t.Def.Name, c.Prop.Name, "format", p)
	}
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if c.Length > 0 && c.Kind == KindString && utf8.RuneCountInString(s) > c.Length {
		return invalidValue(t.Def.Name, c.Prop.Name, "length.max", fmt.Sprintf("is too long (at most %d characters)", c.Length))
	}
	return nil
}
