package graphql

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// validName matches the names GraphQL allows for types and fields.
var validName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// modelType is one model served as a GraphQL object type.
type modelType struct {
	repo *repository.Model
	def  *model.Definition
	id   *model.Property
	// list, one and count are the names of the model's root query fields
	// ("todos", "todo", "todosCount").
	list, one, count string
	// fields are the properties served as fields, by name.
	fields map[string]*model.Property
	// relations are the relations served as fields, by name, whose target
	// is served too.
	relations map[string]*relationField
	// mutable is set when the model has create/update/delete mutations.
	mutable bool
	// changed is the name of the model's subscription field
	// ("todoChanged"), "" when subscriptions are not served.
	changed string
}

// relationField is a relation served as a field of its source type.
type relationField struct {
	rel    *model.Relation
	target *modelType
	many   bool
}

// builder writes the schema's SDL.
type builder struct {
	types   map[string]*modelType
	order   []*modelType
	b       strings.Builder
	queries strings.Builder
	muts    strings.Builder
	subs    strings.Builder
}

// newSchema builds the GraphQL schema of repos: an object type per
// model, root query fields per model, unless readOnly mutations and, with
// subscriptions, a change type and subscription field per model.
func newSchema(repos []*repository.Model, readOnly, subscriptions bool) (*ast.Schema, map[string]*modelType, string, error) {
	bd := &builder{types: map[string]*modelType{}}
	rootNames := map[string]string{}
	for _, r := range repos {
		if r == nil || r.Definition() == nil {
			return nil, nil, "", fmt.Errorf("graphql: a repository without a model definition")
		}
		def := r.Definition()
		if !validName.MatchString(def.Name) || strings.HasPrefix(def.Name, "__") || reserved(def.Name) {
			return nil, nil, "", fmt.Errorf("graphql: model name %q is not a valid GraphQL type name", def.Name)
		}
		if _, dup := bd.types[def.Name]; dup {
			return nil, nil, "", fmt.Errorf("graphql: model %s given twice", def.Name)
		}
		ids := def.ID()
		if len(ids) != 1 {
			return nil, nil, "", fmt.Errorf("graphql: model %s: exactly one id property is needed", def.Name)
		}
		mt := &modelType{repo: r, def: def, id: ids[0], fields: map[string]*model.Property{}, relations: map[string]*relationField{}}
		mt.list = camel(crud.BasePath(def.Name))
		mt.one = lowerFirst(def.Name)
		if mt.one == mt.list {
			mt.one += "ById"
		}
		mt.count = mt.list + "Count"
		for _, n := range []string{mt.list, mt.one, mt.count} {
			if other, dup := rootNames[n]; dup {
				return nil, nil, "", fmt.Errorf("graphql: models %s and %s both have a query field %s", other, def.Name, n)
			}
			rootNames[n] = def.Name
		}
		if subscriptions {
			mt.changed = lowerFirst(def.Name) + "Changed"
			if other, dup := rootNames[mt.changed]; dup {
				return nil, nil, "", fmt.Errorf("graphql: models %s and %s both have a subscription field %s", other, def.Name, mt.changed)
			}
			rootNames[mt.changed] = def.Name
		}
		bd.types[def.Name] = mt
		bd.order = append(bd.order, mt)
	}
	for _, mt := range bd.order {
		bd.object(mt)
		if !readOnly {
			bd.inputs(mt)
		}
		if subscriptions {
			bd.change(mt)
		}
	}
	bd.b.WriteString("type Query {\n")
	bd.b.WriteString(bd.queries.String())
	bd.b.WriteString("}\n")
	if bd.muts.Len() > 0 {
		bd.b.WriteString("type Mutation {\n")
		bd.b.WriteString(bd.muts.String())
		bd.b.WriteString("}\n")
	}
	if bd.subs.Len() > 0 {
		bd.b.WriteString(changeKind)
		bd.b.WriteString("type Subscription {\n")
		bd.b.WriteString(bd.subs.String())
		bd.b.WriteString("}\n")
	}
	sdl := prelude + bd.b.String()
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "models", Input: sdl})
	if err != nil {
		return nil, nil, "", fmt.Errorf("graphql: build schema: %w", err)
	}
	return schema, bd.types, sdl, nil
}

