package restsvc

import (
	"fmt"
	"strconv"
	"strings"
)

// A variable is one {…} placeholder of a template: {name}, {!name} or
// {^name} (required), {name=default}, {name:type}, {name=default:type}.
type variable struct {
	name     string
	required bool
	def      string // the default's text
	hasDef   bool
	typ      string // "", "string", "number", "integer", "boolean"
}

// text is a template string: literal parts with variables between them.
// A text that is exactly one variable yields that variable's typed value.
type text struct {
	lits []string   // len(vars)+1 literals
	vars []variable // the variables, in order
}

// single reports whether t is exactly one variable.
func (t *text) single() bool { return len(t.vars) == 1 && t.lits[0] == "" && t.lits[1] == "" }

// parseText parses a template string. Braces that do not form a variable
// ("{}", "{1x}", an unclosed "{") are literal text, as in LoopBack.
func parseText(s string) (*text, error) {
	t := &text{}
	var lit strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '{' {
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			lit.WriteString(s[i:])
			break
		}
		v, ok, err := parseVariable(s[i+1 : i+end])
		if err != nil {
			return nil, fmt.Errorf("template %q: %w", s, err)
		}
		if !ok {
			lit.WriteByte('{')
			i++
			continue
		}
		t.lits = append(t.lits, lit.String())
		lit.Reset()
		t.vars = append(t.vars, v)
		i += end + 1
	}
	t.lits = append(t.lits, lit.String())
	return t, nil
}

// parseVariable parses the inside of {…}; ok is false when it is not a
// variable (LoopBack's [!^]?[A-Za-z$_][\w$]*(=[^:]+)?(:\w+)?).
func parseVariable(s string) (v variable, ok bool, err error) {
	if s != "" && (s[0] == '!' || s[0] == '^') {
		v.required = true
		s = s[1:]
	}
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] == '$' || isLetter(s[n]) || (n > 0 && isDigit(s[n]))) {
		n++
	}
	if n == 0 {
		return v, false, nil
	}
	v.name, s = s[:n], strings.TrimLeft(s[n:], " \t")
	if strings.HasPrefix(s, "=") {
		end := strings.IndexByte(s, ':')
		if end < 0 {
			end = len(s)
		}
		if end == 1 {
			return v, false, nil
		}
		v.def, v.hasDef, s = s[1:end], true, s[end:]
	}
	if strings.HasPrefix(s, ":") {
		v.typ, s = s[1:], ""
		switch v.typ {
		case "string", "number", "integer", "boolean":
		default:
			for i := 0; i < len(v.typ); i++ {
				if c := v.typ[i]; !(c == '_' || isLetter(c) || isDigit(c)) {
					return v, false, nil
				}
			}
			return v, false, fmt.Errorf("variable %s: unknown type %q (want string, number, integer or boolean)", v.name, v.typ)
		}
	}
	if s != "" {
		return v, false, nil
	}
	if v.hasDef {
		if _, err := convert(v.def, v.typ); err != nil {
			return v, false, fmt.Errorf("variable %s: default %q: %w", v.name, v.def, err)
		}
	}
	return v, true, nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// convert converts a text value to a variable's type.
func convert(s, typ string) (any, error) {
	switch typ {
	case "number":
		return strconv.ParseFloat(s, 64)
	case "integer":
		return strconv.ParseInt(s, 10, 64)
	case "boolean":
		return strconv.ParseBool(s)
	}
	return s, nil
}

