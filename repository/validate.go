package repository

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// ValidationDetails is the details object of a model validation error, in
// LoopBack's shape:
//
//	{"context":"Todo","codes":{"title":["presence"]},"messages":{"title":["can't be blank"]}}
type ValidationDetails struct {
	// Context is the model name.
	Context string `json:"context"`
	// Codes lists the failed rule codes by property ("presence",
	// "unknown-property").
	Codes map[string][]string `json:"codes"`
	// Messages lists the messages by property ("can't be blank").
	Messages map[string][]string `json:"messages"`
}

// violation is one failed rule.
type violation struct {
	prop, code, msg string
	value           any
	present         bool
}

// validationError builds LoopBack's ValidationError: a fault.Invalid named
// "ValidationError" whose message lists every violation:
//
//	The `Todo` instance is not valid. Details: `title` can't be blank (value: "").
func validationError(def *model.Definition, vs []violation) error {
	d := &ValidationDetails{Context: def.Name, Codes: map[string][]string{}, Messages: map[string][]string{}}
	parts := make([]string, len(vs))
	for i, v := range vs {
		d.Codes[v.prop] = append(d.Codes[v.prop], v.code)
		d.Messages[v.prop] = append(d.Messages[v.prop], v.msg)
		parts[i] = fmt.Sprintf("`%s` %s (value: %s)", v.prop, v.msg, inspect(v.value, v.present))
	}
	return &fault.Error{
		Kind:    fault.Invalid,
		Name:    "ValidationError",
		Message: fmt.Sprintf("The `%s` instance is not valid. Details: %s.", def.Name, strings.Join(parts, "; ")),
		Details: d,
	}
}

// inspect renders a value the way LoopBack's messages do.
func inspect(v any, present bool) string {
	if !present {
		return "undefined"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// blank reports whether a value fails LoopBack's presence rule.
func blank(v any, present bool) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	}
	return !present
}

// validate checks rec against the model-level rules: required properties
// are present and not blank (full: every required property; otherwise
// only those rec contains), text values are storable on every connector
// and within their declared maximum length (see checkValues), and a
// strict model has no unknown property. Generated ids are not required.
func (m *Model) validate(rec connector.Record, full bool) error {
	var vs []violation
	for i, p := range m.def.Properties {
		v, ok := rec[p.Name]
		if p.Required && !(p.ID > 0 && p.Generated) && (ok || full) && blank(v, ok) {
			vs = append(vs, violation{prop: p.Name, code: "presence", msg: "can't be blank", value: v, present: ok})
			continue
		}
		if ok && v != nil {
			vs = m.checkValue(i, p, v, vs)
		}
	}
	if m.def.Settings.Strict == model.StrictTrue {
		var unknown []string
		for k := range rec {
			if m.def.Property(k) == nil {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		for _, k := range unknown {
			vs = append(vs, violation{prop: k, code: "unknown-property", msg: "is not defined in the model", value: rec[k], present: true})
		}
	}
	if len(vs) > 0 {
		return validationError(m.def, vs)
	}
	return nil
}
