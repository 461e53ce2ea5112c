package mongodb

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// settingsKey is the key of MongoDB settings in model definitions
// (LoopBack's "mongodb": {"collection": …} and {"fieldName": …}).
const settingsKey = "mongodb"

// idKind says how the id of a model is stored and generated.
type idKind int

const (
	idPlain    idKind = iota // stored as given; no generation
	idSequence               // integer, generated from a counter document
	idObjectID               // string on the wire, ObjectId in the database
	idUUID                   // string, a uuid when absent
)

// modelMap is how one model definition maps to a collection: built once
// per definition and cached by the connector.
type modelMap struct {
	def     *model.Definition
	coll    string
	id      *model.Property // nil when the model has no single id
	idKind  idKind
	field   map[string]string // property name → field name
	prop    map[string]string // field name → property name
	byField map[string]*model.Property
	unique  []*model.Property // unique properties other than the id
	oid     map[string]bool   // properties stored as ObjectIds (dataType "ObjectId")
}

// mappings caches model maps by definition (definitions are immutable).
type mappings struct{ m sync.Map }

func newMappings() *mappings { return &mappings{} }

func (ms *mappings) of(def *model.Definition) (*modelMap, error) {
	if v, ok := ms.m.Load(def); ok {
		return v.(*modelMap), nil
	}
	mm, err := buildMap(def)
	if err != nil {
		return nil, err
	}
	v, _ := ms.m.LoadOrStore(def, mm)
	return v.(*modelMap), nil
}

func setting(m map[string]map[string]any, key string) string {
	if s, ok := m[settingsKey][key].(string); ok {
		return s
	}
	return ""
}

func buildMap(def *model.Definition) (*modelMap, error) {
	mm := &modelMap{def: def, coll: def.Name, field: map[string]string{}, prop: map[string]string{},
		byField: map[string]*model.Property{}, oid: map[string]bool{}}
	if s := setting(def.Settings.Connector, "collection"); s != "" {
		mm.coll = s
	} else if def.Settings.Table != "" {
		mm.coll = def.Settings.Table
	}
	var ids []*model.Property
	for _, p := range def.Properties {
		if p.ID > 0 {
			ids = append(ids, p)
		}
	}
	if len(ids) > 1 {
		return nil, fmt.Errorf("mongodb: model %s: composite ids are not supported", def.Name)
	}
	if len(ids) == 1 {
		mm.id = ids[0]
		switch p := mm.id; {
		case p.Type == model.Number && p.Generated:
			mm.idKind = idSequence
		case p.Type == model.String && (p.DefaultFn == "uuid" || p.DefaultFn == "uuidv4" || p.DefaultFn == "guid"):
			mm.idKind = idUUID
		case p.Type == model.String && (p.Generated || strings.EqualFold(setting(p.Connector, "dataType"), "ObjectId")):
			mm.idKind = idObjectID
		case p.Type == model.String && p.DefaultFn == "" && !p.Required:
			mm.idKind = idObjectID
		}
	}
	for _, p := range def.Properties {
		f := p.Name
		if p == mm.id {
			f = "_id"
		} else if s := setting(p.Connector, "fieldName"); s != "" {
			f = s
		}
		if f != "_id" && (strings.HasPrefix(f, "$") || strings.Contains(f, ".")) {
			return nil, fmt.Errorf("mongodb: model %s: field name %q of %s starts with $ or holds a dot", def.Name, f, p.Name)
		}
		mm.field[p.Name] = f
		mm.prop[f] = p.Name
		mm.byField[f] = p
		if p.Unique && p != mm.id {
			mm.unique = append(mm.unique, p)
		}
		if p != mm.id && p.Type == model.String && strings.EqualFold(setting(p.Connector, "dataType"), "ObjectId") {
			mm.oid[p.Name] = true
		}
	}
	return mm, nil
}

// fieldOf maps a property path ("address.city") to a document path.
func (mm *modelMap) fieldOf(path string) string {
	head, rest, dotted := strings.Cut(path, ".")
	f, ok := mm.field[head]
	if !ok {
		f = head
	}
	if dotted {
		return f + "." + rest
	}
	return f
}

// propAt returns the property a path names, or nil.
func (mm *modelMap) propAt(path string) *model.Property {
	p, _ := mm.def.Path(path)
	return p
}

// idValue converts an id value of a record or a where clause to what the
// database stores: an ObjectId for a 24-hex-digit string of an ObjectId id
// (any other string is kept, and so matches nothing generated).
func (mm *modelMap) idValue(v any) any {
	if mm.idKind == idObjectID {
		if s, ok := v.(string); ok && len(s) == 24 {
			if oid, err := bson.ObjectIDFromHex(s); err == nil {
				return oid
			}
		}
	}
	return value(v)
}

// objectID returns v as an ObjectId when it is a 24-hex-digit string.
func objectID(v any) (bson.ObjectID, bool) {
	s, ok := v.(string)
	if !ok || len(s) != 24 {
		return bson.ObjectID{}, false
	}
	oid, err := bson.ObjectIDFromHex(s)
	return oid, err == nil
}

