package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
	"go.yaml.in/yaml/v3"
)

// LoadDocument parses an OpenAPI 3.0 or 3.1 document in JSON or YAML.
func LoadDocument(data []byte) (*openapi.Document, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] != '{' {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("load openapi document: %w", err)
		}
		js, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("load openapi document: %w", err)
		}
		data = js
	}
	doc := new(openapi.Document)
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, fmt.Errorf("load openapi document: %w", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		return nil, fmt.Errorf("load openapi document: unsupported version %q", doc.OpenAPI)
	}
	if strings.HasPrefix(doc.OpenAPI, "3.0") {
		upgrade30(doc)
	}
	return doc, nil
}

// API serves the operations of a spec-first document: each operation is
// routed, its parameters coerced and validated and its body parsed and
// validated as the document says, and handled by handlers[operationId]. An
// operation without a handler answers 501 naming it. The document's
// components, tags and security are merged into the server's document.
// API returns an error, and registers nothing more, for a handler whose
// operationId is not in the document, an operation without operationId
// that has a handler, or a bad path.
func (s *Server) API(doc *openapi.Document, handlers map[string]HandlerFunc, opts ...OperationOption) error {
	ids := map[string]bool{}
	for _, item := range doc.Paths {
		if item == nil {
			continue
		}
		item.Operations(func(_ string, op *openapi.Operation) { ids[op.OperationID] = true })
	}
	for id := range handlers {
		if !ids[id] {
			return fmt.Errorf("rest: API: no operation %q in the document", id)
		}
	}
	s.mergeComponents(doc)
	for _, path := range slices.Sorted(maps.Keys(doc.Paths)) {
		item := doc.Paths[path]
		if item == nil {
			continue
		}
		var err error
		item.Operations(func(method string, op *openapi.Operation) {
			if err != nil {
				return
			}
			op.Parameters = mergeParams(item.Parameters, op.Parameters)
			h := handlers[op.OperationID]
			if h == nil {
				h = notImplemented(op.OperationID, method, path)
			}
			err = s.route(method, path, op, h, opts...)
		})
		if err != nil {
			return fmt.Errorf("rest: API: %w", err)
		}
	}
	return nil
}

// mergeParams returns the operation's parameters plus the path item's that
// it does not override (same name and location).
func mergeParams(pathLevel, opLevel []*openapi.Parameter) []*openapi.Parameter {
	out := slices.Clone(opLevel)
	for _, p := range pathLevel {
		dup := false
		for _, q := range opLevel {
			if q.Name == p.Name && q.In == p.In && p.Ref == "" && q.Ref == "" {
				dup = true
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) mergeComponents(doc *openapi.Document) {
	sp := s.spec
	sp.mu.Lock()
	defer sp.mu.Unlock()
	d := sp.doc
	maps.Copy(d.Components.Schemas, doc.Components.Schemas)
	if d.Components.Parameters == nil {
		d.Components.Parameters = map[string]*openapi.Parameter{}
	}
	maps.Copy(d.Components.Parameters, doc.Components.Parameters)
	if d.Components.RequestBodies == nil {
		d.Components.RequestBodies = map[string]*openapi.RequestBody{}
	}
	maps.Copy(d.Components.RequestBodies, doc.Components.RequestBodies)
	if len(doc.Components.Responses) > 0 {
		if d.Components.Responses == nil {
			d.Components.Responses = map[string]*openapi.Response{}
		}
		maps.Copy(d.Components.Responses, doc.Components.Responses)
	}
	if len(doc.Components.SecuritySchemes) > 0 {
		if d.Components.SecuritySchemes == nil {
			d.Components.SecuritySchemes = map[string]*openapi.SecurityScheme{}
		}
		maps.Copy(d.Components.SecuritySchemes, doc.Components.SecuritySchemes)
	}
	if s.cfg.OpenAPI.Title == "" && doc.Info.Title != "" {
		d.Info = doc.Info
	}
	d.Tags = append(d.Tags, doc.Tags...)
	if doc.Security != nil {
		d.Security = doc.Security
	}
	sp.gen++
}

// exposedError marks a 5xx error whose message is safe to show.
type exposedError struct{ err *fault.Error }

func (e exposedError) Error() string { return e.err.Message }
func (e exposedError) Unwrap() error { return e.err }

func notImplemented(id, method, path string) HandlerFunc {
	name := id
	if name == "" {
		name = method + " " + path
	}
	return func(context.Context, *Request) (any, error) {
		return nil, exposedError{fault.New(fault.NotImplemented, "NOT_IMPLEMENTED",
			"Operation \""+name+"\" is not implemented.")}
	}
}

// exposed reports whether a 5xx error's message may be sent.
func exposed(err error) bool {
	var e exposedError
	return errors.As(err, &e)
}

// upgrade30 rewrites the schemas of an OpenAPI 3.0 document in place to
// their 3.1 (JSON Schema 2020-12) meaning: nullable becomes a "null" type,
// boolean exclusiveMinimum/Maximum become numbers, example becomes examples.
func upgrade30(doc *openapi.Document) {
	seen := map[*openapi.Schema]bool{}
	var walk func(s *openapi.Schema)
	walk = func(s *openapi.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if v, ok := s.Extensions["nullable"].(bool); ok {
			if v && len(s.Type) > 0 && !s.Type.Has("null") {
				s.Type = append(s.Type, "null")
			}
			delete(s.Extensions, "nullable")
		}
		if v, ok := s.Extensions["exclusiveMinimum"].(bool); ok {
			if v && s.Minimum != nil {
				s.ExclusiveMinimum, s.Minimum = s.Minimum, nil
			}
			delete(s.Extensions, "exclusiveMinimum")
		}
		if v, ok := s.Extensions["exclusiveMaximum"].(bool); ok {
			if v && s.Maximum != nil {
				s.ExclusiveMaximum, s.Maximum = s.Maximum, nil
			}
			delete(s.Extensions, "exclusiveMaximum")
		}
		if ex, ok := s.Extensions["example"]; ok {
			s.Examples = append(s.Examples, ex)
			delete(s.Extensions, "example")
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties)
		walk(s.Not)
		for _, l := range [][]*openapi.Schema{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range l {
				walk(x)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
	media := func(c map[string]*openapi.MediaType) {
		for _, m := range c {
			if m != nil {
				walk(m.Schema)
			}
		}
	}
	params := func(ps []*openapi.Parameter) {
		for _, p := range ps {
			if p != nil {
				walk(p.Schema)
				media(p.Content)
			}
		}
	}
	for _, p := range doc.Components.Parameters {
		params([]*openapi.Parameter{p})
	}
	for _, rb := range doc.Components.RequestBodies {
		if rb != nil {
			media(rb.Content)
		}
	}
	for _, item := range doc.Paths {
		if item == nil {
			continue
		}
		params(item.Parameters)
		item.Operations(func(_ string, op *openapi.Operation) {
			params(op.Parameters)
			if op.RequestBody != nil {
				media(op.RequestBody.Content)
			}
			for _, r := range op.Responses {
				if r != nil {
					media(r.Content)
				}
			}
		})
	}
	doc.OpenAPI = openapi.Version
}
