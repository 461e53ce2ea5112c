package gen

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
)

// words splits a name written in any common case (todo-list, todo_list,
// TodoList, todoList) into lower-case words.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '-' || r == '_' || r == ' ' || r == '.':
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// initialisms are written in capitals in Go identifiers.
var initialisms = map[string]string{"id": "ID", "url": "URL", "http": "HTTP", "api": "API", "db": "DB", "json": "JSON", "uuid": "UUID"}

// Pascal returns the exported Go name of s: todo-list → TodoList, id → ID.
func Pascal(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// Camel returns the unexported Go (and JSON) name of s: TodoList → todoList.
func Camel(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	p := Pascal(strings.Join(ws[1:], "-"))
	return ws[0] + p
}

// Kebab returns the file-name form of s: TodoList → todo-list.
func Kebab(s string) string { return strings.Join(words(s), "-") }

// Snake returns s in snake case: TodoList → todo_list.
func Snake(s string) string { return strings.Join(words(s), "_") }

// CheckName refuses a name that cannot become a Go identifier: empty,
// starting with a digit, holding characters other than letters, digits,
// '-' and '_', or that is a Go keyword or predeclared identifier.
func CheckName(kind, s string) error {
	if s == "" {
		return fmt.Errorf("%s name is empty", kind)
	}
	for i, r := range s {
		if !(unicode.IsLetter(r) && r < unicode.MaxASCII) && !(unicode.IsDigit(r) && i > 0) && !(i > 0 && (r == '-' || r == '_')) {
			return fmt.Errorf("%s name %q: want letters, digits, '-' or '_', starting with a letter", kind, s)
		}
	}
	if token.IsKeyword(s) || token.IsKeyword(Camel(s)) {
		return fmt.Errorf("%s name %q is a Go keyword", kind, s)
	}
	if predeclared[Camel(s)] || predeclared[s] {
		return fmt.Errorf("%s name %q is a predeclared Go identifier", kind, s)
	}
	return nil
}

var predeclared = map[string]bool{
	"any": true, "bool": true, "byte": true, "error": true, "string": true, "int": true, "int64": true,
	"float64": true, "rune": true, "true": true, "false": true, "nil": true, "iota": true, "append": true,
	"len": true, "cap": true, "make": true, "new": true, "panic": true, "close": true, "main": true, "init": true,
}