// propValue converts the value of top-level property name to BSON.
func (mm *modelMap) propValue(name string, v any) any {
	if mm.id != nil && name == mm.id.Name {
		return mm.idValue(v)
	}
	if mm.oid[name] {
		if oid, ok := objectID(v); ok {
			return oid
		}
	}
	return value(v)
}

// value converts a record value to BSON: maps become documents with their
// keys kept as data (never operators: they are stored, and compared with
// $eq), dates are stored as UTC instants with millisecond precision.
func value(v any) any {
	switch x := v.(type) {
	case time.Time:
		return bson.NewDateTimeFromTime(x)
	case []byte:
		return bson.Binary{Subtype: 0, Data: x}
	case map[string]any:
		d := make(bson.D, 0, len(x))
		for k, e := range x {
			d = append(d, bson.E{Key: k, Value: value(e)})
		}
		return d
	case []any:
		a := make(bson.A, len(x))
		for i, e := range x {
			a[i] = value(e)
		}
		return a
	case int:
		return int64(x)
	}
	return v
}

// document converts a record to a document; top-level nil values are left
// out (a property with no value is absent, so that unique indexes allow
// any number of instances without one).
func (mm *modelMap) document(rec connector.Record) bson.D {
	d := make(bson.D, 0, len(rec))
	for k, v := range rec {
		if v == nil {
			continue
		}
		f, ok := mm.field[k]
		if !ok {
			f = k
		}
		d = append(d, bson.E{Key: f, Value: mm.propValue(k, v)})
	}
	return d
}

// record converts a document to a record, as the model's types say.
func (mm *modelMap) record(d bson.D) connector.Record {
	rec := make(connector.Record, len(d))
	for _, e := range d {
		name, ok := mm.prop[e.Key]
		if !ok {
			if e.Key == "_id" {
				continue // a model without an id property
			}
			name = e.Key
		}
		rec[name] = fromBSON(e.Value, mm.byField[e.Key])
	}
	return rec
}

// fromBSON converts a BSON value to a record value; p (maybe nil) is the
// property it belongs to.
func fromBSON(v any, p *model.Property) any {
	switch x := v.(type) {
	case nil, bson.Null, bson.Undefined:
		return nil
	case string, bool:
		return x
	case int32:
		if p != nil && p.Type == model.Number && !p.Integer {
			return float64(x)
		}
		return int64(x)
	case int64:
		if p != nil && p.Type == model.Number && !p.Integer {
			return float64(x)
		}
		return x
	case float64:
		if p != nil && p.Integer && x == float64(int64(x)) {
			return int64(x)
		}
		return x
	case bson.Decimal128:
		return x.String()
	case bson.DateTime:
		return x.Time().UTC()
	case bson.Timestamp:
		return time.Unix(int64(x.T), 0).UTC()
	case bson.ObjectID:
		return x.Hex()
	case bson.Binary:
		return x.Data
	case bson.Regex:
		return x.String()
	case bson.D:
		out := make(map[string]any, len(x))
		for _, e := range x {
			out[e.Key] = fromBSON(e.Value, child(p, e.Key))
		}
		return out
	case bson.M:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromBSON(e, child(p, k))
		}
		return out
	case bson.A:
		var items *model.Property
		if p != nil {
			items = p.Items
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromBSON(e, items)
		}
		return out
	}
	return fmt.Sprint(v)
}

func child(p *model.Property, name string) *model.Property {
	if p == nil {
		return nil
	}
	for _, c := range p.Properties {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// checkKeys refuses a record whose nested objects have keys MongoDB
// cannot store (starting with $, or holding a dot, or NUL): a 422
// ValidationError naming the property, before the database is asked.
func checkKeys(def *model.Definition, rec connector.Record) error {
	for prop, v := range rec {
		if key, bad := badKey(v, 0); bad {
			msg := fmt.Sprintf("has a key MongoDB cannot store (%q)", key)
			return &fault.Error{Kind: fault.Invalid, Name: "ValidationError",
				Message: fmt.Sprintf("The `%s` instance is not valid. Details: `%s` %s.", def.Name, prop, msg),
				Details: &repository.ValidationDetails{Context: def.Name,
					Codes: map[string][]string{prop: {"key"}}, Messages: map[string][]string{prop: {msg}}}}
		}
	}
	return nil
}

func badKey(v any, depth int) (string, bool) {
	if depth > 100 {
		return "", false
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "$") || strings.ContainsAny(k, ".\x00") {
				if len(k) > 40 {
					k = k[:40] + "…"
				}
				return k, true
			}
			if k, bad := badKey(e, depth+1); bad {
				return k, true
			}
		}
	case []any:
		for _, e := range x {
			if k, bad := badKey(e, depth+1); bad {
				return k, true
			}
		}
	}
	return "", false
}
