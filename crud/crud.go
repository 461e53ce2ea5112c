package crud

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/jsonmsg"
	"github.com/loopback-go/lb/internal/jsonw"
	"github.com/loopback-go/lb/internal/qs"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

// Options configures Mount. The zero value serves all eight endpoints at
// BasePath(model name).
type Options struct {
	// BasePath is where the model's endpoints live ("/todos"); "" means
	// BasePath(def.Name).
	BasePath string
	// ReadOnly keeps only the GET endpoints (find, findById, count).
	ReadOnly bool
	// Controller names the operations ("TodoController.create") and their
	// tag; "" means the model name followed by "Controller".
	Controller string
	// Models resolves the targets of the model's relations and nested model
	// types, whose schemas the model's schemas reference. Nil means: the
	// models reachable through the repository's relations (when it is in a
	// repository.Registry), else none.
	Models *model.Registry
	// NoRelations leaves out the relation endpoints, which are otherwise
	// served for every relation of the model when the repository reaches
	// its related models (it is in a repository.Registry).
	NoRelations bool
	// Operations, when set, gives options for one operation, named by its
	// operation id ("TodoController.create",
	// "TodoListTodoController.find" …): for example rest.WithInterceptors
	// for an interceptor that concerns some writes only, so that the other
	// operations do not pay for it. Nil or an empty result leaves the
	// operation as it is.
	Operations func(operationID string) []rest.OperationOption
}

// api is one mounted model.
type api struct {
	repo       *repository.Model
	def        *model.Definition
	id         *model.Property
	base       string
	controller string
	names      schemaNames
	enc        *encoder
}

// Mount serves the model of the typed repository repo on s as LoopBack's
// CRUD REST API: eight operations (the three GETs only, with ReadOnly) and
// the schemas they reference, named as LoopBack names them (NewTodo,
// TodoWithRelations, TodoPartial, loopback.Count, Todo.Filter,
// Todo.Filter1). The endpoints work on repo's record-level repository
// (repo.Model()), so defaults, validation, the default scope and hidden
// properties apply as they do in Go. Call it while setting up, before s
// serves requests.
//
// It returns an error, registering nothing, when the model cannot be
// served (a composite id, a bad base path, a relation target missing from
// Options.Models) or when one of its paths is already taken by another
// route: the paths are checked before the first one is registered.
func Mount[T any, ID comparable](s *rest.Server, repo *repository.CRUD[T, ID], opts Options) error {
	if repo == nil {
		return errors.New("crud: Mount needs a repository")
	}
	return MountModel(s, repo.Model(), opts)
}

// MountModel is [Mount] for a record-level repository, the form zero-code
// models have (model definitions read from JSON, as `lb serve` does).
func MountModel(s *rest.Server, repo *repository.Model, opts Options) (err error) {
	if s == nil || repo == nil {
		return errors.New("crud: Mount needs a server and a repository")
	}
	def := repo.Definition()
	if def == nil || def.Name == "" {
		return errors.New("crud: repository has no model definition")
	}
	ids := def.ID()
	switch {
	case len(ids) == 0:
		return fmt.Errorf("crud: model %s: no id property", def.Name)
	case len(ids) > 1:
		return fmt.Errorf("crud: model %s: composite ids are not supported by the CRUD REST API", def.Name)
	}
	a := &api{repo: repo, def: def, id: ids[0], base: opts.BasePath, controller: opts.Controller,
		names: namesFor(def), enc: newEncoder(repo)}
	if a.base == "" {
		a.base = BasePath(def.Name)
	}
	if a.base[0] != '/' || a.base[len(a.base)-1] == '/' {
		return fmt.Errorf("crud: model %s: base path %q must start with / and not end with one", def.Name, a.base)
	}
	if a.controller == "" {
		a.controller = def.Name + "Controller"
	}
	models := opts.Models
	hasRelations := len(def.Relations) > 0
	if hasRelations && models == nil {
		if models, err = registryOf(def, repo); err != nil {
			if !opts.NoRelations {
				return fmt.Errorf("crud: model %s: %w", def.Name, err)
			}
			models = nil // without relation endpoints, serve what can be
		}
	}
	schemas, err := a.schemas(models, opts.ReadOnly)
	if err != nil {
		return err
	}
	routes := a.routes(opts.ReadOnly)
	if hasRelations && !opts.NoRelations {
		relRoutes, relSchemas, err := a.relationRoutes(repo)
		if err != nil {
			return err
		}
		for _, r := range relRoutes {
			if !opts.ReadOnly || r.method == "GET" {
				routes = append(routes, r)
			}
		}
		schemas = append(schemas, relSchemas...)
	}
	if err := free(s, routes); err != nil {
		return fmt.Errorf("crud: model %s: %w", def.Name, err)
	}
	for _, sc := range schemas {
		s.AddSchema(sc.name, sc.schema)
	}
	for _, r := range routes {
		var ro []rest.OperationOption
		if opts.Operations != nil {
			ro = opts.Operations(r.op.OperationID)
		}
		// The handlers read their parameters with Request.Param.
		ro = append([]rest.OperationOption{rest.ParamsOnDemand()}, ro...)
		if err := s.AddRoute(r.method, r.path, r.op, r.h, ro...); err != nil {
			return fmt.Errorf("crud: model %s: %w", def.Name, err)
		}
	}
	return nil
}

