package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/loopback-go/lb/openapi"
)

// DefaultRefPrefix is where schema references point unless a caller says
// otherwise: the components of an OpenAPI document.
const DefaultRefPrefix = "#/components/schemas/"

// SchemaOptions select a variant of a model's schema, like the options of
// LoopBack's getModelSchemaRef. The zero value is the model's own schema.
type SchemaOptions struct {
	// Title overrides the generated title (LoopBack's "NewTodo" is
	// {Title: "NewTodo", Exclude: []string{"id"}}).
	Title string
	// Partial makes every property optional (TodoPartial).
	Partial bool
	// Exclude leaves properties out (TodoExcluding_id_).
	Exclude []string
	// Optional makes these properties optional (TodoOptional_todoListId_).
	Optional []string
	// IncludeRelations adds the relations as properties referencing the
	// targets' WithRelations schemas (TodoWithRelations).
	IncludeRelations bool
	// IncludeHidden keeps hidden properties, which are left out by
	// default.
	IncludeHidden bool
	// RefPrefix prefixes schema references; empty means DefaultRefPrefix.
	RefPrefix string
}

// SchemaName returns the name LoopBack gives the variant: Title when set,
// else the model name with LoopBack's suffixes (TodoPartial,
// TodoExcluding_id_, TodoOptional_a-b_, TodoWithRelations).
func SchemaName(def *Definition, opts SchemaOptions) string {
	if opts.Title != "" {
		return opts.Title
	}
	var b strings.Builder
	b.WriteString(def.Name)
	if len(opts.Optional) > 0 {
		b.WriteString("Optional_" + strings.Join(opts.Optional, "-") + "_")
	} else if opts.Partial {
		b.WriteString("Partial")
	}
	if len(opts.Exclude) > 0 {
		b.WriteString("Excluding_" + strings.Join(opts.Exclude, "-") + "_")
	}
	if opts.IncludeRelations {
		b.WriteString("WithRelations")
	}
	return b.String()
}

// Schema returns the JSON schema of a model variant, shaped as
// @loopback/repository-json-schema shapes it: title, type object, the
// properties in declaration order, required, additionalProperties false
// unless the model is not strict, and for variants LoopBack's description
// and x-typescript-type. Relation properties ($ref to the targets'
// WithRelations schemas) and nested model types ($ref to their names) must
// be added to the document's components by the caller; [Components] does
// that for a registry.
func Schema(def *Definition, opts SchemaOptions) *openapi.Schema {
	prefix := opts.RefPrefix
	if prefix == "" {
		prefix = DefaultRefPrefix
	}
	s := &openapi.Schema{
		Title:      SchemaName(def, opts),
		Type:       openapi.Types{"object"},
		Properties: map[string]*openapi.Schema{},
	}
	for _, p := range def.Properties {
		if slices.Contains(opts.Exclude, p.Name) || (p.Hidden && !opts.IncludeHidden) {
			continue
		}
		s.Properties[p.Name] = propertySchema(p, prefix)
		s.PropertyOrder = append(s.PropertyOrder, p.Name)
		if p.Required && !opts.Partial && !slices.Contains(opts.Optional, p.Name) {
			s.Required = append(s.Required, p.Name)
		}
	}
	if opts.IncludeRelations {
		for _, r := range def.Relations {
			ref := &openapi.Schema{Ref: prefix + r.Target + "WithRelations"}
			if r.Type == HasMany || r.Type == HasManyThrough || r.Type == ReferencesMany {
				ref = &openapi.Schema{Type: openapi.Types{"array"}, Items: ref}
			}
			s.Properties[r.Name] = ref
			s.PropertyOrder = append(s.PropertyOrder, r.Name)
		}
	}
	if def.Settings.Strict == StrictTrue {
		s.AdditionalProperties = openapi.BoolSchema(false)
	}
	if tsType, options := typeScriptType(def, opts); options != "" {
		if def.Description == "" {
			s.Description = fmt.Sprintf("(tsType: %s, schemaOptions: %s)", tsType, options)
		}
		s.Extensions = map[string]any{"x-typescript-type": tsType}
	}
	if s.Description == "" {
		s.Description = def.Description
	}
	return s
}

