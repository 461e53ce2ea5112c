package crud

import (
	"context"
	"fmt"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// relation is one mounted relation.
type relation struct {
	a       *api
	rel     *model.Relation
	related *repository.Related
	target  *model.Definition
	enc     *encoder
}

// relationRoutes returns the relation endpoints of every relation of the
// model (LoopBack's relation controllers), and the components they use.
func (a *api) relationRoutes(repo *repository.Model) ([]route, []namedSchema, error) {
	var routes []route
	var schemas []namedSchema
	for _, rel := range a.def.Relations {
		if rel.Type == model.ReferencesMany {
			// LoopBack's relation controllers have no referencesMany
			// endpoints; inclusion serves it.
			continue
		}
		related, err := repo.Related(rel.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("crud: model %s: relation %s: %w", a.def.Name, rel.Name, err)
		}
		r := &relation{a: a, rel: rel, related: related, target: related.Target().Definition()}
		r.enc = newEncoder(related.Target())
		rs, ss := r.routes()
		routes = append(routes, rs...)
		schemas = append(schemas, ss...)
	}
	return routes, schemas, nil
}

// registryOf collects the definitions reachable from repo through
// relations, for the schemas that reference related models.
func registryOf(def *model.Definition, repo *repository.Model) (*model.Registry, error) {
	reg := &model.Registry{}
	seen := map[string]bool{}
	type node struct {
		def  *model.Definition
		repo *repository.Model
	}
	queue := []node{{def, repo}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n.def.Name] {
			continue
		}
		seen[n.def.Name] = true
		if err := reg.Add(n.def); err != nil {
			return nil, err
		}
		for _, rel := range n.def.Relations {
			related, err := n.repo.Related(rel.Name)
			if err != nil {
				return nil, fmt.Errorf("relation %s of %s: %w", rel.Name, n.def.Name, err)
			}
			t := related.Target()
			queue = append(queue, node{t.Definition(), t})
		}
	}
	return reg, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// relationSegment returns the path segment of a relation's endpoints, as
// LoopBack's relation controllers name it: the target model's plural
// kebab-case name for hasMany and hasManyThrough (/todo-lists/{id}/todos),
// its singular for hasOne and belongsTo (/todo-lists/{id}/todo-list-image,
// /todos/{id}/todo-list). When two relations of a model would share a
// segment (two hasMany relations to one target), each of them uses its
// relation name instead (/users/{id}/authored-posts).
func relationSegment(def *model.Definition, rel *model.Relation) string {
	seg := func(r *model.Relation) string {
		if r.Type == model.HasMany || r.Type == model.HasManyThrough {
			return plural(kebab(r.Target))
		}
		return kebab(r.Target)
	}
	mine := seg(rel)
	for _, other := range def.Relations {
		if other != rel && seg(other) == mine {
			return kebab(rel.Name)
		}
	}
	return mine
}

// anyObject is the schema LoopBack's relation controllers give their
// filter parameter: any object (the filter is validated against the
// target model when the request is served).
func anyObject() *openapi.Schema {
	return &openapi.Schema{Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)}
}