// free checks that no route of s already serves one of routes' method and
// path, so that Mount registers all of its routes or none.
func free(s *rest.Server, routes []route) error {
	taken := map[string]string{}
	for _, ri := range s.Routes() {
		taken[ri.Method+" "+pattern(ri.Path)] = ri.Path
	}
	for _, r := range routes {
		if old, ok := taken[r.method+" "+pattern(r.path)]; ok {
			return fmt.Errorf("%s %s is taken by %s %s", r.method, r.path, r.method, old)
		}
	}
	return nil
}

// pattern is path with its parameter names blanked and without a trailing
// slash: /todos/{id}, /todos/{key} and /todos/{id}/ serve the same
// requests.
func pattern(path string) string {
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	b := []byte(path)
	out := b[:0]
	in := false
	for _, c := range b {
		switch {
		case c == '{':
			in = true
			out = append(out, c)
		case c == '}':
			in = false
			out = append(out, c)
		case !in:
			out = append(out, c)
		}
	}
	return string(out)
}

type namedSchema struct {
	name   string
	schema *openapi.Schema
}

// schemas returns the components the operations reference, in a stable
// order.
func (a *api) schemas(reg *model.Registry, readOnly bool) ([]namedSchema, error) {
	comps, err := model.Components(a.def, reg)
	if err != nil {
		return nil, fmt.Errorf("crud: model %s: %w", a.def.Name, err)
	}
	if reg == nil && len(a.def.Relations) > 0 {
		// The related models are unknown: describe the instances without
		// their relations rather than reference schemas that do not exist.
		comps[a.names.WithRelations] = model.Schema(a.def, model.SchemaOptions{Title: a.names.WithRelations})
	}
	// Request bodies may set hidden properties (a password): the schemas
	// they use keep them. Responses never carry them (see encoder).
	n := a.names
	for name, o := range map[string]model.SchemaOptions{
		n.Model:   {},
		n.New:     {Title: n.New, Exclude: a.def.GeneratedIDNames()},
		n.Partial: {Partial: true},
	} {
		o.IncludeHidden = true
		comps[name] = model.Schema(a.def, o)
		if readOnly {
			delete(comps, name) // no request bodies to describe
		}
	}
	out := make([]namedSchema, 0, len(comps))
	for _, name := range slices.Sorted(maps.Keys(comps)) {
		out = append(out, namedSchema{name, comps[name]})
	}
	return out, nil
}

type route struct {
	method, path string
	op           *openapi.Operation
	h            rest.HandlerFunc
}

