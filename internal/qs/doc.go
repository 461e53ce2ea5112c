// Package qs decodes the nested query-string form that LoopBack clients send
// (Express's "extended" query parser, i.e. Node's qs module) into plain
// decoded-JSON-like values.
//
//	filter[where][title]=x&filter[limit]=2&filter[order][0]=title%20DESC
//
// becomes
//
//	{"filter": {"where": {"title": "x"}, "limit": "2", "order": ["title DESC"]}}
//
// # Rules
//
// The rules are those of qs with its defaults:
//
//   - a[b][c]=1 nests objects; a key may start with a bracket ([a]=1 is a=1);
//   - a[0]=x&a[1]=y and a[]=x&a[]=y make arrays; sparse indexes are compacted
//     in index order (a[1]=x&a[5]=y is ["x", "y"]);
//   - an index above [ArrayLimit] is an object key (a[21]=x is {"21": "x"}),
//     and mixing indexes with names turns the array into an object;
//   - at most [Depth] bracket segments are parsed; the rest of the key is
//     kept as one literal key (a[b][c][d][e][f][g][h]=x puts "[g][h]" under f);
//   - a repeated key makes an array of its values (a=x&a=y is ["x", "y"]);
//   - a scalar and an object under the same name merge as qs merges them
//     (a=x&a[b]=y is ["x", {"b": "y"}]);
//   - [Values] splits and decodes the raw text: a key or value whose
//     percent-escapes do not decode ("100%", "%zz") is kept as it was sent,
//     as qs keeps it; more than [ParameterLimit] parameters is an error
//     (qs would ignore the rest, which could silently drop part of a
//     filter).
//
// Values are always strings: coercion to numbers or booleans belongs to
// whoever knows the schema. Keys such as "__proto__" and "constructor" are
// kept as plain data (a Go map has no prototype to pollute); the REST layer
// rejects them with LoopBack's error.
//
// Because url.Values does not keep the order of distinct keys, keys are
// processed in sorted order, which makes the result deterministic.
package qs
