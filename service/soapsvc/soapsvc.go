package soapsvc

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/service"
)

// The SOAP envelope namespaces.
const (
	nsEnv11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsEnv12 = "http://www.w3.org/2003/05/soap-envelope"
)

// Config declares a SOAP service. Name and WSDL are required; every other
// zero value is documented on its field.
type Config struct {
	// Name names the service in errors and logs.
	Name string
	// WSDL is the WSDL 1.1 document.
	WSDL []byte
	// Endpoint overrides the port's soap:address location; "" keeps it.
	Endpoint string
	// Idempotent lists the operations that may be retried; SOAP calls are
	// otherwise tried once (SOAP 1.1 always POSTs).
	Idempotent []string
	// Headers are sent with every request.
	Headers map[string]string
	// Policy sets timeouts, retries and the circuit breaker.
	Policy service.Policy
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
	// MaxResponseBytes caps an answer; 0 means 10 MiB.
	MaxResponseBytes int64
}

// Service is a SOAP service described by a WSDL: its document/literal
// operations called by name. It is safe for concurrent use.
type Service struct {
	name     string
	wsdl     *WSDL
	endpoint string
	caller   *service.Caller
	client   *http.Client
	max      int64
	headers  http.Header
	idem     map[string]bool
}

// New builds the service cfg declares; it fails when the WSDL does not
// parse or has no usable endpoint.
func New(cfg Config) (*Service, error) {
	if cfg.Name == "" {
		return nil, errors.New("soap service: a name is required")
	}
	w, err := ParseWSDL(cfg.WSDL)
	if err != nil {
		return nil, fmt.Errorf("soap service %s: %w", cfg.Name, err)
	}
	s := &Service{name: cfg.Name, wsdl: w, endpoint: cfg.Endpoint, caller: service.NewCaller(cfg.Name, cfg.Policy),
		client: cfg.Client, max: cfg.MaxResponseBytes, headers: http.Header{}, idem: map[string]bool{}}
	if s.endpoint == "" {
		s.endpoint = w.Endpoint
	}
	if !strings.HasPrefix(s.endpoint, "http://") && !strings.HasPrefix(s.endpoint, "https://") {
		return nil, fmt.Errorf("soap service %s: endpoint %q is not an http(s) URL", cfg.Name, s.endpoint)
	}
	if s.client == nil {
		s.client = http.DefaultClient
	}
	if s.max <= 0 {
		s.max = 10 << 20
	}
	for k, v := range cfg.Headers {
		s.headers.Set(k, v)
	}
	for _, op := range cfg.Idempotent {
		if w.Operations[op] == nil {
			return nil, fmt.Errorf("soap service %s: idempotent operation %s is not in the WSDL", cfg.Name, op)
		}
		s.idem[op] = true
	}
	return s, nil
}

// Open reads the WSDL at location — an http(s) URL (the endpoint's
// "?wsdl", say) fetched with cfg.Client, or a file path — into cfg.WSDL
// and builds the service.
func Open(ctx context.Context, location string, cfg Config) (*Service, error) {
	data, err := service.Fetch(ctx, cfg.Client, location, maxWSDL)
	if err != nil {
		return nil, fmt.Errorf("soap service %s: %w", cfg.Name, err)
	}
	cfg.WSDL = data
	return New(cfg)
}

// Name returns the service's name.
func (s *Service) Name() string { return s.name }

// WSDL returns what the service read from its WSDL.
func (s *Service) WSDL() *WSDL { return s.wsdl }

// Caller returns the service's resilience caller.
func (s *Service) Caller() *service.Caller { return s.caller }

// Call calls the operation op with in as the input element's content and
// decodes the output element into out.
//
// in is a struct, encoded with encoding/xml as the children of the input
// element (its own element name and attributes are not used), or a
// map[string]any whose keys are the child names: written in the schema's
// sequence order, a key the schema does not list being a 400; values are
// strings, numbers, booleans, nested maps, or slices for repeated
// elements. out is a pointer to a struct decoded with encoding/xml from
// the output element, or to a map[string]any (see [Service.Call] in the
// package doc).
//
// A SOAP fault is a 502 whose wrapped *service.Error has the fault code
// as Code and the fault string as Message; other failures are as in
// package service.
func (s *Service) Call(ctx context.Context, op string, in, out any) error {
	o := s.wsdl.Operations[op]
	if o == nil {
		return fmt.Errorf("soap service %s: no operation %s", s.name, op)
	}
	env, err := s.envelope(o, in)
	if err != nil {
		return fault.New(fault.BadRequest, "INVALID_SERVICE_ARGUMENTS", fmt.Sprintf("service %s, operation %s: %v", s.name, op, err))
	}
	h := s.headers.Clone()
	if s.wsdl.SOAP12 {
		ct := "application/soap+xml; charset=utf-8"
		if o.Action != "" {
			ct += "; action=" + strconv.Quote(o.Action)
		}
		h.Set("Content-Type", ct)
	} else {
		h.Set("Content-Type", "text/xml; charset=utf-8")
		h.Set("SOAPAction", strconv.Quote(o.Action))
	}
	req := &service.HTTPRequest{Method: http.MethodPost, URL: s.endpoint, Header: h, Body: env, AnyStatus: true}
	return s.caller.Call(ctx, op, s.idem[op], service.HTTPAttempt(s.client, req, s.max, func(status int, body []byte) error {
		return decodeResponse(status, body, o.Output, out)
	}))
}

