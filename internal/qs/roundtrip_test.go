package qs

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The round-trip fuzz target builds a filter from its input, sends it as a
// client would (JSON text in ?filter=, and the nested form
// ?filter[where][title]=…), each component escaped properly, carelessly
// (raw "%" and spaces, as a hand-typed URL has them) or with a malformed
// escape added, and requires the decoded value to be exactly what was sent:
// every key and value present, each one either its intended text (when its
// escapes decode) or its text as sent. Nothing may be dropped or merged
// away.

// words are the keys and values the generator draws from, with the input's
// own strings.
var words = []string{"where", "title", "and", "or", "inq", "like", "limit", "order", "fields", "include",
	"100%", "a%zz", "%", "%2", "+", "a b", "é", "&", "=", "]=", "%E2%82", "%C3%A9", "x;y", "#", "?", "1"}

// gen builds a filter-like value from shape and pool.
type gen struct {
	shape []byte
	pool  []string
}

func (g *gen) next() int {
	if len(g.shape) == 0 {
		return 0
	}
	b := g.shape[0]
	g.shape = g.shape[1:]
	return int(b)
}

func (g *gen) word(key bool) string {
	w := g.pool[g.next()%len(g.pool)]
	if key {
		// Brackets are the nested form's syntax: a key cannot hold them.
		w = strings.NewReplacer("[", "(", "]", ")").Replace(w)
		if _, index := arrayIndex(w); index || w == "" {
			w = "k" + w // "1" is an array index in the nested form (qs compacts a[1]=x to ["x"])
		}
	}
	return w
}

// value returns a string, a non-empty object or a non-empty array (the
// nested form has no empty containers), depth levels deep at most.
func (g *gen) value(depth int) any {
	k := g.next() % 4
	if depth == 0 || k < 2 {
		return g.word(false)
	}
	n := 1 + g.next()%3
	if k == 2 {
		m := map[string]any{}
		for range n {
			m[g.word(true)] = g.value(depth - 1)
		}
		return m
	}
	arr := make([]any, n)
	for i := range arr {
		arr[i] = g.value(depth - 1)
	}
	return arr
}

// leaf is one key=value pair of the nested form.
type leaf struct {
	path  []string // keys and array indexes below the parameter
	value string
}

func leaves(v any, path []string, out *[]leaf) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			leaves(e, append(path[:len(path):len(path)], k), out)
		}
	case []any:
		for i, e := range x {
			leaves(e, append(path[:len(path):len(path)], strconv.Itoa(i)), out)
		}
	case string:
		*out = append(*out, leaf{path, x})
	}
}

// send encodes one component in one of four ways; mode picks it.
func send(s string, mode int) string {
	switch mode % 4 {
	case 1: // careless: only the characters that would break the query
		return strings.NewReplacer("&", "%26", "=", "%3D", "+", "%2B", "#", "%23").Replace(s)
	case 2:
		return url.QueryEscape(s) + "%"
	case 3:
		e := url.QueryEscape(s)
		return e[:len(e)/2] + "%zz" + e[len(e)/2:]
	}
	return url.QueryEscape(s)
}

// received is what a component sent as sent must decode to: its decoded
// text when its escapes decode to UTF-8 (the intended text, unless a
// careless client sent a "%" that happens to start an escape), else the
// text as sent with "+" as a space. It uses net/url as an independent
// decoder.
func received(sent string) string {
	if d, err := url.QueryUnescape(sent); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ReplaceAll(sent, "+", " ")
}

// put sets v at path in the tree root, creating objects (array indexes
// become object keys; the comparison below normalizes arrays the same way).
func put(root map[string]any, path []string, v string) {
	m := root
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// objects turns arrays into objects keyed by index, recursively.
func objects(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = objects(e)
		}
		return out
	case []any:
		out := make(map[string]any, len(x))
		for i, e := range x {
			out[strconv.Itoa(i)] = objects(e)
		}
		return out
	}
	return v
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{2, 3, 0, 2, 1, 1, 1}, "where|title|100%")
	f.Add([]byte{2, 2, 0, 2, 2, 1, 3, 0, 1, 2, 3}, "a%zz|x")
	f.Add([]byte{3, 3, 1, 2, 0, 0, 2, 3, 1, 5, 0}, "or|inq|%E2%82|é")
	f.Add([]byte{2, 2, 1, 0, 2, 1, 0, 1, 1}, "a+b|c d|]=|&")
	f.Fuzz(func(t *testing.T, shape []byte, text string) {
		g := &gen{shape: shape, pool: append(strings.Split(strings.ToValidUTF8(text, "\uFFFD"), "|"), words...)}
		m := map[string]any{}
		for range 1 + g.next()%3 {
			m[g.word(true)] = g.value(4)
		}
		filter := map[string]any{"filter": m}

		// The nested form.
		var ls []leaf
		leaves(m, nil, &ls)
		var parts []string
		want := map[string]any{}
		for _, l := range ls {
			mode := g.next()
			key := "filter"
			sentKey := send("filter", 0)
			for _, k := range l.path {
				key += "[" + k + "]"
				sentKey += "[" + send(k, 0) + "]"
			}
			// A malformed escape in a key keeps the key as sent: send keys
			// carelessly or properly only, so that the tree's shape is known.
			if mode%2 == 1 {
				sentKey = "filter"
				for _, k := range l.path {
					sentKey += "[" + send(k, 1) + "]"
				}
			}
			rk := received(sentKey)
			if rk != key {
				return // a key with "%" sent carelessly: its brackets are literal text, checked by TestValues
			}
			sv := send(l.value, mode)
			parts = append(parts, sentKey+"="+sv)
			put(want, append([]string{"filter"}, l.path...), received(sv))
		}
		v, err := Values(strings.Join(parts, "&"))
		if err != nil {
			return // too many parameters: an error, not a smaller filter
		}
		got := objects(Parse(v))
		if !reflect.DeepEqual(got, want) {
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			t.Fatalf("nested form %q\n got %s\nwant %s", strings.Join(parts, "&"), gb, wb)
		}

		// The JSON form.
		js, jerr := json.Marshal(filter["filter"])
		if jerr != nil {
			t.Fatal(jerr)
		}
		mode := g.next()
		sent := send(string(js), mode)
		v, err = Values("filter=" + sent)
		if err != nil {
			t.Fatal(err)
		}
		got1 := v.Get("filter")
		var decoded any
		if json.Unmarshal([]byte(got1), &decoded) != nil {
			return // an error for the client, never a smaller filter
		}
		var expect any
		if err := json.Unmarshal([]byte(received(sent)), &expect); err != nil {
			t.Fatalf("JSON form %q decoded to %q, which parses, but what was sent does not", sent, got1)
		}
		if !reflect.DeepEqual(decoded, expect) {
			t.Fatalf("JSON form %q\n got %v\nwant %v", sent, decoded, expect)
		}
	})
}
