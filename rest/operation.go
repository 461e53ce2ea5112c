package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/openapi"
)

// Registrar is where typed operations are registered: a *Server, or the
// *ControllerRoutes a controller receives in its Routes method.
type Registrar interface {
	register(method, path string, op *openapi.Operation, build func(*Server, opConfig) (*compiled, error), cfg opConfig)
}

// Get registers a typed GET operation; see Handle.
func Get[I, O any](r Registrar, path string, h func(context.Context, *I) (*O, error), opts ...OperationOption) {
	Handle(r, http.MethodGet, path, h, opts...)
}

// Post registers a typed POST operation; see Handle.
func Post[I, O any](r Registrar, path string, h func(context.Context, *I) (*O, error), opts ...OperationOption) {
	Handle(r, http.MethodPost, path, h, opts...)
}

// Put registers a typed PUT operation; see Handle.
func Put[I, O any](r Registrar, path string, h func(context.Context, *I) (*O, error), opts ...OperationOption) {
	Handle(r, http.MethodPut, path, h, opts...)
}

// Patch registers a typed PATCH operation; see Handle.
func Patch[I, O any](r Registrar, path string, h func(context.Context, *I) (*O, error), opts ...OperationOption) {
	Handle(r, http.MethodPatch, path, h, opts...)
}

// Delete registers a typed DELETE operation; see Handle.
func Delete[I, O any](r Registrar, path string, h func(context.Context, *I) (*O, error), opts ...OperationOption) {
	Handle(r, http.MethodDelete, path, h, opts...)
}

// Handle registers a typed operation. I is a struct whose fields declare the
// input: `path:"id"`, `query:"filter"`, `header:"X-Key"` and
// `cookie:"session"` fields are parameters (path parameters are required,
// others when tagged `required:"true"`), and a field named Body (or tagged
// `body:""`) is the request body, required unless it is a pointer or tagged
// `required:"false"`. A `contentType:"..."` tag on the body lists its media
// types (comma-separated; default application/json, text/plain for a
// string, application/octet-stream for []byte, a stream for io.Reader).
// Schema tags of the openapi registry (minimum, maxLength, enum, doc, …)
// apply to parameters and, through the body's type, to the body. Fields of
// embedded structs count as the input's own (shared paging parameters).
// Parameter fields may be scalars, pointers to scalars (nil when absent),
// time.Time, []byte (base64), slices of scalars (array parameters), or
// structs and maps (object parameters: JSON text or the nested
// query-string form).
//
// O is the response. A nil *O is 204. If O has a `Status int` field,
// `header:"Name"` fields or a Body field, those set the status, headers and
// body; otherwise *O itself is the body: JSON for values, text/plain for a
// string, application/octet-stream for []byte, a stream for an io.Reader.
// With O = rest.Response the handler sets status, headers and body freely.
//
// The operation's operationId is the OperationID option, else derived
// from the method and path (GET /todos/{id} is "getTodosId"); in a
// controller it is prefixed with the controller's name (see Controller).
// It never comes from the Go function's name, so renaming a handler does
// not change the API. The documented success status is the DefaultStatus
// option, else 200 (204 for an output without a body).
//
// The decoders are built once, here; Handle panics on a bad path, tag or
// type (programming errors), with the error naming the operation and, for
// a bad schema tag, the type and field.
func Handle[I, O any](r Registrar, method, path string, h func(context.Context, *I) (*O, error), opts ...OperationOption) {
	var cfg opConfig
	for _, o := range opts {
		o(&cfg)
	}
	op := &openapi.Operation{}
	build := func(s *Server, cfg opConfig) (*compiled, error) {
		in, err := analyzeInput(s, reflect.TypeFor[I](), op)
		if err != nil {
			return nil, err
		}
		out, err := analyzeOutput(s, reflect.TypeFor[O](), op, cfg.status)
		if err != nil {
			return nil, err
		}
		return &compiled{in: in, serve: func(e *endpoint) func(*call) {
			return func(c *call) { serveTyped(e, c, in, out, h) }
		}}, nil
	}
	r.register(method, path, op, build, cfg)
}

// compiled is a typed operation's decoders, before the route is added.
type compiled struct {
	in    *typedIn
	serve func(e *endpoint) func(*call)
}

