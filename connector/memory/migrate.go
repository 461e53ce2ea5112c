package memory

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// Automigrate deletes every instance of each model, resets its id counter
// and binds the model to the given definition.
func (c *Connector) Automigrate(ctx context.Context, defs []*model.Definition) error {
	return c.write(ctx, func(tx *memTx) error {
		for _, def := range defs {
			// A new table bound to def replaces the old one, which a
			// rollback brings back whole.
			t := newTable(def.Name)
			t.adopt(def)
			c.setTable(tx, def.Name, t)
		}
		return nil
	})
}

// Autoupdate makes sure each model has a table (and is bound to its
// definition); existing data is kept.
func (c *Connector) Autoupdate(ctx context.Context, defs []*model.Definition) error {
	return c.write(ctx, func(tx *memTx) error {
		for _, def := range defs {
			c.createTable(tx, def) // a new (empty) model is written to the file
		}
		return nil
	})
}

// DiscoverModels lists the models the store holds data for (loaded from
// its file or created since), as tables.
func (c *Connector) DiscoverModels(ctx context.Context, opts connector.DiscoverOptions) ([]connector.ModelInfo, error) {
	var out []connector.ModelInfo
	err := c.read(ctx, func() error {
		out = make([]connector.ModelInfo, 0, len(c.tables))
		for name := range c.tables {
			out = append(out, connector.ModelInfo{Name: name, Type: "table"})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b connector.ModelInfo) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out, nil
}

// DiscoverDefinition infers a definition for a model from its stored
// instances: each property gets the type its values share (number,
// integer, boolean, string, date for RFC 3339 strings, object, array; any
// when they differ), "id" becomes the id, generated when numeric.
func (c *Connector) DiscoverDefinition(ctx context.Context, name string, opts connector.DiscoverOptions) (*model.Definition, error) {
	var types map[string]*inferred
	var order []string
	err := c.read(ctx, func() error {
		t := c.tables[name]
		if t == nil {
			return fault.New(fault.NotFound, "MODEL_NOT_FOUND", fmt.Sprintf("memory: no data for model %q", name))
		}
		types, order = map[string]*inferred{}, nil
		visit := func(rec map[string]any) {
			for k, v := range rec {
				in := types[k]
				if in == nil {
					in = &inferred{}
					types[k] = in
					order = append(order, k)
				}
				in.add(v)
			}
		}
		t.adoptMu.Lock()
		defer t.adoptMu.Unlock()
		if t.def == nil {
			for _, rec := range t.raw {
				visit(rec)
			}
		} else {
			for i := range t.idx.len() {
				visit(t.rc.decode(t.idx.rowAt(i)))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(order)
	if i := slices.Index(order, "id"); i > 0 {
		order = slices.Insert(slices.Delete(order, i, i+1), 0, "id")
	}
	def := &model.Definition{Name: name, Settings: model.Settings{Strict: model.StrictFalse}}
	for _, k := range order {
		in := types[k]
		p := &model.Property{Name: k, Type: in.typ(), Integer: in.integer(), Nullable: in.null}
		if k == "id" {
			p.ID = 1
			p.Generated = p.Type == model.Number
			p.Nullable = false
		}
		def.Properties = append(def.Properties, p)
	}
	return def, nil
}

// inferred accumulates the types of one property's values.
type inferred struct {
	types  map[model.Type]bool
	nonInt bool
	null   bool
}

func (in *inferred) add(v any) {
	if in.types == nil {
		in.types = map[model.Type]bool{}
	}
	var ty model.Type
	switch x := v.(type) {
	case nil:
		in.null = true
		return
	case bool:
		ty = model.Boolean
	case int64:
		ty = model.Number
	case float64:
		ty = model.Number
		if x != math.Trunc(x) {
			in.nonInt = true
		}
	case string:
		ty = model.String
		if _, err := time.Parse(time.RFC3339Nano, x); err == nil {
			ty = model.Date
		}
	case time.Time:
		ty = model.Date
	case []byte:
		ty = model.Buffer
	case map[string]any:
		ty = model.Object
	case []any:
		ty = model.Array
	default:
		ty = model.Any
	}
	in.types[ty] = true
}

func (in *inferred) typ() model.Type {
	if len(in.types) == 2 && in.types[model.String] && in.types[model.Date] {
		return model.String
	}
	if len(in.types) != 1 {
		return model.Any
	}
	for ty := range in.types {
		return ty
	}
	return model.Any
}

func (in *inferred) integer() bool {
	return in.typ() == model.Number && !in.nonInt
}