// typeScriptType returns the tsType and the printed schema options of a
// variant as LoopBack writes them into descriptions; options is empty for
// the model's own schema.
func typeScriptType(def *Definition, opts SchemaOptions) (tsType, options string) {
	quote := func(names []string) []string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = "'" + n + "'"
		}
		return q
	}
	tsType = def.Name
	if opts.IncludeRelations {
		tsType += "WithRelations"
	}
	if opts.Partial {
		tsType = "Partial<" + tsType + ">"
	}
	if len(opts.Exclude) > 0 {
		tsType = "Omit<" + tsType + ", " + strings.Join(quote(opts.Exclude), " | ") + ">"
	}
	if len(opts.Optional) > 0 {
		tsType = "@loopback/repository-json-schema#Optional<" + tsType + ", " + strings.Join(quote(opts.Optional), " | ") + ">"
	}
	var parts []string
	if opts.Title != "" {
		parts = append(parts, "title: '"+opts.Title+"'")
	}
	if opts.Partial {
		parts = append(parts, "partial: true")
	}
	if len(opts.Exclude) > 0 {
		parts = append(parts, "exclude: [ "+strings.Join(quote(opts.Exclude), ", ")+" ]")
	}
	if len(opts.Optional) > 0 {
		parts = append(parts, "optional: [ "+strings.Join(quote(opts.Optional), ", ")+" ]")
	}
	if opts.IncludeRelations {
		parts = append(parts, "includeRelations: true")
	}
	if len(parts) == 0 {
		return tsType, ""
	}
	return tsType, "{ " + strings.Join(parts, ", ") + " }"
}

// PropertySchema returns the JSON schema of one property: its type, the
// constraints of JSONSchema, description and default.
func PropertySchema(p *Property) *openapi.Schema {
	return propertySchema(p, DefaultRefPrefix)
}

func propertySchema(p *Property, prefix string) *openapi.Schema {
	var s *openapi.Schema
	if p.JSONSchema != nil {
		s = p.JSONSchema.Clone()
	} else {
		s = &openapi.Schema{}
	}
	var typ string
	switch p.Type {
	case String:
		typ = "string"
	case Number:
		typ = "number"
		if p.Integer {
			typ = "integer"
		}
	case Boolean:
		typ = "boolean"
	case Date:
		typ = "string"
		if s.Format == "" {
			s.Format = "date-time"
		}
	case Buffer:
		typ = "string"
		if s.Format == "" {
			s.Format = "byte"
		}
	case Object:
		if p.Model != "" && len(p.Properties) == 0 {
			if s.Ref == "" {
				s.Ref = prefix + p.Model
			}
			break
		}
		typ = "object"
		if len(p.Properties) > 0 && s.Properties == nil {
			s.Properties = map[string]*openapi.Schema{}
			for _, np := range p.Properties {
				s.Properties[np.Name] = propertySchema(np, prefix)
				s.PropertyOrder = append(s.PropertyOrder, np.Name)
				if np.Required {
					s.Required = append(s.Required, np.Name)
				}
			}
		}
	case Array:
		typ = "array"
		if s.Items == nil && p.Items != nil {
			s.Items = propertySchema(p.Items, prefix)
		}
	case Any:
	}
	if typ != "" && len(s.Type) == 0 {
		s.Type = openapi.Types{typ}
	}
	if p.Nullable && len(s.Type) > 0 && !s.Type.Has("null") {
		s.Type = append(s.Type, "null")
	}
	if s.Description == "" {
		s.Description = p.Description
	}
	if p.Default != nil && s.Default == nil {
		s.Default = p.Default
	}
	return s
}

// FilterOptions select a filter schema variant.
type FilterOptions struct {
	// ExcludeWhere leaves "where" out, as the findById filter does.
	ExcludeWhere bool
	// RefPrefix prefixes schema references; empty means DefaultRefPrefix.
	RefPrefix string
}

// FilterSchemaName returns the component name LoopBack's todo example uses
// for a filter schema: "Todo.Filter" without where (findById) and
// "Todo.Filter1" with it (find).
func FilterSchemaName(def *Definition, opts FilterOptions) string {
	if opts.ExcludeWhere {
		return def.Name + ".Filter"
	}
	return def.Name + ".Filter1"
}

