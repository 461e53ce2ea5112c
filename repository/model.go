package repository

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// Model is the record-level repository: LoopBack's DefaultCrudRepository
// over [connector.Record] values, for models defined without Go types
// (zero-code models built with model.Parse). [CRUD] is the typed
// repository built on top of it.
//
// A Model applies what the connector does not: default values and default
// functions on create, model-level validation (required properties are
// not blank, strict models reject unknown properties), the model's default
// scope merged into every query, filter validation, hidden properties
// removed from every result, and LoopBack's errors. It is safe for
// concurrent use.
type Model struct {
	conn   connector.Connector
	def    *model.Definition
	idName string
	idProp *model.Property
	scope  *filter.Filter
	hidden []string
	now    func() time.Time
	// parents is set when the model declares a belongsTo relation, whose
	// foreign key writes check (see checkParents).
	parents bool
	layout  *jsonLayout // see AppendJSON
	// maxLens[i] is the maximum length of def.Properties[i] (see
	// maxLength), 0 for none; computed once.
	maxLens []int
	targets sync.Map // relation name → *Model, resolved by AppendMember

	related atomic.Value // *Registry, set by Registry.Add
	// deps are the belongsTo relations with an onDelete action that refer
	// to this model, computed by Registry.Add (see integrity.go).
	deps atomic.Pointer[[]dependent]
	// obs is the change observer, set by ObserveChanges (see change.go).
	obs atomic.Pointer[ChangeObserver]
}

// NewModel returns the record-level repository of def on conn. It fails
// when def has no id property, has a composite id, or has a default scope
// that is not a valid filter for it.
func NewModel(conn connector.Connector, def *model.Definition) (*Model, error) {
	if conn == nil || def == nil {
		return nil, fmt.Errorf("repository: NewModel needs a connector and a definition")
	}
	m := &Model{conn: conn, def: def, now: time.Now, parents: hasParents(def), layout: newJSONLayout(def)}
	ids := def.ID()
	switch len(ids) {
	case 0:
		return nil, fmt.Errorf("repository: model %s has no id property", def.Name)
	case 1:
		m.idProp, m.idName = ids[0], ids[0].Name
	default:
		return nil, fmt.Errorf("repository: model %s has a composite id, which repositories do not support", def.Name)
	}
	m.maxLens = make([]int, len(def.Properties))
	for i, p := range def.Properties {
		if def.IsHidden(p.Name) {
			m.hidden = append(m.hidden, p.Name)
		}
		if p.Type == model.String {
			m.maxLens[i] = maxLength(p)
		}
	}
	for _, h := range def.Settings.Hidden {
		if !slices.Contains(m.hidden, h) {
			m.hidden = append(m.hidden, h)
		}
	}
	if len(def.Settings.DefaultScope) > 0 {
		scope, err := parseScope(def)
		if err != nil {
			return nil, fmt.Errorf("repository: default scope of %s: %w", def.Name, err)
		}
		m.scope = scope
	}
	return m, nil
}

// Definition returns the model definition.
func (m *Model) Definition() *model.Definition { return m.def }

// Connector returns the connector the repository uses.
func (m *Model) Connector() connector.Connector { return m.conn }

// prepare normalizes data to record values (a fault.Invalid error when a
// value does not fit its property) and drops unknown properties of a model
// whose strict setting is "filter".
func (m *Model) prepare(data connector.Record) (connector.Record, error) {
	rec, err := model.Normalize(m.def, data)
	if err != nil {
		return nil, m.invalid(err)
	}
	if m.def.Settings.Strict == model.StrictFilter {
		maps.DeleteFunc(rec, func(k string, _ any) bool { return m.def.Property(k) == nil })
	}
	return rec, nil
}

// invalid wraps a normalization error as the ValidationError of the model.
func (m *Model) invalid(err error) error {
	return &fault.Error{Kind: fault.Invalid, Name: "ValidationError",
		Message: fmt.Sprintf("The `%s` instance is not valid: %v", m.def.Name, err), Err: err}
}

