package repository

import (
	"fmt"
	"reflect"

	"github.com/loopback-go/lb/filter"
)

// Field is a typed handle on one property of model T whose Go type is V:
// it names the property in filters, orders and patches without a string,
// and its conditions take values of V, so that a renamed field or a value
// of the wrong type is a compile error rather than a 400 at run time.
// Build one with [FieldOf] when the repository is built, and keep it:
//
//	title := repository.MustFieldOf(todos, func(t *Todo) *string { return &t.Title })
//	open, err := todos.Find(ctx, filter.New().Where(title.Like("buy%")).Order(title.Asc()).Filter())
//
// The string forms (filter.Prop("title"), Patch{"title": …}) remain for
// names known only at run time. The zero Field names no property. A Field
// is a value, safe for concurrent use.
type Field[T, V any] struct {
	name string
}

// FieldOf returns the handle of the property of r's model that field
// points to. field receives a zero T and must return the address of one of
// its fields (or of a field of a struct embedded in it, not through a
// pointer): the property is found once, by the field's offset and type,
// among the model's properties. It is an error when the field is not a
// property of the model (untagged with json:"-", or a nested object's
// field: use filter.Prop("address.city") for those).
func FieldOf[T any, ID comparable, V any](r *CRUD[T, ID], field func(*T) *V) (Field[T, V], error) {
	def := r.Definition()
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct || def.GoType() != t {
		return Field[T, V]{}, fmt.Errorf("repository: field of %s: %v is not the struct the model was built from", def.Name, t)
	}
	base := new(T)
	ptr := field(base)
	if ptr == nil {
		return Field[T, V]{}, fmt.Errorf("repository: field of %s: the accessor returned nil", def.Name)
	}
	off := reflect.ValueOf(ptr).Pointer() - reflect.ValueOf(base).Pointer()
	if off >= t.Size() && t.Size() > 0 {
		return Field[T, V]{}, fmt.Errorf("repository: field of %s: the accessor does not return the address of a field of its argument", def.Name)
	}
	want := reflect.TypeFor[V]()
	for _, p := range def.Properties {
		if len(p.GoField) == 0 {
			continue
		}
		if fo, ft, ok := fieldAt(t, p.GoField); ok && fo == off && ft == want {
			return Field[T, V]{name: p.Name}, nil
		}
	}
	return Field[T, V]{}, fmt.Errorf("repository: field of %s: the %v field at offset %d is not a property of the model", def.Name, want, off)
}

// MustFieldOf is [FieldOf] panicking on error, for handles built with the
// repository at program start.
func MustFieldOf[T any, ID comparable, V any](r *CRUD[T, ID], field func(*T) *V) Field[T, V] {
	f, err := FieldOf(r, field)
	if err != nil {
		panic(err)
	}
	return f
}

// fieldAt returns the offset and type of the field at index path in t, and
// false when the path goes through a pointer (an embedded *S).
func fieldAt(t reflect.Type, index []int) (uintptr, reflect.Type, bool) {
	var off uintptr
	for i, x := range index {
		if t.Kind() != reflect.Struct {
			return 0, nil, false
		}
		f := t.Field(x)
		off += f.Offset
		t = f.Type
		if i < len(index)-1 && t.Kind() == reflect.Pointer {
			return 0, nil, false
		}
	}
	return off, t, true
}

// Name is the property's name, as in JSON, filters and [Patch] keys.
func (f Field[T, V]) Name() string { return f.name }

// Eq matches instances whose property equals v. For a pointer field, the
// value pointed to is compared, and nil matches a missing or null value.
func (f Field[T, V]) Eq(v V) *filter.Where { return filter.Prop(f.name).Eq(value(v)) }

// Neq matches instances whose property does not equal v.
func (f Field[T, V]) Neq(v V) *filter.Where { return filter.Prop(f.name).Neq(value(v)) }

// Gt matches instances whose property is greater than v.
func (f Field[T, V]) Gt(v V) *filter.Where { return filter.Prop(f.name).Gt(value(v)) }

// Gte matches instances whose property is greater than or equal to v.
func (f Field[T, V]) Gte(v V) *filter.Where { return filter.Prop(f.name).Gte(value(v)) }

// Lt matches instances whose property is less than v.
func (f Field[T, V]) Lt(v V) *filter.Where { return filter.Prop(f.name).Lt(value(v)) }

// Lte matches instances whose property is less than or equal to v.
func (f Field[T, V]) Lte(v V) *filter.Where { return filter.Prop(f.name).Lte(value(v)) }

// Inq matches instances whose property equals one of vs.
func (f Field[T, V]) Inq(vs ...V) *filter.Where { return filter.Prop(f.name).Inq(anys(vs)...) }

// Nin matches instances whose property equals none of vs.
func (f Field[T, V]) Nin(vs ...V) *filter.Where { return filter.Prop(f.name).Nin(anys(vs)...) }

// Between matches instances whose property is between lo and hi,
// inclusive.
func (f Field[T, V]) Between(lo, hi V) *filter.Where {
	return filter.Prop(f.name).Between(value(lo), value(hi))
}

// Exists matches instances that have (exists true) or lack the property.
func (f Field[T, V]) Exists(exists bool) *filter.Where { return filter.Prop(f.name).Exists(exists) }

// Like matches instances whose property matches pattern (see
// filter.Condition.Like for the pattern language of each connector).
func (f Field[T, V]) Like(pattern string) *filter.Where { return filter.Prop(f.name).Like(pattern) }

// Nlike matches instances whose property does not match pattern.
func (f Field[T, V]) Nlike(pattern string) *filter.Where { return filter.Prop(f.name).Nlike(pattern) }

// Ilike is Like ignoring case.
func (f Field[T, V]) Ilike(pattern string) *filter.Where { return filter.Prop(f.name).Ilike(pattern) }

// Regexp matches instances whose property matches the regular expression.
func (f Field[T, V]) Regexp(pattern string) *filter.Where {
	return filter.Prop(f.name).Regexp(pattern)
}

// Asc is the order term sorting by the property, ascending, for
// filter.Builder.Order.
func (f Field[T, V]) Asc() string { return f.name + " ASC" }

// Desc is the order term sorting by the property, descending.
func (f Field[T, V]) Desc() string { return f.name + " DESC" }

// Set records the property's new value v in p, creating p when it is nil,
// and returns it: todos.UpdateByID(ctx, id, done.Set(nil, true)).
func (f Field[T, V]) Set(p Patch, v V) Patch {
	if p == nil {
		p = Patch{}
	}
	p[f.name] = value(v)
	return p
}

func anys[V any](vs []V) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = value(v)
	}
	return out
}

// value is v as filters and patches take it: the value a pointer points
// to, nil for a nil pointer.
func value[V any](v V) any {
	rv := reflect.ValueOf(&v).Elem()
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	return rv.Interface()
}
