package gen

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/loopback-go/lb/openapi"
)

// LB4Model is a model recovered from a LoopBack 4 application's OpenAPI
// document.
type LB4Model struct {
	Model     ModelOptions
	BasePath  string // where its CRUD endpoints live ("/todos")
	Relations []RelationOptions
}

// ImportLB4 recovers the models of a LoopBack 4 application from its
// OpenAPI document: a model is a schema X that has an XWithRelations
// variant; its properties and required list come from X (numeric ids and
// *Id keys become integers; the id is generated when NewX leaves it out);
// its base path is the path whose POST takes NewX; its relations are the
// properties XWithRelations adds: an array of YWithRelations is hasMany Y, a
// single one is belongsTo Y when X has the foreign key <name>Id, hasOne Y
// otherwise.
func ImportLB4(doc *openapi.Document) ([]LB4Model, error) {
	schemas := doc.Components.Schemas
	var out []LB4Model
	for _, name := range sortedKeys(schemas) {
		with := schemas[name+"WithRelations"]
		base := schemas[name]
		if with == nil || base == nil || len(base.Properties) == 0 {
			continue
		}
		if err := CheckName("model", name); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		m := LB4Model{Model: ModelOptions{Name: name, Description: "is the model " + name + " of the LoopBack 4 application."}}
		newSchema := schemas["New"+name]
		for _, prop := range propertyOrder(base) {
			ps := base.Properties[prop]
			typ := schemaType(ps)
			if typ == "" {
				continue
			}
			p := Property{Name: prop, Type: typ, Required: slices.Contains(base.Required, prop)}
			if prop == "id" {
				p.ID = true
				p.Generated = newSchema != nil && newSchema.Properties["id"] == nil
			}
			if typ == "number" && (p.ID || strings.HasSuffix(prop, "Id")) {
				p.Type, p.AsNumber = "integer", true
			}
			if err := CheckName("property", prop); err != nil {
				return nil, fmt.Errorf("schema %s: %w", name, err)
			}
			m.Model.Properties = append(m.Model.Properties, p)
		}
		for _, prop := range propertyOrder(with) {
			if base.Properties[prop] != nil {
				continue
			}
			ps := with.Properties[prop]
			if ps.Items != nil && ps.Type.Has("array") {
				if t := relTarget(ps.Items.Ref); t != "" {
					m.Relations = append(m.Relations, RelationOptions{Kind: "hasMany", Source: name, Target: t, Name: prop})
				}
				continue
			}
			if t := relTarget(ps.Ref); t != "" {
				kind := "hasOne"
				if base.Properties[prop+"Id"] != nil {
					kind = "belongsTo"
				}
				m.Relations = append(m.Relations, RelationOptions{Kind: kind, Source: name, Target: t, Name: prop})
			}
		}
		for _, path := range sortedKeys(doc.Paths) {
			if op := doc.Paths[path].Post; op != nil && op.RequestBody != nil && !strings.Contains(path, "{") {
				if mt := jsonContent(op.RequestBody.Content); mt != nil && mt.Schema != nil && mt.Schema.Ref == "#/components/schemas/New"+name {
					m.BasePath = path
				}
			}
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, errors.New("no LoopBack models in the document (no schema X with an XWithRelations variant)")
	}
	return out, nil
}

func relTarget(ref string) string {
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		return ""
	}
	t, ok := strings.CutSuffix(name, "WithRelations")
	if !ok {
		return ""
	}
	return t
}

func propertyOrder(s *openapi.Schema) []string {
	order := slices.Clone(s.PropertyOrder)
	for _, k := range sortedKeys(s.Properties) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	return order
}

// schemaType maps a property schema to a lb model property type.
func schemaType(s *openapi.Schema) string {
	if s == nil {
		return ""
	}
	var types []string
	for _, t := range s.Type {
		if t != "null" {
			types = append(types, t)
		}
	}
	if len(types) != 1 {
		return "any"
	}
	switch types[0] {
	case "string":
		if s.Format == "date-time" {
			return "date"
		}
		return "string"
	case "number", "integer", "boolean", "object":
		return types[0]
	case "array":
		if s.Items != nil {
			if t := schemaType(s.Items); t != "" && t != "any" && t != "array" && t != "object" {
				return t + "[]"
			}
		}
		return "array"
	}
	return "any"
}

// AddLB4Import writes the models, their relations, a memory data source
// on data/db.json (LoopBack's file) and their CRUD REST APIs into a
// project made by lb new.
func (w *Writer) AddLB4Import(models []LB4Model) error {
	for _, m := range models {
		if err := w.AddModel(m.Model); err != nil {
			return err
		}
	}
	for _, m := range models {
		for _, r := range m.Relations {
			if err := w.AddRelation(r); err != nil {
				return fmt.Errorf("relation %s of %s: %w", r.Name, m.Model.Name, err)
			}
		}
	}
	if err := w.AddDatasource(DatasourceOptions{Name: "db", Connector: "memory", URL: "data/db.json"}); err != nil {
		return err
	}
	for _, m := range models {
		if err := w.AddRestCrud(m.Model.Name, "db", ControllerOptions{BasePath: m.BasePath}); err != nil {
			return err
		}
	}
	return nil
}