// applyDefaults fills absent properties with their default value or the
// value of their default function (uuid, uuidv4, guid: a new uuid; now:
// the current time, to the millisecond).
func (m *Model) applyDefaults(rec connector.Record) {
	for _, p := range m.def.Properties {
		if _, ok := rec[p.Name]; ok {
			continue
		}
		switch {
		case p.Default != nil:
			if v, err := model.Normalize(m.def, connector.Record{p.Name: p.Default}); err == nil {
				rec[p.Name] = v[p.Name]
			}
		case p.DefaultFn == "uuid" || p.DefaultFn == "uuidv4" || p.DefaultFn == "guid":
			rec[p.Name] = uuid.NewString()
		case p.DefaultFn == "now":
			rec[p.Name] = m.now().UTC().Truncate(time.Millisecond)
		}
	}
}

// strip removes hidden properties from a result, unless ctx allows them
// (see [WithHidden]).
func (m *Model) strip(ctx context.Context, rec connector.Record) connector.Record {
	if len(m.hidden) == 0 || hiddenAllowed(ctx) {
		return rec
	}
	for _, h := range m.hidden {
		delete(rec, h)
	}
	return rec
}

// Create inserts data and returns the created instance (with its id and
// defaults). Errors: fault.Invalid (ValidationError) for invalid data,
// fault.Conflict for a duplicate id.
func (m *Model) Create(ctx context.Context, data connector.Record) (connector.Record, error) {
	rec, err := m.prepare(data)
	if err != nil {
		return nil, err
	}
	// rec is a new map, ours to hand over.
	return m.insert(ctx, rec, true)
}

// CreateOwned is [Model.Create] for a caller that hands data over, such
// as a REST handler that decoded it for this request only: the repository
// converts data in place instead of copying it, and a [connector.OwnedCreator]
// connector may return it as the result. The caller must not use data
// afterwards, whether the call succeeds or not.
func (m *Model) CreateOwned(ctx context.Context, data connector.Record) (connector.Record, error) {
	if data == nil {
		data = connector.Record{}
	}
	if err := model.NormalizeInPlace(m.def, data); err != nil {
		return nil, m.invalid(err)
	}
	if m.def.Settings.Strict == model.StrictFilter {
		maps.DeleteFunc(data, func(k string, _ any) bool { return m.def.Property(k) == nil })
	}
	return m.insert(ctx, data, true)
}

// createRecord inserts a normalized record.
func (m *Model) createRecord(ctx context.Context, rec connector.Record) (connector.Record, error) {
	return m.insert(ctx, rec, false)
}

// insert inserts a normalized record; owned says rec is a map the
// repository made, which the connector may keep.
func (m *Model) insert(ctx context.Context, rec connector.Record, owned bool) (connector.Record, error) {
	create := m.conn.Create
	if oc, ok := m.conn.(connector.OwnedCreator); ok && owned {
		create = oc.CreateOwned
	}
	return m.insertWith(ctx, rec, create)
}

// insertWith is insert with the connector's create function chosen.
func (m *Model) insertWith(ctx context.Context, rec connector.Record, create func(context.Context, *model.Definition, connector.Record) (connector.Record, error)) (connector.Record, error) {
	if s, ok := rec[m.idName].(string); ok && s == "" {
		delete(rec, m.idName) // a blank id is no id: generate one
	}
	m.applyDefaults(rec)
	if err := m.validate(rec, true); err != nil {
		return nil, err
	}
	var out connector.Record
	var err error
	if obs := m.observer(); obs != nil {
		err = m.recording(ctx, obs, func(ctx context.Context) (err error) {
			if out, err = m.create(ctx, rec, create); err != nil {
				return err
			}
			return m.emit(ctx, obs, Change{Model: m.def.Name, Kind: Created, ID: out[m.idName], Instance: m.snapshot(out), Changed: sortedKeys(rec, "")})
		})
	} else {
		out, err = m.create(ctx, rec, create)
	}
	if err != nil {
		return nil, err
	}
	return m.strip(ctx, out), nil
}