// routes returns the operations in LoopBack's order.
func (a *api) routes(readOnly bool) []route {
	n := a.names
	item := a.base + "/{" + "id" + "}"
	count := ref(countSchemaName)
	name := a.def.Name
	rs := []route{
		{"POST", a.base, a.operation("create", nil, ref(n.New), "200", name+" model instance", ref(n.Model)), a.create},
		{"GET", a.base + "/count", a.operation("count", []*openapi.Parameter{a.whereParam()}, nil, "200", name+" model count", count), a.count},
		{"GET", a.base, a.operation("find", []*openapi.Parameter{a.filterParam(n.Filter1)}, nil, "200", "Array of "+name+" model instances",
			&openapi.Schema{Type: openapi.Types{"array"}, Items: ref(n.WithRelations)}), a.find},
		{"PATCH", a.base, a.operation("updateAll", []*openapi.Parameter{a.whereParam()}, ref(n.Partial), "200", name+" PATCH success count", count), a.updateAll},
		{"GET", item, a.operation("findById", []*openapi.Parameter{a.idParam(), a.filterParam(n.Filter)}, nil, "200", name+" model instance", ref(n.WithRelations)), a.findByID},
		{"PATCH", item, a.operation("updateById", []*openapi.Parameter{a.idParam()}, ref(n.Partial), "204", name+" PATCH success", nil), a.updateByID},
		{"PUT", item, a.operation("replaceById", []*openapi.Parameter{a.idParam()}, ref(n.Model), "204", name+" PUT success", nil), a.replaceByID},
		{"DELETE", item, a.operation("deleteById", []*openapi.Parameter{a.idParam()}, nil, "204", name+" DELETE success", nil), a.deleteByID},
	}
	if readOnly {
		ro := rs[:0]
		for _, r := range rs {
			if r.method == "GET" {
				ro = append(ro, r)
			}
		}
		rs = ro
	}
	return rs
}

// errBodyType is the 422 for a body that is missing, null or not an
// object, in the shape of the REST layer's schema validation errors.
func errBodyType() error {
	e := fault.New(fault.Invalid, "VALIDATION_FAILED",
		"The request body is invalid. See error object `details` property for more info.")
	e.Details = []detail{{Path: "", Code: "type", Message: "must be object", Info: map[string]any{"type": "object"}}}
	return e
}

