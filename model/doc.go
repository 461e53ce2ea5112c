// Package model describes LoopBack models: their properties, ids,
// relations and settings ([Definition]), built once from Go struct tags
// ([FromStruct]) or from LoopBack's JSON/YAML model definitions ([Parse]),
// and everything derived from a definition: the JSON schemas LoopBack
// publishes for a model and its variants ([Schema], [FilterSchema]) and the
// conversion between typed instances and connector records ([ToRecord],
// [FromRecord]).
//
// # Go models
//
// A Go model is a struct. Each exported field is a property named by its
// json tag (fields with json:"-" or lb:"-" are skipped, embedded structs
// are flattened). The property type follows the Go type:
//
//	string                    string
//	bool                      boolean
//	int…, uint…               number (integer)
//	float32, float64          number
//	time.Time                 date (RFC 3339 on the wire)
//	[]byte                    buffer (base64 on the wire)
//	struct                    object with nested properties
//	map[string]T              free-form object
//	[]T, [N]T                 array of T
//	any, json.RawMessage      any
//
// Pointers and omitempty mean "may be absent" in Go; they do not make a
// property optional or nullable in the schema (see Null and absent
// properties below).
//
// A field's schema comes from the schema tags of the openapi package, the
// one tag dialect of the framework (see the table in its documentation):
// required:"true" makes a property required (the only thing that does, as
// LoopBack's required: true), nullable:"true" accepts null, default:"3" is
// the default, doc or description documents it, and minLength, maxLength,
// pattern, format, enum, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, multipleOf, minItems, maxItems, uniqueItems, example
// and title constrain it. A typed REST operation that takes or returns the
// struct describes it with the same schema (see [Describer]).
//
// The lb tag holds the model options, comma-separated:
//
//	id                  the property is the id; id=2 gives its position in
//	                    a composite key (several plain id flags make a
//	                    composite key in field order)
//	generated           the data source generates the value (an id that is
//	                    zero is left out of records; not required on create)
//	hidden              never leaves the server
//	index, unique       ask the data source for an index
//	defaultFn=<fn>      default function: uuid, uuidv4, guid (strings), now
//	type=<type>         override the type: any, object, date, string …
//	column=<name>       column name in every data source
//	<connector>.<key>=<value>
//	                    per-connector setting, e.g.
//	                    postgresql.columnName=is_complete,postgresql.dataType=boolean
//
// required, nullable and default are schema tags, not lb options; an lb
// tag that has them is an error saying so.
//
//	type Todo struct {
//		ID         int64     `json:"id" lb:"id,generated"`
//		Title      string    `json:"title" required:"true" minLength:"1" description:"What to do."`
//		IsComplete bool      `json:"isComplete,omitempty" lb:"postgresql.columnName=is_complete"`
//		CreatedAt  time.Time `json:"createdAt,omitzero" lb:"defaultFn=now"`
//		TodoListID int64     `json:"todoListId,omitempty" lb:"belongsTo,target=TodoList"`
//	}
//
// Model settings go in the lb tag of a blank field:
//
//	_ struct{} `lb:"name=Todo,strict=false,table=todos,postgresql.schema=app" description:"A thing to do."`
//
// with name (default: the Go type name), base, strict (true, false or
// filter), table, hidden=a|b, nullForUnset (see below) and
// <connector>.<key>=<value>. Anything else
// (model-level indexes, the default scope) is set by implementing
// [Definer].
//
// # Relations in Go
//
// hasMany, hasOne and hasManyThrough sit on the field that holds the
// related instances when they are included (a slice for hasMany and
// hasManyThrough, a struct or pointer for hasOne); the target defaults to
// the element type's name:
//
//	Todos []Todo `json:"todos,omitempty" lb:"hasMany"`                    // keyTo todoListId
//	Tags  []Tag  `json:"tags,omitempty" lb:"hasManyThrough,through=TodoTag"`
//
// belongsTo sits on the foreign key (the relation name is the key without
// its "Id" suffix, or belongsTo=<name>), and optionally on a struct field
// named like the relation that receives the included instance:
//
//	TodoListID int64     `json:"todoListId" lb:"belongsTo,target=TodoList"`
//	TodoList   *TodoList `json:"todoList,omitempty" lb:"belongsTo"`
//
// referencesMany sits on the slice field that receives the referenced
// instances; their keys are an array property (default <target>Ids):
//
//	TagIDs []int64 `json:"tagIds,omitempty"`
//	Tags   []Tag   `json:"tags,omitempty" lb:"referencesMany"`
//
// Relation options: target, foreignKey, keyFrom, keyTo, through,
// throughKeyFrom, throughKeyTo, on a belongsTo relation onDelete, and on
// a belongsTo, hasOne or hasManyThrough relation polymorphic (the
// discriminator property naming the related instance's model: the target
// or a model whose base is the target; on the through model for
// hasManyThrough; see [Relation.Polymorphic]):
//
//	DeliverableType string      `json:"deliverableType"`
//	Deliverable     Deliverable `json:"deliverable,omitempty" lb:"hasOne,polymorphic=deliverableType"`
//
// Defaults follow LoopBack: a hasMany foreign key is the camel-cased
// source model name plus "Id".
//
// onDelete (restrict, cascade or setNull; "onDelete" in JSON/YAML) says
// what deleting the target instance does to the instances that refer to
// it; see [Relation.OnDelete]:
//
//	TodoListID int64 `json:"todoListId" lb:"belongsTo,target=TodoList,onDelete=cascade"`
//
// # JSON and YAML models
//
// [Parse] reads LoopBack's model-definition shape (LoopBack 4's
// {name, properties, settings, relations} and LoopBack 3's top-level
// settings both work). A property is a type name ("string"), an array
// shorthand (["string"]) or an object with: type, id (true or a position),
// generated, required, nullable, hidden, index (true or {"unique": true}),
// unique, default, defaultFn, description (or doc), jsonSchema (the
// constraints), itemType or items (array elements), properties (a nested
// object), columnName, per-connector objects ("postgresql": {"columnName":
// …, "dataType": …}) and the SQL hints length, precision, scale, dataType.
// A capitalized type that is not a builtin names another model (a
// lowercase unknown type is an error, to catch typos). Settings: strict,
// hidden, scope (the default scope), indexes, description, nullForUnset
// (see below), per-connector objects ("postgresql": {"table": …}). Unknown keys are errors, so that
// typos do not pass silently; every error names the file (see
// [ParseSource]), the model and the property.
//
// # Null and absent properties
//
// A property that has no value — never set, cleared with null, or a NULL
// column — is left out of the instances every connector returns (memory,
// SQLite, PostgreSQL, MySQL), and so out of responses; the published schema
// says "type": "string" and the response agrees. A nullable property
// (nullable:"true", "nullable": true) answers null instead: it is present
// with a null value whenever the query selects it, and its schema allows
// null ("type": ["string", "null"] in OpenAPI 3.1, nullable: true in 3.0).
//
// LoopBack 4 on a SQL database answers null for every unset column. An app
// moving from one keeps its clients' view with the model setting
// nullForUnset:
//
//	{"name": "Todo", "properties": {…}, "settings": {"nullForUnset": true}}
//	_ struct{} `lb:"name=Todo,nullForUnset"`
//
// which makes every property that is neither an id nor required nullable:
// unset properties answer null on every connector, and the schemas publish
// them as nullable (so requests may send null for them too). To apply it
// to every model of a data source, use [Definition.WithNullForUnset] on
// each definition attached to it (`lb serve` does so for a data source
// configured with "nullForUnset": true).
//
// # Records
//
// Connectors exchange records, map[string]any whose values are nil, bool,
// int64, float64, string, time.Time, []byte, []any or map[string]any.
// [ToRecord] and [FromRecord] convert a typed T with the plan FromStruct
// computed; [Normalize] does the same for map records of JSON/YAML models.
//
// # Schemas
//
// [Schema] writes a model's JSON schema under LoopBack's names: Todo,
// NewTodo (generated id excluded), TodoPartial (nothing required),
// TodoWithRelations; [FilterSchema] and [WhereSchema] the filter parameter
// schemas and [CountSchema] loopback.Count.
//
// # Registries
//
// A [Registry] owned by the application resolves relation targets by name
// ([Registry.Resolve]); there is no global registry.
package model
