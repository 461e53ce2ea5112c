package mongodb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/model"
)

// Automigrate drops the collection of each definition (and its id
// counter), then creates its indexes; existing data is lost.
func (c *Connector) Automigrate(ctx context.Context, defs []*model.Definition) error {
	for _, def := range defs {
		mm, err := c.maps.of(def)
		if err != nil {
			return err
		}
		if err := c.coll(mm).Drop(ctx); err != nil {
			return c.fail("drop "+mm.coll, err)
		}
		if _, err := c.db.Collection(sequences).DeleteOne(ctx, idFilter(mm.coll)); err != nil {
			return c.fail("reset the id counter of "+mm.coll, err)
		}
		if err := c.ensure(ctx, mm); err != nil {
			return err
		}
	}
	return nil
}

// Autoupdate creates the collection and the indexes of each definition
// that are missing, keeping data.
func (c *Connector) Autoupdate(ctx context.Context, defs []*model.Definition) error {
	for _, def := range defs {
		mm, err := c.maps.of(def)
		if err != nil {
			return err
		}
		if err := c.ensure(ctx, mm); err != nil {
			return err
		}
	}
	return nil
}

// indexModels are the indexes a definition declares: one per property
// with index or unique set (the id excepted: _id is always unique), and
// the model-level ones. Unique indexes are sparse: they only cover
// instances that have the values (the connector stores no nulls), so that
// any number of instances may have none, as on the SQL connectors.
func (mm *modelMap) indexModels() ([]mongo.IndexModel, []string) {
	var out []mongo.IndexModel
	var names []string
	add := func(name string, props []string, unique bool) {
		keys := bson.D{}
		for _, p := range props {
			keys = append(keys, bson.E{Key: mm.fieldOf(p), Value: 1})
		}
		opts := options.Index().SetName(name)
		if unique {
			opts.SetUnique(true).SetSparse(true)
		}
		out = append(out, mongo.IndexModel{Keys: keys, Options: opts})
		names = append(names, name)
	}
	for _, p := range mm.def.Properties {
		if p == mm.id || !p.Index && !p.Unique {
			continue
		}
		add(mm.fieldOf(p.Name)+"_1", []string{p.Name}, p.Unique)
	}
	for _, ix := range mm.def.Settings.Indexes {
		name := ix.Name
		if name == "" {
			var parts []string
			for _, p := range ix.Columns {
				parts = append(parts, mm.fieldOf(p)+"_1")
			}
			name = strings.Join(parts, "_")
		}
		add(name, ix.Columns, ix.Unique)
	}
	return out, names
}

// ensure creates mm's collection and indexes when they are missing.
func (c *Connector) ensure(ctx context.Context, mm *modelMap) error {
	names, err := c.db.ListCollectionNames(ctx, bson.D{{Key: "name", Value: mm.coll}})
	if err != nil {
		return c.fail("list collections", err)
	}
	if !slices.Contains(names, mm.coll) {
		if err := c.db.CreateCollection(ctx, mm.coll); err != nil && !isExists(err) {
			return c.fail("create collection "+mm.coll, err)
		}
	}
	all, names := mm.indexModels()
	if len(all) == 0 {
		return nil
	}
	// Create only the indexes that are missing (an index of the same
	// name is taken as it is).
	specs, err := c.coll(mm).Indexes().ListSpecifications(ctx)
	if err != nil {
		return c.fail("list the indexes of "+mm.coll, err)
	}
	var ims []mongo.IndexModel
	for i, im := range all {
		if !slices.ContainsFunc(specs, func(s mongo.IndexSpecification) bool { return s.Name == names[i] }) {
			ims = append(ims, im)
		}
	}
	if len(ims) == 0 {
		return nil
	}
	if _, err := c.coll(mm).Indexes().CreateMany(ctx, ims); err != nil {
		return c.fail("create the indexes of "+mm.coll, err)
	}
	return nil
}

// isExists reports a NamespaceExists error (a collection created
// meanwhile).
func isExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && ce.Code == 48
}

