// Package openapi is LoopBack's @loopback/openapi-v3 in Go: the types of an
// OpenAPI 3.1 document, JSON Schema 2020-12 derived from Go types, and the
// conversions to and from OpenAPI 3.0.
//
// # Documents
//
// [Document] and the object types it holds ([PathItem], [Operation],
// [Parameter], [RequestBody], [MediaType], [Response], [Components], …)
// follow the OpenAPI 3.1 specification field for field. Vendor extensions
// go in each type's Extensions map and are written inline
// ("x-controller-name"). [Document.JSON] writes the document the way
// LoopBack serves /openapi.json — pretty-printed, keys in the conventional
// order (openapi, info, paths, servers, components), maps sorted, no HTML
// escaping — and [Document.YAML] writes the same content as YAML. The
// output is deterministic: the same document always renders to the same
// bytes.
//
// # Schemas
//
// [Schema] is a JSON Schema 2020-12 schema. Properties are written in
// PropertyOrder (declaration order), then the rest sorted; boolean schemas
// are made with [BoolSchema].
//
// # Schemas from Go types
//
// A [Registry] turns Go types into schemas, once per type: named struct
// types become components ({"$ref": "#/components/schemas/Todo"}); fields
// follow encoding/json (json tag names, "-", embedded structs flattened).
// time.Time is a date-time string, []byte a base64 string, maps are
// objects with additionalProperties, any and json.RawMessage accept
// anything. Struct schemas have additionalProperties: false, like
// LoopBack's strict models. Types that implement [SchemaProvider] describe
// themselves; a [Describer] given to [NewRegistry] describes the struct
// types it knows (the model package describes LoopBack models through it,
// so that a model has one schema everywhere).
//
// # Schema tags
//
// [Fields] is the one reader of the schema tags of the framework: the
// Registry, the model package (model properties) and the rest package
// (typed parameters and bodies) all take a field's schema from it, so a
// tag means the same thing everywhere. The tags:
//
//	tag               value               effect
//	required          true | false        the property is required (the only way to
//	                                      make it so: pointers and omitempty do not)
//	nullable          true | false        null is allowed too
//	doc, description  text                description
//	title             text                title
//	example           value               examples: [value]
//	default           value               default
//	enum              a,b,c               enum (comma-separated values)
//	format            name                format (email, uuid, date …)
//	minimum, maximum  number              bounds
//	exclusiveMinimum  number              exclusive bounds
//	exclusiveMaximum  number
//	multipleOf        number > 0          multipleOf
//	minLength         integer ≥ 0         string length (strings only)
//	maxLength         integer ≥ 0
//	pattern           regular expression  pattern (strings only)
//	minItems          integer ≥ 0         array length (slices and arrays only)
//	maxItems          integer ≥ 0
//	uniqueItems       true | false        uniqueItems (slices and arrays only)
//	deprecated        true | false        deprecated
//	readOnly          true | false        readOnly
//	writeOnly         true | false        writeOnly
//
// Values (example, default, enum members) are read as values of the
// field's type: strings literally, other types as JSON. On a slice, value
// constraints (enum, format, bounds, lengths, pattern) apply to the items
// and example and default may be a comma-separated list. On a field of
// struct type only required, nullable, doc, description, title,
// deprecated, readOnly, writeOnly, and example and default as JSON, apply.
//
// A bad tag is an error, never a panic, and names the type, the field and
// the tag (*[TagError]): a value that does not parse
// (openapi: Todo.Title: tag maxLength="x": not a non-negative integer), a
// keyword on a type it does not apply to, or a near miss of a keyword
// (minlength, read_only). Other tag keys belong to other readers: json
// (encoding/json), lb (model options: id, generated, hidden, relations …,
// see the model package) and the rest package's path, query, header,
// cookie, body and contentType.
//
// # OpenAPI 3.0
//
// [Document.Downgrade30] renders a 3.1 document as 3.0.3 for older tools;
// [Load] reads 3.0 and 3.1 documents, in JSON or YAML, into the 3.1 model.
package openapi
