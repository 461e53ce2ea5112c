package model

import (
	"slices"
	"strings"

	"github.com/loopback-go/lb/openapi"
)

// Type is the LoopBack type name of a property.
type Type string

// The property types of LoopBack model definitions.
const (
	String  Type = "string"
	Number  Type = "number"  // float64; with Property.Integer set it is an integer
	Boolean Type = "boolean" // bool
	Date    Type = "date"    // time.Time, RFC 3339 on the wire
	Object  Type = "object"  // nested object: Property.Properties, or free-form when empty
	Array   Type = "array"   // Property.Items describes the elements
	Any     Type = "any"     // any JSON value
	Buffer  Type = "buffer"  // []byte, base64 on the wire
)

// Definition is the one description of a model that every layer reads: the
// REST layer builds schemas from it, filters are validated against it,
// repositories convert records with it and connectors map it to storage.
//
// Build one with [FromStruct] (Go struct tags) or [Parse] (LoopBack's JSON or
// YAML model-definition shape). A Definition is immutable once built and safe
// for concurrent use; do not modify it after handing it to a repository.
type Definition struct {
	// Name is the model name, e.g. "Todo".
	Name string
	// Description is written into the model's schema.
	Description string
	// Properties in declaration order.
	Properties []*Property
	// Relations by name (hasMany, belongsTo, hasOne, hasManyThrough).
	Relations []*Relation
	// Settings holds model-level settings.
	Settings Settings
	// Base is the name of the base model of a JSON/YAML definition
	// ("Entity", "Model"); informational.
	Base string

	byName map[string]*Property
	// codec converts between the Go type the definition was built from
	// and records; nil for definitions built from JSON/YAML.
	codec *structCodec
}

// Settings are the model-level settings of a definition.
type Settings struct {
	// Strict is "true" (unknown properties are rejected, the default),
	// "false" (they are kept) or "filter" (they are dropped silently).
	Strict Strictness
	// Hidden lists properties that never leave the server.
	Hidden []string
	// Table is the table or collection name; empty means the model name.
	// Connector-specific names go in Connector.
	Table string
	// DefaultScope is merged into every query (LoopBack's scope setting).
	// It holds a filter in its JSON form: {"where": ..., "order": ...}.
	DefaultScope map[string]any
	// Connector holds per-connector settings, keyed by connector name
	// ("postgresql": {"schema": "public", "table": "todos"}).
	Connector map[string]map[string]any
	// Indexes declared at model level.
	Indexes []Index
	// NullForUnset makes every top-level property that is neither an id
	// nor required answer null when it has no value, on every connector, and
	// publishes it as nullable: the view of a LoopBack 4 app on a SQL
	// database, for apps moving from one. [FromStruct] and [Parse] apply
	// it by setting Nullable on those properties; a definition built by
	// hand sets Nullable itself (or calls [Definition.WithNullForUnset]).
	// JSON/YAML setting "nullForUnset", Go tag option nullForUnset.
	NullForUnset bool
	// Extra holds the other settings of a JSON/YAML definition, which the
	// framework does not interpret.
	Extra map[string]any
}

// Strictness is the strict setting of a model.
type Strictness string

// The values of Settings.Strict. The zero value means StrictTrue.
const (
	StrictTrue   Strictness = ""
	StrictFalse  Strictness = "false"
	StrictFilter Strictness = "filter"
)

// Index is a (possibly unique, possibly composite) index.
type Index struct {
	Name    string
	Columns []string // property names
	Unique  bool
}

