package repository

import (
	"slices"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
)

// shape gives a record the same form on every connector: a top-level
// property that has no value is left out, unless it is nullable
// ([model.Property.Nullable], or the model's NullForUnset setting), in
// which case it is present with a nil value when f selects it. Connectors
// may return an unset property either way (a SQL NULL column, a key the
// memory connector never stored); what the client sees must not depend on
// that.
func (m *Model) shape(rec connector.Record, f *filter.Fields) {
	if rec == nil {
		return
	}
	for _, p := range m.def.Properties {
		v, ok := rec[p.Name]
		switch {
		case ok && v == nil && !p.Nullable:
			delete(rec, p.Name)
		case !ok && p.Nullable && selected(f, p.Name):
			rec[p.Name] = nil
		}
	}
}

// selected reports whether fields selects the property name: every
// property when fields is nil or empty, the listed ones when it includes,
// all but the listed ones when it only excludes.
func selected(f *filter.Fields, name string) bool {
	if f == nil {
		return true
	}
	if len(f.Include) > 0 {
		return slices.Contains(f.Include, name)
	}
	return !slices.Contains(f.Exclude, name)
}
