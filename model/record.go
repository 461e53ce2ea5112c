package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/loopback-go/lb/internal/num"
	"github.com/loopback-go/lb/openapi"
)

// Records are the connector-level form of an instance: map[string]any
// whose values are nil, bool, int64, float64, string, time.Time, []byte,
// []any or map[string]any.

// ToRecord converts a typed instance to a record by the definition built
// for T with [FromStruct]. Fields follow encoding/json: a field with
// omitempty (or omitzero) and an empty value is left out, a nil pointer,
// slice, map or interface without it is null; a generated id that is zero
// is always left out, so the data source generates it. Navigational
// relation fields are not part of records. The conversion uses the plan
// FromStruct computed; no reflection on types happens here.
//
// T may also be map[string]any, for definitions built with [Parse]: the
// record is then a copy of *v with every known property normalized to its
// type (JSON float64 to int64 for integers, RFC 3339 strings to time.Time
// for dates, base64 strings to []byte for buffers); unknown keys are kept.
func ToRecord[T any](def *Definition, v *T) (map[string]any, error) {
	if m, ok := any(v).(*map[string]any); ok {
		return Normalize(def, *m)
	}
	c, err := codecFor[T](def)
	if err != nil {
		return nil, err
	}
	return c.encode(reflect.ValueOf(v).Elem())
}

// FromRecord converts a record to a new T by the definition built for T
// with [FromStruct]. It accepts the record value types and what data
// sources commonly return for them (int64 or float64 for numbers, 0/1 for
// booleans, RFC 3339 strings for dates, base64 strings for buffers).
// Included relations (a record key named like a relation whose Go type has
// a navigational field) are decoded into that field. Keys that name no
// field are ignored. T may be map[string]any: the record is then copied.
func FromRecord[T any](def *Definition, rec map[string]any) (T, error) {
	var v T
	err := FromRecordInto(def, rec, &v)
	return v, err
}

// FromRecordInto is [FromRecord] writing into *dst, which is reset to its
// zero value first.
func FromRecordInto[T any](def *Definition, rec map[string]any, dst *T) error {
	if m, ok := any(dst).(*map[string]any); ok {
		out := make(map[string]any, len(rec))
		for k, v := range rec {
			out[k] = v
		}
		*m = out
		return nil
	}
	c, err := codecFor[T](def)
	if err != nil {
		return err
	}
	var zero T
	*dst = zero
	return c.decode(rec, reflect.ValueOf(dst).Elem())
}

func codecFor[T any](def *Definition) (*structCodec, error) {
	if def == nil || def.codec == nil {
		return nil, fmt.Errorf("model: definition %s was not built from a Go type; use map[string]any records", defName(def))
	}
	if t := reflect.TypeFor[T](); t != def.codec.typ {
		return nil, fmt.Errorf("model: definition %s was built from %s, not %s", def.Name, def.codec.typ, t)
	}
	return def.codec, nil
}

func defName(d *Definition) string {
	if d == nil {
		return "<nil>"
	}
	return d.Name
}

// GoType returns the Go type the definition was built from, or nil for a
// definition built from JSON or YAML.
func (d *Definition) GoType() reflect.Type {
	if d.codec == nil {
		return nil
	}
	return d.codec.typ
}

type encoder func(v reflect.Value) (any, error)
type decoder func(src any, v reflect.Value) error

// structCodec converts one struct type to and from map[string]any.
type structCodec struct {
	typ    reflect.Type
	fields []fieldCodec
	rels   []fieldCodec // navigational relation fields: decode only
}

type fieldCodec struct {
	name      string
	index     []int
	omitEmpty bool
	omitZero  bool // generated ids
	enc       encoder
	dec       decoder
}

func fieldOf(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	return v.FieldByIndex(index)
}

func (c *structCodec) encode(v reflect.Value) (map[string]any, error) {
	rec := make(map[string]any, len(c.fields))
	for i := range c.fields {
		f := &c.fields[i]
		fv := fieldOf(v, f.index)
		if (f.omitEmpty && isEmpty(fv)) || (f.omitZero && fv.IsZero()) {
			continue
		}
		x, err := f.enc(fv)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", f.name, err)
		}
		rec[f.name] = x
	}
	return rec, nil
}