// envelope builds the request envelope.
func (s *Service) envelope(o *Operation, in any) ([]byte, error) {
	var b bytes.Buffer
	envNS := nsEnv11
	if s.wsdl.SOAP12 {
		envNS = nsEnv12
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<soap:Envelope xmlns:soap="` + envNS + `"><soap:Body><ns0:`)
	b.WriteString(o.Input.Local)
	b.WriteString(` xmlns:ns0="`)
	xml.EscapeText(&b, []byte(o.Input.Space))
	b.WriteByte('"')
	if o.InputQualified {
		b.WriteString(` xmlns="`)
		xml.EscapeText(&b, []byte(o.Input.Space))
		b.WriteByte('"')
	}
	b.WriteByte('>')
	if err := writeContent(&b, o, in); err != nil {
		return nil, err
	}
	b.WriteString(`</ns0:` + o.Input.Local + `></soap:Body></soap:Envelope>`)
	return b.Bytes(), nil
}

// writeContent writes the input element's children.
func writeContent(b *bytes.Buffer, o *Operation, in any) error {
	switch v := in.(type) {
	case nil:
		return nil
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		if len(o.InputFields) > 0 {
			for _, k := range keys {
				if !slices.Contains(o.InputFields, k) {
					return fmt.Errorf("%s is not an element of %s (want one of %v)", k, o.Input.Local, o.InputFields)
				}
			}
			keys = keys[:0]
			for _, f := range o.InputFields {
				if _, ok := v[f]; ok {
					keys = append(keys, f)
				}
			}
		} else {
			slices.Sort(keys)
		}
		for _, k := range keys {
			if err := writeValue(b, k, v[k]); err != nil {
				return err
			}
		}
		return nil
	}
	rv := reflect.ValueOf(in)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("the input is a %T; want a struct or a map[string]any", in)
	}
	var inner bytes.Buffer
	enc := xml.NewEncoder(&inner)
	if err := enc.EncodeElement(in, xml.StartElement{Name: xml.Name{Local: "x"}}); err != nil {
		return fmt.Errorf("encode the input: %w", err)
	}
	s := inner.String()
	start := strings.IndexByte(s, '>')
	if start < 0 || !strings.HasSuffix(s, "</x>") {
		return nil // an empty element: <x/> is not written by encoding/xml, but be safe
	}
	b.WriteString(s[start+1 : len(s)-len("</x>")])
	return nil
}

