package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxLoadSize is the largest document [Load] accepts, in bytes, and also
// the largest JSON a YAML document may expand to through aliases.
const MaxLoadSize = 16 << 20

// Load reads an OpenAPI 3.0.x or 3.1.x document, in JSON or YAML. A 3.0
// document is converted to the 3.1 model (nullable becomes a "null" type
// member, example becomes examples, boolean exclusive bounds become
// numeric) and its version is set to [Version].
//
// Errors name the place of the problem, as a dotted path:
// "openapi: paths./todos.get.responses: …".
func Load(data []byte) (*Document, error) {
	if len(data) > MaxLoadSize {
		return nil, fmt.Errorf("openapi: document is larger than %d bytes", MaxLoadSize)
	}
	js, err := toJSON(data)
	if err != nil {
		return nil, err
	}
	var head struct {
		OpenAPI *string         `json:"openapi"`
		Swagger json.RawMessage `json:"swagger"`
	}
	if err := json.Unmarshal(js, &head); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("openapi: %s: must be a string", te.Field)
		}
		return nil, fmt.Errorf("openapi: document must be a JSON or YAML object: %w", err)
	}
	if head.OpenAPI == nil {
		if head.Swagger != nil {
			return nil, errors.New("openapi: swagger 2.0 documents are not supported")
		}
		return nil, errors.New("openapi: openapi: missing version field")
	}
	v := *head.OpenAPI
	is30 := strings.HasPrefix(v, "3.0.") || v == "3.0"
	if !is30 && !strings.HasPrefix(v, "3.1.") && v != "3.1" {
		return nil, fmt.Errorf("openapi: openapi: unsupported version %q (want 3.0.x or 3.1.x)", v)
	}
	var d Document
	if err := json.Unmarshal(js, &d); err != nil {
		return nil, fmt.Errorf("openapi: %w", locate(js, reflect.TypeFor[Document](), "", err))
	}
	if is30 {
		d.Upgrade31()
	}
	return &d, nil
}

// toJSON returns data as JSON: JSON input is returned as is, YAML is
// converted (keys in document order, aliases expanded within MaxLoadSize).
func toJSON(data []byte) ([]byte, error) {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		return t, nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, fmt.Errorf("openapi: parse yaml: %w", err)
	}
	if n.Kind == 0 {
		return nil, errors.New("openapi: empty document")
	}
	var b bytes.Buffer
	if err := writeYAMLAsJSON(&b, &n, 0); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return b.Bytes(), nil
}

func writeYAMLAsJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if b.Len() > MaxLoadSize {
		return fmt.Errorf("yaml expands to more than %d bytes", MaxLoadSize)
	}
	if depth > 1000 {
		return errors.New("yaml nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeYAMLAsJSON(b, n.Content[0], depth+1)
	case yaml.AliasNode:
		return writeYAMLAsJSON(b, n.Alias, depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		seen := make(map[string]bool, len(n.Content)/2)
		first := true
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			for k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: mapping keys must be scalars", k.Line)
			}
			if k.Tag == "!!merge" {
				return fmt.Errorf("line %d: merge keys are not supported", k.Line)
			}
			if seen[k.Value] {
				return fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
			}
			seen[k.Value] = true
			if !first {
				b.WriteByte(',')
			}
			first = false
			kb, _ := marshal(k.Value)
			b.Write(kb)
			b.WriteByte(':')
			if err := writeYAMLAsJSON(b, v, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeYAMLAsJSON(b, c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			var v bool
			if err := n.Decode(&v); err != nil {
				return fmt.Errorf("line %d: %w", n.Line, err)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				return fmt.Errorf("line %d: %w", n.Line, err)
			}
			if math.IsInf(f, 0) || math.IsNaN(f) {
				return fmt.Errorf("line %d: number %s is not valid JSON", n.Line, n.Value)
			}
			if s := strings.ReplaceAll(n.Value, "_", ""); json.Valid([]byte(s)) {
				b.WriteString(s) // keep the exact digits
			} else {
				b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
			}
		default:
			s, _ := marshal(n.Value)
			b.Write(s)
		}
	default:
		return fmt.Errorf("line %d: unsupported yaml node", n.Line)
	}
	return nil
}

// locate finds where in js decoding into t fails, descending into objects,
// maps and slices, and returns the error prefixed with the dotted path.
func locate(js []byte, t reflect.Type, path string, orig error) error {
	name := func(p string) string {
		if p == "" {
			return "document"
		}
		return p
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Map:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(js, &m); err != nil {
			return fmt.Errorf("%s: must be an object", name(path))
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if err := json.Unmarshal(m[k], reflect.New(t.Elem()).Interface()); err != nil {
				return locate(m[k], t.Elem(), join(k), err)
			}
		}
	case reflect.Slice:
		var l []json.RawMessage
		if err := json.Unmarshal(js, &l); err != nil {
			return fmt.Errorf("%s: must be an array", name(path))
		}
		for i, e := range l {
			if err := json.Unmarshal(e, reflect.New(t.Elem()).Interface()); err != nil {
				return locate(e, t.Elem(), join(strconv.Itoa(i)), err)
			}
		}
	case reflect.Struct:
		if t == reflect.TypeFor[Schema]() {
			break
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(js, &m); err != nil {
			return fmt.Errorf("%s: must be an object", name(path))
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			k, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if k == "" || k == "-" {
				continue
			}
			raw, ok := m[k]
			if !ok {
				continue
			}
			if err := json.Unmarshal(raw, reflect.New(f.Type).Interface()); err != nil {
				return locate(raw, f.Type, join(k), err)
			}
		}
	}
	msg := orig.Error()
	if te, ok := orig.(*json.UnmarshalTypeError); ok {
		msg = "cannot use " + te.Value + " as " + jsonTypeName(te.Type)
		if te.Field != "" && !strings.Contains(te.Field, "alias") {
			path = join(te.Field)
		}
	}
	return fmt.Errorf("%s: %s", name(path), msg)
}

func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "an object"
	}
	return t.String()
}