// reserved reports the type names the schema defines itself.
func reserved(name string) bool {
	switch name {
	case "Query", "Mutation", "Subscription", "JSON", "DateTime", "Int", "Float", "String", "Boolean", "ID":
		return true
	}
	return false
}

// prelude declares the scalars every schema has.
const prelude = `"""A JSON value: a LoopBack where clause, a nested object or any value."""
scalar JSON
"""A date and time in RFC 3339 format."""
scalar DateTime
`

// listArgs are the arguments of a list field: LoopBack's filter.
const listArgs = `(where: JSON, order: [String!], limit: Int, skip: Int)`

// object writes mt's object type and root query fields.
func (bd *builder) object(mt *modelType) {
	def := mt.def
	describe(&bd.b, def.Description, "")
	fmt.Fprintf(&bd.b, "type %s {\n", def.Name)
	for _, p := range def.Properties {
		if p.Hidden || !fieldName(p.Name) {
			continue
		}
		mt.fields[p.Name] = p
		describe(&bd.b, p.Description, "  ")
		typ := scalarOf(p)
		if p.Required || p.ID > 0 {
			typ += "!"
		}
		fmt.Fprintf(&bd.b, "  %s: %s\n", p.Name, typ)
	}
	for _, rel := range def.Relations {
		target, ok := bd.types[rel.Target]
		if !ok || !fieldName(rel.Name) || mt.fields[rel.Name] != nil || rel.Polymorphic != "" {
			continue
		}
		rf := &relationField{rel: rel, target: target}
		switch rel.Type {
		case model.HasMany, model.HasManyThrough, model.ReferencesMany:
			rf.many = true
			fmt.Fprintf(&bd.b, "  %s%s: [%s!]!\n", rel.Name, listArgs, rel.Target)
		case model.BelongsTo, model.HasOne:
			fmt.Fprintf(&bd.b, "  %s: %s\n", rel.Name, rel.Target)
		default:
			continue
		}
		mt.relations[rel.Name] = rf
	}
	bd.b.WriteString("}\n")
	idType := scalarOf(mt.id)
	fmt.Fprintf(&bd.queries, "  \"\"\"The %s instances that match the filter.\"\"\"\n  %s%s: [%s!]!\n", def.Name, mt.list, listArgs, def.Name)
	fmt.Fprintf(&bd.queries, "  \"\"\"The %s with this id, or null.\"\"\"\n  %s(id: %s!): %s\n", def.Name, mt.one, idType, def.Name)
	fmt.Fprintf(&bd.queries, "  \"\"\"The number of %s instances that match where.\"\"\"\n  %s(where: JSON): Int!\n", def.Name, mt.count)
}

// inputs writes mt's input types (New<Model>, <Model>Partial) and its
// mutations, when it has properties a client may write.
func (bd *builder) inputs(mt *modelType) {
	def := mt.def
	var create, partial strings.Builder
	for _, p := range def.Properties {
		if !fieldName(p.Name) {
			continue
		}
		typ := scalarOf(p)
		if !(p.ID > 0 && p.Generated) {
			req := ""
			if p.Required && p.Default == nil && p.DefaultFn == "" {
				req = "!"
			}
			fmt.Fprintf(&create, "  %s: %s%s\n", p.Name, typ, req)
		}
		if p.ID == 0 {
			fmt.Fprintf(&partial, "  %s: %s\n", p.Name, typ)
		}
	}
	if create.Len() == 0 || partial.Len() == 0 {
		return
	}
	mt.mutable = true
	n := def.Name
	fmt.Fprintf(&bd.b, "\"\"\"The properties of a new %s.\"\"\"\ninput New%s {\n%s}\n", n, n, create.String())
	fmt.Fprintf(&bd.b, "\"\"\"The properties of a %s to change.\"\"\"\ninput %sPartial {\n%s}\n", n, n, partial.String())
	idType := scalarOf(mt.id)
	fmt.Fprintf(&bd.muts, "  \"\"\"Creates a %s and returns it.\"\"\"\n  create%s(data: New%s!): %s!\n", n, n, n, n)
	fmt.Fprintf(&bd.muts, "  \"\"\"Changes the given properties of a %s and returns it.\"\"\"\n  update%s(id: %s!, data: %sPartial!): %s!\n", n, n, idType, n, n)
	fmt.Fprintf(&bd.muts, "  \"\"\"Deletes a %s; true when done.\"\"\"\n  delete%s(id: %s!): Boolean!\n", n, n, idType)
}

