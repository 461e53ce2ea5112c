package repository

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Patch is a partial update: property names (as in JSON) to new values.
// Values may be Go values (int, time.Time, …) or decoded JSON (float64,
// RFC 3339 strings); they are converted to each property's type, and a
// nil value sets the property to null. Build one by hand, from a decoded
// request body, or from a typed instance with [CRUD.PatchOf].
type Patch map[string]any

// CRUD is the typed repository of model T whose id has Go type ID
// (LoopBack's DefaultCrudRepository): every method converts between T and
// records and delegates to the record-level [Model], so defaults,
// validation, the default scope, hidden properties and errors behave the
// same. It is safe for concurrent use.
//
// Errors carry fault kinds: a missing instance is fault.NotFound with
// code ENTITY_NOT_FOUND, a duplicate id fault.Conflict, invalid data
// fault.Invalid (name ValidationError), an invalid filter fault.BadRequest.
type CRUD[T any, ID comparable] struct {
	m *Model
}

// New returns the typed repository of T on conn, with the model definition
// derived from T's struct tags (model.FromStruct). It fails when T is not a
// struct that describes a model, when the model cannot have a repository
// (see [NewModel]: no id property, a composite id, a bad default scope), or
// when ID is not the Go type of T's id property; the error names both
// types then. Use [NewFromDefinition] for a definition adjusted by hand.
func New[T any, ID comparable](conn connector.Connector) (*CRUD[T, ID], error) {
	def, err := model.FromStruct[T]()
	if err != nil {
		return nil, fmt.Errorf("repository: model of %v: %w", reflect.TypeFor[T](), err)
	}
	return NewFromDefinition[T, ID](conn, def)
}

// MustNew is [New] panicking on error, for repositories built at program
// start, where an error is a programming mistake.
func MustNew[T any, ID comparable](conn connector.Connector) *CRUD[T, ID] {
	r, err := New[T, ID](conn)
	if err != nil {
		panic(err)
	}
	return r
}

// NewFromDefinition is [New] with the definition given: one built from T
// and then adjusted (settings, connector names), or any definition when T
// is map[string]any. It fails as New does, and when def was built from
// another Go type than T.
func NewFromDefinition[T any, ID comparable](conn connector.Connector, def *model.Definition) (*CRUD[T, ID], error) {
	m, err := NewModel(conn, def)
	if err != nil {
		return nil, err
	}
	if t := reflect.TypeFor[T](); t != reflect.TypeFor[map[string]any]() && def.GoType() != t {
		return nil, fmt.Errorf("repository: definition %s was built from %v, not %v", def.Name, def.GoType(), t)
	}
	if err := checkIDType(def, m.idProp, reflect.TypeFor[ID]()); err != nil {
		return nil, err
	}
	return &CRUD[T, ID]{m: m}, nil
}

// checkIDType checks that id values of Go type want fit the id property p
// of def: its struct field's type for a typed model, its LoopBack type
// otherwise. An interface type (any) fits every id.
func checkIDType(def *model.Definition, p *model.Property, want reflect.Type) error {
	if want.Kind() == reflect.Interface {
		return nil
	}
	if t := def.GoType(); t != nil && len(p.GoField) > 0 {
		ft := t.FieldByIndex(p.GoField).Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft != want {
			return fmt.Errorf("repository: model %s: the id property %s is a %v, but the ID type parameter is %v", def.Name, p.Name, ft, want)
		}
		return nil
	}
	var fits bool
	switch k := want.Kind(); p.Type {
	case model.Number:
		fits = reflect.Int <= k && k <= reflect.Uint64 || !p.Integer && (k == reflect.Float32 || k == reflect.Float64)
	case model.String:
		fits = k == reflect.String
	case model.Date:
		fits = want == reflect.TypeFor[time.Time]()
	case model.Boolean:
		fits = k == reflect.Bool
	case model.Any:
		fits = true
	}
	if !fits {
		kind := string(p.Type)
		if p.Integer {
			kind = "integer"
		}
		return fmt.Errorf("repository: model %s: the id property %s is a %s, but the ID type parameter is %v", def.Name, p.Name, kind, want)
	}
	return nil
}

