package di

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// keyOf strips a "#path" from a key name.
func keyOf(name string) string {
	k, _, _ := strings.Cut(name, "#")
	return k
}

// property follows a dotted property path into v: map keys, struct fields
// (by Go name or json tag name) and slice indexes, through pointers and
// interfaces. A missing map key or a nil along the way yields nil, as in
// LoopBack; an impossible step (a field a struct does not have, a
// property of a number) is an error wrapping ErrBadPath.
func property(v any, path string) (any, error) {
	for seg := range strings.SplitSeq(path, ".") {
		if v == nil {
			return nil, nil
		}
		if m, ok := v.(map[string]any); ok {
			v = m[seg]
			continue
		}
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				return nil, nil
			}
			rv = rv.Elem()
		}
		switch rv.Kind() {
		case reflect.Map:
			if rv.Type().Key().Kind() != reflect.String {
				return nil, fmt.Errorf("%w: %q: %s has no string keys", ErrBadPath, seg, rv.Type())
			}
			e := rv.MapIndex(reflect.ValueOf(seg).Convert(rv.Type().Key()))
			if !e.IsValid() {
				return nil, nil
			}
			v = e.Interface()
		case reflect.Struct:
			f, ok := field(rv, seg)
			if !ok {
				return nil, fmt.Errorf("%w: %s has no field %q", ErrBadPath, rv.Type(), seg)
			}
			v = f.Interface()
		case reflect.Slice, reflect.Array:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 {
				return nil, fmt.Errorf("%w: %q is not an index of %s", ErrBadPath, seg, rv.Type())
			}
			if i >= rv.Len() {
				return nil, nil
			}
			v = rv.Index(i).Interface()
		default:
			return nil, fmt.Errorf("%w: %s has no property %q", ErrBadPath, rv.Type(), seg)
		}
	}
	return v, nil
}

// field finds an exported field by name, by json tag name, or by name
// ignoring case.
func field(rv reflect.Value, name string) (reflect.Value, bool) {
	t := rv.Type()
	if f, ok := t.FieldByName(name); ok && f.IsExported() {
		return rv.FieldByIndex(f.Index), true
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name || (tag == "" && strings.EqualFold(f.Name, name)) {
			return rv.Field(i), true
		}
	}
	return reflect.Value{}, false
}
