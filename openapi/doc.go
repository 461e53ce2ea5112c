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
// follow encoding/json (json tag names, "-", embedded structs flattened); a
// field is required unless it is a pointer, has omitempty or omitzero, or
// is tagged required:"false". Struct tags add constraints: doc (or
// description), example, enum (comma-separated), format, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, multipleOf, minLength, maxLength,
// pattern, minItems, maxItems, uniqueItems, default, deprecated, readOnly,
// writeOnly, nullable, required, title. time.Time is a date-time string,
// []byte a base64 string, maps are objects with additionalProperties, any
// and json.RawMessage accept anything. Struct schemas have
// additionalProperties: false, like LoopBack's strict models. Types that
// implement [SchemaProvider] describe themselves. A bad tag value or a
// misspelt tag (minlength) panics at registration, naming the type, the
// field and the tag.
//
// # OpenAPI 3.0
//
// [Document.Downgrade30] renders a 3.1 document as 3.0.3 for older tools;
// [Load] reads 3.0 and 3.1 documents, in JSON or YAML, into the 3.1 model.
package openapi