func (c *structCodec) decode(rec map[string]any, v reflect.Value) error {
	for i := range c.fields {
		f := &c.fields[i]
		src, ok := rec[f.name]
		if !ok || src == nil {
			continue
		}
		if err := f.dec(src, fieldOf(v, f.index)); err != nil {
			return fmt.Errorf("property %q: %w", f.name, err)
		}
	}
	for i := range c.rels {
		f := &c.rels[i]
		src, ok := rec[f.name]
		if !ok || src == nil {
			continue
		}
		if err := f.dec(src, fieldOf(v, f.index)); err != nil {
			return fmt.Errorf("relation %q: %w", f.name, err)
		}
	}
	return nil
}

// isEmpty is encoding/json's omitempty test, plus zero structs (a zero
// time.Time) which omitzero would leave out.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	case reflect.Struct:
		return v.IsZero()
	}
	return false
}

// codec returns the codec of struct type t, building it once; cycles
// (Todo -> TodoList -> []Todo) resolve to the same codec.
func (b *structBuilder) codec(t reflect.Type) (*structCodec, error) {
	if c, ok := b.codecs[t]; ok {
		return c, nil
	}
	c := &structCodec{typ: t}
	b.codecs[t] = c
	if err := b.codecFields(c, t, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// codecFields lists the fields of t as openapi.Fields does (encoding/json's
// rules), so that records and schemas see the same properties.
func (b *structBuilder) codecFields(c *structCodec, t reflect.Type, index []int) error {
	fs, err := openapi.Fields(t)
	if err != nil {
		return err
	}
	for _, f := range fs {
		lbTag := f.Go.Tag.Get("lb")
		if lbTag == "-" || viaPointer(t, f.Index) {
			continue
		}
		idx := append(append([]int(nil), index...), f.Index...)
		opts, _ := parseTag(lbTag)
		if relationKind(opts) != "" && isNavigational(f.Go.Type) {
			// A navigational field receives included related instances.
			dec, err := b.decoderFor(f.Go.Type)
			if err != nil {
				return fmt.Errorf("field %s: %w", f.Go.Name, err)
			}
			c.rels = append(c.rels, fieldCodec{name: f.Name, index: idx, dec: dec})
			continue
		}
		enc, err := b.encoderFor(f.Go.Type)
		if err != nil {
			return fmt.Errorf("field %s: %w", f.Go.Name, err)
		}
		dec, err := b.decoderFor(f.Go.Type)
		if err != nil {
			return fmt.Errorf("field %s: %w", f.Go.Name, err)
		}
		fc := fieldCodec{name: f.Name, index: idx, omitEmpty: f.OmitEmpty, enc: enc, dec: dec}
		for _, o := range opts {
			if o.key == "generated" {
				fc.omitZero = true
			}
		}
		c.fields = append(c.fields, fc)
	}
	return nil
}

func (b *structBuilder) encoderFor(t reflect.Type) (encoder, error) {
	switch t {
	case timeType:
		return func(v reflect.Value) (any, error) {
			if v.CanAddr() {
				return *(v.Addr().Interface().(*time.Time)), nil
			}
			return v.Interface().(time.Time), nil
		}, nil
	case rawJSONType:
		return func(v reflect.Value) (any, error) {
			if v.Len() == 0 {
				return nil, nil
			}
			var x any
			if err := json.Unmarshal(v.Bytes(), &x); err != nil {
				return nil, err
			}
			return normalizeAny(x)
		}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return func(v reflect.Value) (any, error) { return v.String(), nil }, nil
	case reflect.Bool:
		return func(v reflect.Value) (any, error) { return v.Bool(), nil }, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) (any, error) { return v.Int(), nil }, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) (any, error) {
			u := v.Uint()
			if u > math.MaxInt64 {
				return nil, fmt.Errorf("%d overflows int64", u)
			}
			return int64(u), nil
		}, nil
	case reflect.Float32, reflect.Float64:
		return func(v reflect.Value) (any, error) { return v.Float(), nil }, nil
	case reflect.Pointer:
		elem, err := b.encoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value) (any, error) {
			if v.IsNil() {
				return nil, nil
			}
			return elem(v.Elem())
		}, nil
	case reflect.Interface:
		return func(v reflect.Value) (any, error) {
			if v.IsNil() {
				return nil, nil
			}
			return normalizeAny(v.Elem().Interface())
		}, nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return func(v reflect.Value) (any, error) {
				if v.IsNil() {
					return nil, nil
				}
				return bytes.Clone(v.Bytes()), nil
			}, nil
		}
		fallthrough
	case reflect.Array:
		elem, err := b.encoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		isSlice := t.Kind() == reflect.Slice
		return func(v reflect.Value) (any, error) {
			if isSlice && v.IsNil() {
				return nil, nil
			}
			out := make([]any, v.Len())
			for i := range out {
				x, err := elem(v.Index(i))
				if err != nil {
					return nil, fmt.Errorf("[%d]: %w", i, err)
				}
				out[i] = x
			}
			return out, nil
		}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map keys must be strings, not %s", t.Key())
		}
		elem, err := b.encoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value) (any, error) {
			if v.IsNil() {
				return nil, nil
			}
			out := make(map[string]any, v.Len())
			it := v.MapRange()
			for it.Next() {
				x, err := elem(it.Value())
				if err != nil {
					return nil, fmt.Errorf("[%q]: %w", it.Key().String(), err)
				}
				out[it.Key().String()] = x
			}
			return out, nil
		}, nil
	case reflect.Struct:
		c, err := b.codec(t)
		if err != nil {
			return nil, err
		}
		return func(v reflect.Value) (any, error) { return c.encode(v) }, nil
	}
	return nil, fmt.Errorf("unsupported Go type %s", t)
}