// DiscoverModels lists the collections of the database (the id counters
// and system collections left out). Views are listed when opts.Views is
// set. Schema and All are ignored: a connector works in one database.
func (c *Connector) DiscoverModels(ctx context.Context, opts connector.DiscoverOptions) ([]connector.ModelInfo, error) {
	specs, err := c.db.ListCollectionSpecifications(ctx, bson.D{})
	if err != nil {
		return nil, c.fail("list collections", err)
	}
	var out []connector.ModelInfo
	for _, s := range specs {
		if s.Name == sequences || strings.HasPrefix(s.Name, "system.") {
			continue
		}
		typ := "table"
		if s.Type == "view" {
			if !opts.Views {
				continue
			}
			typ = "view"
		}
		out = append(out, connector.ModelInfo{Name: s.Name, Schema: c.db.Name(), Type: typ})
	}
	slices.SortFunc(out, func(a, b connector.ModelInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// sampleSize is how many documents discovery reads to infer fields.
const sampleSize = 100

// DiscoverDefinition builds a model definition for a collection from a
// sample of its documents (the first 100 in _id order): every field seen
// becomes a property whose type is the one all its values share (string,
// number, integer, boolean, date, buffer, object, array), any when they
// differ; _id becomes the id property "id" (a string for ObjectIds). A
// field missing from some documents is not required.
func (c *Connector) DiscoverDefinition(ctx context.Context, collection string, _ connector.DiscoverOptions) (*model.Definition, error) {
	cur, err := c.db.Collection(collection).Find(ctx, bson.D{},
		options.Find().SetLimit(sampleSize).SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, c.fail("sample "+collection, err)
	}
	defer cur.Close(ctx)
	def := &model.Definition{Name: collection, Settings: model.Settings{
		Connector: map[string]map[string]any{settingsKey: {"collection": collection}}}}
	byName := map[string]*model.Property{}
	for cur.Next(ctx) {
		var d bson.D
		if err := cur.Decode(&d); err != nil {
			return nil, c.fail("decode "+collection, err)
		}
		for _, e := range d {
			name := e.Key
			if name == "_id" {
				name = "id"
			}
			t, integer := bsonType(e.Value)
			p, ok := byName[name]
			if !ok {
				p = &model.Property{Name: name, Type: t, Integer: integer}
				if e.Key == "_id" {
					p.ID = 1
					if _, oid := e.Value.(bson.ObjectID); oid {
						p.Generated = true
						p.Connector = map[string]map[string]any{settingsKey: {"dataType": "ObjectId"}}
					}
				}
				byName[name] = p
				def.Properties = append(def.Properties, p)
				continue
			}
			switch {
			case t == "":
			case p.Type == "":
				p.Type, p.Integer = t, integer
			case p.Type == model.Number && t == model.Number:
				p.Integer = p.Integer && integer
			case p.Type != t:
				p.Type, p.Integer = model.Any, false
			}
		}
	}
	if err := cur.Err(); err != nil {
		return nil, c.fail("sample "+collection, err)
	}
	if len(def.Properties) == 0 {
		return nil, fmt.Errorf("mongodb: discover %s: the collection is empty or missing", collection)
	}
	for _, p := range def.Properties {
		if p.Type == "" {
			p.Type = model.Any
		}
	}
	return def, nil
}

// bsonType is the LoopBack type of a BSON value ("" for null).
func bsonType(v any) (model.Type, bool) {
	switch v.(type) {
	case string, bson.ObjectID:
		return model.String, false
	case int32, int64:
		return model.Number, true
	case float64, bson.Decimal128:
		return model.Number, false
	case bool:
		return model.Boolean, false
	case bson.DateTime, bson.Timestamp:
		return model.Date, false
	case bson.Binary:
		return model.Buffer, false
	case bson.D, bson.M:
		return model.Object, false
	case bson.A:
		return model.Array, false
	case nil, bson.Null:
		return "", false
	}
	return model.Any, false
}