func (c *compiled) bindPath(names []string) error {
	for _, f := range c.in.fields {
		if err := f.p.bindPath(names); err != nil {
			return err
		}
	}
	return nil
}

// register implements Registrar for the server.
func (s *Server) register(method, path string, op *openapi.Operation, build func(*Server, opConfig) (*compiled, error), cfg opConfig) {
	op.OperationID = cfg.id
	if op.OperationID == "" {
		op.OperationID = defaultOperationID(method, path)
	}
	op.Tags = append(op.Tags, cfg.tags...)
	if err := s.registerTyped(method, path, op, build, cfg); err != nil {
		panic("rest: " + err.Error())
	}
}

func (s *Server) registerTyped(method, path string, op *openapi.Operation, build func(*Server, opConfig) (*compiled, error), cfg opConfig) error {
	if cfg.status != 0 && (cfg.status < 100 || cfg.status > 599) {
		return fmt.Errorf("%s %s: DefaultStatus(%d) is not an HTTP status", method, path, cfg.status)
	}
	serve, err := build(s, cfg)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if serve.in.body != nil {
		serve.in.body.limit = cfg.maxBody
	}
	s.syncComponents()
	for _, edit := range cfg.edit {
		edit(op)
	}
	names, err := templateNames(path, s.router.strict)
	if err != nil {
		return err
	}
	if err := serve.bindPath(names); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	for _, n := range names {
		if !hasParam(op.Parameters, n) {
			return fmt.Errorf("%s %s: the input has no `path:%q` field", method, path, n)
		}
	}
	_, err = s.addEndpoint(method, path, op, cfg, func(e *endpoint) { e.typedIn, e.serve = serve.in, serve.serve(e) })
	return err
}

func hasParam(ps []*openapi.Parameter, name string) bool {
	for _, p := range ps {
		if p.In == openapi.InPath && p.Name == name {
			return true
		}
	}
	return false
}

// defaultOperationID names an operation from its method and path:
// GET /todos/{id} is "getTodosId".
func defaultOperationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, w := range strings.FieldsFunc(path, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// syncComponents copies the registry's component schemas into the document.
func (s *Server) syncComponents() {
	comps := s.spec.reg.Components()
	s.spec.mu.Lock()
	defer s.spec.mu.Unlock()
	for k, v := range comps {
		if _, ok := s.spec.doc.Components.Schemas[k]; !ok {
			s.spec.doc.Components.Schemas[k] = v
		}
	}
}

// typedIn is the compiled decoder of an input struct.
type typedIn struct {
	typ       reflect.Type
	fields    []inField
	body      *body
	bodyIndex []int
	bodySet   func(f reflect.Value, v any, raw []byte) error
}

type inField struct {
	index []int
	p     *param
	fast  func(f reflect.Value, raw string) bool // scalar fields without constraints
	set   func(f reflect.Value, v any) error
}

var (
	readerType = reflect.TypeFor[io.Reader]()
	timeType   = reflect.TypeFor[time.Time]()
	bytesType  = reflect.TypeFor[[]byte]()
)

// analyzeInput builds the decoder of input type t and fills op's
// parameters and request body.
func analyzeInput(s *Server, t reflect.Type, op *openapi.Operation) (*typedIn, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("input type %v is not a struct", t)
	}
	in := &typedIn{typ: t}
	comps := s.spec.doc.Components.Schemas
	for _, sf := range inputFields(t, nil) {
		loc, name := "", ""
		for _, l := range []string{openapi.InPath, openapi.InQuery, openapi.InHeader, openapi.InCookie} {
			if v, ok := sf.Tag.Lookup(l); ok {
				loc, name = l, v
			}
		}
		_, bodyTag := sf.Tag.Lookup("body")
		if loc == "" && (bodyTag || sf.Name == "Body") {
			if err := in.analyzeBody(s, t, sf, op); err != nil {
				return nil, err
			}
			continue
		}
		if loc == "" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		schema, field, err := fieldSchema(s, t, sf)
		if err != nil {
			return nil, err
		}
		p := &openapi.Parameter{Name: name, In: loc, Schema: schema,
			Required: loc == openapi.InPath || field.Required}
		if schema.Description != "" {
			p.Description = schema.Description
		}
		rs := resolve(schema, comps)
		if t := schemaType(rs); t == "object" || t == "" && rs.Ref != "" {
			p.Schema = nil
			p.Content = map[string]*openapi.MediaType{"application/json": {Schema: schema}}
		}
		op.Parameters = append(op.Parameters, p)
		d, err := newParam(p, comps, s.prohibited, s.cfg.EagerValidators)
		if err != nil {
			return nil, err
		}
		f := inField{index: sf.Index, p: d}
		f.set, err = setterFor(sf.Type)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", sf.Name, err)
		}
		if d.check == nil && !d.json && d.typ != "array" {
			f.fast = fastSetter(sf.Type, d)
		}
		in.fields = append(in.fields, f)
	}
	return in, nil
}

