package restsvc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/service"
)

// Template is one of LoopBack's REST operation templates. Strings in URL,
// Query, Headers, Body and Form may hold variables: {name} (optional),
// {!name} or {^name} (required), {name=default} and {name:type} with type
// string, number, integer or boolean. A string that is exactly one
// variable takes the argument's value with its type (a number stays a
// number in a JSON body); an optional variable without a value leaves its
// query parameter, header or body member out.
type Template struct {
	// Method is the HTTP method; "" means GET.
	Method string `json:"method,omitempty"`
	// URL is the request URL; one that starts with "/" is resolved against
	// Config.BaseURL. Variables in it are path-escaped.
	URL string `json:"url"`
	// Query holds query parameters (values: strings, numbers, booleans,
	// arrays of them for repeated parameters).
	Query map[string]any `json:"query,omitempty"`
	// Headers holds request headers; they override Config.Headers.
	Headers map[string]any `json:"headers,omitempty"`
	// Body is a JSON body (any JSON value).
	Body any `json:"body,omitempty"`
	// Form is an application/x-www-form-urlencoded body (used when Body is
	// nil).
	Form map[string]any `json:"form,omitempty"`
	// ResponsePath selects parts of the JSON answer with JSONPath ($, .name,
	// ['name'], [n], [*], .*); the result is then always the list of what
	// it selected, as in LoopBack. "" keeps the whole answer.
	ResponsePath string `json:"responsePath,omitempty"`
	// Idempotent overrides whether the call may be retried; nil means it
	// may when the method is GET, HEAD, OPTIONS, PUT or DELETE.
	Idempotent *bool `json:"idempotent,omitempty"`
}

// Operation binds a template to functions, as a LoopBack datasource's
// operations entry: Functions maps each function name to the names of
// its arguments, in order ("geocode": ["address"]).
type Operation struct {
	Template  Template            `json:"template"`
	Functions map[string][]string `json:"functions"`
}

// Config declares a REST service. Name and at least one operation are
// required; every other zero value is documented on its field.
type Config struct {
	// Name names the service in errors and logs ("geocoder").
	Name string `json:"name"`
	// BaseURL resolves template URLs that start with "/"; "" means they
	// must be absolute.
	BaseURL string `json:"baseURL,omitempty"`
	// Headers are sent with every request (LoopBack's options.headers).
	Headers map[string]string `json:"-"`
	// Operations are the service's templates and functions.
	Operations []Operation `json:"operations"`
	// Policy sets timeouts, retries and the circuit breaker (see
	// service.Policy for its zero value).
	Policy service.Policy `json:"-"`
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client `json:"-"`
	// MaxResponseBytes caps an answer's body; a longer one is a malformed
	// answer (502). 0 means 10 MiB.
	MaxResponseBytes int64 `json:"-"`
}

// datasource is LoopBack's datasource JSON for the REST connector.
type datasource struct {
	Config
	Connector string `json:"connector"`
	Options   struct {
		Headers map[string]string `json:"headers"`
		Timeout float64           `json:"timeout"` // milliseconds
	} `json:"options"`
}

// Parse reads a LoopBack datasource JSON document of the REST connector
// ({"name", "connector": "rest", "baseURL", "options": {"headers",
// "timeout"}, "operations": [{"template", "functions"}]}) into a Config.
// options.timeout (milliseconds) becomes Policy.Timeout; other LoopBack
// keys (debug, crud) are ignored.
func Parse(data []byte) (Config, error) {
	var ds datasource
	if err := json.Unmarshal(data, &ds); err != nil {
		return Config{}, fmt.Errorf("parse rest datasource: %w", err)
	}
	if ds.Connector != "rest" && ds.Connector != "loopback-connector-rest" {
		return Config{}, fmt.Errorf("parse rest datasource %q: connector %q is not rest", ds.Name, ds.Connector)
	}
	cfg := ds.Config
	cfg.Headers = ds.Options.Headers
	if ds.Options.Timeout > 0 {
		cfg.Policy.Timeout = time.Duration(ds.Options.Timeout * float64(time.Millisecond))
	}
	return cfg, nil
}

