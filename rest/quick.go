package rest

import (
	"math"
	"reflect"
	"strings"

	"github.com/loopback-go/lb/openapi"
)

// quickCheck is a fast path in front of the full schema validator for the
// schemas most request bodies have (a model's NewTodo: an object of
// properties with plain types, some required, no other property allowed).
// It only ever accepts: accepts reporting true means the value is valid,
// so the full validator would report nothing; false means "not sure",
// and the full validator runs and reports LoopBack's errors. A schema
// using any keyword quickCheck does not know gets no quickCheck at all.
type quickCheck struct {
	never    bool  // the false schema: only the validator decides
	types    uint8 // bitmask of quick* types; 0 accepts every type
	props    map[string]*quickCheck
	required []string
	addl     *quickCheck // additionalProperties; nil allows any
	items    *quickCheck // nil allows any
}

const (
	quickNull uint8 = 1 << iota
	quickBoolean
	quickNumber
	quickInteger
	quickString
	quickArray
	quickObject
)

var quickTypes = map[string]uint8{
	"null": quickNull, "boolean": quickBoolean, "number": quickNumber, "integer": quickInteger,
	"string": quickString, "array": quickArray, "object": quickObject,
}

// maxQuickDepth bounds the $ref chains and nesting compileQuick follows;
// deeper (or recursive) schemas get no quick check.
const maxQuickDepth = 16

// compileQuick returns the quick check of s, or nil when s uses keywords
// it does not know. $refs resolve in comps.
func compileQuick(s *openapi.Schema, comps map[string]*openapi.Schema) *quickCheck {
	q, ok := buildQuick(s, comps, 0)
	if !ok {
		return nil
	}
	return q
}

func buildQuick(s *openapi.Schema, comps map[string]*openapi.Schema, depth int) (*quickCheck, bool) {
	if depth > maxQuickDepth {
		return nil, false
	}
	if s == nil {
		return &quickCheck{}, true
	}
	if b, ok := s.IsBool(); ok {
		return &quickCheck{never: !b}, true
	}
	// Every field besides these must be zero: the annotations, which do
	// not validate, and the keywords quickCheck implements.
	rest := *s
	rest.Title, rest.Description, rest.Default, rest.Examples = "", "", nil, nil
	rest.Deprecated, rest.ReadOnly, rest.WriteOnly = false, false, false
	rest.Ref, rest.Type, rest.Properties, rest.PropertyOrder = "", nil, nil, nil
	rest.Required, rest.AdditionalProperties, rest.Items = nil, nil, nil
	rest.Extensions = nil
	if !reflect.ValueOf(rest).IsZero() {
		return nil, false
	}
	for k := range s.Extensions {
		if !strings.HasPrefix(k, "x-") { // x- keys are annotations
			return nil, false
		}
	}
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		target := comps[name]
		if !ok || target == nil || s.Type != nil || s.Properties != nil || s.Required != nil ||
			s.AdditionalProperties != nil || s.Items != nil {
			return nil, false
		}
		return buildQuick(target, comps, depth+1)
	}
	q := &quickCheck{required: s.Required}
	for _, t := range s.Type {
		bit, ok := quickTypes[t]
		if !ok {
			return nil, false
		}
		q.types |= bit
	}
	if len(s.Properties) > 0 {
		q.props = make(map[string]*quickCheck, len(s.Properties))
		for name, ps := range s.Properties {
			pq, ok := buildQuick(ps, comps, depth+1)
			if !ok {
				return nil, false
			}
			q.props[name] = pq
		}
	}
	var ok bool
	if s.AdditionalProperties != nil {
		if q.addl, ok = buildQuick(s.AdditionalProperties, comps, depth+1); !ok {
			return nil, false
		}
	}
	if s.Items != nil {
		if q.items, ok = buildQuick(s.Items, comps, depth+1); !ok {
			return nil, false
		}
	}
	return q, true
}

// accepts reports whether v, a decoded JSON value, is certainly valid.
func (q *quickCheck) accepts(v any) bool {
	if q.never {
		return false
	}
	var bit uint8
	switch x := v.(type) {
	case nil:
		bit = quickNull
	case bool:
		bit = quickBoolean
	case string:
		bit = quickString
	case float64:
		bit = quickNumber
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			bit |= quickInteger
		}
	case []any:
		bit = quickArray
		if q.items != nil {
			for _, e := range x {
				if !q.items.accepts(e) {
					return false
				}
			}
		}
	case map[string]any:
		bit = quickObject
		if !q.acceptsObject(x) {
			return false
		}
	default:
		return false // a Go type the validator may see otherwise
	}
	return q.types == 0 || q.types&bit != 0
}

func (q *quickCheck) acceptsObject(m map[string]any) bool {
	for _, name := range q.required {
		if _, ok := m[name]; !ok {
			return false
		}
	}
	for k, v := range m {
		pq, ok := q.props[k]
		if !ok {
			pq = q.addl
		}
		if pq != nil && !pq.accepts(v) {
			return false
		}
	}
	return true
}
