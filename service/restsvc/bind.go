package restsvc

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Func is a typed function of a REST service, as [Bind] returns it.
type Func[I, O any] func(ctx context.Context, in I) (O, error)

// Bind returns the function name of s as a typed Go function: the
// arguments come from I and the answer (after the responsePath) is decoded
// into O.
//
// I is either a struct (or a pointer to one) whose fields are the
// function's arguments, named by their json tags (a field tagged
// omitempty is left out when zero, so the template's default applies), a
// map[string]any of arguments, or, for a function of one argument, that
// argument itself (a string, a number …). The fields are looked up once,
// here; Bind fails when name is not a function of s or a field of I is not
// one of its arguments.
func Bind[I, O any](s *Service, name string) (Func[I, O], error) {
	f, err := s.function(name)
	if err != nil {
		return nil, err
	}
	argsOf, err := argsFunc[I](f)
	if err != nil {
		return nil, fmt.Errorf("bind %s.%s: %w", s.name, name, err)
	}
	return func(ctx context.Context, in I) (O, error) {
		var out O
		err := s.call(ctx, f, argsOf(in), func(data []byte) error { return decodeInto(f, data, &out) })
		return out, err
	}, nil
}

// MustBind is [Bind] that panics on an error; use it while setting up.
func MustBind[I, O any](s *Service, name string) Func[I, O] {
	fn, err := Bind[I, O](s, name)
	if err != nil {
		panic(err)
	}
	return fn
}

// argsFunc returns how to turn an I into named arguments.
func argsFunc[I any](f *function) (func(I) map[string]any, error) {
	t := reflect.TypeFor[I]()
	if t == reflect.TypeFor[map[string]any]() {
		return func(in I) map[string]any { return any(in).(map[string]any) }, nil
	}
	st, ptr := t, false
	if st.Kind() == reflect.Pointer && st.Elem().Kind() == reflect.Struct {
		st, ptr = st.Elem(), true
	}
	if st.Kind() != reflect.Struct {
		if len(f.params) != 1 {
			return nil, fmt.Errorf("%s is not a struct and the function takes %d arguments", t, len(f.params))
		}
		p := f.params[0]
		return func(in I) map[string]any { return map[string]any{p: in} }, nil
	}
	type fieldArg struct {
		index     []int
		name      string
		omitEmpty bool
	}
	var fields []fieldArg
	for _, sf := range reflect.VisibleFields(st) {
		if !sf.IsExported() || sf.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if !slices.Contains(f.params, name) {
			return nil, fmt.Errorf("field %s (%q) is not one of the arguments %v", sf.Name, name, f.params)
		}
		fields = append(fields, fieldArg{index: sf.Index, name: name, omitEmpty: strings.Contains(","+opts+",", ",omitempty,")})
	}
	return func(in I) map[string]any {
		v := reflect.ValueOf(&in).Elem()
		if ptr {
			if v.IsNil() {
				return map[string]any{}
			}
			v = v.Elem()
		}
		m := make(map[string]any, len(fields))
		for _, fa := range fields {
			fv := v.FieldByIndex(fa.index)
			if fa.omitEmpty && fv.IsZero() {
				continue
			}
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			m[fa.name] = fv.Interface()
		}
		return m
	}, nil
}
