package openapi

// slot names the place of a schema inside its parent, for conversions
// that depend on it (a boolean schema is allowed as additionalProperties in
// OpenAPI 3.0, nowhere else).
type slot int

const (
	slotOther slot = iota
	slotAdditional
)

// rewriteSchema calls fn on every subschema of s, innermost first, and
// then on s itself, replacing each with fn's result.
func rewriteSchema(s *Schema, at slot, fn func(s *Schema, at slot) *Schema) *Schema {
	if s == nil {
		return nil
	}
	if _, ok := s.IsBool(); !ok {
		sub := func(p **Schema, at slot) { *p = rewriteSchema(*p, at, fn) }
		list := func(l []*Schema) {
			for i := range l {
				sub(&l[i], slotOther)
			}
		}
		dict := func(m map[string]*Schema) {
			for k, v := range m {
				m[k] = rewriteSchema(v, slotOther, fn)
			}
		}
		sub(&s.Items, slotOther)
		sub(&s.AdditionalProperties, slotAdditional)
		sub(&s.Not, slotOther)
		list(s.PrefixItems)
		list(s.AllOf)
		list(s.AnyOf)
		list(s.OneOf)
		dict(s.Properties)
		dict(s.PatternProperties)
		dict(s.Defs)
	}
	return fn(s, at)
}

// rewriteSchemas applies rewriteSchema to every schema of the document:
// components, parameters, headers, request and response bodies, callbacks
// and webhooks.
func (d *Document) rewriteSchemas(fn func(s *Schema, at slot) *Schema) {
	one := func(p **Schema) {
		if *p != nil {
			*p = rewriteSchema(*p, slotOther, fn)
		}
	}
	var pathItem func(p *PathItem)
	content := func(m map[string]*MediaType) {
		for _, mt := range m {
			if mt == nil {
				continue
			}
			one(&mt.Schema)
			for _, e := range mt.Encoding {
				if e == nil {
					continue
				}
				for _, h := range e.Headers {
					if h != nil {
						one(&h.Schema)
					}
				}
			}
		}
	}
	header := func(h *Header) {
		if h != nil {
			one(&h.Schema)
			content(h.Content)
		}
	}
	param := func(p *Parameter) {
		if p != nil {
			one(&p.Schema)
			content(p.Content)
		}
	}
	response := func(r *Response) {
		if r == nil {
			return
		}
		for _, h := range r.Headers {
			header(h)
		}
		content(r.Content)
	}
	body := func(b *RequestBody) {
		if b != nil {
			content(b.Content)
		}
	}
	callbacks := func(m map[string]*Callback) {
		for _, cb := range m {
			if cb == nil {
				continue
			}
			for _, p := range *cb {
				pathItem(p)
			}
		}
	}
	pathItem = func(p *PathItem) {
		if p == nil {
			return
		}
		for _, x := range p.Parameters {
			param(x)
		}
		p.Operations(func(_ string, op *Operation) {
			for _, x := range op.Parameters {
				param(x)
			}
			body(op.RequestBody)
			for _, r := range op.Responses {
				response(r)
			}
			callbacks(op.Callbacks)
		})
	}
	for _, p := range d.Paths {
		pathItem(p)
	}
	for _, p := range d.Webhooks {
		pathItem(p)
	}
	c := &d.Components
	for k, s := range c.Schemas {
		c.Schemas[k] = rewriteSchema(s, slotOther, fn)
	}
	for _, r := range c.Responses {
		response(r)
	}
	for _, p := range c.Parameters {
		param(p)
	}
	for _, b := range c.RequestBodies {
		body(b)
	}
	for _, h := range c.Headers {
		header(h)
	}
	callbacks(c.Callbacks)
	for _, p := range c.PathItems {
		pathItem(p)
	}
}
