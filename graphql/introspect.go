package graphql

import (
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
)

// iobj is an object of GraphQL's introspection types (__Schema, __Type
// …): its type name and a resolver of its fields. Values are scalars,
// iobj, []iobj or nil.
type iobj struct {
	typ string
	get func(field string) any
}

// introspection answers __schema and __type over the schema.
type introspection struct{ s *ast.Schema }

func (in introspection) schema() iobj {
	return iobj{"__Schema", func(f string) any {
		switch f {
		case "types":
			names := make([]string, 0, len(in.s.Types))
			for n := range in.s.Types {
				names = append(names, n)
			}
			sort.Strings(names)
			out := make([]iobj, len(names))
			for i, n := range names {
				out[i] = in.typ(in.s.Types[n])
			}
			return out
		case "queryType":
			return in.typ(in.s.Query)
		case "mutationType":
			if in.s.Mutation == nil {
				return nil
			}
			return in.typ(in.s.Mutation)
		case "subscriptionType":
			if in.s.Subscription == nil {
				return nil
			}
			return in.typ(in.s.Subscription)
		case "directives":
			names := make([]string, 0, len(in.s.Directives))
			for n := range in.s.Directives {
				names = append(names, n)
			}
			sort.Strings(names)
			out := make([]iobj, len(names))
			for i, n := range names {
				out[i] = in.directive(in.s.Directives[n])
			}
			return out
		}
		return nil
	}}
}

func (in introspection) typ(d *ast.Definition) iobj {
	return iobj{"__Type", func(f string) any {
		switch f {
		case "kind":
			return string(d.Kind)
		case "name":
			return d.Name
		case "description":
			return optional(d.Description)
		case "fields":
			if d.Kind != ast.Object && d.Kind != ast.Interface {
				return nil
			}
			out := []iobj{}
			for _, fd := range d.Fields {
				if len(fd.Name) < 2 || fd.Name[:2] != "__" {
					out = append(out, in.field(fd))
				}
			}
			return out
		case "inputFields":
			if d.Kind != ast.InputObject {
				return nil
			}
			out := []iobj{}
			for _, fd := range d.Fields {
				out = append(out, in.inputValue(fd.Name, fd.Description, fd.Type, fd.DefaultValue))
			}
			return out
		case "interfaces":
			if d.Kind != ast.Object && d.Kind != ast.Interface {
				return nil
			}
			out := []iobj{}
			for _, n := range d.Interfaces {
				out = append(out, in.typ(in.s.Types[n]))
			}
			return out
		case "possibleTypes":
			if d.Kind != ast.Interface && d.Kind != ast.Union {
				return nil
			}
			out := []iobj{}
			for _, p := range in.s.GetPossibleTypes(d) {
				out = append(out, in.typ(p))
			}
			return out
		case "enumValues":
			if d.Kind != ast.Enum {
				return nil
			}
			out := []iobj{}
			for _, v := range d.EnumValues {
				out = append(out, iobj{"__EnumValue", func(f string) any {
					switch f {
					case "name":
						return v.Name
					case "description":
						return optional(v.Description)
					case "isDeprecated":
						return false
					}
					return nil
				}})
			}
			return out
		case "isOneOf":
			return false
		}
		return nil
	}}
}

// ref is the __Type of a type reference: NON_NULL and LIST wrappers
// around a named type.
func (in introspection) ref(t *ast.Type) iobj {
	switch {
	case t.NonNull:
		inner := *t
		inner.NonNull = false
		return iobj{"__Type", func(f string) any {
			switch f {
			case "kind":
				return "NON_NULL"
			case "ofType":
				return in.ref(&inner)
			}
			return nil
		}}
	case t.Elem != nil:
		return iobj{"__Type", func(f string) any {
			switch f {
			case "kind":
				return "LIST"
			case "ofType":
				return in.ref(t.Elem)
			}
			return nil
		}}
	}
	return in.typ(in.s.Types[t.NamedType])
}

func (in introspection) field(fd *ast.FieldDefinition) iobj {
	return iobj{"__Field", func(f string) any {
		switch f {
		case "name":
			return fd.Name
		case "description":
			return optional(fd.Description)
		case "args":
			out := []iobj{}
			for _, a := range fd.Arguments {
				out = append(out, in.inputValue(a.Name, a.Description, a.Type, a.DefaultValue))
			}
			return out
		case "type":
			return in.ref(fd.Type)
		case "isDeprecated":
			return false
		}
		return nil
	}}
}

func (in introspection) inputValue(name, desc string, t *ast.Type, def *ast.Value) iobj {
	return iobj{"__InputValue", func(f string) any {
		switch f {
		case "name":
			return name
		case "description":
			return optional(desc)
		case "type":
			return in.ref(t)
		case "defaultValue":
			if def == nil {
				return nil
			}
			return def.String()
		case "isDeprecated":
			return false
		}
		return nil
	}}
}

func (in introspection) directive(d *ast.DirectiveDefinition) iobj {
	return iobj{"__Directive", func(f string) any {
		switch f {
		case "name":
			return d.Name
		case "description":
			return optional(d.Description)
		case "locations":
			out := make([]any, len(d.Locations))
			for i, l := range d.Locations {
				out[i] = string(l)
			}
			return out
		case "args":
			out := []iobj{}
			for _, a := range d.Arguments {
				out = append(out, in.inputValue(a.Name, a.Description, a.Type, a.DefaultValue))
			}
			return out
		case "isRepeatable":
			return d.IsRepeatable
		}
		return nil
	}}
}

// optional is a description: null when empty.
func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// projectIntro writes the fields of an introspection value that set
// selects.
func (e *executor) projectIntro(v any, set ast.SelectionSet) (any, error) {
	switch x := v.(type) {
	case iobj:
		groups, err := e.collect(set)
		if err != nil {
			return nil, err
		}
		out := make(object, 0, len(groups))
		for _, g := range groups {
			name := g.fields[0].Name
			if name == "__typename" {
				out = append(out, member{g.key, x.typ})
				continue
			}
			val, err := e.projectIntro(x.get(name), merged(g.fields))
			if err != nil {
				return nil, err
			}
			out = append(out, member{g.key, val})
		}
		return out, nil
	case []iobj:
		out := make([]any, len(x))
		for i, o := range x {
			var err error
			if out[i], err = e.projectIntro(o, set); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return v, nil
}