// Model returns the record-level repository under r.
func (r *CRUD[T, ID]) Model() *Model { return r.m }

// Definition returns the model definition.
func (r *CRUD[T, ID]) Definition() *model.Definition { return r.m.def }

func (r *CRUD[T, ID]) record(e *T) (connector.Record, error) {
	if e == nil {
		return nil, fault.New(fault.BadRequest, "MISSING_REQUIRED_PARAMETER", fmt.Sprintf("%s: the instance is required", r.m.def.Name))
	}
	rec, err := model.ToRecord(r.m.def, e)
	if err != nil {
		return nil, fmt.Errorf("%s to record: %w", r.m.def.Name, err)
	}
	if reflect.TypeFor[T]() == reflect.TypeFor[map[string]any]() {
		return r.m.prepare(rec)
	}
	return rec, nil
}

func (r *CRUD[T, ID]) entity(rec connector.Record) (*T, error) {
	v := new(T)
	if err := model.FromRecordInto(r.m.def, rec, v); err != nil {
		return nil, fmt.Errorf("%s from record: %w", r.m.def.Name, err)
	}
	return v, nil
}

// Create inserts e and returns the created instance, with its generated id
// and defaults; e is not modified.
func (r *CRUD[T, ID]) Create(ctx context.Context, e *T) (*T, error) {
	rec, err := r.record(e)
	if err != nil {
		return nil, err
	}
	out, err := r.m.createRecord(ctx, rec)
	if err != nil {
		return nil, err
	}
	return r.entity(out)
}

// CreateAll inserts every instance and returns them created, in order; see
// [Model.CreateAll] for atomicity.
func (r *CRUD[T, ID]) CreateAll(ctx context.Context, es []T) ([]T, error) {
	recs := make([]connector.Record, len(es))
	for i := range es {
		rec, err := r.record(&es[i])
		if err != nil {
			return nil, err
		}
		recs[i] = rec
	}
	created, err := r.m.createAll(ctx, recs)
	if err != nil {
		return nil, err
	}
	return r.entities(created)
}

func (r *CRUD[T, ID]) entities(recs []connector.Record) ([]T, error) {
	out := make([]T, len(recs))
	for i, rec := range recs {
		if err := model.FromRecordInto(r.m.def, rec, &out[i]); err != nil {
			return nil, fmt.Errorf("%s from record: %w", r.m.def.Name, err)
		}
	}
	return out, nil
}

// Save creates e when its id is zero and replaces the instance with its id
// otherwise (ENTITY_NOT_FOUND when there is none).
func (r *CRUD[T, ID]) Save(ctx context.Context, e *T) (*T, error) {
	rec, err := r.record(e)
	if err != nil {
		return nil, err
	}
	if rec[r.m.idName] == nil {
		out, err := r.m.createRecord(ctx, rec)
		if err != nil {
			return nil, err
		}
		return r.entity(out)
	}
	if err := r.m.replaceRecord(ctx, rec[r.m.idName], rec); err != nil {
		return nil, err
	}
	return r.entity(r.m.strip(ctx, rec))
}

// Find returns the instances that match f (nil: all of them).
func (r *CRUD[T, ID]) Find(ctx context.Context, f *filter.Filter) ([]T, error) {
	recs, err := r.m.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	return r.entities(recs)
}

// FindOne returns the first instance that matches f, or nil when none
// does.
func (r *CRUD[T, ID]) FindOne(ctx context.Context, f *filter.Filter) (*T, error) {
	rec, err := r.m.FindOne(ctx, f)
	if err != nil || rec == nil {
		return nil, err
	}
	return r.entity(rec)
}