// routes returns the endpoints of one relation, shaped as LoopBack's
// todo-list example and `lb4 relation` shape them: GET, POST, PATCH and
// DELETE for hasMany, hasManyThrough and hasOne (in the controller
// <Source><Target>Controller), GET only when they are polymorphic; GET
// for belongsTo, in the source model's controller
// (<Source>Controller.get<Target>).
func (r *relation) routes() ([]route, []namedSchema) {
	a, src, tgt := r.a, r.a.def.Name, r.target.Name
	path := a.base + "/{id}/" + relationSegment(a.def, r.rel)
	controller := src + tgt + "Controller"
	op := func(method string, params []*openapi.Parameter, body *openapi.Schema, desc string, resp *openapi.Schema) *openapi.Operation {
		o := &openapi.Operation{
			Tags:        []string{controller},
			OperationID: controller + "." + method,
			Parameters:  append([]*openapi.Parameter{a.idParam()}, params...),
			Responses:   map[string]*openapi.Response{"200": {Description: desc, Content: jsonContent(resp)}},
			Extensions:  map[string]any{"x-controller-name": controller, "x-operation-name": method},
		}
		if body != nil {
			o.RequestBody = &openapi.RequestBody{Content: jsonContent(body)}
		}
		return o
	}
	if r.rel.Type == model.BelongsTo {
		controller = a.controller
		return []route{{"GET", path, op("get"+upperFirst(tgt), nil, nil, tgt+" belonging to "+src, ref(tgt)), r.get}}, nil
	}
	newName := "New" + tgt + "In" + src
	exclude := r.target.GeneratedIDNames()
	var optional []string
	if r.rel.Type != model.HasManyThrough && r.rel.ForeignKey != "" {
		optional = []string{r.rel.ForeignKey}
	}
	newSchema := model.Schema(r.target, model.SchemaOptions{Title: newName, Exclude: exclude, Optional: optional, IncludeHidden: true})
	schemas := []namedSchema{
		{newName, newSchema},
		{tgt + "Partial", model.Schema(r.target, model.SchemaOptions{Partial: true, IncludeHidden: true})},
		{tgt, model.Schema(r.target, model.SchemaOptions{IncludeHidden: true})},
	}
	where := queryObject("where", model.WhereSchema(r.target))
	count := ref(countSchemaName)
	findOp, findResp, findDesc, findHandler := "find", &openapi.Schema{Type: openapi.Types{"array"}, Items: ref(tgt)}, "Array of "+src+" has many "+tgt, r.find
	if r.rel.Type == model.HasOne {
		findOp, findResp, findDesc, findHandler = "get", ref(tgt), src+" has one "+tgt, r.get
	}
	if r.rel.Polymorphic != "" {
		// The related instances live in the models a discriminator
		// names: read them here, write each concrete model's own API.
		return []route{{"GET", path, op(findOp, []*openapi.Parameter{queryObject("filter", anyObject())}, nil, findDesc, findResp), findHandler}},
			[]namedSchema{{tgt, model.Schema(r.target, model.SchemaOptions{IncludeHidden: true})}}
	}
	return []route{
		{"GET", path, op(findOp, []*openapi.Parameter{queryObject("filter", anyObject())}, nil, findDesc, findResp), findHandler},
		{"POST", path, op("create", nil, ref(newName), src+" model instance", ref(tgt)), r.create},
		{"PATCH", path, op("patch", []*openapi.Parameter{where}, ref(tgt+"Partial"), src+"."+tgt+" PATCH success count", count), r.patch},
		{"DELETE", path, op("delete", []*openapi.Parameter{where}, nil, src+"."+tgt+" DELETE success count", count), r.delete},
	}, schemas
}

func (r *relation) find(ctx context.Context, req *rest.Request) (any, error) {
	f, err := r.a.parseFilter(req)
	if err != nil {
		return nil, err
	}
	recs, err := r.related.Find(ctx, idValue(r.a.id, param(req, "id")), f)
	if err != nil {
		return nil, err
	}
	return r.enc.records(recs)
}

func (r *relation) get(ctx context.Context, req *rest.Request) (any, error) {
	f, err := r.a.parseFilter(req)
	if err != nil {
		return nil, err
	}
	rec, err := r.related.Get(ctx, idValue(r.a.id, param(req, "id")), f)
	if err != nil || rec == nil {
		// No related instance and no error: a belongsTo whose key has
		// no value, 204 as in LoopBack.
		return nil, err
	}
	return r.enc.record(rec)
}

func (r *relation) create(ctx context.Context, req *rest.Request) (any, error) {
	data, err := object(req.Body)
	if err != nil {
		return nil, err
	}
	rec, err := r.related.Create(ctx, idValue(r.a.id, param(req, "id")), connector.Record(data))
	if err != nil {
		return nil, err
	}
	return r.enc.record(rec)
}

func (r *relation) patch(ctx context.Context, req *rest.Request) (any, error) {
	w, err := r.a.parseWhere(req)
	if err != nil {
		return nil, err
	}
	data, err := object(req.Body)
	if err != nil {
		return nil, err
	}
	n, err := r.related.UpdateAll(ctx, idValue(r.a.id, param(req, "id")), data, w)
	if err != nil {
		return nil, err
	}
	return countBody(n), nil
}

func (r *relation) delete(ctx context.Context, req *rest.Request) (any, error) {
	w, err := r.a.parseWhere(req)
	if err != nil {
		return nil, err
	}
	n, err := r.related.DeleteAll(ctx, idValue(r.a.id, param(req, "id")), w)
	if err != nil {
		return nil, err
	}
	return countBody(n), nil
}
