package rest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
)

// API serves the operations of a spec-first document (read one with
// openapi.Load, which also converts OpenAPI 3.0 to 3.1): each operation is
// routed, its parameters coerced and validated and its body parsed and
// validated as the document says, and handled by handlers[operationId]. An
// operation without a handler answers 501 naming it. The document's
// components, tags and security are merged into the server's document, and
// path-level parameters into its operations (doc is modified).
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