// FilterSchema returns the schema of a model's filter parameter, shaped as
// LoopBack's: offset, limit (≥ 1), skip, order (string or array), where
// (an object), fields and include. Unlike LoopBack, fields and include are
// references to components ("Todo.Fields", "Todo.IncludeFilter"; see
// [FilterComponents]) rather than inline schemas, so that code generators
// do not derive two types with the same name from the two filter schemas.
// As in LoopBack, include is there only when the model has relations: an
// include on a model without any is a 400 naming include as an additional
// property, and one of an unknown relation of a model with relations is
// the filter package's 400 INVALID_INCLUSION_FILTER.
func FilterSchema(def *Definition, opts FilterOptions) *openapi.Schema {
	prefix := opts.RefPrefix
	if prefix == "" {
		prefix = DefaultRefPrefix
	}
	s := pagingSchema()
	s.Title = def.Name + ".Filter"
	if !opts.ExcludeWhere {
		where := WhereSchema(def)
		where.Extensions = nil
		s.Properties["where"] = where
		s.PropertyOrder = append(s.PropertyOrder, "where")
	}
	s.Properties["fields"] = &openapi.Schema{Ref: prefix + def.Name + ".Fields"}
	s.PropertyOrder = append(s.PropertyOrder, "fields")
	if len(def.Relations) > 0 {
		s.Properties["include"] = &openapi.Schema{Ref: prefix + def.Name + ".IncludeFilter"}
		s.PropertyOrder = append(s.PropertyOrder, "include")
	}
	s.AdditionalProperties = openapi.BoolSchema(false)
	s.Extensions = map[string]any{"x-typescript-type": "@loopback/repository#Filter<" + def.Name + ">"}
	return s
}

// pagingSchema returns an object schema with offset, limit, skip and order.
func pagingSchema() *openapi.Schema {
	zero, one := 0.0, 1.0
	return &openapi.Schema{
		Type: openapi.Types{"object"},
		Properties: map[string]*openapi.Schema{
			"offset": {Type: openapi.Types{"integer"}, Minimum: &zero},
			"limit":  {Type: openapi.Types{"integer"}, Minimum: &one, Examples: []any{100}},
			"skip":   {Type: openapi.Types{"integer"}, Minimum: &zero},
			"order": {OneOf: []*openapi.Schema{
				{Type: openapi.Types{"string"}},
				{Type: openapi.Types{"array"}, Items: &openapi.Schema{Type: openapi.Types{"string"}}},
			}},
		},
		PropertyOrder: []string{"offset", "limit", "skip", "order"},
	}
}

// FieldsSchema returns the "Todo.Fields" schema: an object of booleans by
// property name, or an array of property names. Hidden properties are not
// offered. The names are the enum of the "Todo.FieldName" component
// ([FilterComponents]), referenced rather than inlined so that code
// generators name the types of the two alternatives distinctly (LoopBack's
// inline version makes oapi-codegen fail with a duplicate type name).
func FieldsSchema(def *Definition) *openapi.Schema {
	return fieldsSchema(def, DefaultRefPrefix)
}

func fieldsSchema(def *Definition, prefix string) *openapi.Schema {
	obj := &openapi.Schema{Type: openapi.Types{"object"}, Properties: map[string]*openapi.Schema{},
		AdditionalProperties: openapi.BoolSchema(false)}
	for _, p := range def.Properties {
		if p.Hidden {
			continue
		}
		obj.Properties[p.Name] = &openapi.Schema{Type: openapi.Types{"boolean"}}
		obj.PropertyOrder = append(obj.PropertyOrder, p.Name)
	}
	return &openapi.Schema{
		Title: def.Name + ".Fields",
		OneOf: []*openapi.Schema{
			obj,
			{Type: openapi.Types{"array"}, Items: &openapi.Schema{Ref: prefix + def.Name + ".FieldName"}, UniqueItems: true},
		},
	}
}

