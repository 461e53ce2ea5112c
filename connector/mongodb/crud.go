package mongodb

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// sequences is the collection holding the counters of generated integer
// ids: one document {_id: collection, seq: last id} per collection.
const sequences = "lb_sequences"

func (c *Connector) coll(mm *modelMap) *mongo.Collection { return c.db.Collection(mm.coll) }

// nextID takes the next number of mm's counter.
func (c *Connector) nextID(ctx context.Context, mm *modelMap) (int64, error) {
	var out struct {
		Seq int64 `bson:"seq"`
	}
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	var err error
	for range 20 { // concurrent upserts of a new counter may collide once
		err = c.db.Collection(sequences).FindOneAndUpdate(ctx, idFilter(mm.coll),
			bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}}}}, opts).Decode(&out)
		if err == nil || !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	if err != nil {
		return 0, c.fail("next id of "+mm.def.Name, err)
	}
	return out.Seq, nil
}

// raiseSequence moves mm's counter to at least n.
func (c *Connector) raiseSequence(ctx context.Context, mm *modelMap, n int64) error {
	_, err := c.db.Collection(sequences).UpdateOne(ctx, idFilter(mm.coll),
		bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: n}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return c.fail("move the id counter of "+mm.def.Name, err)
	}
	return nil
}

// Create inserts rec; see [connector.Connector.Create]. A missing integer
// id is the next number of the collection's counter (an explicit one
// moves the counter past it), a missing ObjectId id is a new ObjectId
// (answered as its hex string), a missing uuid id a new uuid.
func (c *Connector) Create(ctx context.Context, def *model.Definition, rec connector.Record) (connector.Record, error) {
	mm, err := c.maps.of(def)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(def, rec); err != nil {
		return nil, err
	}
	out := maps.Clone(rec)
	if out == nil {
		out = connector.Record{}
	}
	generated := false
	if mm.id != nil && out[mm.id.Name] == nil {
		switch mm.idKind {
		case idSequence:
			generated = true
		case idObjectID:
			out[mm.id.Name] = bson.NewObjectID().Hex()
		case idUUID:
			out[mm.id.Name] = uuid.NewString()
		default:
			return nil, fault.New(fault.BadRequest, "MISSING_ID", fmt.Sprintf("create %s: the id is required", def.Name))
		}
	}
	for attempt := 0; ; attempt++ {
		if generated {
			n, err := c.nextID(ctx, mm)
			if err != nil {
				return nil, err
			}
			if mm.id.Integer {
				out[mm.id.Name] = n
			} else {
				out[mm.id.Name] = float64(n)
			}
		}
		_, err = c.coll(mm).InsertOne(ctx, mm.document(out))
		if err == nil {
			break
		}
		if generated && attempt < 50 && mongo.IsDuplicateKeyError(err) && (len(mm.unique) == 0 || c.idTaken(ctx, mm, out)) {
			// Another create took the number meanwhile (an explicit id, or,
			// on a server whose updates are not atomic, such as FerretDB,
			// the same number): move the counter past the greatest id.
			if err := c.resync(ctx, mm); err != nil {
				return nil, err
			}
			time.Sleep(time.Duration(rand.IntN(attempt+1)) * time.Millisecond)
			continue
		}
		return nil, c.writeFail(ctx, mm, "create "+def.Name, err, out, nil)
	}
	if mm.idKind == idSequence && !generated {
		if n, ok := out[mm.id.Name].(int64); ok {
			if err := c.raiseSequence(ctx, mm, n); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// resync moves mm's counter to the greatest numeric id of the collection.
func (c *Connector) resync(ctx context.Context, mm *modelMap) error {
	var top struct {
		ID any `bson:"_id"`
	}
	err := c.coll(mm).FindOne(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$type", Value: "number"}}}},
		options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}}).SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&top)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return c.fail("find the greatest id of "+mm.def.Name, err)
	}
	switch n := top.ID.(type) {
	case int64:
		return c.raiseSequence(ctx, mm, n)
	case int32:
		return c.raiseSequence(ctx, mm, int64(n))
	case float64:
		return c.raiseSequence(ctx, mm, int64(n))
	}
	return nil
}

// idTaken reports whether an instance has rec's id.
func (c *Connector) idTaken(ctx context.Context, mm *modelMap, rec connector.Record) bool {
	n, err := c.coll(mm).CountDocuments(ctx, idFilter(mm.idValue(rec[mm.id.Name])))
	return err == nil && n > 0
}

