package model

import (
	"fmt"
	"reflect"

	"github.com/loopback-go/lb/openapi"
)

// Describer is the [openapi.Describer] of Go models: an openapi.Registry
// that has it (every rest.Server's has) describes a model type by its
// [Definition], with the schemas and names the CRUD API publishes for the
// same model, so that a typed operation that takes or returns a Todo and
// the CRUD API of Todo share one "Todo" component:
//
//   - the type's own component is [Schema] of the model under its name
//     ("Todo", hidden properties kept, as request bodies may set them);
//   - a type with navigational relation fields (the fields that receive
//     included related instances) is described in responses by its
//     WithRelations schema ("TodoWithRelations"), and the plain and
//     WithRelations schemas of its related models are added with it. The
//     related models are found through the navigational fields' Go types,
//     transitively; a relation whose target cannot be reached that way is
//     an error.
//
// A struct type is a model when it declares an id (lb:"id"), model
// settings (a blank field with an lb tag) or implements [Definer]; other
// structs are left to the Registry, which reads the same schema tags.
// The zero value is ready to use.
type Describer struct{}

var _ openapi.Describer = Describer{}

// DescribeStruct implements [openapi.Describer]. It returns nil for a
// struct that is not a model and the definition error of a bad model.
func (Describer) DescribeStruct(t reflect.Type) (*openapi.Description, error) {
	if !isModelType(t) {
		return nil, nil
	}
	def, err := FromType(t)
	if err != nil {
		return nil, err
	}
	desc := &openapi.Description{
		Name:    def.Name,
		Schemas: map[string]*openapi.Schema{def.Name: Schema(def, SchemaOptions{IncludeHidden: true})},
	}
	if !hasNavigation(def) {
		return desc, nil
	}
	reg := &Registry{}
	if err := addNavigable(reg, def, t); err != nil {
		return nil, err
	}
	desc.Response = SchemaName(def, SchemaOptions{IncludeRelations: true})
	desc.Schemas[desc.Response] = Schema(def, SchemaOptions{IncludeRelations: true})
	if err := relatedSchemas(def, reg, desc.Schemas); err != nil {
		return nil, &DefinitionError{Source: t.String(), Model: def.Name,
			Err: fmt.Errorf("describe its relations: %w (give the model a navigational field of the target's Go type)", err)}
	}
	return desc, nil
}

// isModelType reports whether struct type t declares itself a model.
func isModelType(t reflect.Type) bool {
	if t.Implements(definerType) || reflect.PointerTo(t).Implements(definerType) {
		return true
	}
	for i := range t.NumField() {
		f := t.Field(i)
		lb, ok := f.Tag.Lookup("lb")
		if !ok {
			continue
		}
		if f.Name == "_" {
			return true
		}
		opts, err := parseTag(lb)
		if err != nil {
			return true // let FromType report it
		}
		for _, o := range opts {
			if o.key == "id" {
				return true
			}
		}
	}
	return false
}

// hasNavigation reports whether the Go type of def has a field that
// receives related instances.
func hasNavigation(def *Definition) bool {
	for _, r := range def.Relations {
		if r.GoField != nil {
			return true
		}
	}
	return false
}

// addNavigable adds def (the definition of Go type t) and the definitions
// of the Go types its navigational fields hold, transitively, to reg.
func addNavigable(reg *Registry, def *Definition, t reflect.Type) error {
	if _, ok := reg.Lookup(def.Name); ok {
		return nil
	}
	if err := reg.Add(def); err != nil {
		return err
	}
	for _, r := range def.Relations {
		if r.GoField == nil {
			continue
		}
		et := elemStruct(t.FieldByIndex(r.GoField).Type)
		if _, ok := reg.Lookup(r.Target); ok {
			continue
		}
		target, err := FromType(et)
		if err != nil {
			return err
		}
		if err := addNavigable(reg, target, et); err != nil {
			return err
		}
	}
	return nil
}