func (b *structBuilder) decoderFor(t reflect.Type) (decoder, error) {
	switch t {
	case timeType:
		return func(src any, v reflect.Value) error {
			tm, err := toTime(src)
			if err != nil {
				return err
			}
			v.Set(reflect.ValueOf(tm))
			return nil
		}, nil
	case rawJSONType:
		return func(src any, v reflect.Value) error {
			data, err := json.Marshal(src)
			if err != nil {
				return err
			}
			v.SetBytes(data)
			return nil
		}, nil
	}
	switch t.Kind() {
	case reflect.String:
		return func(src any, v reflect.Value) error {
			s, ok := src.(string)
			if !ok {
				return mismatch(src, "string")
			}
			v.SetString(s)
			return nil
		}, nil
	case reflect.Bool:
		return func(src any, v reflect.Value) error {
			switch x := src.(type) {
			case bool:
				v.SetBool(x)
			case int64:
				v.SetBool(x != 0)
			case float64:
				v.SetBool(x != 0)
			default:
				return mismatch(src, "boolean")
			}
			return nil
		}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(src any, v reflect.Value) error {
			n, err := toInt64(src)
			if err != nil {
				return err
			}
			if v.OverflowInt(n) {
				return fmt.Errorf("%d overflows %s", n, v.Type())
			}
			v.SetInt(n)
			return nil
		}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(src any, v reflect.Value) error {
			n, err := toInt64(src)
			if err != nil {
				return err
			}
			if n < 0 || v.OverflowUint(uint64(n)) {
				return fmt.Errorf("%d overflows %s", n, v.Type())
			}
			v.SetUint(uint64(n))
			return nil
		}, nil
	case reflect.Float32, reflect.Float64:
		return func(src any, v reflect.Value) error {
			f, err := toFloat64(src)
			if err != nil {
				return err
			}
			v.SetFloat(f)
			return nil
		}, nil
	case reflect.Pointer:
		elem, err := b.decoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		et := t.Elem()
		return func(src any, v reflect.Value) error {
			p := reflect.New(et)
			if err := elem(src, p.Elem()); err != nil {
				return err
			}
			v.Set(p)
			return nil
		}, nil
	case reflect.Interface:
		return func(src any, v reflect.Value) error {
			sv := reflect.ValueOf(src)
			if !sv.Type().AssignableTo(t) {
				return mismatch(src, t.String())
			}
			v.Set(sv)
			return nil
		}, nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return func(src any, v reflect.Value) error {
				data, err := toBytes(src)
				if err != nil {
					return err
				}
				v.SetBytes(data)
				return nil
			}, nil
		}
		elem, err := b.decoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		isSlice := t.Kind() == reflect.Slice
		return func(src any, v reflect.Value) error {
			arr, ok := src.([]any)
			if !ok {
				return mismatch(src, "array")
			}
			n := len(arr)
			if isSlice {
				v.Set(reflect.MakeSlice(t, n, n))
			} else {
				n = min(n, v.Len())
			}
			for i := range n {
				if arr[i] == nil {
					continue
				}
				if err := elem(arr[i], v.Index(i)); err != nil {
					return fmt.Errorf("[%d]: %w", i, err)
				}
			}
			return nil
		}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map keys must be strings, not %s", t.Key())
		}
		elem, err := b.decoderFor(t.Elem())
		if err != nil {
			return nil, err
		}
		kt, et := t.Key(), t.Elem()
		return func(src any, v reflect.Value) error {
			m, ok := src.(map[string]any)
			if !ok {
				return mismatch(src, "object")
			}
			out := reflect.MakeMapWithSize(t, len(m))
			for k, x := range m {
				ev := reflect.New(et).Elem()
				if x != nil {
					if err := elem(x, ev); err != nil {
						return fmt.Errorf("[%q]: %w", k, err)
					}
				}
				out.SetMapIndex(reflect.ValueOf(k).Convert(kt), ev)
			}
			v.Set(out)
			return nil
		}, nil
	case reflect.Struct:
		c, err := b.codec(t)
		if err != nil {
			return nil, err
		}
		return func(src any, v reflect.Value) error {
			m, ok := src.(map[string]any)
			if !ok {
				return mismatch(src, "object")
			}
			return c.decode(m, v)
		}, nil
	}
	return nil, fmt.Errorf("unsupported Go type %s", t)
}

