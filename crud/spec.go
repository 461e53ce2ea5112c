package crud

import (
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
)

// countSchemaName is the component holding the {"count": n} response.
const countSchemaName = "loopback.Count"

// schemaNames are the component names of one model's schemas, as
// LoopBack names them.
type schemaNames struct {
	Model, New, WithRelations, Partial string
	// Filter is the filter of findById (no where), Filter1 that of find.
	Filter, Filter1 string
}

func namesFor(def *model.Definition) schemaNames {
	n := def.Name
	return schemaNames{Model: n, New: "New" + n, WithRelations: n + "WithRelations", Partial: n + "Partial",
		Filter:  model.FilterSchemaName(def, model.FilterOptions{ExcludeWhere: true}),
		Filter1: model.FilterSchemaName(def, model.FilterOptions{})}
}

func ref(name string) *openapi.Schema { return &openapi.Schema{Ref: "#/components/schemas/" + name} }

func jsonContent(s *openapi.Schema) map[string]*openapi.MediaType {
	return map[string]*openapi.MediaType{"application/json": {Schema: s}}
}

// idSchema is the schema of the id path parameter. A numeric id is a
// JSON-schema number, integer or not, as LoopBack declares it
// (@param.path.number): /todos/1.5 is a well-formed id that matches no
// instance (404), /todos/abc a bad one (400).
func idSchema(p *model.Property) *openapi.Schema {
	switch {
	case p.Type == model.Number:
		return &openapi.Schema{Type: openapi.Types{"number"}}
	case p.Type == model.Boolean:
		return &openapi.Schema{Type: openapi.Types{"boolean"}}
	}
	s := &openapi.Schema{Type: openapi.Types{"string"}}
	if p.DefaultFn == "uuid" || p.DefaultFn == "uuidv4" {
		s.Format = "uuid"
	}
	return s
}

// operation builds one operation in LoopBack's shape.
func (a *api) operation(method string, params []*openapi.Parameter, body *openapi.Schema, status, desc string, resp *openapi.Schema) *openapi.Operation {
	op := &openapi.Operation{
		Tags:        []string{a.controller},
		OperationID: a.controller + "." + method,
		Parameters:  params,
		Responses:   map[string]*openapi.Response{status: {Description: desc}},
		Extensions:  map[string]any{"x-controller-name": a.controller, "x-operation-name": method},
	}
	if resp != nil {
		op.Responses[status].Content = jsonContent(resp)
	}
	if body != nil {
		op.RequestBody = &openapi.RequestBody{Content: jsonContent(body)}
	}
	return op
}

func (a *api) idParam() *openapi.Parameter {
	return &openapi.Parameter{Name: "id", In: openapi.InPath, Required: true, Schema: idSchema(a.id)}
}

// queryObject describes a JSON-valued query parameter. Its example is the
// empty object, so that the API explorer's "Try it out" starts from a
// valid value instead of one generated from the schema
// ({"where":{"additionalProp1":{}},"order":"string",...}), which names
// properties the model does not have and would be rejected.
func queryObject(name string, s *openapi.Schema) *openapi.Parameter {
	return &openapi.Parameter{Name: name, In: openapi.InQuery, Content: map[string]*openapi.MediaType{
		"application/json": {Schema: s, Example: map[string]any{}},
	}}
}

func (a *api) whereParam() *openapi.Parameter {
	return queryObject("where", model.WhereSchema(a.def))
}

func (a *api) filterParam(schema string) *openapi.Parameter {
	return queryObject("filter", ref(schema))
}
