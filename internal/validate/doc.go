// Package validate validates decoded JSON values against JSON Schema
// 2020-12 schemas (as [openapi.Schema]) and reports every error in the shape
// LoopBack 4 puts in an error's details, which is AJV 8's:
//
//	{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}
//
// The validation itself is done by github.com/santhosh-tekuri/jsonschema/v6;
// this package compiles the schema for it and maps its error tree to
// AJV-shaped details.
//
// # Compiling
//
// [Compile] turns a schema into a [Validator] once, at setup time. The
// component schemas are placed under "components/schemas" of the document
// given to the library, so that "#/components/schemas/Name" references
// resolve as in an OpenAPI document; "#/$defs/Name" and "#" work too.
// Compile rejects schemas that are invalid under the 2020-12 meta-schema
// (patterns that do not compile, unknown types, …), references that do not
// resolve or point outside the document (nothing is loaded from disk or
// network), and keywords whose errors this package cannot map or that the
// 2020-12 validator would silently ignore (unevaluatedItems, draft-07
// dependencies and additionalItems, $recursiveRef).
//
// The library stops evaluating a schema at its first failing type, const,
// enum or format keyword, where AJV goes on: after a type error AJV still
// reports const, enum, $ref, not, anyOf, oneOf, allOf and if, and the
// keywords of the value's actual JSON type ({"type":"integer","minimum":1}
// reports both errors for 0.5); after an enum or format error it still
// reports minLength, pattern and the like. So that every error is
// reported, Compile moves those four keywords of such a schema into allOf
// entries of their own, marked with "$comment":"lb:split" (an equivalent
// schema), and the mapping puts their errors back in place.
//
// # Validating
//
// [Validator.Validate] returns all errors, not only the first. Messages and
// info are worded as AJV words them ("must have required property
// 'title'", "must be >= 1", "must NOT have additional properties"). The
// order is stable and deterministic:
//
//   - errors of a value before those of its properties and items;
//   - at one value, in AJV's keyword order: type, $ref, const, enum, not,
//     anyOf, oneOf, allOf, if; then maximum, minimum, exclusiveMaximum,
//     exclusiveMinimum, multipleOf; maxLength, minLength, pattern;
//     maxItems, minItems, uniqueItems, items, contains; maxProperties,
//     minProperties, required, dependentRequired, propertyNames,
//     additionalProperties, properties, dependentSchemas,
//     unevaluatedProperties; format last;
//   - properties in the order the schema declares them, then other names
//     sorted; items by index;
//   - the errors of anyOf and oneOf branches in branch order, before the
//     anyOf or oneOf error; those of an if's branch before the if error.
//
// This differs from AJV in a few places: a type error always comes first
// (AJV reports it after enum and the like when the schema has keywords of
// the declared type); additional properties, patternProperties and
// propertyNames are reported in sorted order (AJV follows the order of the
// request body, which a Go map does not keep); when two oneOf branches
// match, the errors of branches that failed before them are not reported;
// for uniqueItems the first duplicate pair by the later index is named
// (AJV scans from the end); multipleOf is exact (AJV divides floats).
//
// Numbers may be float64, json.Number (decode with UseNumber so that large
// integers keep their value for the int64 format) or Go integers. As the
// library computes with exact rationals, a json.Number longer than 400
// characters or with an exponent beyond ±1000 is read as a float64 first,
// as JavaScript would read it; beyond the float64 range it is reported as
// {"code":"type","message":"must be a JSON value"}, as are NaN, infinities
// and values of other Go types.
//
// # Formats
//
// Format assertion is on. As ajv-formats (which LoopBack installs) in its
// full mode, registered with the library: date, time, date-time, email,
// hostname, uri, uuid, ipv4, ipv6, byte, int32, int64. The library checks
// regex, duration, period, uri-reference, iri, iri-reference, uri-template,
// json-pointer, relative-json-pointer and semver; float, double, binary,
// password and unknown formats are annotations only.
package validate
