// Package connectortest is the conformance suite every connector runs
// (LoopBack's repository-tests, in Go): it drives a connector through the
// repository package and checks the behaviour applications rely on, so
// that an app moves from the memory connector to SQLite, PostgreSQL or
// MySQL without surprises.
//
// A connector's test calls [Run] with a function that opens a connector:
//
//	func TestConformance(t *testing.T) {
//		connectortest.Run(t, func(t *testing.T) connector.Connector {
//			c, err := sqlite.Open(sqlite.Config{Path: filepath.Join(t.TempDir(), "db")})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return c
//		})
//	}
//
// # What it checks
//
//   - every repository method: Create (generated and explicit ids,
//     duplicates), CreateAll, Save, Find, FindOne, FindByID, Exists, Count,
//     Update, UpdateAll, UpdateByID, ReplaceByID, Delete, DeleteAll,
//     DeleteByID;
//   - every where operator (eq, neq, gt, gte, lt, lte, inq, nin with empty
//     lists, between, exists, like, nlike, ilike, nilike, regexp with
//     flags), and/or nesting and dotted paths into nested objects; fields,
//     order, limit and skip;
//   - errors: ENTITY_NOT_FOUND, duplicate ids and unique values,
//     validation, invalid filters;
//   - hidden properties, default values and functions, default scopes;
//   - inclusion of related models (hasMany with a scope, belongsTo);
//   - the shape of instances: a property with no value is absent, unless
//     nullable (then null, among the selected fields), after create, find,
//     findById, updates, replace and inclusion, on the record path and on
//     the JSON path; the nullForUnset model setting; every instance
//     written as JSON validates against the model's published
//     (WithRelations) schema; included instances keep their model's
//     declared property order, at any depth;
//   - relation writes: a child under a missing parent (hasMany and hasOne
//     create, a belongsTo foreign key on create, update or replace) is
//     ENTITY_NOT_FOUND naming the parent and writes nothing; a second
//     hasOne child is a conflict;
//   - round trips of strings, integers, floats, booleans, dates (to the
//     millisecond), buffers, nested objects, arrays and free-form values;
//   - parallel creates get distinct ids;
//   - reliability (issue 11): like and regexp on integers compare their
//     text and are a 400 on other non-string types; a trailing backslash
//     in a like pattern is literal; NUL characters, invalid UTF-8 and
//     over-length strings are refused alike (422 in records, 400 in
//     filters, never with driver text); invalid regexps are a 400;
//     concurrent UpdateAll over overlapping rows all succeed;
//   - transactions (commit visible, rollback invisible), migration and
//     key-value storage, when the connector has those capabilities;
//     otherwise those subtests are skipped with a message.
//
// # Models
//
// The suite builds its own model definitions (CtTodo, CtNote, CtItem,
// CtList, CtEntry, CtUser, CtCache, CtShelf, CtBook, CtCover, CtLegacy,
// CtLimited; [RunWith] changes the prefix) and creates their
// storage with Automigrate when the connector is a [connector.Migrator].
// It avoids behaviour that legitimately differs between databases: the
// order of nulls, case sensitivity of like and of string ordering, and
// ordering by nested properties.
package connectortest