// create runs the connector's create function.
func (m *Model) create(ctx context.Context, rec connector.Record, create func(context.Context, *model.Definition, connector.Record) (connector.Record, error)) (connector.Record, error) {
	var out connector.Record
	var err error
	if m.checksParents() {
		err = m.withParents(ctx, rec, func(ctx context.Context) (err error) {
			out, err = create(ctx, m.def, rec)
			return err
		})
	} else {
		out, err = create(ctx, m.def, rec)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", m.def.Name, err)
	}
	m.shape(out, nil)
	return out, nil
}

// CreateAll inserts every instance and returns them created, in order.
// When the connector supports transactions and ctx carries none, the
// inserts run in one transaction: either all are created or none.
func (m *Model) CreateAll(ctx context.Context, data []connector.Record) ([]connector.Record, error) {
	recs := make([]connector.Record, len(data))
	for i, d := range data {
		rec, err := m.prepare(d)
		if err != nil {
			return nil, err
		}
		recs[i] = rec
	}
	return m.createAll(ctx, recs)
}

func (m *Model) createAll(ctx context.Context, recs []connector.Record) ([]connector.Record, error) {
	out := make([]connector.Record, 0, len(recs))
	err := m.atomically(ctx, func(ctx context.Context) error {
		for _, rec := range recs {
			created, err := m.createRecord(ctx, rec)
			if err != nil {
				return err
			}
			out = append(out, created)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// atomically runs fn in a transaction when the connector has them and ctx
// carries none.
func (m *Model) atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := m.conn.(connector.Transactor); !ok || connector.TxFrom(ctx) != nil {
		return fn(ctx)
	}
	txCtx, tx, err := Begin(ctx, m.conn, connector.TxOptions{})
	if errors.Is(err, errors.ErrUnsupported) {
		// A wrapper (connector.Observe) of a connector without transactions.
		return fn(ctx)
	}
	if err != nil {
		return err
	}
	return runTx(ctx, txCtx, tx, fn)
}

// Save creates data when it has no id and replaces the instance with its id
// otherwise (fault.NotFound when there is none), like LoopBack's save.
func (m *Model) Save(ctx context.Context, data connector.Record) (connector.Record, error) {
	rec, err := m.prepare(data)
	if err != nil {
		return nil, err
	}
	if rec[m.idName] == nil {
		return m.createRecord(ctx, rec)
	}
	if err := m.replaceRecord(ctx, rec[m.idName], rec); err != nil {
		return nil, err
	}
	m.shape(rec, nil)
	return m.strip(ctx, rec), nil
}

// Find returns the instances that match f merged with the default scope.
// An invalid filter is a fault.BadRequest.
func (m *Model) Find(ctx context.Context, f *filter.Filter) ([]connector.Record, error) {
	q, err := m.query(ctx, f)
	if err != nil {
		return nil, err
	}
	return m.find(ctx, q)
}

// FindJSON is [Model.Find] for callers that write what they find as JSON
// objects of the visible properties, such as the CRUD REST API. When the
// connector is a [connector.JSONFinder] and the query needs nothing it cannot do
// (fields, inclusions), it returns the connector's rows and ok; otherwise
// it returns ok false without running the query, and the caller uses Find.
// The filter is validated and merged with the default scope either way.
func (m *Model) FindJSON(ctx context.Context, f *filter.Filter) (rows connector.JSONRows, ok bool, err error) {
	return m.findJSON(ctx, f, func() (*filter.Filter, error) { return m.query(ctx, f) })
}

// findJSON runs the query that query builds from f on a connector.JSONFinder
// connector, when f and the query need nothing it cannot do.
func (m *Model) findJSON(ctx context.Context, f *filter.Filter, query func() (*filter.Filter, error)) (connector.JSONRows, bool, error) {
	jf, isJF := m.conn.(connector.JSONFinder)
	if !isJF || f != nil && (len(f.Include) > 0 || f.Fields != nil) {
		return nil, false, nil
	}
	q, err := query()
	if err != nil {
		return nil, true, err
	}
	if len(q.Include) > 0 || q.Fields != nil || across(q) {
		return nil, false, nil
	}
	rows, err := jf.FindJSON(ctx, m.def, q)
	if err != nil {
		return nil, true, fmt.Errorf("find %s: %w", m.def.Name, err)
	}
	return rows, true, nil
}

// find runs a validated query: the connector's Find, then the inclusions,
// then hidden properties are removed.
func (m *Model) find(ctx context.Context, q *filter.Filter) ([]connector.Record, error) {
	incs := q.Include
	var extra []string
	if len(incs) > 0 {
		plain := *q
		plain.Include = nil
		if q.Fields != nil {
			// The relations' source keys must be read to find related
			// instances; drop them again afterwards if not asked for.
			fields := &filter.Fields{Include: slices.Clone(q.Fields.Include), Exclude: slices.Clone(q.Fields.Exclude)}
			for _, inc := range incs {
				rel := m.def.Relation(inc.Relation)
				if rel == nil {
					continue
				}
				k := rel.KeyFrom
				if len(fields.Include) > 0 && !slices.Contains(fields.Include, k) {
					fields.Include = append(fields.Include, k)
					extra = append(extra, k)
				}
				if i := slices.Index(fields.Exclude, k); i >= 0 {
					fields.Exclude = slices.Delete(fields.Exclude, i, i+1)
					extra = append(extra, k)
				}
			}
			plain.Fields = fields
		}
		q = &plain
	}
	w, err := m.resolveAcross(ctx, q.Where)
	if err != nil {
		return nil, err
	}
	if w != q.Where {
		cp := *q
		cp.Where = w
		q = &cp
	}
	var recs []connector.Record
	if m.orderAcross(q) {
		recs, err = m.findOrderedAcross(ctx, q)
	} else if recs, err = m.conn.Find(ctx, m.def, q); err != nil {
		err = fmt.Errorf("find %s: %w", m.def.Name, err)
	}
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		m.shape(r, q.Fields)
	}
	if len(incs) > 0 {
		if err := m.include(ctx, recs, incs); err != nil {
			return nil, err
		}
	}
	for _, r := range recs {
		m.strip(ctx, r)
		for _, k := range extra {
			delete(r, k)
		}
	}
	return recs, nil
}

// FindOne returns the first instance that matches f, or nil when none does.
func (m *Model) FindOne(ctx context.Context, f *filter.Filter) (connector.Record, error) {
	one := filter.Filter{}
	if f != nil {
		one = *f
	}
	one.Limit = 1
	recs, err := m.Find(ctx, &one)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return recs[0], nil
}

// FindByID returns the instance with id. f may select fields and
// inclusions but may not have a where clause (a fault.BadRequest). A
// missing instance is LoopBack's ENTITY_NOT_FOUND (fault.NotFound).
func (m *Model) FindByID(ctx context.Context, id any, f *filter.Filter) (connector.Record, error) {
	q, idv, err := m.byIDQuery(ctx, id, f)
	if err != nil {
		return nil, err
	}
	recs, err := m.find(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, connector.NotFoundError(m.def, idv)
	}
	return recs[0], nil
}

// FindByIDJSON is [Model.FindByID] for callers that write the instance
// as JSON, as [Model.FindJSON] is for Find: rows holding the one instance
// and ok, or ok false (and nothing done) when the connector is not a
// [connector.JSONFinder] or f selects fields or inclusions.
func (m *Model) FindByIDJSON(ctx context.Context, id any, f *filter.Filter) (rows connector.JSONRows, ok bool, err error) {
	var idv any
	rows, ok, err = m.findJSON(ctx, f, func() (q *filter.Filter, err error) {
		q, idv, err = m.byIDQuery(ctx, id, f)
		return q, err
	})
	if ok && err == nil && rows.Len() == 0 {
		return nil, true, connector.NotFoundError(m.def, idv)
	}
	return rows, ok, err
}

// byIDQuery returns the query that finds the instance with id (f checked,
// merged with the default scope) and the id converted to its property's
// type.
func (m *Model) byIDQuery(ctx context.Context, id any, f *filter.Filter) (*filter.Filter, any, error) {
	idv, err := m.idValue(id)
	if err != nil {
		return nil, nil, err
	}
	q := filter.Filter{}
	if f != nil {
		if f.Where != nil {
			return nil, nil, fault.New(fault.BadRequest, "INVALID_FILTER", "Invalid filter: a findById filter cannot have a where clause")
		}
		checked, err := m.checkFilter(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		q = *checked
	}
	if m.scope != nil {
		q = *mergeFilter(m.scope, &q)
	}
	q.Where = andWhere(m.idWhere(idv), q.Where)
	q.Limit, q.Skip = 1, 0
	return &q, idv, nil
}

// Exists reports whether an instance with id exists.
func (m *Model) Exists(ctx context.Context, id any) (bool, error) {
	idv, err := m.idValue(id)
	if err != nil {
		return false, err
	}
	n, err := m.conn.Count(ctx, m.def, m.scopedWhere(m.idWhere(idv)))
	if err != nil {
		return false, fmt.Errorf("count %s: %w", m.def.Name, err)
	}
	return n > 0, nil
}

// Count returns the number of instances that match w and the default scope.
func (m *Model) Count(ctx context.Context, w *filter.Where) (int64, error) {
	w, err := m.where(ctx, w)
	if err != nil {
		return 0, err
	}
	n, err := m.conn.Count(ctx, m.def, w)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", m.def.Name, err)
	}
	return n, nil
}

// Update sets every property of data on the instance with data's id (see
// UpdateByID).
func (m *Model) Update(ctx context.Context, data connector.Record) error {
	id, ok := data[m.idName]
	if !ok || id == nil {
		return fault.New(fault.BadRequest, "MISSING_ID", fmt.Sprintf("update %s: the instance has no id", m.def.Name))
	}
	return m.UpdateByID(ctx, id, data)
}

// UpdateAll sets the properties in data on every instance that matches w
// and the default scope, and returns how many matched. Id properties in
// data are ignored.
func (m *Model) UpdateAll(ctx context.Context, data connector.Record, w *filter.Where) (int64, error) {
	rec, err := m.prepare(data)
	if err != nil {
		return 0, err
	}
	delete(rec, m.idName)
	if err := m.validate(rec, false); err != nil {
		return 0, err
	}
	w, err = m.where(ctx, w)
	if err != nil {
		return 0, err
	}
	var n int64
	if obs := m.observer(); obs != nil {
		err = m.atomically(ctx, func(ctx context.Context) error {
			ids, err := m.matchingIDs(ctx, w)
			if err != nil {
				return err
			}
			err = m.withParents(ctx, rec, func(ctx context.Context) (err error) {
				n, err = m.conn.UpdateAll(ctx, m.def, w, rec)
				return err
			})
			if err != nil {
				return err
			}
			return m.readBack(ctx, obs, Updated, ids, sortedKeys(rec, m.idName))
		})
	} else {
		err = m.withParents(ctx, rec, func(ctx context.Context) (err error) {
			n, err = m.conn.UpdateAll(ctx, m.def, w, rec)
			return err
		})
	}
	if err != nil {
		return 0, fmt.Errorf("update %s: %w", m.def.Name, err)
	}
	return n, nil
}

// UpdateByID sets the properties in data on the instance with id. Empty
// data is a fault.BadRequest (INVALID_BODY_DEFINITION); a missing instance
// is ENTITY_NOT_FOUND. An id in data is ignored, whatever its value: ids
// cannot change, and LoopBack's connectors leave the id out of a partial
// update too (PATCH /todos/1 with {"id":2} updates todo 1).
func (m *Model) UpdateByID(ctx context.Context, id any, data connector.Record) error {
	if len(data) == 0 {
		return fault.New(fault.BadRequest, "INVALID_BODY_DEFINITION", "Data is required for the patch request")
	}
	idv, err := m.idValue(id)
	if err != nil {
		return err
	}
	rec, err := m.prepare(data)
	if err != nil {
		return err
	}
	return m.updateRecord(ctx, idv, rec)
}

// updateRecord applies a normalized patch to the instance with idv.
func (m *Model) updateRecord(ctx context.Context, idv any, rec connector.Record) error {
	delete(rec, m.idName)
	if err := m.validate(rec, false); err != nil {
		return err
	}
	if obs := m.observer(); obs != nil {
		return m.recording(ctx, obs, func(ctx context.Context) error {
			if err := m.update(ctx, idv, rec); err != nil {
				return err
			}
			if err := m.readBack(ctx, obs, Updated, []any{idv}, sortedKeys(rec, m.idName)); err != nil {
				return fmt.Errorf("update %s by id: read back: %w", m.def.Name, err)
			}
			return nil
		})
	}
	return m.update(ctx, idv, rec)
}

// update runs the connector's update of the instance with idv.
func (m *Model) update(ctx context.Context, idv any, rec connector.Record) error {
	var n int64
	var err error
	if m.checksParents() {
		err = m.withParents(ctx, rec, func(ctx context.Context) (err error) {
			n, err = m.conn.UpdateAll(ctx, m.def, m.scopedWhere(m.idWhere(idv)), rec)
			return err
		})
	} else {
		n, err = m.conn.UpdateAll(ctx, m.def, m.scopedWhere(m.idWhere(idv)), rec)
	}
	if err != nil {
		return fmt.Errorf("update %s by id: %w", m.def.Name, err)
	}
	if n == 0 {
		return connector.NotFoundError(m.def, idv)
	}
	return nil
}

// ReplaceByID replaces the instance with id by data: properties absent from
// data are cleared (or get their default). Data is validated like on
// create; a missing instance is ENTITY_NOT_FOUND; an id in data that
// differs from id is LoopBack's 400 (a fault.BadRequest named "Error",
// "id property (id) cannot be updated from 1 to 2").
func (m *Model) ReplaceByID(ctx context.Context, id any, data connector.Record) error {
	rec, err := m.prepare(data)
	if err != nil {
		return err
	}
	return m.replaceRecord(ctx, id, rec)
}

// checkIDChange refuses a record whose id differs from idv: ids cannot be
// changed. The error is juggler's (replaceById): no code, name "Error",
// the ids written as JavaScript's %s writes them.
func (m *Model) checkIDChange(rec connector.Record, idv any) error {
	if v, ok := rec[m.idName]; ok && v != nil && !sameID(v, idv) {
		return &fault.Error{Kind: fault.BadRequest, Name: "Error",
			Message: fmt.Sprintf("id property (%s) cannot be updated from %v to %v", m.idName, idv, v)}
	}
	return nil
}

// replaceRecord replaces the instance with id (any id form) by a
// normalized record.
func (m *Model) replaceRecord(ctx context.Context, id any, rec connector.Record) error {
	idv, err := m.idValue(id)
	if err != nil {
		return err
	}
	if err := m.checkIDChange(rec, idv); err != nil {
		return err
	}
	rec[m.idName] = idv
	m.applyDefaults(rec)
	if err := m.validate(rec, true); err != nil {
		return err
	}
	replace := func(ctx context.Context) error {
		err := m.withParents(ctx, rec, func(ctx context.Context) error {
			return m.conn.ReplaceByID(ctx, m.def, idv, rec)
		})
		if err != nil {
			return fmt.Errorf("replace %s: %w", m.def.Name, err)
		}
		return nil
	}
	obs := m.observer()
	if obs == nil {
		return replace(ctx)
	}
	return m.recording(ctx, obs, func(ctx context.Context) error {
		if err := replace(ctx); err != nil {
			return err
		}
		after := m.snapshot(rec)
		m.shape(after, nil)
		return m.emit(ctx, obs, Change{Model: m.def.Name, Kind: Replaced, ID: idv, Instance: after, Changed: sortedKeys(rec, m.idName)})
	})
}

// Delete deletes the instance with data's id.
func (m *Model) Delete(ctx context.Context, data connector.Record) error {
	id, ok := data[m.idName]
	if !ok || id == nil {
		return fault.New(fault.BadRequest, "MISSING_ID", fmt.Sprintf("delete %s: the instance has no id", m.def.Name))
	}
	return m.DeleteByID(ctx, id)
}

// DeleteAll deletes every instance that matches w and the default scope,
// and returns how many were deleted.
func (m *Model) DeleteAll(ctx context.Context, w *filter.Where) (int64, error) {
	w, err := m.where(ctx, w)
	if err != nil {
		return 0, err
	}
	n, err := m.deleteWhere(ctx, w, 0)
	if err != nil {
		return 0, fmt.Errorf("delete %s: %w", m.def.Name, err)
	}
	return n, nil
}

// DeleteByID deletes the instance with id; a missing instance is
// ENTITY_NOT_FOUND.
func (m *Model) DeleteByID(ctx context.Context, id any) error {
	idv, err := m.idValue(id)
	if err != nil {
		return err
	}
	n, err := m.deleteWhere(ctx, m.scopedWhere(m.idWhere(idv)), 0)
	if err != nil {
		return fmt.Errorf("delete %s by id: %w", m.def.Name, err)
	}
	if n == 0 {
		return connector.NotFoundError(m.def, idv)
	}
	return nil
}

// Execute runs a native command on the connector. A connector that is not
// a [connector.Executor] gives a fault.NotImplemented error.
func (m *Model) Execute(ctx context.Context, command string, args ...any) (*connector.Result, error) {
	return Execute(ctx, m.conn, command, args...)
}

// Execute runs a native command on conn; a connector that is not a
// [connector.Executor] gives a fault.NotImplemented error.
func Execute(ctx context.Context, conn connector.Connector, command string, args ...any) (*connector.Result, error) {
	ex, ok := conn.(connector.Executor)
	if !ok {
		return nil, fault.New(fault.NotImplemented, "NOT_IMPLEMENTED", "execute: the connector does not support native commands")
	}
	res, err := ex.Execute(ctx, command, args...)
	if err != nil {
		return nil, fmt.Errorf("execute: %w", err)
	}
	return res, nil
}

// goValue turns values of named Go types (type TodoID int64) into their
// underlying basic type.
func goValue(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.String:
		return rv.String()
	}
	return v
}

func sameID(a, b any) bool {
	if a == b {
		return true
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// idWhere is "id = idv".
func (m *Model) idWhere(idv any) *filter.Where {
	// One allocation for the clause and its condition.
	c := &struct {
		w    filter.Where
		cond [1]filter.Cond
	}{cond: [1]filter.Cond{{Path: m.idName, Op: filter.Eq, Value: idv}}}
	c.w.Conds = c.cond[:]
	return &c.w
}

// scopedWhere adds the default scope's where to a where built here.
func (m *Model) scopedWhere(w *filter.Where) *filter.Where {
	if m.scope == nil {
		return w
	}
	return andWhere(m.scope.Where, w)
}

// where validates a caller's where clause and adds the default scope.
func (m *Model) where(ctx context.Context, w *filter.Where) (*filter.Where, error) {
	w, err := m.checkWhere(ctx, w)
	if err != nil {
		return nil, err
	}
	return m.resolveAcross(ctx, m.scopedWhere(w))
}

// query validates a caller's filter and merges the default scope.
func (m *Model) query(ctx context.Context, f *filter.Filter) (*filter.Filter, error) {
	if f != nil {
		checked, err := m.checkFilter(ctx, f)
		if err != nil {
			return nil, err
		}
		f = checked
	}
	if m.scope == nil {
		if f == nil {
			return &filter.Filter{}, nil
		}
		return f, nil
	}
	return mergeFilter(m.scope, f), nil
}

// mergeFilter merges a default scope into a filter the way LoopBack does:
// the where clauses are and-ed, the filter's fields, order, limit and skip
// win when set, and inclusions are concatenated.
func mergeFilter(scope, f *filter.Filter) *filter.Filter {
	out := &filter.Filter{}
	if f != nil {
		*out = *f
	}
	out.Where = andWhere(scope.Where, out.Where)
	if out.Fields == nil {
		out.Fields = scope.Fields
	}
	if len(out.Order) == 0 {
		out.Order = scope.Order
	}
	if out.Limit == 0 {
		out.Limit = scope.Limit
	}
	if out.Skip == 0 {
		out.Skip = scope.Skip
	}
	if len(scope.Include) > 0 {
		out.Include = append(slices.Clip(scope.Include), out.Include...)
	}
	return out
}

func andWhere(a, b *filter.Where) *filter.Where {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &filter.Where{And: []*filter.Where{a, b}}
}