// detail is one schema validation error in LoopBack's (AJV's) shape.
type detail struct {
	Path    string         `json:"path"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Info    map[string]any `json:"info"`
}

// object returns the request body as an object, or the 422 LoopBack's
// schema validation would give for it.
func object(body any) (map[string]any, error) {
	m, ok := body.(map[string]any)
	if !ok {
		return nil, errBodyType()
	}
	return m, nil
}

// parseFilter reads the filter parameter, which the REST layer has already
// decoded (from JSON or the nested query-string form) and checked against
// the filter schema. The repository validates it against the model.
func (a *api) parseFilter(req *rest.Request) (*filter.Filter, error) {
	v, ok := req.Param("filter")
	if !ok {
		return nil, nil
	}
	f, err := filter.FromValue(v)
	if err != nil {
		return nil, paramError("filter", v, err)
	}
	return f, nil
}

// parseWhere reads the where parameter; the repository validates it
// against the model. A where that was sent but decoded to nothing
// (?where= or ?where) is a 400, where LoopBack would count, update or
// delete every instance: a where that is present never widens to all.
func (a *api) parseWhere(req *rest.Request) (*filter.Where, error) {
	v, ok := req.Param("where")
	if !ok {
		if whereSent(req.HTTP) {
			return nil, fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE", `Invalid data "" for parameter "where".`)
		}
		return nil, nil
	}
	w, err := filter.WhereFromValue(v)
	if err != nil {
		return nil, paramError("where", v, err)
	}
	return w, nil
}

// param returns the value of the request's parameter name, nil when
// absent.
func param(req *rest.Request, name string) any {
	v, _ := req.Param(name)
	return v
}

// pathID returns the id path parameter for the repository. A numeric id
// is a JSON-schema number, as in LoopBack: for an integer id property, a
// whole number is passed as an int64, and a value that cannot be the id
// of an instance (1.5, or beyond ±2⁵³) is LoopBack's 404 ENTITY_NOT_FOUND
// without asking the repository.
func (a *api) pathID(req *rest.Request) (any, error) {
	id := idValue(a.id, param(req, "id"))
	if _, ok := id.(float64); ok && a.id.Integer {
		return nil, connector.NotFoundError(a.def, id)
	}
	return id, nil
}

// idValue converts a numeric path id to an int64 when the id property is
// an integer and the value a safe whole number; anything else is returned
// as it is.
func idValue(p *model.Property, v any) any {
	f, ok := v.(float64)
	if !ok || !p.Integer || f != math.Trunc(f) || math.Abs(f) > 1<<53-1 {
		return v
	}
	return int64(f)
}

// whereSent reports whether the query string of r names a where
// parameter in any form (where=, where[x]=, [where]=), decoded as the REST
// layer decodes it.
func whereSent(r *http.Request) bool {
	if r == nil || r.URL.RawQuery == "" {
		return false
	}
	vs, err := qs.Values(r.URL.RawQuery)
	if err != nil {
		return true // the REST layer refuses such a query before this point
	}
	_, ok := qs.Parse(vs)["where"]
	return ok
}

// paramError makes a filter error a 400: fault errors keep their kind,
// code and message; anything else becomes INVALID_PARAMETER_VALUE.
func paramError(name string, v any, err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	e := fault.New(fault.BadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf("Invalid data %s for parameter %q: %s.",
		jsonmsg.Excerpt(jsonText(v)), name, jsonmsg.Excerpt(err.Error())))
	e.Err = err
	return e
}

func jsonText(v any) string {
	b, err := jsonw.AppendValue(nil, v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func (a *api) create(ctx context.Context, req *rest.Request) (any, error) {
	data, err := object(req.Body)
	if err != nil {
		return nil, err
	}
	// The body was decoded for this request only: hand it over.
	rec, err := a.repo.CreateOwned(ctx, data)
	if err != nil {
		return nil, err
	}
	return encodedRecord{a.enc, rec}, nil
}

func (a *api) count(ctx context.Context, req *rest.Request) (any, error) {
	w, err := a.parseWhere(req)
	if err != nil {
		return nil, err
	}
	n, err := a.repo.Count(ctx, w)
	if err != nil {
		return nil, err
	}
	return countBody(n), nil
}

func countBody(n int64) any {
	return rawJSON(jsonw.AppendInt([]byte(`{"count":`), n), '}')
}

func (a *api) find(ctx context.Context, req *rest.Request) (any, error) {
	f, err := a.parseFilter(req)
	if err != nil {
		return nil, err
	}
	// Straight from the connector's storage when it can (a
	// connector.JSONFinder), else through records.
	if rows, ok, err := a.repo.FindJSON(ctx, f); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return jsonArray{rows}, nil
	}
	recs, err := a.repo.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	return encodedRecords{a.enc, recs}, nil
}

func (a *api) updateAll(ctx context.Context, req *rest.Request) (any, error) {
	w, err := a.parseWhere(req)
	if err != nil {
		return nil, err
	}
	data, err := object(req.Body)
	if err != nil {
		return nil, err
	}
	n, err := a.repo.UpdateAll(ctx, data, w)
	if err != nil {
		return nil, err
	}
	return countBody(n), nil
}

func (a *api) findByID(ctx context.Context, req *rest.Request) (any, error) {
	id, err := a.pathID(req)
	if err != nil {
		return nil, err
	}
	f, err := a.parseFilter(req)
	if err != nil {
		return nil, err
	}
	if rows, ok, err := a.repo.FindByIDJSON(ctx, id, f); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return jsonObject{rows}, nil
	}
	rec, err := a.repo.FindByID(ctx, id, f)
	if err != nil {
		return nil, err
	}
	return encodedRecord{a.enc, rec}, nil
}

func (a *api) updateByID(ctx context.Context, req *rest.Request) (any, error) {
	data, err := object(req.Body)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, fault.New(fault.BadRequest, "INVALID_BODY_DEFINITION", "Data is required for the patch request")
	}
	id, err := a.pathID(req)
	if err != nil {
		return nil, err
	}
	return noContent(a.repo.UpdateByID(ctx, id, data))
}

func (a *api) replaceByID(ctx context.Context, req *rest.Request) (any, error) {
	data, err := object(req.Body)
	if err != nil {
		return nil, err
	}
	id, err := a.pathID(req)
	if err != nil {
		return nil, err
	}
	return noContent(a.repo.ReplaceByID(ctx, id, data))
}

func (a *api) deleteByID(ctx context.Context, req *rest.Request) (any, error) {
	id, err := a.pathID(req)
	if err != nil {
		return nil, err
	}
	return noContent(a.repo.DeleteByID(ctx, id))
}

// noContent is the result of an operation answered with 204.
func noContent(err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return &rest.Response{Status: http.StatusNoContent}, nil
}
