package restsvc

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A path is a compiled responsePath: the subset of JSONPath that
// LoopBack's templates use — $ followed by .name, ['name'], [n] (negative
// n counts from the end), [*] and .* steps.
type path []step

type step struct {
	name  string
	index int
	kind  byte // 'n' name, 'i' index, '*' wildcard
}

// parsePath compiles a responsePath.
func parsePath(s string) (path, error) {
	if !strings.HasPrefix(s, "$") {
		return nil, fmt.Errorf("responsePath %q: must start with $", s)
	}
	var p path
	rest := s[1:]
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, ".."):
			return nil, fmt.Errorf("responsePath %q: recursive descent (..) is not supported", s)
		case rest[0] == '.':
			rest = rest[1:]
			n := 0
			for n < len(rest) && rest[n] != '.' && rest[n] != '[' {
				n++
			}
			switch name := rest[:n]; name {
			case "":
				return nil, fmt.Errorf("responsePath %q: empty name", s)
			case "*":
				p = append(p, step{kind: '*'})
			default:
				p = append(p, step{kind: 'n', name: name})
			}
			rest = rest[n:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("responsePath %q: unclosed [", s)
			}
			in := rest[1:end]
			switch {
			case in == "*":
				p = append(p, step{kind: '*'})
			case len(in) >= 2 && (in[0] == '\'' || in[0] == '"') && in[len(in)-1] == in[0]:
				p = append(p, step{kind: 'n', name: in[1 : len(in)-1]})
			default:
				i, err := strconv.Atoi(in)
				if err != nil {
					return nil, fmt.Errorf("responsePath %q: [%s] is not an index, a quoted name or *", s, in)
				}
				p = append(p, step{kind: 'i', index: i})
			}
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("responsePath %q: unexpected %q", s, rest[:1])
		}
	}
	return p, nil
}

// eval returns the values p selects in doc, in document order (object
// members by name), as LoopBack's jsonpath does: always a list.
func (p path) eval(doc any) []any {
	cur := []any{doc}
	for _, st := range p {
		var next []any
		for _, v := range cur {
			switch st.kind {
			case 'n':
				if m, ok := v.(map[string]any); ok {
					if x, ok := m[st.name]; ok {
						next = append(next, x)
					}
				}
			case 'i':
				if a, ok := v.([]any); ok {
					i := st.index
					if i < 0 {
						i += len(a)
					}
					if i >= 0 && i < len(a) {
						next = append(next, a[i])
					}
				}
			case '*':
				switch x := v.(type) {
				case []any:
					next = append(next, x...)
				case map[string]any:
					for _, k := range sortedKeys(x) {
						next = append(next, x[k])
					}
				}
			}
		}
		cur = next
	}
	if cur == nil {
		cur = []any{}
	}
	return cur
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