// Service is a REST service: its functions called through templates under
// a resilience policy. Build it with [New] (or [Load]), then call its
// functions with [Bind] (typed) or [Service.Invoke]. It is safe for
// concurrent use.
type Service struct {
	name    string
	caller  *service.Caller
	client  *http.Client
	max     int64
	headers http.Header
	funcs   map[string]*function
}

// function is one callable function: a compiled template and the names of
// its arguments.
type function struct {
	name       string
	params     []string
	method     string
	url        *text
	query      []field
	headers    []field
	body       *node
	form       []field
	path       path
	idempotent bool
	hostVars   bool // variables in the scheme or host: parse each URL
}

// Load parses a LoopBack datasource JSON document and builds its service.
func Load(data []byte) (*Service, error) {
	cfg, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// New builds the service cfg declares. It fails on a malformed template
// or responsePath, a function declared twice, or a required variable that
// is not among its function's arguments.
func New(cfg Config) (*Service, error) {
	if cfg.Name == "" {
		return nil, errors.New("rest service: a name is required")
	}
	s := &Service{name: cfg.Name, caller: service.NewCaller(cfg.Name, cfg.Policy), client: cfg.Client,
		max: cfg.MaxResponseBytes, headers: http.Header{}, funcs: map[string]*function{}}
	if s.client == nil {
		s.client = http.DefaultClient
	}
	if s.max <= 0 {
		s.max = 10 << 20
	}
	for k, v := range cfg.Headers {
		s.headers.Set(k, v)
	}
	if s.headers.Get("Accept") == "" {
		s.headers.Set("Accept", "application/json")
	}
	if len(cfg.Operations) == 0 {
		return nil, fmt.Errorf("rest service %s: no operations", cfg.Name)
	}
	for i, op := range cfg.Operations {
		if len(op.Functions) == 0 {
			return nil, fmt.Errorf("rest service %s: operation %d has no functions", cfg.Name, i)
		}
		for name, params := range op.Functions {
			if _, dup := s.funcs[name]; dup {
				return nil, fmt.Errorf("rest service %s: function %s is declared twice", cfg.Name, name)
			}
			f, err := compile(name, params, op.Template, cfg.BaseURL)
			if err != nil {
				return nil, fmt.Errorf("rest service %s, function %s: %w", cfg.Name, name, err)
			}
			s.funcs[name] = f
		}
	}
	return s, nil
}

// compile builds a function from its template.
func compile(name string, params []string, t Template, base string) (*function, error) {
	f := &function{name: name, params: params, method: strings.ToUpper(t.Method)}
	if f.method == "" {
		f.method = http.MethodGet
	}
	u := t.URL
	if strings.HasPrefix(u, "/") {
		if base == "" {
			return nil, fmt.Errorf("url %q is relative and there is no baseURL", u)
		}
		u = strings.TrimSuffix(base, "/") + u
	}
	var err error
	if f.url, err = parseText(u); err != nil {
		return nil, err
	}
	// The scheme and host are literal unless a variable comes before the
	// path; a literal one is checked here, once.
	if _, rest, ok := strings.Cut(f.url.lits[0], "://"); !ok || !strings.Contains(rest, "/") && len(f.url.vars) > 0 {
		f.hostVars = true
	} else if pu, err := url.Parse(f.url.lits[0]); len(f.url.vars) == 0 && (err != nil || pu.Host == "") {
		return nil, fmt.Errorf("url %q does not parse as an absolute URL", u)
	}
	fields := func(m map[string]any) ([]field, error) {
		var out []field
		for _, k := range sortedKeys(m) {
			n, err := compileNode(m[k])
			if err != nil {
				return nil, err
			}
			out = append(out, field{k, n})
		}
		return out, nil
	}
	if f.query, err = fields(t.Query); err != nil {
		return nil, err
	}
	if f.headers, err = fields(t.Headers); err != nil {
		return nil, err
	}
	if t.Body != nil {
		if f.body, err = compileNode(t.Body); err != nil {
			return nil, err
		}
	} else if f.form, err = fields(t.Form); err != nil {
		return nil, err
	}
	if t.ResponsePath != "" {
		if f.path, err = parsePath(t.ResponsePath); err != nil {
			return nil, err
		}
	}
	switch f.method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		f.idempotent = true
	}
	if t.Idempotent != nil {
		f.idempotent = *t.Idempotent
	}
	// A required variable must be an argument, or no call can succeed.
	all := map[string]*variable{}
	collect := func(tx *text) {
		for i := range tx.vars {
			all[tx.vars[i].name] = &tx.vars[i]
		}
	}
	collect(f.url)
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		if n.text != nil {
			collect(n.text)
		}
		for _, c := range n.obj {
			walk(c.val)
		}
		for _, c := range n.arr {
			walk(c)
		}
	}
	for _, fs := range [][]field{f.query, f.headers, f.form} {
		for _, c := range fs {
			walk(c.val)
		}
	}
	walk(f.body)
	for name, v := range all {
		if v.required && !v.hasDef && !slices.Contains(params, name) {
			return nil, fmt.Errorf("required variable %s is not one of the arguments %v", name, params)
		}
	}
	return f, nil
}

