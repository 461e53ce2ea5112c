package oasvc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/service"
)

// BodyArg is the name of the argument that carries an operation's request
// body, as in LoopBack's OpenAPI connector.
const BodyArg = "requestBody"

// Config declares a service described by an OpenAPI 3.0 or 3.1 document.
// Name and Spec are required; every other zero value is documented on its
// field.
type Config struct {
	// Name names the service in errors and logs.
	Name string
	// Spec is the document, JSON or YAML (see [Open] to read it from a
	// file or URL).
	Spec []byte
	// BaseURL is where the operations' paths are appended; "" means the
	// document's first server URL, which must then be absolute.
	BaseURL string
	// Headers are sent with every request.
	Headers map[string]string
	// ValidateResponses checks 2xx JSON answers against the document's
	// response schema; an answer that fails is malformed (502).
	ValidateResponses bool
	// Policy sets timeouts, retries and the circuit breaker.
	Policy service.Policy
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
	// MaxResponseBytes caps an answer's body; 0 means 10 MiB.
	MaxResponseBytes int64
}

// Service is a service described by an OpenAPI document: its operations
// are called by operationId, with their arguments validated against the
// document before anything is sent. It is safe for concurrent use.
type Service struct {
	name     string
	caller   *service.Caller
	client   *http.Client
	max      int64
	base     string
	headers  http.Header
	validate bool
	ops      map[string]*operation
}

// operation is one compiled operation.
type operation struct {
	id         string
	method     string
	path       string // template, "/pets/{petId}"
	params     []*param
	body       *validate.Validator // nil: no JSON body
	bodyReq    bool
	hasBody    bool
	responses  map[string]*validate.Validator // by status or "2XX", "default"
	idempotent bool
}

type param struct {
	name     string
	in       string // path, query, header, cookie
	required bool
	explode  bool
	schema   *validate.Validator
}

// Open reads the document at location — a file path, or an http(s) URL
// fetched with cfg.Client — into cfg.Spec and builds the service. A
// relative server URL in the document is resolved against an http(s)
// location.
func Open(ctx context.Context, location string, cfg Config) (*Service, error) {
	data, err := service.Fetch(ctx, cfg.Client, location, openapi.MaxLoadSize)
	if err != nil {
		return nil, fmt.Errorf("openapi service %s: %w", cfg.Name, err)
	}
	cfg.Spec = data
	if cfg.BaseURL == "" && (strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://")) {
		if doc, err := openapi.Load(data); err == nil && len(doc.Servers) > 0 {
			if u, err := url.Parse(location); err == nil {
				if su, err := u.Parse(doc.Servers[0].URL); err == nil {
					cfg.BaseURL = su.String()
				}
			}
		}
	}
	return New(cfg)
}

// New builds the service cfg declares. It fails when the document does not
// load, has no usable base URL, or holds a schema that does not compile.
// Operations without an operationId are not callable.
func New(cfg Config) (*Service, error) {
	if cfg.Name == "" {
		return nil, errors.New("openapi service: a name is required")
	}
	doc, err := openapi.Load(cfg.Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi service %s: %w", cfg.Name, err)
	}
	s := &Service{name: cfg.Name, caller: service.NewCaller(cfg.Name, cfg.Policy), client: cfg.Client,
		max: cfg.MaxResponseBytes, base: cfg.BaseURL, headers: http.Header{}, validate: cfg.ValidateResponses, ops: map[string]*operation{}}
	if s.client == nil {
		s.client = http.DefaultClient
	}
	if s.max <= 0 {
		s.max = 10 << 20
	}
	if s.base == "" && len(doc.Servers) > 0 {
		s.base = doc.Servers[0].URL
	}
	if u, err := url.Parse(s.base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("openapi service %s: base URL %q is not an absolute http(s) URL (set Config.BaseURL)", cfg.Name, s.base)
	}
	s.base = strings.TrimSuffix(s.base, "/")
	for k, v := range cfg.Headers {
		s.headers.Set(k, v)
	}
	if s.headers.Get("Accept") == "" {
		s.headers.Set("Accept", "application/json")
	}
	comps := doc.Components.Schemas
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		item := doc.Paths[p]
		for _, m := range openapi.Methods() {
			op := item.Operation(m)
			if op == nil || op.OperationID == "" {
				continue
			}
			if _, dup := s.ops[op.OperationID]; dup {
				return nil, fmt.Errorf("openapi service %s: operationId %s is used twice", cfg.Name, op.OperationID)
			}
			o, err := compileOp(doc, comps, p, strings.ToUpper(m), item, op, cfg.ValidateResponses)
			if err != nil {
				return nil, fmt.Errorf("openapi service %s, operation %s: %w", cfg.Name, op.OperationID, err)
			}
			s.ops[op.OperationID] = o
		}
	}
	return s, nil
}