// writeFail maps the error of a write of rec (or of data set on the
// instances matching q): a duplicate key is a fault.Conflict naming the
// property whose value is taken.
func (c *Connector) writeFail(ctx context.Context, mm *modelMap, step string, err error, rec connector.Record, q bson.D) error {
	if !mongo.IsDuplicateKeyError(err) {
		return c.fail(step, err)
	}
	if mm.id != nil && rec[mm.id.Name] != nil && q == nil && c.idTaken(ctx, mm, rec) {
		return connector.DuplicateError(mm.def, mm.id.Name)
	}
	for _, p := range mm.unique {
		v, ok := rec[p.Name]
		if !ok || v == nil {
			continue
		}
		cond := bson.D{{Key: mm.field[p.Name], Value: bson.D{{Key: "$eq", Value: mm.propValue(p.Name, v)}}}}
		if mm.id != nil && rec[mm.id.Name] != nil {
			cond = append(cond, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: mm.idValue(rec[mm.id.Name])}}})
		}
		if n, err := c.coll(mm).CountDocuments(ctx, cond); err == nil && n > 0 {
			return connector.DuplicateError(mm.def, p.Name)
		}
	}
	for _, ix := range mm.def.Settings.Indexes {
		if !ix.Unique || len(ix.Columns) == 0 {
			continue
		}
		cond := bson.D{}
		for _, p := range ix.Columns {
			if v := rec[p]; v != nil {
				cond = append(cond, bson.E{Key: mm.fieldOf(p), Value: bson.D{{Key: "$eq", Value: mm.propValue(p, v)}}})
			}
		}
		if len(cond) != len(ix.Columns) {
			continue
		}
		if mm.id != nil && rec[mm.id.Name] != nil {
			cond = append(cond, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: mm.idValue(rec[mm.id.Name])}}})
		}
		if n, err := c.coll(mm).CountDocuments(ctx, cond); err == nil && n > 0 {
			return connector.DuplicateError(mm.def, ix.Columns[0])
		}
	}
	prop := "id"
	if mm.id != nil {
		prop = mm.id.Name
	}
	if len(mm.unique) > 0 && q != nil {
		prop = mm.unique[0].Name
	}
	return connector.DuplicateError(mm.def, prop)
}

// checkUnique refuses, before writing, to set a unique property of the
// instances q selects to a value another instance has, or to one value on
// more than one instance: a fault.Conflict naming the property. The
// unique index still guards against a write racing this check (and a
// server that does not report the index violation as a duplicate key,
// as FerretDB does on updates, then answers a 500).
func (c *Connector) checkUnique(ctx context.Context, mm *modelMap, step string, q bson.D, data connector.Record) error {
	for _, p := range mm.unique {
		v, ok := data[p.Name]
		if !ok || v == nil {
			continue
		}
		n, err := c.coll(mm).CountDocuments(ctx, q, options.Count().SetLimit(2))
		if err != nil {
			return c.fail(step, err)
		}
		if n == 0 {
			return nil
		}
		if n > 1 {
			return connector.DuplicateError(mm.def, p.Name)
		}
		other := bson.D{{Key: mm.field[p.Name], Value: bson.D{{Key: "$eq", Value: mm.propValue(p.Name, v)}}},
			{Key: "$nor", Value: bson.A{q}}}
		if n, err = c.coll(mm).CountDocuments(ctx, other, options.Count().SetLimit(1)); err != nil {
			return c.fail(step, err)
		}
		if n > 0 {
			return connector.DuplicateError(mm.def, p.Name)
		}
	}
	return nil
}

// Find returns the matching instances; see [connector.Connector.Find].
func (c *Connector) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	mm, err := c.maps.of(def)
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = &filter.Filter{}
	}
	q, err := mm.compileWhere(f.Where)
	if err != nil {
		return nil, err
	}
	opts := options.Find()
	if !mm.byID(f.Where) {
		opts.SetSort(mm.sortDoc(f.Order))
	}
	if q.match == nil {
		if p := mm.projection(f.Fields); p != nil {
			opts.SetProjection(p)
		}
		if f.Limit > 0 {
			opts.SetLimit(int64(f.Limit))
		}
		if f.Skip > 0 {
			opts.SetSkip(int64(f.Skip))
		}
	}
	cur, err := c.coll(mm).Find(ctx, q.doc, opts)
	if err != nil {
		return nil, c.fail("find "+def.Name, err)
	}
	defer cur.Close(ctx)
	recs := []connector.Record{}
	for cur.Next(ctx) {
		var d bson.D
		if err := cur.Decode(&d); err != nil {
			return nil, c.fail("decode "+def.Name, err)
		}
		rec := mm.record(d)
		if q.match != nil && !q.match(rec) {
			continue
		}
		recs = append(recs, rec)
	}
	if err := cur.Err(); err != nil {
		return nil, c.fail("find "+def.Name, err)
	}
	if q.match != nil {
		recs = filter.Page(recs, f.Limit, f.Skip)
		if f.Fields != nil {
			for i, r := range recs {
				recs[i] = filter.Project(r, f.Fields)
			}
		}
	}
	return recs, nil
}