// value returns the value of v among args: the argument converted to v's
// type, else the default; ok is false when it has neither.
func (v *variable) value(args map[string]any) (any, bool, error) {
	a, ok := args[v.name]
	if !ok || a == nil {
		if !v.hasDef {
			if v.required {
				return nil, false, fmt.Errorf("required variable %s has no value", v.name)
			}
			return nil, false, nil
		}
		d, _ := convert(v.def, v.typ)
		return d, true, nil
	}
	if v.typ == "" || v.typ == "string" && isString(a) {
		return a, true, nil
	}
	if s, isStr := a.(string); isStr {
		c, err := convert(s, v.typ)
		if err != nil {
			return nil, false, fmt.Errorf("variable %s: %q is not a %s", v.name, s, v.typ)
		}
		return c, true, nil
	}
	if v.typ == "string" {
		return format(a), true, nil
	}
	if !typeMatches(a, v.typ) {
		return nil, false, fmt.Errorf("variable %s: %v is not a %s", v.name, a, v.typ)
	}
	return a, true, nil
}

func isString(a any) bool { _, ok := a.(string); return ok }

func typeMatches(a any, typ string) bool {
	switch a.(type) {
	case bool:
		return typ == "boolean"
	case float64, float32:
		return typ == "number"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return typ == "number" || typ == "integer"
	}
	return false
}

// format renders a value inside a string.
func format(a any) string {
	switch x := a.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(a)
}

// eval evaluates t: a single variable keeps its type, anything else is a
// string; present is false when t is a single variable without a value
// (the key it sits under is then left out). escape, when set, escapes each
// variable's text (URL path segments).
func (t *text) eval(args map[string]any, escape func(string) string) (v any, present bool, err error) {
	if len(t.vars) == 0 {
		return t.lits[0], true, nil
	}
	if t.single() && escape == nil {
		return t.vars[0].value(args)
	}
	var b strings.Builder
	for i := range t.vars {
		b.WriteString(t.lits[i])
		x, ok, err := t.vars[i].value(args)
		if err != nil {
			return nil, false, err
		}
		if ok {
			s := format(x)
			if escape != nil {
				s = escape(s)
			}
			b.WriteString(s)
		}
	}
	b.WriteString(t.lits[len(t.lits)-1])
	return b.String(), true, nil
}

// node is a compiled JSON template: a map, a slice, a text or a constant.
type node struct {
	text  *text
	obj   []field
	arr   []*node
	isObj bool
	isArr bool
	konst any
}

type field struct {
	key string
	val *node
}

// compileNode compiles a decoded JSON template value.
func compileNode(v any) (*node, error) {
	switch x := v.(type) {
	case string:
		t, err := parseText(x)
		if err != nil {
			return nil, err
		}
		return &node{text: t}, nil
	case map[string]any:
		n := &node{isObj: true}
		for _, k := range sortedKeys(x) {
			c, err := compileNode(x[k])
			if err != nil {
				return nil, err
			}
			n.obj = append(n.obj, field{k, c})
		}
		return n, nil
	case []any:
		n := &node{isArr: true}
		for _, e := range x {
			c, err := compileNode(e)
			if err != nil {
				return nil, err
			}
			n.arr = append(n.arr, c)
		}
		return n, nil
	}
	return &node{konst: v}, nil
}

// eval builds the value of n; present is false for a text that is a
// variable without a value.
func (n *node) eval(args map[string]any) (any, bool, error) {
	switch {
	case n.text != nil:
		return n.text.eval(args, nil)
	case n.isObj:
		m := make(map[string]any, len(n.obj))
		for _, f := range n.obj {
			v, ok, err := f.val.eval(args)
			if err != nil {
				return nil, false, err
			}
			if ok {
				m[f.key] = v
			}
		}
		return m, true, nil
	case n.isArr:
		s := make([]any, 0, len(n.arr))
		for _, e := range n.arr {
			v, ok, err := e.eval(args)
			if err != nil {
				return nil, false, err
			}
			if ok {
				s = append(s, v)
			} else {
				s = append(s, nil)
			}
		}
		return s, true, nil
	}
	return n.konst, true, nil
}

// names adds the variable names of n to set.
func (n *node) names(set map[string]bool) {
	if n.text != nil {
		for _, v := range n.text.vars {
			set[v.name] = true
		}
	}
	for _, f := range n.obj {
		f.val.names(set)
	}
	for _, e := range n.arr {
		e.names(set)
	}
}
