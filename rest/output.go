package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/loopback-go/lb/openapi"
)

// typedOut is the compiled writer of an output type.
type typedOut struct {
	status      int  // DefaultStatus, 0 for none
	empty       bool // struct{}: always 204 (or the DefaultStatus)
	envelope    bool
	deref       bool // *O is written as O: []byte, string, io.Reader
	statusIndex []int
	headers     []outHeader
	bodyIndex   []int
	bodyDeref   bool
}

type outHeader struct {
	name  string
	index []int
}

// analyzeOutput builds the writer of output type t and fills op's
// responses.
func analyzeOutput(s *Server, t reflect.Type, op *openapi.Operation, defaultStatus int) (*typedOut, error) {
	out := &typedOut{status: defaultStatus}
	resp := &openapi.Response{Description: "Return value of " + op.OperationID}
	if t == reflect.TypeFor[Response]() {
		// *Response is written as it says; its body's type is unknown here.
		op.Responses = map[string]*openapi.Response{"200": resp}
		return out, nil
	}
	bodyType := t
	if t.Kind() == reflect.Struct && t != timeType {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			if h, ok := sf.Tag.Lookup("header"); ok {
				out.envelope = true
				out.headers = append(out.headers, outHeader{name: http.CanonicalHeaderKey(h), index: sf.Index})
				if resp.Headers == nil {
					resp.Headers = map[string]*openapi.Header{}
				}
				hs, _, err := fieldSchema(s, t, sf)
				if err != nil {
					return nil, err
				}
				resp.Headers[h] = &openapi.Header{Schema: hs}
				continue
			}
			switch {
			case sf.Name == "Status" && sf.Type.Kind() == reflect.Int:
				out.envelope = true
				out.statusIndex = sf.Index
			case sf.Name == "Body":
				out.envelope = true
				out.bodyIndex = sf.Index
				bodyType = sf.Type
			}
		}
		if out.envelope && out.bodyIndex == nil {
			bodyType = nil
		}
	}
	status := "200"
	if bodyType == nil || bodyType.Kind() == reflect.Struct && bodyType.NumField() == 0 {
		status = "204"
		resp.Description = "No Content"
		out.empty = !out.envelope
	} else {
		base := bodyType
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		ct, schema := "application/json", (*openapi.Schema)(nil)
		switch {
		case base == bytesType:
			ct, schema = "application/octet-stream", &openapi.Schema{Type: openapi.Types{"string"}, Format: "binary"}
		case base.Kind() == reflect.String:
			ct, schema = "text/plain", &openapi.Schema{Type: openapi.Types{"string"}}
		case base.Kind() == reflect.Interface && base.Implements(readerType):
			ct, schema = "application/octet-stream", &openapi.Schema{Type: openapi.Types{"string"}, Format: "binary"}
		case base == reflect.TypeFor[json.RawMessage]():
			schema = &openapi.Schema{}
		default:
			var err error
			if schema, err = s.spec.reg.ResponseSchema(bodyType); err != nil {
				return nil, err
			}
			s.syncComponents()
		}
		if !out.envelope {
			out.deref = bodyType.Kind() != reflect.Struct
		} else {
			out.bodyDeref = true
		}
		resp.Content = map[string]*openapi.MediaType{ct: {Schema: schema}}
	}
	if defaultStatus != 0 {
		status = strconv.Itoa(defaultStatus)
		if resp.Content == nil {
			resp.Description = http.StatusText(defaultStatus)
		}
	}
	op.Responses = map[string]*openapi.Response{status: resp}
	return out, nil
}

// write writes a non-nil result; v is *res.
func (o *typedOut) write(c *call, v reflect.Value, res any) {
	if o.status != 0 && c.status == 0 {
		c.status = o.status
	}
	switch {
	case o.empty:
		c.writeResult(nil)
	case o.envelope:
		if o.statusIndex != nil {
			if st := int(v.FieldByIndex(o.statusIndex).Int()); st != 0 {
				c.status = st
			}
		}
		for _, h := range o.headers {
			f := v.FieldByIndex(h.index)
			if s, ok := headerText(f); ok {
				c.w.Header().Set(h.name, s)
			}
		}
		if o.bodyIndex == nil {
			c.writeResult(nil)
			return
		}
		b := v.FieldByIndex(o.bodyIndex)
		if (b.Kind() == reflect.Pointer || b.Kind() == reflect.Interface || b.Kind() == reflect.Slice || b.Kind() == reflect.Map) && b.IsNil() {
			c.writeResult(nil)
			return
		}
		c.writeResult(b.Interface())
	case o.deref:
		c.writeResult(v.Interface())
	default:
		c.writeResult(res)
	}
}