// matchingIDs returns the ids of the instances a Go-evaluated query
// matches, as a query selecting exactly them.
func (c *Connector) matchingIDs(ctx context.Context, mm *modelMap, q *query) (bson.D, int64, error) {
	cur, err := c.coll(mm).Find(ctx, q.doc)
	if err != nil {
		return nil, 0, c.fail("find "+mm.def.Name, err)
	}
	defer cur.Close(ctx)
	ids := bson.A{}
	for cur.Next(ctx) {
		var d bson.D
		if err := cur.Decode(&d); err != nil {
			return nil, 0, c.fail("decode "+mm.def.Name, err)
		}
		if q.match(mm.record(d)) {
			for _, e := range d {
				if e.Key == "_id" {
					ids = append(ids, e.Value)
				}
			}
		}
	}
	if err := cur.Err(); err != nil {
		return nil, 0, c.fail("find "+mm.def.Name, err)
	}
	return bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, int64(len(ids)), nil
}

// Count returns the number of matching instances.
func (c *Connector) Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	mm, err := c.maps.of(def)
	if err != nil {
		return 0, err
	}
	q, err := mm.compileWhere(w)
	if err != nil {
		return 0, err
	}
	if q.match != nil {
		_, n, err := c.matchingIDs(ctx, mm, q)
		return n, err
	}
	n, err := c.coll(mm).CountDocuments(ctx, q.doc)
	if err != nil {
		return 0, c.fail("count "+def.Name, err)
	}
	return n, nil
}

// resolve turns a query into a server query document.
func (c *Connector) resolve(ctx context.Context, mm *modelMap, w *filter.Where) (bson.D, error) {
	q, err := mm.compileWhere(w)
	if err != nil {
		return nil, err
	}
	if q.match == nil {
		return q.doc, nil
	}
	d, _, err := c.matchingIDs(ctx, mm, q)
	return d, err
}

// UpdateAll sets data on the matching instances and returns how many
// matched; a nil value removes the property. Setting a unique property
// to one value on more than one instance is a conflict that changes
// nothing.
func (c *Connector) UpdateAll(ctx context.Context, def *model.Definition, w *filter.Where, data connector.Record) (int64, error) {
	mm, err := c.maps.of(def)
	if err != nil {
		return 0, err
	}
	if err := checkKeys(def, data); err != nil {
		return 0, err
	}
	q, err := c.resolve(ctx, mm, w)
	if err != nil {
		return 0, err
	}
	set, unset := bson.D{}, bson.D{}
	for k, v := range data {
		f, ok := mm.field[k]
		if !ok {
			f = k
		}
		if f == "_id" {
			continue
		}
		if v == nil {
			unset = append(unset, bson.E{Key: f, Value: ""})
		} else {
			set = append(set, bson.E{Key: f, Value: mm.propValue(k, v)})
		}
	}
	if len(set) == 0 && len(unset) == 0 {
		return c.Count(ctx, def, w)
	}
	if err := c.checkUnique(ctx, mm, "update "+def.Name, q, data); err != nil {
		return 0, err
	}
	upd := bson.D{}
	if len(set) > 0 {
		upd = append(upd, bson.E{Key: "$set", Value: set})
	}
	if len(unset) > 0 {
		upd = append(upd, bson.E{Key: "$unset", Value: unset})
	}
	res, err := c.coll(mm).UpdateMany(ctx, q, upd)
	if err != nil {
		return 0, c.writeFail(ctx, mm, "update "+def.Name, err, data, q)
	}
	return res.MatchedCount, nil
}

// DeleteAll deletes the matching instances and returns how many.
func (c *Connector) DeleteAll(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	mm, err := c.maps.of(def)
	if err != nil {
		return 0, err
	}
	q, err := c.resolve(ctx, mm, w)
	if err != nil {
		return 0, err
	}
	res, err := c.coll(mm).DeleteMany(ctx, q)
	if err != nil {
		return 0, c.fail("delete "+def.Name, err)
	}
	return res.DeletedCount, nil
}

// ReplaceByID replaces the instance whose id is id with rec; see
// [connector.Connector.ReplaceByID].
func (c *Connector) ReplaceByID(ctx context.Context, def *model.Definition, id any, rec connector.Record) error {
	mm, err := c.maps.of(def)
	if err != nil {
		return err
	}
	if mm.id == nil {
		return errors.New("mongodb: replace " + def.Name + ": the model has no id")
	}
	if err := checkKeys(def, rec); err != nil {
		return err
	}
	doc := mm.document(rec)
	if err := c.checkUnique(ctx, mm, "replace "+def.Name, idFilter(mm.idValue(id)), rec); err != nil {
		return err
	}
	res, err := c.coll(mm).ReplaceOne(ctx, idFilter(mm.idValue(id)), doc)
	if err != nil {
		r := maps.Clone(rec)
		r[mm.id.Name] = id
		return c.writeFail(ctx, mm, "replace "+def.Name, err, r, idFilter(mm.idValue(id)))
	}
	if res.MatchedCount == 0 {
		return connector.NotFoundError(def, id)
	}
	return nil
}