func mismatch(src any, want string) error {
	return fmt.Errorf("cannot use %s as %s", describe(src), want)
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64, int, json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case time.Time:
		return "a date"
	case []byte:
		return "a buffer"
	}
	return fmt.Sprintf("%T", v)
}

func toInt64(src any) (int64, error) {
	if n, ok := num.Int(src); ok {
		return n, nil
	}
	if b, ok := src.(bool); ok {
		if b {
			return 1, nil
		}
		return 0, nil
	}
	if _, ok := num.Float(src); ok {
		return 0, fmt.Errorf("%v is not an integer", src)
	}
	return 0, mismatch(src, "integer")
}

func toFloat64(src any) (float64, error) {
	if f, ok := num.Float(src); ok {
		return f, nil
	}
	if n, ok := src.(json.Number); ok {
		return 0, fmt.Errorf("%s is not a finite number", string(n))
	}
	return 0, mismatch(src, "number")
}

func toTime(src any) (time.Time, error) {
	switch x := src.(type) {
	case time.Time:
		return x, nil
	case string:
		return parseTime(x)
	case int64:
		return time.UnixMilli(x).UTC(), nil
	case float64:
		return time.UnixMilli(int64(x)).UTC(), nil
	}
	return time.Time{}, mismatch(src, "date")
}

func toBytes(src any) ([]byte, error) {
	switch x := src.(type) {
	case []byte:
		return bytes.Clone(x), nil
	case string:
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(x); err == nil {
				return b, nil
			}
		}
		return nil, errors.New("string is not base64")
	}
	return nil, mismatch(src, "buffer")
}

