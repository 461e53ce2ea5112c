package repository

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// checkFilter validates a caller's filter against the model with the rules
// for filters from clients (hidden properties count as unknown) and
// returns a copy with where values coerced to the property types; the
// caller's filter is not modified. Errors are fault.BadRequest.
func (m *Model) checkFilter(ctx context.Context, in *filter.Filter) (*filter.Filter, error) {
	return filter.Check(in, m.def, filter.ValidateOptions{AllowHidden: hiddenAllowed(ctx), Registry: m.models()})
}

// models returns the model registry of the repository's Registry (which
// resolves where conditions and order terms across relations), or nil.
func (m *Model) models() *model.Registry {
	if reg, _ := m.related.Load().(*Registry); reg != nil {
		return &reg.defs
	}
	return nil
}

// checkWhere validates a caller's where clause like checkFilter.
func (m *Model) checkWhere(ctx context.Context, in *filter.Where) (*filter.Where, error) {
	if in == nil {
		return nil, nil
	}
	w := in.Clone()
	if err := w.ValidateWith(m.def, filter.ValidateOptions{AllowHidden: hiddenAllowed(ctx), Registry: m.models()}); err != nil {
		return nil, err
	}
	return w, nil
}

// parseScope reads the default scope setting ({"where", "fields", "order",
// "limit", "skip"} in LoopBack's JSON form). It is server configuration,
// so it may name hidden properties.
func parseScope(def *model.Definition) (*filter.Filter, error) {
	f, err := filter.FromValue(def.Settings.DefaultScope)
	if err != nil {
		return nil, err
	}
	if len(f.Include) > 0 {
		return nil, fmt.Errorf("include in a default scope is not supported")
	}
	if err := f.ValidateWith(def, filter.ValidateOptions{AllowHidden: true}); err != nil {
		return nil, err
	}
	return f, nil
}

// idValue converts an id to the id property's record type: Go integers of
// any type, named types (type TodoID int64), decoded JSON numbers and
// strings from a URL path all work. A value that does not fit is a
// fault.BadRequest.
func (m *Model) idValue(id any) (any, error) {
	switch x := id.(type) {
	case int64:
		if m.idProp.Type == model.Number && m.idProp.Integer {
			return x, nil
		}
	case string:
		if m.idProp.Type == model.String {
			return x, nil
		}
	case nil:
		return nil, fault.New(fault.BadRequest, "MISSING_ID", fmt.Sprintf("%s: the id is required", m.def.Name))
	}
	w := &filter.Where{Conds: []filter.Cond{{Path: m.idName, Op: filter.Eq, Value: goValue(id)}}}
	if err := w.ValidateWith(m.def, filter.ValidateOptions{AllowHidden: true}); err != nil || len(w.Conds) != 1 || w.Conds[0].Op != filter.Eq {
		return nil, fault.New(fault.BadRequest, "INVALID_ID", fmt.Sprintf("invalid %s id %v", m.def.Name, id))
	}
	return w.Conds[0].Value, nil
}

type hiddenKey struct{}

// WithHidden returns a context for server code that needs hidden
// properties (a password hash, say): repository calls made with it may
// name hidden properties in filters, and their results keep them. Never
// use it for a query that comes from a client.
func WithHidden(ctx context.Context) context.Context {
	return context.WithValue(ctx, hiddenKey{}, true)
}

func hiddenAllowed(ctx context.Context) bool {
	b, _ := ctx.Value(hiddenKey{}).(bool)
	return b
}