// compileOp compiles the parameters, body and responses of op.
func compileOp(doc *openapi.Document, comps map[string]*openapi.Schema, path, method string, item *openapi.PathItem, op *openapi.Operation, responses bool) (*operation, error) {
	o := &operation{id: op.OperationID, method: method, path: path, responses: map[string]*validate.Validator{}}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		o.idempotent = true
	}
	seen := map[string]bool{}
	for _, list := range [][]*openapi.Parameter{op.Parameters, item.Parameters} { // the operation's win
		for _, p := range list {
			p, err := resolveParam(doc, p)
			if err != nil {
				return nil, err
			}
			if seen[p.In+" "+p.Name] {
				continue
			}
			seen[p.In+" "+p.Name] = true
			v, err := validate.Compile(p.Schema, comps)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", p.Name, err)
			}
			explode := p.Explode == nil || *p.Explode
			o.params = append(o.params, &param{name: p.Name, in: p.In, required: p.Required || p.In == "path", explode: explode, schema: v})
		}
	}
	if rb := op.RequestBody; rb != nil {
		if rb.Ref != "" {
			name := strings.TrimPrefix(rb.Ref, "#/components/requestBodies/")
			if rb = doc.Components.RequestBodies[name]; rb == nil {
				return nil, fmt.Errorf("request body %s is not in components", name)
			}
		}
		mt := jsonMedia(rb.Content)
		if mt == nil {
			return nil, errors.New("the request body has no JSON media type")
		}
		v, err := validate.Compile(mt.Schema, comps)
		if err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
		o.body, o.bodyReq, o.hasBody = v, rb.Required, true
	}
	if responses {
		for code, r := range op.Responses {
			if r == nil || r.Ref != "" {
				continue
			}
			if mt := jsonMedia(r.Content); mt != nil && mt.Schema != nil {
				v, err := validate.Compile(mt.Schema, comps)
				if err != nil {
					return nil, fmt.Errorf("response %s: %w", code, err)
				}
				o.responses[code] = v
			}
		}
	}
	return o, nil
}

func resolveParam(doc *openapi.Document, p *openapi.Parameter) (*openapi.Parameter, error) {
	if p.Ref == "" {
		return p, nil
	}
	name := strings.TrimPrefix(p.Ref, "#/components/parameters/")
	r := doc.Components.Parameters[name]
	if r == nil {
		return nil, fmt.Errorf("parameter %s is not in components", p.Ref)
	}
	return r, nil
}

// jsonMedia returns the JSON media type of content (application/json or
// a +json type).
func jsonMedia(content map[string]*openapi.MediaType) *openapi.MediaType {
	if mt := content["application/json"]; mt != nil {
		return mt
	}
	for k, mt := range content {
		if strings.HasSuffix(strings.SplitN(k, ";", 2)[0], "+json") {
			return mt
		}
	}
	return nil
}

// Name returns the service's name.
func (s *Service) Name() string { return s.name }

// Caller returns the service's resilience caller (its breaker state).
func (s *Service) Caller() *service.Caller { return s.caller }