// writeValue writes one map value as an element named name.
func writeValue(b *bytes.Buffer, name string, v any) error {
	if !validName(name) {
		return fmt.Errorf("%q is not an XML element name", name)
	}
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		for _, e := range x {
			if err := writeValue(b, name, e); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		b.WriteString("<" + name + ">")
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := writeValue(b, k, x[k]); err != nil {
				return err
			}
		}
		b.WriteString("</" + name + ">")
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 {
		for i := range rv.Len() {
			if err := writeValue(b, name, rv.Index(i).Interface()); err != nil {
				return err
			}
		}
		return nil
	}
	b.WriteString("<" + name + ">")
	switch x := v.(type) {
	case string:
		xml.EscapeText(b, []byte(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	default:
		xml.EscapeText(b, []byte(fmt.Sprint(x)))
	}
	b.WriteString("</" + name + ">")
	return nil
}

// validName reports whether s is a plain XML element name (no prefix).
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f:
		case i > 0 && (r == '-' || r == '.' || r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return !strings.HasPrefix(strings.ToLower(s), "xml")
}

// fault11 and fault12 are SOAP 1.1 and 1.2 faults.
type (
	fault11 struct {
		Code   string `xml:"faultcode"`
		String string `xml:"faultstring"`
	}
	fault12 struct {
		Code struct {
			Value   string `xml:"Value"`
			Subcode struct {
				Value string `xml:"Value"`
			} `xml:"Subcode"`
		} `xml:"Code"`
		Reason struct {
			Text []string `xml:"Text"`
		} `xml:"Reason"`
	}
)

// decodeResponse reads an answer envelope: a fault becomes a
// *service.Error, the output element is decoded into out. An answer
// outside 2xx that is not a fault is a *service.Error with its status.
func decodeResponse(status int, data []byte, output xml.Name, out any) error {
	ok := status >= 200 && status <= 299
	statusErr := func() error {
		return &service.Error{Status: status, Retryable: status == 429 || status == 502 || status == 503 || status == 504}
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	first, err := bodyElement(dec)
	if err != nil {
		if !ok {
			return statusErr()
		}
		return err
	}
	if first.Name.Local == "Fault" && (first.Name.Space == nsEnv11 || first.Name.Space == nsEnv12) {
		e := &service.Error{Status: status}
		if first.Name.Space == nsEnv11 {
			var f fault11
			if err := dec.DecodeElement(&f, &first); err != nil {
				return err
			}
			e.Code, e.Message = strings.TrimSpace(f.Code), strings.TrimSpace(f.String)
		} else {
			var f fault12
			if err := dec.DecodeElement(&f, &first); err != nil {
				return err
			}
			e.Code = strings.TrimSpace(f.Code.Value)
			if sc := strings.TrimSpace(f.Code.Subcode.Value); sc != "" {
				e.Code += "/" + sc
			}
			if len(f.Reason.Text) > 0 {
				e.Message = strings.TrimSpace(f.Reason.Text[0])
			}
		}
		if e.Code == "" {
			e.Code = "Fault"
		}
		_, local, _ := strings.Cut(e.Code, ":")
		if local == "" {
			local = e.Code
		}
		local, _, _ = strings.Cut(local, "/")
		e.Blame = local == "Client" || local == "Sender" || strings.HasPrefix(local, "Client.")
		return e
	}
	if !ok {
		return statusErr()
	}
	if first.Name != output {
		return fmt.Errorf("the answer holds %s, not %s", first.Name.Local, output.Local)
	}
	switch o := out.(type) {
	case nil:
		return nil
	case *map[string]any:
		m, err := decodeMap(dec)
		if err != nil {
			return err
		}
		*o = m
		return nil
	}
	return dec.DecodeElement(out, &first)
}

// bodyElement reads dec up to the first element inside the envelope's
// Body and returns its start (with its namespace resolved).
func bodyElement(dec *xml.Decoder) (xml.StartElement, error) {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return xml.StartElement{}, fmt.Errorf("the answer is not a SOAP envelope: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			env := t.Name.Space == nsEnv11 || t.Name.Space == nsEnv12
			switch {
			case depth == 0 && !(env && t.Name.Local == "Envelope"):
				return xml.StartElement{}, fmt.Errorf("the answer's root is %s, not a SOAP envelope", t.Name.Local)
			case depth == 1 && env && t.Name.Local == "Body":
				depth = 2
				continue
			case depth == 2:
				return t, nil
			case depth == 1:
				if err := dec.Skip(); err != nil { // a soap:Header
					return xml.StartElement{}, err
				}
				continue
			}
			depth++
		case xml.EndElement:
			if depth == 2 {
				return xml.StartElement{}, errors.New("the SOAP body is empty")
			}
			depth--
		}
	}
}

// decodeMap decodes the rest of an element whose start dec just read:
// children by local name, the text of leaves as strings, repeated children
// as []any.
func decodeMap(dec *xml.Decoder) (map[string]any, error) {
	stack := []map[string]any{{}}
	var names []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > 64 {
				return nil, errors.New("the answer is nested too deep")
			}
			stack = append(stack, map[string]any{})
			names = append(names, t.Name.Local)
			text.Reset()
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(names) == 0 {
				return stack[0], nil
			}
			m := stack[len(stack)-1]
			name := names[len(names)-1]
			stack, names = stack[:len(stack)-1], names[:len(names)-1]
			var v any = m
			if len(m) == 0 {
				v = strings.TrimSpace(text.String())
			}
			text.Reset()
			parent := stack[len(stack)-1]
			switch prev := parent[name].(type) {
			case nil:
				parent[name] = v
			case []any:
				parent[name] = append(prev, v)
			default:
				parent[name] = []any{prev, v}
			}
		}
	}
}

// Func is a typed SOAP operation, as [Bind] returns it.
type Func[I, O any] func(ctx context.Context, in I) (O, error)

// Bind returns the operation op of s as a typed Go function: I is encoded
// as the input element's children and the output element is decoded into
// O (see [Service.Call]). It fails when op is not in the WSDL.
func Bind[I, O any](s *Service, op string) (Func[I, O], error) {
	if s.wsdl.Operations[op] == nil {
		return nil, fmt.Errorf("soap service %s: no operation %s", s.name, op)
	}
	return func(ctx context.Context, in I) (O, error) {
		var out O
		err := s.Call(ctx, op, in, &out)
		return out, err
	}, nil
}

// MustBind is [Bind] that panics on an error; use it while setting up.
func MustBind[I, O any](s *Service, op string) Func[I, O] {
	fn, err := Bind[I, O](s, op)
	if err != nil {
		panic(err)
	}
	return fn
}