// headerText formats a header field; ok is false for a zero value.
func headerText(f reflect.Value) (string, bool) {
	if f.IsZero() {
		return "", false
	}
	for f.Kind() == reflect.Pointer {
		f = f.Elem()
	}
	switch x := f.Interface().(type) {
	case string:
		return x, true
	case time.Time:
		return x.UTC().Format(http.TimeFormat), true
	case fmt.Stringer:
		return x.String(), true
	}
	return fmt.Sprint(f.Interface()), true
}

// setterFor returns how a coerced parameter value (see Request.Params) is
// stored in a field of type t.
func setterFor(t reflect.Type) (func(f reflect.Value, v any) error, error) {
	if t.Kind() == reflect.Pointer && t != bytesType {
		inner, err := setterFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(f reflect.Value, v any) error {
			p := reflect.New(t.Elem())
			if err := inner(p.Elem(), v); err != nil {
				return err
			}
			f.Set(p)
			return nil
		}, nil
	}
	switch {
	case t == timeType || t == bytesType:
		return func(f reflect.Value, v any) error {
			rv := reflect.ValueOf(v)
			if rv.Type() != t {
				return fmt.Errorf("got %T; want %v", v, t)
			}
			f.Set(rv)
			return nil
		}, nil
	case t.Kind() == reflect.Slice && isScalar(t.Elem()):
		elem, err := setterFor(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(f reflect.Value, v any) error {
			items, ok := v.([]any)
			if !ok {
				return fmt.Errorf("got %T; want an array", v)
			}
			sl := reflect.MakeSlice(t, len(items), len(items))
			for i, it := range items {
				if err := elem(sl.Index(i), it); err != nil {
					return err
				}
			}
			f.Set(sl)
			return nil
		}, nil
	case isScalar(t):
		return setScalar, nil
	}
	// Objects and anything else: through JSON.
	return func(f reflect.Value, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return json.Unmarshal(data, f.Addr().Interface())
	}, nil
}

func isScalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return t == timeType
}

// setScalar stores a coerced scalar in a scalar field, checking range.
func setScalar(f reflect.Value, v any) error {
	switch x := v.(type) {
	case int64:
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if f.OverflowInt(x) {
				return fmt.Errorf("%d overflows %v", x, f.Type())
			}
			f.SetInt(x)
			return nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if x < 0 || f.OverflowUint(uint64(x)) {
				return fmt.Errorf("%d overflows %v", x, f.Type())
			}
			f.SetUint(uint64(x))
			return nil
		case reflect.Float32, reflect.Float64:
			f.SetFloat(float64(x))
			return nil
		}
	case float64:
		switch f.Kind() {
		case reflect.Float32, reflect.Float64:
			f.SetFloat(x)
			return nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if x != float64(int64(x)) || f.OverflowInt(int64(x)) {
				return fmt.Errorf("%v does not fit %v", x, f.Type())
			}
			f.SetInt(int64(x))
			return nil
		}
	case bool:
		if f.Kind() == reflect.Bool {
			f.SetBool(x)
			return nil
		}
	case string:
		if f.Kind() == reflect.String {
			f.SetString(x)
			return nil
		}
	case time.Time:
		if f.Type() == timeType {
			f.Set(reflect.ValueOf(x))
			return nil
		}
	}
	return fmt.Errorf("cannot store %T in %v", v, f.Type())
}

// fastSetter parses a raw string straight into a scalar field, for
// parameters without constraints: no boxing on the hot path. nil when the
// field needs the general path.
func fastSetter(t reflect.Type, p *param) func(f reflect.Value, raw string) bool {
	typ := p.typ
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if typ != "integer" {
			return nil
		}
		return func(f reflect.Value, raw string) bool {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				v, ok := coerceScalar("integer", "", raw)
				if !ok {
					return false
				}
				n = v.(int64)
			}
			if n > maxSafeInteger || n < -maxSafeInteger || f.OverflowInt(n) {
				return false
			}
			f.SetInt(n)
			return true
		}
	case reflect.String:
		if typ != "string" || p.format != "" {
			return nil
		}
		return func(f reflect.Value, raw string) bool {
			f.SetString(raw)
			return true
		}
	case reflect.Bool:
		if typ != "boolean" {
			return nil
		}
		return func(f reflect.Value, raw string) bool {
			v, ok := coerceScalar("boolean", "", raw)
			if ok {
				f.SetBool(v.(bool))
			}
			return ok
		}
	case reflect.Float32, reflect.Float64:
		if typ != "number" {
			return nil
		}
		return func(f reflect.Value, raw string) bool {
			v, ok := coerceScalar("number", "", raw)
			if ok {
				f.SetFloat(v.(float64))
			}
			return ok
		}
	}
	return nil
}
