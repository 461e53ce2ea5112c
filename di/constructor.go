package di

import (
	"errors"
	"fmt"
	"reflect"
)

// ParamSpec says how ToConstructor resolves one constructor parameter.
// Build it with Param or ByType.
type ParamSpec struct {
	key      string // "" resolves by type
	optional bool
}

// Optional returns a copy of p that yields the parameter's zero value when
// nothing is bound for it (by key, or of its type), instead of failing.
//
//	di.Param(di.ConfigKey("services.Mailer")).Optional()
func (p ParamSpec) Optional() ParamSpec {
	p.optional = true
	return p
}

// Param resolves a constructor parameter from the binding named key (which
// may have a "#path").
func Param(key string) ParamSpec { return ParamSpec{key: key} }

// ByType resolves a constructor parameter by its type: from the nearest
// context that has exactly one binding of that type. It is the default
// when ToConstructor is given no ParamSpecs.
func ByType() ParamSpec { return ParamSpec{} }

type paramKind int

const (
	paramByType paramKind = iota
	paramByKey
	paramContext
	paramLazy
)

type paramPlan struct {
	kind     paramKind
	optional bool
	typ      reflect.Type
	key      string
	lazy     lazyMaker // for paramLazy
}

// ctorPlan is a constructor checked and analysed at bind time.
type ctorPlan struct {
	fn     reflect.Value
	params []paramPlan
	hasErr bool
}

var (
	errorType   = reflect.TypeFor[error]()
	contextType = reflect.TypeFor[*Container]()
	lazyType    = reflect.TypeFor[lazyMaker]()
)

func newCtorPlan(fn any, want reflect.Type, params []ParamSpec) (*ctorPlan, error) {
	if fn == nil {
		return nil, errors.New("nil constructor")
	}
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func {
		return nil, fmt.Errorf("constructor is a %s, not a function", t)
	}
	if v.IsNil() {
		return nil, errors.New("nil constructor")
	}
	if t.IsVariadic() {
		return nil, fmt.Errorf("constructor %s is variadic", t)
	}
	switch {
	case t.NumOut() == 1:
	case t.NumOut() == 2 && t.Out(1) == errorType:
	default:
		return nil, fmt.Errorf("constructor %s must return a value, or a value and an error", t)
	}
	if !t.Out(0).AssignableTo(want) {
		return nil, fmt.Errorf("constructor %s returns %s, which is not assignable to %s", t, t.Out(0), want)
	}
	if len(params) > 0 && len(params) != t.NumIn() {
		return nil, fmt.Errorf("constructor %s has %d parameters but %d Params were given", t, t.NumIn(), len(params))
	}
	p := &ctorPlan{fn: v, hasErr: t.NumOut() == 2, params: make([]paramPlan, t.NumIn())}
	for i := range t.NumIn() {
		pt := t.In(i)
		pp := paramPlan{typ: pt}
		if len(params) > 0 {
			pp.key, pp.optional = params[i].key, params[i].optional
		}
		switch {
		case pt == contextType:
			pp.kind = paramContext
		case pt.Implements(lazyType):
			if pp.key == "" {
				return nil, fmt.Errorf("parameter %d (%s) needs a Param key", i, pt)
			}
			pp.kind = paramLazy
			pp.lazy = reflect.Zero(pt).Interface().(lazyMaker)
		case pp.key != "":
			pp.kind = paramByKey
		default:
			pp.kind = paramByType
		}
		p.params[i] = pp
	}
	return p, nil
}

// call resolves the parameters in c and calls the constructor.
func (p *ctorPlan) call(c *Container) (any, error) {
	args := make([]reflect.Value, len(p.params))
	for i := range p.params {
		pp := &p.params[i]
		var v any
		var err error
		switch pp.kind {
		case paramContext:
			args[i] = reflect.ValueOf(c)
			continue
		case paramLazy:
			args[i] = reflect.ValueOf(pp.lazy.makeLazy(c, pp.key))
			continue
		case paramByKey:
			if pp.optional && c.lookup(keyOf(pp.key)) == nil {
				args[i] = reflect.Zero(pp.typ)
				continue
			}
			v, err = c.Resolve(pp.key)
		case paramByType:
			var b binder
			if b, err = c.findType(pp.typ); err == nil {
				switch {
				case b != nil:
					v, err = b.resolveAny(c)
				case pp.optional:
					args[i] = reflect.Zero(pp.typ)
					continue
				default:
					name := "<type " + pp.typ.String() + ">"
					err = &NotBoundError{Key: name, Contexts: c.chain(), Path: c.pathTo(name)}
				}
			}
		}
		if err != nil {
			return nil, err
		}
		if v == nil {
			args[i] = reflect.Zero(pp.typ)
			continue
		}
		rv := reflect.ValueOf(v)
		if !rv.Type().AssignableTo(pp.typ) {
			return nil, fmt.Errorf("%w: parameter %d of the constructor is %s but %q holds %T",
				ErrWrongType, i, pp.typ, pp.key, v)
		}
		args[i] = rv
	}
	out := p.fn.Call(args)
	if p.hasErr && !out[1].IsNil() {
		return nil, out[1].Interface().(error)
	}
	return out[0].Interface(), nil
}

// dependency is a key or type a binding's source needs, for Validate.
type dependency struct {
	key string
	typ reflect.Type
}

func (b *Binding[T]) deps() []dependency {
	st := b.st.Load()
	switch st.src.kind {
	case Alias:
		return []dependency{{key: st.src.alias.key}}
	case Constructor:
		var ds []dependency
		for _, pp := range st.src.ctor.params {
			if pp.optional {
				continue
			}
			switch pp.kind {
			case paramByKey:
				ds = append(ds, dependency{key: keyOf(pp.key)})
			case paramByType:
				ds = append(ds, dependency{typ: pp.typ})
			}
		}
		return ds
	}
	return nil
}

// findType returns the binding of type t in the nearest context that has
// one; more than one there is an error. Bindings being resolved (on c's
// resolution path, such as the constructor's own) are skipped. Each
// context's bindings are indexed by type once per version, so this costs a
// map lookup per context.
func (c *Container) findType(t reflect.Type) (binder, error) {
	for n := c.n; n != nil; n = n.parent {
		m := n.bindings.Load()
		if m == nil {
			continue
		}
		var found binder
		for _, b := range m.byType(t) {
			if c.onPath(b.Key()) {
				continue
			}
			if found != nil {
				k1, k2 := found.Key(), b.Key()
				if k2 < k1 {
					k1, k2 = k2, k1
				}
				return nil, fmt.Errorf("%w: %q and %q in %s both have type %s; use Param(key)",
					ErrAmbiguous, k1, k2, n.name, t)
			}
			found = b
		}
		if found != nil {
			return found, nil
		}
	}
	return nil, nil
}