// Name returns the service's name.
func (s *Service) Name() string { return s.name }

// Caller returns the service's resilience caller (its breaker state).
func (s *Service) Caller() *service.Caller { return s.caller }

// Functions lists the service's function names, sorted.
func (s *Service) Functions() []string {
	names := make([]string, 0, len(s.funcs))
	for n := range s.funcs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Invoke calls the function name with positional arguments, as a LoopBack
// service proxy does, and returns the decoded JSON answer (after the
// responsePath). Errors are as for [Service.Call].
func (s *Service) Invoke(ctx context.Context, name string, args ...any) (any, error) {
	f, err := s.function(name)
	if err != nil {
		return nil, err
	}
	if len(args) > len(f.params) {
		return nil, fault.New(fault.BadRequest, "INVALID_SERVICE_ARGUMENTS",
			fmt.Sprintf("service %s, operation %s: %d arguments; it takes %d", s.name, name, len(args), len(f.params)))
	}
	m := make(map[string]any, len(args))
	for i, a := range args {
		m[f.params[i]] = a
	}
	var out any
	err = s.call(ctx, f, m, func(data []byte) error { return decodeInto(f, data, &out) })
	return out, err
}

// Call calls the function name with named arguments and decodes the JSON
// answer (after the responsePath) into out, a pointer (nil discards the
// answer).
//
// It returns a *fault.Error: BadRequest (400) when an argument is missing
// or has the wrong type (nothing is sent), BadGateway (502) for an
// upstream error status, an unreachable upstream or a malformed answer,
// GatewayTimeout (504) when no answer came in time, Unavailable (503)
// while the circuit breaker is open; the upstream failures wrap a
// *service.Error. An unknown function is a plain error (a programming
// mistake).
func (s *Service) Call(ctx context.Context, name string, args map[string]any, out any) error {
	f, err := s.function(name)
	if err != nil {
		return err
	}
	return s.call(ctx, f, args, func(data []byte) error {
		if out == nil {
			return nil
		}
		return decodeInto(f, data, out)
	})
}

func (s *Service) function(name string) (*function, error) {
	f := s.funcs[name]
	if f == nil {
		return nil, fmt.Errorf("rest service %s: no function %s", s.name, name)
	}
	return f, nil
}

// decodeInto decodes an answer into out, through the function's path.
func decodeInto(f *function, data []byte, out any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // 204 or an empty body: out keeps its zero value
	}
	if f.path == nil {
		return json.Unmarshal(data, out)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	sel := f.path.eval(doc)
	if p, ok := out.(*any); ok {
		*p = sel
		return nil
	}
	b, err := json.Marshal(sel)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// request is an evaluated template.
type request struct {
	url     string
	headers http.Header // may be the service's own: read only
	body    []byte
}

// build evaluates f's template with args.
func (s *Service) build(f *function, args map[string]any) (*request, error) {
	u, _, err := f.url.eval(args, url.PathEscape)
	if err != nil {
		return nil, err
	}
	us := u.(string)
	if !hasPrefixFold(us, "http://") && !hasPrefixFold(us, "https://") {
		return nil, errors.New("the URL is not an absolute http(s) URL")
	}
	if f.hostVars {
		if pu, err := url.Parse(us); err != nil || pu.Host == "" {
			return nil, errors.New("the URL does not parse")
		}
	}
	if len(f.query) > 0 {
		q := make(url.Values, len(f.query))
		if err := addValues(q, f.query, args); err != nil {
			return nil, err
		}
		if len(q) > 0 {
			sep := "?"
			if strings.IndexByte(us, '?') >= 0 {
				sep = "&"
			}
			us += sep + q.Encode()
		}
	}
	// The service's headers are shared, read-only, unless this call adds
	// its own; each attempt sends a copy.
	r := &request{url: us, headers: s.headers}
	owned := false
	own := func() {
		if !owned {
			r.headers, owned = s.headers.Clone(), true
		}
	}
	for _, h := range f.headers {
		v, ok, err := h.val.eval(args)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		hv := format(v)
		if strings.ContainsAny(hv, "\r\n\x00") {
			return nil, fmt.Errorf("header %s: the value holds a line break", h.key)
		}
		own()
		r.headers.Set(h.key, hv)
	}
	ctype := ""
	switch {
	case f.body != nil:
		v, _, err := f.body.eval(args)
		if err != nil {
			return nil, err
		}
		if r.body, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
		ctype = "application/json"
	case len(f.form) > 0:
		form := url.Values{}
		if err := addValues(form, f.form, args); err != nil {
			return nil, err
		}
		r.body, ctype = []byte(form.Encode()), "application/x-www-form-urlencoded"
	}
	if ctype != "" && r.headers.Get("Content-Type") == "" {
		own()
		r.headers.Set("Content-Type", ctype)
	}
	return r, nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// addValues evaluates query or form fields into vals.
func addValues(vals url.Values, fields []field, args map[string]any) error {
	for _, fd := range fields {
		v, ok, err := fd.val.eval(args)
		if err != nil {
			return err
		}
		if !ok || v == nil {
			continue
		}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 {
			for i := range rv.Len() {
				vals.Add(fd.key, format(rv.Index(i).Interface()))
			}
			continue
		}
		if m, isMap := v.(map[string]any); isMap {
			b, err := json.Marshal(m)
			if err != nil {
				return err
			}
			vals.Set(fd.key, string(b))
			continue
		}
		vals.Set(fd.key, format(v))
	}
	return nil
}

// call sends f's request built from args under the service's policy and
// hands a 2xx answer's body to decode.
func (s *Service) call(ctx context.Context, f *function, args map[string]any, decode func([]byte) error) error {
	r, err := s.build(f, args)
	if err != nil {
		return fault.New(fault.BadRequest, "INVALID_SERVICE_ARGUMENTS",
			fmt.Sprintf("service %s, operation %s: %v", s.name, f.name, err))
	}
	req := &service.HTTPRequest{Method: f.method, URL: r.url, Header: r.headers, Body: r.body}
	return s.caller.Call(ctx, f.name, f.idempotent, service.HTTPAttempt(s.client, req, s.max, func(_ int, data []byte) error {
		return decode(data)
	}))
}
