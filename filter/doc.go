// Package filter is LoopBack's query language: the Filter, Where, Fields,
// Order and Include of @loopback/filter, parsed from what clients send,
// validated against a model, built from Go, and evaluated in memory.
//
// # Parsing
//
// Clients send a filter as JSON (?filter={"where":{"title":"x"},"limit":2})
// or in the nested query-string form
// (?filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC),
// which the REST layer decodes with internal/qs. [ParseJSON] reads the
// first, [FromValue] any decoded value (both forms), [WhereFromValue] and
// [ParseWhereJSON] the where parameter of count and updateAll.
//
// Keys are where, fields, order, limit, skip, offset (an alias of skip)
// and include. Query-string scalars are strings: limit "2" is 2, exists
// "true" is true, and objects with keys "0", "1", ... are arrays. Unknown
// keys, unknown operators, limit below 1, negative skip and malformed
// values are fault.BadRequest errors with code INVALID_PARAMETER_VALUE and
// AJV-shaped details ({"path":"/limit","code":"minimum",...}). Filters are
// bounded ([MaxDepth], [MaxConditions], [MaxJSONSize]).
//
// # Where clauses
//
// {"prop": value} is equality; {"prop": {"op": value}} uses an operator:
// eq, neq, gt, gte, lt, lte, inq, nin, between [a, b], exists, like, nlike,
// ilike, nilike (SQL patterns: % and _), regexp ("^a" or "/^a/i"); "and"
// and "or" take arrays of clauses; dotted keys reach into nested objects.
//
// # Validation
//
// [Filter.Validate] checks a filter against a [model.Definition] and
// coerces where values to the property types ("1" to 1, "false" to false,
// RFC 3339 strings to time.Time). A property the model does not have is a
// 400 naming it, on every connector (LoopBack's memory connector silently
// matches nothing); an include entry that names no relation is LoopBack's
// 400 INVALID_INCLUSION_FILTER. Hidden properties cannot be queried by
// clients.
//
// # Evaluation
//
// [Compile] turns a where clause into a [Matcher] for repeated evaluation
// against records (map[string]any); [Sort], [Project], [Page] and [Apply]
// do the rest of a query in memory. The semantics match the SQL connectors
// (see [Compile]), so a query answers the same on every data source.
//
// # Building filters in Go
//
//	f := filter.New().
//		Where(filter.Prop("isComplete").Eq(false)).
//		Where(filter.Or(filter.Prop("title").Like("buy%"), filter.Prop("tags").Inq("urgent"))).
//		Order("title DESC").
//		Limit(10).
//		Filter()
package filter
