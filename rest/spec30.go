package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/loopback-go/lb/openapi"
)

// downgrade30 renders doc as OpenAPI 3.0.3 pretty JSON, for tools that do
// not read 3.1: type arrays with "null" become nullable, numeric
// exclusiveMinimum/Maximum become the boolean form, examples becomes
// example, const becomes a one-value enum, contentEncoding base64 becomes
// format byte, and 3.1-only fields are dropped. Key order is kept.
func downgrade30(doc *openapi.Document) ([]byte, error) {
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi 3.0: encode: %w", err)
	}
	root, err := parseOrdered(json.NewDecoder(bytes.NewReader(js)))
	if err != nil {
		return nil, fmt.Errorf("openapi 3.0: decode: %w", err)
	}
	root.set("openapi", &jnode{raw: []byte(`"3.0.3"`)})
	root.del("jsonSchemaDialect")
	root.del("webhooks")
	if info := root.get("info"); info != nil {
		info.del("summary")
		if lic := info.get("license"); lic != nil {
			lic.del("identifier")
		}
	}
	down30(root, false)
	var buf bytes.Buffer
	root.write(&buf)
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("openapi 3.0: indent: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// jnode is a JSON value that keeps the order of object keys.
type jnode struct {
	obj  bool
	arr  bool
	keys []string
	vals []*jnode
	raw  json.RawMessage // scalars
}

func parseOrdered(dec *json.Decoder) (*jnode, error) {
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	return parseValue(dec, tok)
}

func parseValue(dec *json.Decoder, tok json.Token) (*jnode, error) {
	switch t := tok.(type) {
	case json.Delim:
		n := &jnode{obj: t == '{', arr: t == '['}
		for dec.More() {
			if n.obj {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
			}
			next, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseValue(dec, next)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		if _, err := dec.Token(); err != nil && err != io.EOF {
			return nil, err
		}
		return n, nil
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		return &jnode{raw: b}, nil
	}
}

func (n *jnode) get(k string) *jnode {
	for i, key := range n.keys {
		if key == k {
			return n.vals[i]
		}
	}
	return nil
}

func (n *jnode) set(k string, v *jnode) {
	for i, key := range n.keys {
		if key == k {
			n.vals[i] = v
			return
		}
	}
	n.keys = append(n.keys, k)
	n.vals = append(n.vals, v)
}

func (n *jnode) del(k string) {
	for i, key := range n.keys {
		if key == k {
			n.keys = append(n.keys[:i], n.keys[i+1:]...)
			n.vals = append(n.vals[:i], n.vals[i+1:]...)
			return
		}
	}
}

func (n *jnode) write(b *bytes.Buffer) {
	switch {
	case n.obj:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			n.vals[i].write(b)
		}
		b.WriteByte('}')
	case n.arr:
		b.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			v.write(b)
		}
		b.WriteByte(']')
	default:
		b.Write(n.raw)
	}
}

var jsonTrue = json.RawMessage("true")

// namedMaps are the keys whose values map names to objects: a key such as
// "type" or "const" inside them is a name, not a keyword.
var namedMaps = map[string]bool{"properties": true, "patternProperties": true, "$defs": true,
	"schemas": true, "paths": true, "responses": true, "parameters": true, "requestBodies": true,
	"headers": true, "content": true, "securitySchemes": true, "links": true, "callbacks": true,
	"encoding": true, "variables": true, "examples": true, "pathItems": true, "scopes": true}

// down30 rewrites the 3.1 schema keywords of every object in the tree;
// named is set for an object that maps names to values.
func down30(n *jnode, named bool) {
	for i, v := range n.vals {
		down30(v, n.obj && !named && namedMaps[n.keys[i]])
	}
	if !n.obj || named {
		return
	}
	if t := n.get("type"); t != nil && t.arr {
		var kept []*jnode
		nullable := false
		for _, v := range t.vals {
			if string(v.raw) == `"null"` {
				nullable = true
			} else {
				kept = append(kept, v)
			}
		}
		if len(kept) >= 1 {
			n.set("type", kept[0])
		} else {
			n.del("type")
		}
		if nullable {
			n.set("nullable", &jnode{raw: jsonTrue})
		}
	}
	for _, k := range []string{"exclusiveMinimum", "exclusiveMaximum"} {
		if v := n.get(k); v != nil && !v.obj && !v.arr && string(v.raw) != "true" && string(v.raw) != "false" {
			bound := "minimum"
			if k == "exclusiveMaximum" {
				bound = "maximum"
			}
			n.set(bound, v)
			n.set(k, &jnode{raw: jsonTrue})
		}
	}
	if ex := n.get("examples"); ex != nil && ex.arr {
		n.del("examples")
		if len(ex.vals) > 0 {
			n.set("example", ex.vals[0])
		}
	}
	if c := n.get("const"); c != nil {
		n.del("const")
		n.set("enum", &jnode{arr: true, vals: []*jnode{c}})
	}
	if ce := n.get("contentEncoding"); ce != nil && string(ce.raw) == `"base64"` {
		n.del("contentEncoding")
		n.set("format", &jnode{raw: json.RawMessage(`"byte"`)})
	}
	n.del("contentMediaType")
	if any := n.get("anyOf"); any != nil && any.arr && len(any.vals) == 2 {
		for i, v := range any.vals {
			if t := v.get("type"); v.obj && len(v.keys) == 1 && t != nil && string(t.raw) == `"null"` {
				other := any.vals[1-i]
				n.del("anyOf")
				n.set("allOf", &jnode{arr: true, vals: []*jnode{other}})
				n.set("nullable", &jnode{raw: jsonTrue})
				break
			}
		}
	}
}
