package service

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ArgsFunc returns how to turn an I into the named arguments of a call
// whose arguments are params, for the typed Bind functions of the proxy
// packages. I is a struct (or a pointer to one) whose fields are named by
// their json tags (a zero omitempty field or a nil pointer is left out), a
// map[string]any (passed as is), or, when params has one name, that
// argument itself. The fields are looked up once, here; a field whose name
// is not in params is an error.
func ArgsFunc[I any](params []string) (func(I) map[string]any, error) {
	t := reflect.TypeFor[I]()
	if t == reflect.TypeFor[map[string]any]() {
		return func(in I) map[string]any { return any(in).(map[string]any) }, nil
	}
	st, ptr := t, false
	if st.Kind() == reflect.Pointer && st.Elem().Kind() == reflect.Struct {
		st, ptr = st.Elem(), true
	}
	if st.Kind() != reflect.Struct {
		if len(params) != 1 {
			return nil, fmt.Errorf("%s is not a struct and the function takes %d arguments", t, len(params))
		}
		p := params[0]
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
		if !slices.Contains(params, name) {
			return nil, fmt.Errorf("field %s (%q) is not one of the arguments %v", sf.Name, name, params)
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