// Property describes one property of a model or of a nested object.
type Property struct {
	// Name is the JSON name of the property.
	Name string
	// Type is the LoopBack type.
	Type Type
	// Integer narrows Number to integers (JSON schema "integer").
	Integer bool
	// ID is the position of this property in the primary key, starting at 1;
	// 0 means it is not part of the id.
	ID int
	// Generated marks an id (or other value) the data source generates.
	Generated bool
	// Required properties must be present (and, for strings, not blank).
	Required bool
	// Nullable allows JSON null, and makes a top-level property that has
	// no value answer null: every connector returns it present with a nil
	// value (among the selected fields) instead of leaving it out. A
	// property that is not nullable and has no value is left out of
	// records and responses, whatever the data source stores (SQL NULL).
	Nullable bool
	// Default is the default value when the property is absent.
	Default any
	// DefaultFn names a default function: "uuid", "uuidv4", "now", "guid".
	DefaultFn string
	// Hidden properties never leave the server.
	Hidden bool
	// Index and Unique ask for an index on the property.
	Index  bool
	Unique bool
	// Description is written into the schema.
	Description string
	// JSONSchema holds the property's constraints (length, pattern, format,
	// enum, bounds, examples); its type is derived from Type and need not be set.
	JSONSchema *openapi.Schema
	// Properties describe a nested object (Type == Object).
	Properties []*Property
	// Items describes array elements (Type == Array).
	Items *Property
	// Model names another model this property holds (nested model or array
	// of models); empty otherwise.
	Model string
	// Connector holds per-connector settings keyed by connector name, e.g.
	// {"postgresql": {"columnName": "is_complete", "dataType": "boolean"}}.
	Connector map[string]map[string]any
	// GoField is the index path of the Go struct field for typed models.
	GoField []int
	// Column is the column (or field) name in every data source that has no
	// connector-specific name in Connector; empty means Name.
	Column string
	// Extra holds the other settings of a JSON/YAML property definition
	// that the framework does not interpret (length, precision, scale ...).
	Extra map[string]any

	byName map[string]*Property
}

// RelationType is the kind of relation.
type RelationType string

// The relation kinds.
const (
	BelongsTo      RelationType = "belongsTo"
	HasMany        RelationType = "hasMany"
	HasOne         RelationType = "hasOne"
	HasManyThrough RelationType = "hasManyThrough"
	// ReferencesMany holds the keys of its related instances in an array
	// property of the source (KeyFrom, default <target>Ids: "tagIds").
	ReferencesMany RelationType = "referencesMany"
)

// Relation describes a relation from this model to Target.
type Relation struct {
	Name       string
	Type       RelationType
	Target     string // target model name
	ForeignKey string // property holding the key (on the target for hasMany/hasOne, here for belongsTo)
	KeyFrom    string
	KeyTo      string
	// Through is the join model of a hasManyThrough relation.
	Through *Through
	// OnDelete is what deleting the target instance of a belongsTo
	// relation does to the instances that refer to it: "" (LoopBack's
	// behaviour: nothing; on SQL the foreign key that migration creates
	// refuses the delete), [Restrict] (refused with a 409
	// FOREIGN_KEY_VIOLATION while any refers to it), [Cascade] (they are
	// deleted too) or [SetNull] (their foreign key is cleared). The
	// repository enforces it the same way on every connector, and SQL
	// migration declares the matching ON DELETE action. Only belongsTo
	// relations have it.
	OnDelete OnDelete
	// Polymorphic, on a belongsTo or hasOne relation, names the property
	// of this model (the discriminator) that holds the model name of the
	// related instance, which is then Target or any model whose base is
	// Target; on a hasManyThrough relation it names a property of the
	// through model, so that each through instance names the model of the
	// instance it links (LoopBack's polymorphic option, also accepted
	// inside "through" in JSON; "polymorphic": true means the relation
	// name plus "Type", as LoopBack defaults it). "" for a relation to
	// Target only.
	Polymorphic string
	// GoField is the index path of the Go struct field that holds the
	// related instances when they are included (the navigational
	// property); nil when the Go type has none or for JSON/YAML models.
	GoField []int
}

// OnDelete is a referential action: what deleting an instance does to the
// instances whose belongsTo foreign key refers to it.
type OnDelete string

// The referential actions of [Relation.OnDelete].
const (
	Restrict OnDelete = "restrict"
	Cascade  OnDelete = "cascade"
	SetNull  OnDelete = "setNull"
)

// Through describes the join model of a hasManyThrough relation.
type Through struct {
	Model   string
	KeyFrom string
	KeyTo   string
}

// SortMembers orders names, the members of an instance that are not
// properties of the model, as LoopBack writes them: the relations the model
// declares first, in declaration order (LoopBack's toJSON walks the
// relations of the definition), then the others (unknown properties of a
// non-strict model) in sorted order.
func (d *Definition) SortMembers(names []string) {
	rank := func(n string) int {
		for i, r := range d.Relations {
			if r.Name == n {
				return i
			}
		}
		return len(d.Relations)
	}
	slices.SortFunc(names, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
}
