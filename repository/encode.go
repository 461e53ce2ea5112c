package repository

import (
	"fmt"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/model"
)

// jsonLayout is what writing a model's instances as JSON needs from its
// definition, computed once: the visible properties in declaration order
// and their names as JSON keys.
type jsonLayout struct {
	names []string
	keys  [][]byte // names[i] as a JSON string followed by ':'
	known map[string]bool
}

func newJSONLayout(def *model.Definition) *jsonLayout {
	l := &jsonLayout{known: make(map[string]bool, len(def.Properties))}
	for _, p := range def.Properties {
		l.known[p.Name] = true
		if !def.IsHidden(p.Name) {
			l.names = append(l.names, p.Name)
			l.keys = append(l.keys, append(jsonw.AppendString(nil, p.Name), ':'))
		}
	}
	return l
}

// AppendJSON appends rec, an instance of the model as the repository
// returns it, as the JSON object LoopBack writes: the visible properties
// in the model's declaration order, then the other members (included
// relations, unknown properties of a non-strict model) in sorted order.
// Included related instances are written by their own model's repository
// (found through the [Registry]), so they too keep their model's declared
// property order, at any depth. Hidden properties are left out.
func (m *Model) AppendJSON(b []byte, rec connector.Record) ([]byte, error) {
	l := m.layout
	b = append(b, '{')
	first := true
	seen := 0
	var err error
	for i, name := range l.names {
		if seen == len(rec) {
			break
		}
		v, ok := rec[name]
		if !ok {
			continue
		}
		seen++
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, l.keys[i]...)
		if b, err = jsonw.AppendValue(b, v); err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
	}
	if seen < len(rec) {
		var extra []string
		for k := range rec {
			if !l.known[k] && !m.def.IsHidden(k) {
				extra = append(extra, k)
			}
		}
		m.def.SortMembers(extra)
		for _, k := range extra {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(jsonw.AppendString(b, k), ':')
			if b, err = m.AppendMember(b, k, rec[k]); err != nil {
				return nil, err
			}
		}
	}
	return append(b, '}'), nil
}

// AppendMember appends v, the value of the member name of an instance
// that is not one of the model's properties, as JSON: the instances of an
// included relation called name are written by the target model's
// repository (see [Model.AppendJSON]), anything else as it is.
func (m *Model) AppendMember(b []byte, name string, v any) ([]byte, error) {
	target := m.includedTarget(name)
	if target == nil {
		return jsonw.AppendValue(b, v)
	}
	var err error
	switch x := v.(type) {
	case connector.Record:
		return target.AppendJSON(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if rec, ok := e.(connector.Record); ok {
				b, err = target.AppendJSON(b, rec)
			} else {
				b, err = jsonw.AppendValue(b, e)
			}
			if err != nil {
				return nil, fmt.Errorf("relation %q: %w", name, err)
			}
		}
		return append(b, ']'), nil
	case []connector.Record:
		b = append(b, '[')
		for i, rec := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = target.AppendJSON(b, rec); err != nil {
				return nil, fmt.Errorf("relation %q: %w", name, err)
			}
		}
		return append(b, ']'), nil
	}
	return jsonw.AppendValue(b, v)
}

// includedTarget returns the repository of the target of the relation
// called name, or nil when there is no such relation or it cannot be
// resolved.
func (m *Model) includedTarget(name string) *Model {
	if t, ok := m.targets.Load(name); ok {
		return t.(*Model)
	}
	if m.def.Relation(name) == nil {
		return nil
	}
	reg, _ := m.related.Load().(*Registry)
	if reg == nil {
		return nil
	}
	_, target, _, err := reg.link(m.def, name)
	if err != nil {
		return nil
	}
	// A registry only grows and refuses a second repository for a model:
	// a resolved target stays right.
	m.targets.Store(name, target)
	return target
}