// inputFields lists the exported fields of an input struct, with the
// fields of embedded (non-pointer, untagged) structs in place, their Index
// paths complete.
func inputFields(t reflect.Type, index []int) []reflect.StructField {
	var out []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		sf.Index = append(slices.Clip(index), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag == "" {
			out = append(out, inputFields(sf.Type, sf.Index)...)
			continue
		}
		if sf.IsExported() {
			out = append(out, sf)
		}
	}
	return out
}

// fieldSchema is the schema of a struct field of owner with its schema
// tags applied, read by the openapi package as for any property, and the
// field as read.
func fieldSchema(s *Server, owner reflect.Type, sf reflect.StructField) (*openapi.Schema, openapi.Field, error) {
	schema, f, err := s.spec.reg.FieldSchema(owner, sf)
	if err != nil {
		return nil, f, err
	}
	s.syncComponents()
	return schema, f, nil
}

// analyzeBody compiles the Body field.
func (in *typedIn) analyzeBody(s *Server, owner reflect.Type, sf reflect.StructField, op *openapi.Operation) error {
	ft := sf.Type
	field, err := openapi.FieldOf(owner, sf)
	if err != nil {
		return err
	}
	required := ft.Kind() != reflect.Pointer
	if v, ok := field.Lookup("required"); ok {
		required = v == "true"
	}
	rb := &openapi.RequestBody{Required: required, Content: map[string]*openapi.MediaType{}, Description: field.Description}
	var types []string
	if ct := sf.Tag.Get("contentType"); ct != "" {
		for _, t := range strings.Split(ct, ",") {
			types = append(types, strings.TrimSpace(t))
		}
	}
	base := ft
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	var schema *openapi.Schema
	switch {
	case base.Kind() == reflect.Interface && base.Implements(readerType) || base == readerType:
		rb.Extensions = map[string]any{"x-parser": StreamParser}
		if types == nil {
			types = []string{"*/*"}
		}
		schema = &openapi.Schema{Type: openapi.Types{"string"}, Format: "binary"}
		in.bodySet = func(f reflect.Value, v any, _ []byte) error {
			f.Set(reflect.ValueOf(v))
			return nil
		}
	case base == bytesType:
		if types == nil {
			types = []string{"application/octet-stream"}
		}
		schema = &openapi.Schema{Type: openapi.Types{"string"}, Format: "binary"}
		in.bodySet = setDirect
	case base.Kind() == reflect.String && types == nil:
		types = []string{"text/plain"}
		schema = &openapi.Schema{Type: openapi.Types{"string"}}
		in.bodySet = setDirect
	default:
		if types == nil {
			types = []string{"application/json"}
		}
		if schema, err = s.spec.reg.Schema(ft); err != nil {
			return fmt.Errorf("body: %w", err)
		}
		s.syncComponents()
		in.bodySet = func(f reflect.Value, v any, raw []byte) error {
			if rv := reflect.ValueOf(v); rv.IsValid() && rv.Type().AssignableTo(f.Type()) {
				f.Set(rv) // Body any, map[string]any, []any: no second decoding
				return nil
			}
			if raw == nil {
				var err error
				if raw, err = json.Marshal(v); err != nil {
					return err
				}
			}
			if err := json.Unmarshal(raw, f.Addr().Interface()); err != nil {
				return &fault.Error{Kind: fault.Invalid, Code: "VALIDATION_FAILED", Message: "The request body is invalid: " + jsonmsg.Message(err, raw), Err: err}
			}
			return nil
		}
	}
	for _, t := range types {
		rb.Content[t] = &openapi.MediaType{Schema: schema}
	}
	op.RequestBody = rb
	b, err := newBody(rb, s.spec.doc.Components.Schemas, s.prohibited, s.cfg.EagerValidators)
	if err != nil {
		return fmt.Errorf("body: %w", err)
	}
	in.body, in.bodyIndex = b, sf.Index
	return nil
}