// fieldNameSchema is the enum of the property names of def.
func fieldNameSchema(def *Definition) *openapi.Schema {
	var names []any
	for _, p := range def.Properties {
		if !p.Hidden {
			names = append(names, p.Name)
		}
	}
	s := &openapi.Schema{Type: openapi.Types{"string"}, Enum: names}
	if len(names) > 0 {
		s.Examples = []any{names[0]}
	}
	return s
}

// WhereSchema returns the schema of a where parameter ("Todo.WhereFilter"):
// an object with any properties; the filter package checks its contents.
func WhereSchema(def *Definition) *openapi.Schema {
	return &openapi.Schema{
		Title:                def.Name + ".WhereFilter",
		Description:          acrossDescription(def),
		Type:                 openapi.Types{"object"},
		AdditionalProperties: openapi.BoolSchema(true),
		Extensions:           map[string]any{"x-typescript-type": "@loopback/repository#Where<" + def.Name + ">"},
	}
}

// acrossDescription documents, for a model with relations that where
// conditions may cross, the syntax: "relation.property" keys. It is ""
// for other models, whose where schema stays LoopBack's.
func acrossDescription(def *Definition) string {
	var names []string
	for _, r := range def.Relations {
		if (r.Type == BelongsTo || r.Type == HasOne || r.Type == HasMany) && r.Polymorphic == "" {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "Conditions may name a property of a related model as <relation>.<property> (" +
		names[0] + ".<property>; relations: " + strings.Join(names, ", ") +
		"): for belongsTo and hasOne the related instance must match, for hasMany at least one related instance. " +
		"Order terms may do the same across belongsTo and hasOne relations."
}

// CountSchema returns the "loopback.Count" schema of count responses.
func CountSchema() *openapi.Schema {
	return &openapi.Schema{
		Title:         "loopback.Count",
		Type:          openapi.Types{"object"},
		Properties:    map[string]*openapi.Schema{"count": {Type: openapi.Types{"number"}}},
		PropertyOrder: []string{"count"},
		Extensions:    map[string]any{"x-typescript-type": "@loopback/repository#Count"},
	}
}

// FilterComponents returns the component schemas the filter schemas of def
// reference, by name: "Todo.Fields", "Todo.FieldName" and, when the model
// has relations, "Todo.IncludeFilter", "Todo.IncludeFilter.Items" and
// "Todo.ScopeFilter".
//
// A relation name in an include entry, in its string form or as the
// relation of its object form, is any string, not an enum of the model's
// relations: an unknown relation is answered by the filter package with
// LoopBack's 400 INVALID_INCLUSION_FILTER, as LoopBack answers it (its
// schema's string form is a plain string too, and it does not check a
// filter parameter against its $ref'd schema), not by a schema error.
func FilterComponents(def *Definition, refPrefix string) map[string]*openapi.Schema {
	if refPrefix == "" {
		refPrefix = DefaultRefPrefix
	}
	out := map[string]*openapi.Schema{
		def.Name + ".Fields":    fieldsSchema(def, refPrefix),
		def.Name + ".FieldName": fieldNameSchema(def),
	}
	if len(def.Relations) == 0 {
		return out // the filter schemas have no include
	}
	relation := &openapi.Schema{Type: openapi.Types{"string"}, Examples: []any{def.Relations[0].Name}}
	out[def.Name+".IncludeFilter"] = &openapi.Schema{
		Title: def.Name + ".IncludeFilter",
		Type:  openapi.Types{"array"},
		Items: &openapi.Schema{AnyOf: []*openapi.Schema{
			{Ref: refPrefix + def.Name + ".IncludeFilter.Items"},
			{Type: openapi.Types{"string"}},
		}},
	}
	out[def.Name+".IncludeFilter.Items"] = &openapi.Schema{
		Title: def.Name + ".IncludeFilter.Items",
		Type:  openapi.Types{"object"},
		Properties: map[string]*openapi.Schema{
			"relation": relation,
			"scope":    {Ref: refPrefix + def.Name + ".ScopeFilter"},
		},
		PropertyOrder: []string{"relation", "scope"},
	}
	one := 1.0
	scope := pagingSchema()
	scope.Title = def.Name + ".ScopeFilter"
	scope.Properties["totalLimit"] = &openapi.Schema{Type: openapi.Types{"integer"}, Minimum: &one}
	scope.Properties["where"] = &openapi.Schema{Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)}
	scope.Properties["fields"] = &openapi.Schema{OneOf: []*openapi.Schema{
		{Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)},
		{Type: openapi.Types{"array"}, Items: &openapi.Schema{Type: openapi.Types{"string"}}, UniqueItems: true},
	}}
	scope.Properties["include"] = &openapi.Schema{Type: openapi.Types{"array"},
		Items: &openapi.Schema{AnyOf: []*openapi.Schema{
			{Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)},
			{Type: openapi.Types{"string"}},
		}}}
	scope.PropertyOrder = append(scope.PropertyOrder, "totalLimit", "where", "fields", "include")
	scope.AdditionalProperties = openapi.BoolSchema(false)
	out[def.Name+".ScopeFilter"] = scope
	return out
}

