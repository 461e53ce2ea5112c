package graphql

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/jsonw"
)

// executor runs one operation of a validated document.
type executor struct {
	h    *Handler
	vars map[string]any
	// bufs are the pooled buffers of encoded results, released once
	// the response is written.
	bufs [][]byte
}

// group is the fields of a selection set with one response key, in the
// order they were first selected (GraphQL's CollectFields).
type group struct {
	key    string
	fields []*ast.Field
}

// collect flattens a selection set: fragments are expanded, @skip and
// @include applied, and fields with the same response key grouped.
func (e *executor) collect(set ast.SelectionSet) ([]group, error) {
	var out []group
	index := map[string]int{}
	var walk func(set ast.SelectionSet, depth int) error
	walk = func(set ast.SelectionSet, depth int) error {
		if depth > maxFragmentDepth {
			return fault.New(fault.BadRequest, "GRAPHQL_VALIDATION_FAILED", "fragments are nested too deeply")
		}
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if ok, err := e.included(s.Directives); err != nil || !ok {
					if err != nil {
						return err
					}
					continue
				}
				key := s.Alias
				if key == "" {
					key = s.Name
				}
				if i, ok := index[key]; ok {
					out[i].fields = append(out[i].fields, s)
					continue
				}
				index[key] = len(out)
				out = append(out, group{key: key, fields: []*ast.Field{s}})
			case *ast.InlineFragment:
				if ok, err := e.included(s.Directives); err != nil || !ok {
					if err != nil {
						return err
					}
					continue
				}
				if err := walk(s.SelectionSet, depth+1); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				if ok, err := e.included(s.Directives); err != nil || !ok {
					if err != nil {
						return err
					}
					continue
				}
				if s.Definition == nil {
					continue
				}
				if err := walk(s.Definition.SelectionSet, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(set, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// maxFragmentDepth bounds the nesting of fragments (validation already
// rejects cycles).
const maxFragmentDepth = 32

// included applies @skip(if:) and @include(if:).
func (e *executor) included(ds ast.DirectiveList) (bool, error) {
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		a := d.Arguments.ForName("if")
		if a == nil {
			continue
		}
		v, err := a.Value.Value(e.vars)
		if err != nil {
			return false, badRequest("invalid @%s argument", d.Name)
		}
		b, _ := v.(bool)
		if d.Name == "skip" && b || d.Name == "include" && !b {
			return false, nil
		}
	}
	return true, nil
}

// merged returns the selection sets of a group's fields joined.
func merged(fields []*ast.Field) ast.SelectionSet {
	if len(fields) == 1 {
		return fields[0].SelectionSet
	}
	var set ast.SelectionSet
	for _, f := range fields {
		set = append(set, f.SelectionSet...)
	}
	return set
}

// args evaluates a field's arguments.
func (e *executor) args(f *ast.Field) (map[string]any, error) {
	out := make(map[string]any, len(f.Arguments))
	for _, a := range f.Arguments {
		v, err := a.Value.Value(e.vars)
		if err != nil {
			return nil, badRequest("invalid value of argument %s", a.Name)
		}
		if v != nil {
			out[a.Name] = v
		}
	}
	return out, nil
}

// filterFor builds the LoopBack filter of a list or by-id field of mt: its
// where, order, limit and skip arguments, and one inclusion per relation
// selected below it, recursively, so that the repository finds each level
// of related instances in one query (its inclusion machinery), as the
// REST API's ?filter[include] does.
func (e *executor) filterFor(mt *modelType, args map[string]any, set ast.SelectionSet, depth int) (*filter.Filter, error) {
	if depth > maxRelationDepth {
		return nil, badRequest("relations are nested more than %d levels deep", maxRelationDepth)
	}
	spec := map[string]any{}
	var whereText string
	for k, v := range args {
		switch k {
		case "where":
			if s, ok := v.(string); ok {
				whereText = s
				continue
			}
			spec[k] = v
		case "order", "limit", "skip":
			spec[k] = v
		}
	}
	f, err := filter.FromValue(spec)
	if err != nil {
		return nil, err
	}
	if whereText != "" {
		if f.Where, err = filter.ParseWhereJSON([]byte(whereText)); err != nil {
			return nil, err
		}
	}
	groups, err := e.collect(set)
	if err != nil {
		return nil, err
	}
	type relSel struct {
		args map[string]any
		sets ast.SelectionSet
	}
	var order []string
	rels := map[string]*relSel{}
	for _, g := range groups {
		for _, fd := range g.fields {
			rf := mt.relations[fd.Name]
			if rf == nil {
				continue
			}
			a, err := e.args(fd)
			if err != nil {
				return nil, err
			}
			if prev, ok := rels[fd.Name]; ok {
				if !reflect.DeepEqual(prev.args, a) {
					return nil, badRequest("relation %s is selected twice with different arguments", fd.Name)
				}
				prev.sets = append(prev.sets, fd.SelectionSet...)
				continue
			}
			rels[fd.Name] = &relSel{args: a, sets: append(ast.SelectionSet(nil), fd.SelectionSet...)}
			order = append(order, fd.Name)
		}
	}
	for _, name := range order {
		rs := rels[name]
		scope, err := e.filterFor(mt.relations[name].target, rs.args, rs.sets, depth+1)
		if err != nil {
			return nil, err
		}
		f.Include = append(f.Include, filter.Inclusion{Relation: name, Scope: scope})
	}
	return f, nil
}

// maxRelationDepth bounds the nesting of relation fields.
const maxRelationDepth = 8

// plan is what to write of each instance of a model: the selected
// fields in response order, compiled once per field of the query.
type plan struct {
	typeName string
	entries  []entry
}

// entry is one response key of a plan.
type entry struct {
	key      string
	prefix   []byte // `"key":`, written before the value
	name     string // the property, or "" for __typename
	typename bool
	rel      *relationField
	sub      *plan // for a relation
}

// compile builds the plan of set over mt.
func (e *executor) compile(mt *modelType, set ast.SelectionSet) (*plan, error) {
	groups, err := e.collect(set)
	if err != nil {
		return nil, err
	}
	p := &plan{typeName: mt.def.Name, entries: make([]entry, 0, len(groups))}
	defer func() {
		for i := range p.entries {
			p.entries[i].prefix = append(jsonw.AppendString(nil, p.entries[i].key), ':')
		}
	}()
	for _, g := range groups {
		name := g.fields[0].Name
		switch {
		case name == "__typename":
			p.entries = append(p.entries, entry{key: g.key, typename: true})
		case mt.fields[name] != nil:
			p.entries = append(p.entries, entry{key: g.key, name: name})
		case mt.relations[name] != nil:
			rf := mt.relations[name]
			sub, err := e.compile(rf.target, merged(g.fields))
			if err != nil {
				return nil, err
			}
			p.entries = append(p.entries, entry{key: g.key, name: name, rel: rf, sub: sub})
		}
	}
	return p, nil
}

// project writes the fields of rec that p selects.
func (p *plan) project(rec connector.Record) object {
	out := make(object, len(p.entries))
	for i, en := range p.entries {
		out[i].key = en.key
		switch {
		case en.typename:
			out[i].value = p.typeName
		case en.rel == nil:
			out[i].value = leaf(rec[en.name])
		case !en.rel.many:
			if r, ok := rec[en.name].(connector.Record); ok {
				out[i].value = en.sub.project(r)
			}
		default:
			out[i].value = en.sub.projectAll(rec[en.name])
		}
	}
	return out
}

// appendJSON appends the fields of rec that p selects as a JSON object,
// straight from the record (the fast path of lists).
func (p *plan) appendJSON(b []byte, rec connector.Record) ([]byte, error) {
	b = append(b, '{')
	var err error
	for i, en := range p.entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, en.prefix...)
		switch {
		case en.typename:
			b = jsonw.AppendString(b, p.typeName)
		case en.rel == nil:
			b, err = appendLeaf(b, rec[en.name])
		case !en.rel.many:
			if r, ok := rec[en.name].(connector.Record); ok {
				b, err = en.sub.appendJSON(b, r)
			} else {
				b = append(b, "null"...)
			}
		default:
			b, err = en.sub.appendList(b, rec[en.name])
		}
		if err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendList appends the instances of a list (a to-many relation's
// value, or the records found) as a JSON array.
func (p *plan) appendList(b []byte, v any) ([]byte, error) {
	b = append(b, '[')
	n := 0
	add := func(r connector.Record) error {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		var err error
		b, err = p.appendJSON(b, r)
		return err
	}
	switch xs := v.(type) {
	case []any:
		for _, x := range xs {
			if r, ok := x.(connector.Record); ok {
				if err := add(r); err != nil {
					return nil, err
				}
			}
		}
	case []connector.Record:
		for _, r := range xs {
			if err := add(r); err != nil {
				return nil, err
			}
		}
	}
	return append(b, ']'), nil
}

// appendLeaf appends a property value: the common types directly, others
// through jsonw.
func appendLeaf(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return jsonw.AppendInt(b, int64(x)), nil
		}
	case int:
		return jsonw.AppendInt(b, int64(x)), nil
	case time.Time:
		b = append(b, '"')
		b = x.UTC().AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	}
	return jsonw.AppendValue(b, v)
}

// rawJSON is a result already encoded.
type rawJSON []byte

// projectAll writes the instances of a to-many relation.
func (p *plan) projectAll(v any) []any {
	switch xs := v.(type) {
	case []any:
		list := make([]any, 0, len(xs))
		for _, x := range xs {
			if r, ok := x.(connector.Record); ok {
				list = append(list, p.project(r))
			}
		}
		return list
	case []connector.Record:
		list := make([]any, len(xs))
		for i, r := range xs {
			list[i] = p.project(r)
		}
		return list
	}
	return []any{}
}

// leaf converts a property value to its GraphQL result.
func leaf(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// rootField resolves one field of the Query or Mutation type.
func (e *executor) rootField(ctx context.Context, opType ast.Operation, g group) (any, error) {
	fd := g.fields[0]
	if fd.Name == "__typename" {
		if opType == ast.Mutation {
			return "Mutation", nil
		}
		return "Query", nil
	}
	if opType == ast.Query && (fd.Name == "__schema" || fd.Name == "__type") {
		in := introspection{e.h.schema}
		if fd.Name == "__schema" {
			return e.projectIntro(in.schema(), merged(g.fields))
		}
		args, err := e.args(fd)
		if err != nil {
			return nil, err
		}
		name, _ := args["name"].(string)
		d := e.h.schema.Types[name]
		if d == nil {
			return nil, nil
		}
		return e.projectIntro(in.typ(d), merged(g.fields))
	}
	r, ok := e.h.roots[fd.Name]
	if !ok {
		return nil, badRequest("field %s is not served", fd.Name)
	}
	args, err := e.args(fd)
	if err != nil {
		return nil, err
	}
	set := merged(g.fields)
	mt := r.mt
	own, err := e.authorize(ctx, r, args)
	if err != nil {
		return nil, err
	}
	switch r.kind {
	case rootList:
		f, err := e.filterFor(mt, args, set, 0)
		if err != nil {
			return nil, err
		}
		f.Where = and(f.Where, own)
		p, err := e.compile(mt, set)
		if err != nil {
			return nil, err
		}
		recs, err := mt.repo.Find(ctx, f)
		if err != nil {
			return nil, err
		}
		b, err := p.appendList(e.h.buffer(), recs)
		if err != nil {
			return nil, err
		}
		e.bufs = append(e.bufs, b)
		return rawJSON(b), nil
	case rootOne:
		rec, err := e.byID(ctx, mt, args["id"], set)
		if errors.Is(err, fault.NotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return e.projectOne(mt, set, rec)
	case rootCount:
		var w *filter.Where
		switch x := args["where"].(type) {
		case nil:
		case string:
			w, err = filter.ParseWhereJSON([]byte(x))
		default:
			w, err = filter.WhereFromValue(x)
		}
		if err != nil {
			return nil, err
		}
		return mt.repo.Count(ctx, and(w, own))
	case rootCreate:
		data, _ := args["data"].(map[string]any)
		rec, err := mt.repo.Create(ctx, connector.Record(data))
		if err != nil {
			return nil, err
		}
		return e.result(ctx, mt, set, rec)
	case rootUpdate:
		data, _ := args["data"].(map[string]any)
		if len(data) == 0 {
			return nil, fault.New(fault.BadRequest, "INVALID_BODY_DEFINITION", "Data is required for the patch request")
		}
		if err := mt.repo.UpdateByID(ctx, args["id"], connector.Record(data)); err != nil {
			return nil, err
		}
		rec, err := e.byID(ctx, mt, args["id"], set)
		if err != nil {
			return nil, err
		}
		return e.projectOne(mt, set, rec)
	case rootDelete:
		if err := mt.repo.DeleteByID(ctx, args["id"]); err != nil {
			return nil, err
		}
		return true, nil
	}
	return nil, fmt.Errorf("graphql: unknown root field kind %d", r.kind)
}

// authorize asks Config.Authorize about a root field: it returns the
// where clause finds and counts are restricted to, and refuses a by-id
// operation on an instance outside it.
func (e *executor) authorize(ctx context.Context, r root, args map[string]any) (*filter.Where, error) {
	if e.h.cfg.Authorize == nil {
		return nil, nil
	}
	op := &Operation{Model: r.mt.def.Name, Name: r.kind.String()}
	switch r.kind {
	case rootOne, rootUpdate, rootDelete:
		op.ID = args["id"]
	}
	if d, ok := args["data"].(map[string]any); ok {
		op.Data = d
	}
	own, err := e.h.cfg.Authorize(ctx, op)
	if err != nil || own == nil || op.ID == nil {
		return own, err
	}
	idw := &filter.Where{Conds: []filter.Cond{{Path: r.mt.id.Name, Op: filter.Eq, Value: op.ID}}}
	n, err := r.mt.repo.Count(ctx, and(idw, own))
	if err != nil || n > 0 {
		return own, err
	}
	// Outside the restriction: refused when it exists, else the
	// operation answers as for an unknown id.
	if ok, err := r.mt.repo.Exists(ctx, op.ID); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return nil, &fault.Error{Kind: fault.Forbidden, Name: "ForbiddenError", Message: "Access denied"}
	}
	return own, nil
}

// String returns LoopBack's name of the operation.
func (k rootKind) String() string {
	switch k {
	case rootList:
		return "find"
	case rootOne:
		return "findById"
	case rootCount:
		return "count"
	case rootCreate:
		return "create"
	case rootUpdate:
		return "updateById"
	case rootDelete:
		return "deleteById"
	}
	return "unknown"
}

// and joins two where clauses; nil is "everything".
func and(a, b *filter.Where) *filter.Where {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &filter.Where{And: []*filter.Where{a, b}}
}

// byID finds one instance of mt with the relations set selects.
func (e *executor) byID(ctx context.Context, mt *modelType, id any, set ast.SelectionSet) (connector.Record, error) {
	f, err := e.filterFor(mt, nil, set, 0)
	if err != nil {
		return nil, err
	}
	return mt.repo.FindByID(ctx, id, f)
}

// result projects an instance a mutation returns, reading it again with
// its relations when the selection asks for any.
func (e *executor) result(ctx context.Context, mt *modelType, set ast.SelectionSet, rec connector.Record) (any, error) {
	f, err := e.filterFor(mt, nil, set, 0)
	if err != nil {
		return nil, err
	}
	if len(f.Include) > 0 {
		if rec, err = mt.repo.FindByID(ctx, rec[mt.id.Name], f); err != nil {
			return nil, err
		}
	}
	return e.projectOne(mt, set, rec)
}

// projectOne writes the selected fields of one instance.
func (e *executor) projectOne(mt *modelType, set ast.SelectionSet, rec connector.Record) (any, error) {
	p, err := e.compile(mt, set)
	if err != nil {
		return nil, err
	}
	return p.project(rec), nil
}

// badRequest is a client error in the request's arguments.
func badRequest(format string, args ...any) error {
	return fault.New(fault.BadRequest, "BAD_USER_INPUT", fmt.Sprintf(format, args...))
}