// Normalize returns a copy of rec with every property of def converted to
// its record type (see [ToRecord]); keys that are not properties are kept
// as they are, with numbers, slices and maps normalized. It returns an
// error naming the property when a value does not fit its type.
func Normalize(def *Definition, rec map[string]any) (map[string]any, error) {
	out, key, err := normalizeObject(rec, def.Property)
	if err != nil {
		return nil, fmt.Errorf("property %q: %w", key, err)
	}
	return out, nil
}

// NormalizeInPlace is [Normalize] for a record its caller hands over: it
// converts the values of rec itself instead of returning a copy, which
// saves a map per record. On error rec is left partly converted, so the
// caller must not use it afterwards.
func NormalizeInPlace(def *Definition, rec map[string]any) error {
	for k, v := range rec {
		var err error
		if p := def.Property(k); p != nil {
			v, err = normalize(p, v)
		} else {
			v, err = normalizeAny(v)
		}
		if err != nil {
			return fmt.Errorf("property %q: %w", k, err)
		}
		rec[k] = v
	}
	return nil
}

// normalizeObject normalizes the values of m by the properties prop finds,
// and the other values as they are; on error it returns the key at fault.
func normalizeObject(m map[string]any, prop func(string) *Property) (map[string]any, string, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		var err error
		if p := prop(k); p != nil {
			v, err = normalize(p, v)
		} else {
			v, err = normalizeAny(v)
		}
		if err != nil {
			return nil, k, err
		}
		out[k] = v
	}
	return out, "", nil
}

// normalize converts v to the record type of property p.
func normalize(p *Property, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch p.Type {
	// Values already of their record type are returned as they are: not
	// boxed again into a new interface value.
	case String:
		if _, ok := v.(string); ok {
			return v, nil
		}
		return nil, mismatch(v, "string")
	case Number:
		switch v.(type) {
		case bool:
			return nil, mismatch(v, "number")
		case int64:
			if p.Integer {
				return v, nil
			}
		case float64:
			if !p.Integer {
				return v, nil
			}
		}
		if p.Integer {
			return toInt64(v)
		}
		return toFloat64(v)
	case Boolean:
		if _, ok := v.(bool); ok {
			return v, nil
		}
		return nil, mismatch(v, "boolean")
	case Date:
		return toTime(v)
	case Buffer:
		return toBytes(v)
	case Object:
		m, ok := v.(map[string]any)
		if !ok {
			x, err := normalizeAny(v)
			if err != nil {
				return nil, err
			}
			if m, ok = x.(map[string]any); !ok {
				return nil, mismatch(v, "object")
			}
		}
		out, key, err := normalizeObject(m, p.Property)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		return out, nil
	case Array:
		arr, ok := v.([]any)
		if !ok {
			x, err := normalizeAny(v)
			if err != nil {
				return nil, err
			}
			if arr, ok = x.([]any); !ok {
				return nil, mismatch(v, "array")
			}
		}
		out := make([]any, len(arr))
		for i, x := range arr {
			var err error
			if p.Items != nil {
				x, err = normalize(p.Items, x)
			} else {
				x, err = normalizeAny(x)
			}
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = x
		}
		return out, nil
	}
	return normalizeAny(v)
}

// normalizeAny converts any Go value to the record value types: integers
// to int64, floats to float64, slices to []any, string-keyed maps to
// map[string]any, structs through their JSON encoding.
func normalizeAny(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, time.Time:
		return x, nil
	case []byte:
		return bytes.Clone(x), nil
	case int:
		return int64(x), nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		return x.Float64()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalizeAny(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalizeAny(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if rv.Uint() > math.MaxInt64 {
			return nil, fmt.Errorf("%d overflows int64", rv.Uint())
		}
		return int64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return normalizeAny(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil, nil
		}
		out := make([]any, rv.Len())
		for i := range out {
			n, err := normalizeAny(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String {
			out := make(map[string]any, rv.Len())
			it := rv.MapRange()
			for it.Next() {
				n, err := normalizeAny(it.Value().Interface())
				if err != nil {
					return nil, err
				}
				out[it.Key().String()] = n
			}
			return out, nil
		}
	}
	// Structs and anything else: through their JSON form.
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("cannot convert %T: %w", v, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	return normalizeAny(x)
}