// Components returns every schema the CRUD API of def references, by
// component name: the model, NewTodo-style create schema (generated ids
// excluded), the Partial and WithRelations variants (the first three keep
// hidden properties, which request bodies may set; WithRelations, the
// response schema, leaves them out), the two filter
// schemas with their components, loopback.Count, and — resolved through
// reg when it is not nil — the WithRelations schemas of relation targets
// and the schemas of nested model types, transitively. A target missing
// from reg is an error.
func Components(def *Definition, reg *Registry) (map[string]*openapi.Schema, error) {
	out := map[string]*openapi.Schema{}
	newOpts := SchemaOptions{Title: "New" + def.Name, Exclude: def.GeneratedIDNames(), IncludeHidden: true}
	out[def.Name] = Schema(def, SchemaOptions{IncludeHidden: true})
	out[SchemaName(def, newOpts)] = Schema(def, newOpts)
	out[def.Name+"Partial"] = Schema(def, SchemaOptions{Partial: true, IncludeHidden: true})
	out[def.Name+"WithRelations"] = Schema(def, SchemaOptions{IncludeRelations: true})
	out[FilterSchemaName(def, FilterOptions{})] = FilterSchema(def, FilterOptions{})
	out[FilterSchemaName(def, FilterOptions{ExcludeWhere: true})] = FilterSchema(def, FilterOptions{ExcludeWhere: true})
	for k, v := range FilterComponents(def, "") {
		out[k] = v
	}
	out["loopback.Count"] = CountSchema()
	if reg == nil {
		return out, nil
	}
	if err := relatedSchemas(def, reg, out); err != nil {
		return nil, err
	}
	return out, nil
}

// relatedSchemas adds to out the plain and WithRelations schemas of the
// relation targets and nested model types of def, transitively, resolved
// through reg. A model missing from reg is an error.
func relatedSchemas(def *Definition, reg *Registry, out map[string]*openapi.Schema) error {
	seen := map[string]bool{def.Name: true}
	queue := []*Definition{def}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		var names []string
		for _, r := range d.Relations {
			names = append(names, r.Target)
		}
		names = append(names, nestedModels(d.Properties)...)
		for _, n := range names {
			t, ok := reg.Lookup(n)
			if !ok {
				return &DefinitionError{Model: d.Name, Err: fmt.Errorf("model %s is not registered", n)}
			}
			if _, done := out[n+"WithRelations"]; !done {
				out[n+"WithRelations"] = Schema(t, SchemaOptions{IncludeRelations: true})
			}
			if _, done := out[n]; !done {
				out[n] = Schema(t, SchemaOptions{IncludeHidden: true})
			}
			if !seen[n] {
				seen[n] = true
				queue = append(queue, t)
			}
		}
	}
	return nil
}

func nestedModels(props []*Property) []string {
	var names []string
	for _, p := range props {
		for q := p; q != nil; q = q.Items {
			if q.Model != "" && len(q.Properties) == 0 {
				names = append(names, q.Model)
			}
			names = append(names, nestedModels(q.Properties)...)
		}
	}
	return names
}

// GeneratedIDNames returns the names of the generated id properties, which
// the create schema excludes.
func (d *Definition) GeneratedIDNames() []string {
	var names []string
	for _, p := range d.ID() {
		if p.Generated {
			names = append(names, p.Name)
		}
	}
	return names
}
