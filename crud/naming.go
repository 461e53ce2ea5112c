package crud

import (
	"strings"
	"unicode"
)

// BasePath returns the default base path of a model's CRUD API: the plural of
// the model name in kebab case, as LoopBack's CLI names it ("Todo" →
// "/todos", "TodoList" → "/todo-lists", "Category" → "/categories").
func BasePath(modelName string) string {
	return "/" + plural(kebab(modelName))
}

// kebab writes an identifier in lower-case words joined by hyphens:
// "TodoList" → "todo-list", "HTTPServer" → "http-server", "todo_item" →
// "todo-item".
func kebab(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r == '_' || r == ' ' || r == '-' || r == '.':
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
			continue
		case unicode.IsUpper(r):
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1])
			if (prevLower || nextLower) && b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// irregular plurals of the last word of a name.
var irregular = map[string]string{
	"person": "people", "man": "men", "woman": "women", "child": "children",
	"mouse": "mice", "goose": "geese", "foot": "feet", "tooth": "teeth",
	"datum": "data", "index": "indices", "matrix": "matrices", "vertex": "vertices",
	"status": "statuses", "quiz": "quizzes", "leaf": "leaves", "life": "lives",
	"knife": "knives", "wife": "wives", "half": "halves", "analysis": "analyses",
	"criterion": "criteria", "medium": "media",
}

// uncountable words keep their form in the plural.
var uncountable = map[string]bool{
	"data": true, "information": true, "equipment": true, "news": true, "series": true,
	"species": true, "sheep": true, "fish": true, "deer": true, "metadata": true, "feedback": true,
}

// plural returns the English plural of the last hyphen-separated word of s.
func plural(s string) string {
	head, word := "", s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		head, word = s[:i+1], s[i+1:]
	}
	switch {
	case word == "" || uncountable[word]:
		return s
	case irregular[word] != "":
		return head + irregular[word]
	}
	last := word[len(word)-1]
	vowel := func(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }
	switch {
	case strings.HasSuffix(word, "s") || strings.HasSuffix(word, "x") || strings.HasSuffix(word, "z") ||
		strings.HasSuffix(word, "ch") || strings.HasSuffix(word, "sh"):
		return s + "es"
	case last == 'y' && len(word) > 1 && !vowel(word[len(word)-2]):
		return head + word[:len(word)-1] + "ies"
	}
	return s + "s"
}