// FindByID returns the instance with id; f (optional) may select fields
// and inclusions but may not have a where clause.
func (r *CRUD[T, ID]) FindByID(ctx context.Context, id ID, f *filter.Filter) (*T, error) {
	rec, err := r.m.FindByID(ctx, any(id), f)
	if err != nil {
		return nil, err
	}
	return r.entity(rec)
}

// Exists reports whether an instance with id exists.
func (r *CRUD[T, ID]) Exists(ctx context.Context, id ID) (bool, error) {
	return r.m.Exists(ctx, any(id))
}

// Count returns the number of instances that match w (nil: all).
func (r *CRUD[T, ID]) Count(ctx context.Context, w *filter.Where) (int64, error) {
	return r.m.Count(ctx, w)
}

// Update writes every property of e to the instance with e's id.
func (r *CRUD[T, ID]) Update(ctx context.Context, e *T) error {
	rec, err := r.record(e)
	if err != nil {
		return err
	}
	id := rec[r.m.idName]
	if id == nil {
		return fault.New(fault.BadRequest, "MISSING_ID", fmt.Sprintf("update %s: the instance has no id", r.m.def.Name))
	}
	return r.m.updateRecord(ctx, id, rec)
}

// UpdateAll applies data to every instance that matches w and returns how
// many matched.
func (r *CRUD[T, ID]) UpdateAll(ctx context.Context, data Patch, w *filter.Where) (int64, error) {
	return r.m.UpdateAll(ctx, connector.Record(data), w)
}

// UpdateByID applies data to the instance with id. Empty data is a
// fault.BadRequest (INVALID_BODY_DEFINITION).
func (r *CRUD[T, ID]) UpdateByID(ctx context.Context, id ID, data Patch) error {
	return r.m.UpdateByID(ctx, any(id), connector.Record(data))
}

// ReplaceByID replaces the instance with id by e.
func (r *CRUD[T, ID]) ReplaceByID(ctx context.Context, id ID, e *T) error {
	rec, err := r.record(e)
	if err != nil {
		return err
	}
	return r.m.replaceRecord(ctx, any(id), rec)
}

// Delete deletes the instance with e's id.
func (r *CRUD[T, ID]) Delete(ctx context.Context, e *T) error {
	rec, err := r.record(e)
	if err != nil {
		return err
	}
	return r.m.Delete(ctx, rec)
}

// DeleteAll deletes every instance that matches w and returns how many.
func (r *CRUD[T, ID]) DeleteAll(ctx context.Context, w *filter.Where) (int64, error) {
	return r.m.DeleteAll(ctx, w)
}

// DeleteByID deletes the instance with id.
func (r *CRUD[T, ID]) DeleteByID(ctx context.Context, id ID) error {
	return r.m.DeleteByID(ctx, any(id))
}

// Execute runs a native command on the connector (fault.NotImplemented
// when it has none).
func (r *CRUD[T, ID]) Execute(ctx context.Context, command string, args ...any) (*connector.Result, error) {
	return r.m.Execute(ctx, command, args...)
}

// PatchOf returns a patch holding the named properties of e, as they would
// be stored; it is how a typed partial update is written. Name the
// properties with [Field] handles to keep them checked by the compiler:
//
//	patch, err := todos.PatchOf(&todo, title.Name(), done.Name())
//	err = todos.UpdateByID(ctx, todo.ID, patch)
//
// A name that is not a property of the model is an error.
func (r *CRUD[T, ID]) PatchOf(e *T, names ...string) (Patch, error) {
	rec, err := r.record(e)
	if err != nil {
		return nil, err
	}
	p := make(Patch, len(names))
	for _, name := range names {
		if r.m.def.Property(name) == nil {
			return nil, fmt.Errorf("patch of %s: %q is not a property", r.m.def.Name, name)
		}
		p[name] = rec[name]
	}
	return p, nil
}