// Operations lists the callable operationIds, sorted.
func (s *Service) Operations() []string {
	ids := make([]string, 0, len(s.ops))
	for id := range s.ops {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Call calls the operation operationID with args — parameter values by
// name, the request body under [BodyArg] — and decodes a JSON answer into
// out (a pointer; nil discards it).
//
// Arguments are validated against the document first: a missing required
// parameter or body, an unknown argument, or a value that fails its schema
// is a 400 (INVALID_SERVICE_ARGUMENTS) whose details list every problem in
// LoopBack's shape, and nothing is sent. Upstream failures are the
// 502/504/503 errors of package service. An unknown operationId is a plain
// error (a programming mistake).
func (s *Service) Call(ctx context.Context, operationID string, args map[string]any, out any) error {
	o := s.ops[operationID]
	if o == nil {
		return fmt.Errorf("openapi service %s: no operation %s", s.name, operationID)
	}
	req, err := s.build(o, args)
	if err != nil {
		return err
	}
	return s.caller.Call(ctx, o.id, o.idempotent, service.HTTPAttempt(s.client, req, s.max, func(status int, data []byte) error {
		if len(bytes.TrimSpace(data)) == 0 {
			return nil
		}
		if s.validate {
			if v := o.response(status); v != nil {
				var doc any
				if err := json.Unmarshal(data, &doc); err != nil {
					return err
				}
				if d := v.Validate(doc); len(d) > 0 {
					return fmt.Errorf("the answer does not match the document: %s %s", d[0].Path, d[0].Message)
				}
			}
		}
		if out == nil {
			return nil
		}
		return json.Unmarshal(data, out)
	}))
}

// response returns the validator of the answer with status.
func (o *operation) response(status int) *validate.Validator {
	code := fmt.Sprint(status)
	if v := o.responses[code]; v != nil {
		return v
	}
	if v := o.responses[code[:1]+"XX"]; v != nil {
		return v
	}
	return o.responses["default"]
}

// build validates args and builds the request.
func (s *Service) build(o *operation, args map[string]any) (*service.HTTPRequest, error) {
	var details []validate.Detail
	bad := func(path, code, msg string, info map[string]any) {
		if info == nil {
			info = map[string]any{}
		}
		details = append(details, validate.Detail{Path: path, Code: code, Message: msg, Info: info})
	}
	known := map[string]bool{BodyArg: true}
	path := o.path
	query := url.Values{}
	var header http.Header
	var cookies []string
	for _, p := range o.params {
		known[p.name] = true
		v, ok := args[p.name]
		if !ok || v == nil {
			if p.required {
				bad("/"+p.name, "required", "must have required property '"+p.name+"'", map[string]any{"missingProperty": p.name})
			}
			continue
		}
		jv, err := jsonValue(v)
		if err != nil {
			bad("/"+p.name, "type", "must be a JSON value", nil)
			continue
		}
		for _, d := range p.schema.Validate(jv) {
			d.Path = "/" + p.name + d.Path
			details = append(details, d)
		}
		switch p.in {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.name+"}", url.PathEscape(joinValues(jv, ",")))
		case "query":
			if list, isList := jv.([]any); isList && p.explode {
				for _, e := range list {
					query.Add(p.name, scalar(e))
				}
			} else {
				query.Set(p.name, joinValues(jv, ","))
			}
		case "header":
			hv := joinValues(jv, ",")
			if strings.ContainsAny(hv, "\r\n\x00") {
				bad("/"+p.name, "format", "must not hold a line break", nil)
				continue
			}
			if header == nil {
				header = s.headers.Clone()
			}
			header.Set(p.name, hv)
		case "cookie":
			cookies = append(cookies, p.name+"="+url.QueryEscape(joinValues(jv, ",")))
		}
	}
	var body []byte
	if b, ok := args[BodyArg]; ok && b != nil {
		if !o.hasBody {
			bad("/"+BodyArg, "additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": BodyArg})
		} else if jv, err := jsonValue(b); err != nil {
			bad("/"+BodyArg, "type", "must be a JSON value", nil)
		} else {
			for _, d := range o.body.Validate(jv) {
				d.Path = "/" + BodyArg + d.Path
				details = append(details, d)
			}
			body, _ = json.Marshal(jv)
		}
	} else if o.bodyReq {
		bad("/"+BodyArg, "required", "must have required property '"+BodyArg+"'", map[string]any{"missingProperty": BodyArg})
	}
	for name := range args {
		if !known[name] {
			bad("/"+name, "additionalProperties", "must NOT have additional properties", map[string]any{"additionalProperty": name})
		}
	}
	if len(details) > 0 {
		slices.SortStableFunc(details, func(a, b validate.Detail) int { return strings.Compare(a.Path, b.Path) })
		return nil, &fault.Error{Kind: fault.BadRequest, Code: "INVALID_SERVICE_ARGUMENTS", Details: details,
			Message: fmt.Sprintf("service %s, operation %s: the arguments do not match the service's API document", s.name, o.id)}
	}
	u := s.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	if body != nil || len(cookies) > 0 {
		if header == nil {
			header = s.headers.Clone()
		}
		if body != nil {
			header.Set("Content-Type", "application/json")
		}
		if len(cookies) > 0 {
			header.Set("Cookie", strings.Join(cookies, "; "))
		}
	}
	if header == nil {
		header = s.headers
	}
	return &service.HTTPRequest{Method: o.method, URL: u, Header: header, Body: body}, nil
}

// jsonValue returns v as decoded JSON (what the validator reads).
func jsonValue(v any) (any, error) {
	switch v.(type) {
	case string, bool, float64, nil:
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// joinValues renders a parameter value in the simple / form style: an
// array's items joined by sep, an object as JSON.
func joinValues(v any, sep string) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = scalar(e)
		}
		return strings.Join(parts, sep)
	}
	return scalar(v)
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Func is a typed operation, as [Bind] returns it.
type Func[I, O any] func(ctx context.Context, in I) (O, error)

// Bind returns the operation operationID of s as a typed Go function:
// the arguments are the json-named fields of the struct I (the body in a
// field named [BodyArg]; zero omitempty fields are left out) or a
// map[string]any, and the answer is decoded into O. Fields are looked up
// once, here; Bind fails for an unknown operationId or a field that is no
// parameter of the operation.
func Bind[I, O any](s *Service, operationID string) (Func[I, O], error) {
	o := s.ops[operationID]
	if o == nil {
		return nil, fmt.Errorf("openapi service %s: no operation %s", s.name, operationID)
	}
	names := []string{BodyArg}
	for _, p := range o.params {
		names = append(names, p.name)
	}
	argsOf, err := service.ArgsFunc[I](names)
	if err != nil {
		return nil, fmt.Errorf("bind %s.%s: %w", s.name, operationID, err)
	}
	return func(ctx context.Context, in I) (O, error) {
		var out O
		err := s.Call(ctx, operationID, argsOf(in), &out)
		return out, err
	}, nil
}

// MustBind is [Bind] that panics on an error; use it while setting up.
func MustBind[I, O any](s *Service, operationID string) Func[I, O] {
	fn, err := Bind[I, O](s, operationID)
	if err != nil {
		panic(err)
	}
	return fn
}