func setDirect(f reflect.Value, v any, _ []byte) error {
	rv := reflect.ValueOf(v)
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		p.Elem().Set(rv.Convert(f.Type().Elem()))
		f.Set(p)
		return nil
	}
	f.Set(rv.Convert(f.Type()))
	return nil
}

// serveTyped runs a typed operation: decode the input, invoke, write.
func serveTyped[I, O any](e *endpoint, c *call, in *typedIn, out *typedOut, h func(context.Context, *I) (*O, error)) {
	input := new(I)
	if len(in.fields) > 0 || in.body != nil {
		rv := reflect.ValueOf(input).Elem()
		for i := range in.fields {
			if err := in.fields[i].decode(c, rv); err != nil {
				c.writeError(err)
				return
			}
		}
		if in.body != nil {
			v, raw, release, err := in.body.read(c)
			if err == nil && v != nil {
				err = in.bodySet(rv.FieldByIndex(in.bodyIndex), v, raw)
			}
			release()
			if err != nil {
				c.writeError(err)
				return
			}
		}
	}
	var (
		res *O
		err error
	)
	if len(e.local) == 0 && len(e.s.interceptor) == 0 && !hasGlobalInterceptors(c) {
		res, err = h(c.handlerContext(), input)
	} else {
		c.args[0] = input
		args := c.args[:1:1]
		var v any
		v, err = e.invoke(c, args, func(ctx context.Context) (any, error) {
			in, ok := args[0].(*I) // an interceptor may replace the input
			if !ok {
				in = input
			}
			r, err := h(ctx, in)
			if r == nil {
				return nil, err // no typed nil inside the interface
			}
			return r, err
		})
		if err == nil && v != nil {
			var ok bool
			if res, ok = v.(*O); !ok {
				c.writeResult(v) // an interceptor answered with another value
				return
			}
		}
	}
	if err != nil {
		c.writeError(err)
		return
	}
	if res == nil {
		c.writeResult(nil)
		return
	}
	out.write(c, reflect.ValueOf(res).Elem(), res)
}

// decode sets one parameter field.
func (f *inField) decode(c *call, rv reflect.Value) error {
	p := f.p
	if f.fast != nil {
		raw, ok, err := p.scalar(c)
		if err != nil {
			return err
		}
		if !ok || raw == "" {
			if p.required {
				return errMissingParam(p.name)
			}
			return nil
		}
		if !f.fast(rv.FieldByIndex(f.index), raw) {
			return errInvalidParam(p.name, raw, nil)
		}
		return nil
	}
	v, err := p.decode(c)
	if err != nil || v == nil {
		return err
	}
	if err := f.set(rv.FieldByIndex(f.index), v); err != nil {
		return errInvalidParam(p.name, v, nil)
	}
	return nil
}

// scalar returns the raw value of a single-valued parameter; the error is
// that of a query string that cannot be read.
func (p *param) scalar(c *call) (string, bool, error) {
	switch p.in {
	case openapi.InPath:
		if p.index < len(c.pv) {
			return c.pv[p.index], true, nil
		}
	case openapi.InQuery:
		q, err := c.queryValues()
		if err != nil {
			return "", false, err
		}
		if vs := q[p.name]; len(vs) > 0 {
			return vs[0], true, nil
		}
	case openapi.InHeader:
		if v, ok := headerValue(c.r.Header, p.name); ok && v != "" {
			return v, true, nil
		}
	case openapi.InCookie:
		v, ok := cookieValue(c.r.Header, p.name)
		return v, ok, nil
	}
	return "", false, nil
}
