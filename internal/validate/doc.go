// Package validate validates decoded JSON values against JSON Schema
// 2020-12 schemas (as [openapi.Schema]) and reports every error in the shape
// LoopBack 4 puts in an error's details, which is AJV 8's:
//
//	{"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}
//
// # Compiling
//
// [Compile] turns a schema, and the component schemas its
// "#/components/schemas/Name" references point to, into a [Validator] once,
// at setup time. It rejects schemas that are invalid under the 2020-12
// meta-schema (checked with github.com/santhosh-tekuri/jsonschema/v6),
// unresolvable references, patterns that do not compile, and keywords this
// package does not evaluate (unevaluatedProperties, unevaluatedItems,
// $dynamicRef, draft-07 dependencies and additionalItems): a schema is
// never half-enforced silently. if/then/else, dependentRequired,
// dependentSchemas, propertyNames and contains (with minContains and
// maxContains), which openapi.Schema keeps in Extensions, are evaluated.
//
// # Validating
//
// [Validator.Validate] walks the value and returns all errors, not only the
// first, in the order AJV reports them: a type error, then $ref, const,
// enum, not, anyOf, oneOf and allOf, then the keywords of the value's type
// (maximum, minimum, exclusiveMaximum, exclusiveMinimum, multipleOf, format;
// maxLength, minLength, pattern, format; maxItems, minItems, uniqueItems,
// prefixItems, items; maxProperties, minProperties, required,
// additionalProperties, properties, patternProperties). Messages are worded
// as AJV words them ("must have required property 'title'", "must be >= 1",
// "must NOT have additional properties"). Additional properties are reported
// in sorted order, where AJV follows the order of the request body.
//
// Numbers may be float64, json.Number (decode with UseNumber so that large
// integers keep their value for the int64 format) or Go integers. A
// valid value costs one allocation.
//
// # Formats
//
// As ajv-formats (which LoopBack installs) in its full mode: date, time,
// date-time, email, hostname, uri, uuid, ipv4, ipv6, byte, regex, int32,
// int64; duration, uri-reference, uri-template, json-pointer and a few more
// are checked by the jsonschema library; float, double, binary, password and
// unknown formats are annotations only.
package validate