// changeKind is the enum of the kinds of change, events.Kind in capitals.
const changeKind = `"""What a write did to an instance."""
enum ChangeKind {
  """The instance was created."""
  CREATE
  """Some properties were changed (updateById, updateAll, patch)."""
  UPDATE
  """The instance was replaced as a whole."""
  REPLACE
  """The instance was deleted."""
  DELETE
}
`

// change writes mt's change type (TodoChange) and subscription field.
func (bd *builder) change(mt *modelType) {
	n := mt.def.Name
	fmt.Fprintf(&bd.b, `"""A committed change of a %[1]s instance."""
type %[1]sChange {
  """What the write did."""
  kind: ChangeKind!
  """The id of the instance."""
  id: %[2]s!
  """The change's sequence number, increasing with each change published."""
  seq: Int!
  """The instance after the change; for a delete, as it was."""
  instance: %[1]s!
  """The names of the properties the write set, sorted."""
  changed: [String!]!
  """When the change was published."""
  time: DateTime!
}
`, n, scalarOf(mt.id))
	fmt.Fprintf(&bd.subs, "  \"\"\"The changes of %[1]s instances, as they are committed: those whose instance matches where (after the change; for a delete, as it was), of the given kinds (all when absent).\"\"\"\n  %[2]s(where: JSON, kinds: [ChangeKind!]): %[1]sChange!\n", n, mt.changed)
}

// describe writes a description block when text is set.
func describe(b *strings.Builder, text, indent string) {
	if text == "" {
		return
	}
	text = strings.ReplaceAll(text, `"""`, `\"""`)
	fmt.Fprintf(b, "%s\"\"\"%s\"\"\"\n", indent, text)
}

// fieldName reports whether a property or relation name can be a field.
func fieldName(n string) bool {
	return validName.MatchString(n) && !strings.HasPrefix(n, "__")
}

// scalarOf returns the GraphQL type of a property's values.
func scalarOf(p *model.Property) string {
	switch p.Type {
	case model.String:
		return "String"
	case model.Number:
		if p.Integer {
			return "Int"
		}
		return "Float"
	case model.Boolean:
		return "Boolean"
	case model.Date:
		return "DateTime"
	case model.Array:
		if p.Items != nil {
			switch p.Items.Type {
			case model.String, model.Number, model.Boolean, model.Date:
				return "[" + scalarOf(p.Items) + "]"
			}
		}
	}
	return "JSON"
}

// camel turns a base path ("/todo-lists") into a field name ("todoLists").
func camel(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = upperFirst(parts[i])
	}
	return strings.Join(parts, "")
}

func lowerFirst(s string) string {
	rs := []rune(s)
	// "HTTPServer" → "httpServer": lower the leading run of capitals but
	// the last one before a lower-case letter.
	i := 0
	for i < len(rs) && unicode.IsUpper(rs[i]) {
		if i > 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]) {
			break
		}
		rs[i] = unicode.ToLower(rs[i])
		i++
	}
	return string(rs)
}

func upperFirst(s string) string {
	rs := []rune(s)
	if len(rs) > 0 {
		rs[0] = unicode.ToUpper(rs[0])
	}
	return string(rs)
}
