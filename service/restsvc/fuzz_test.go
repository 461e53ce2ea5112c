package restsvc

import (
	"os"
	"strings"
	"testing"
)

// FuzzTemplate checks that any template string parses or is refused
// without a panic, and that evaluating a parsed one with or without
// arguments never panics and reproduces the literal text.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{"{x}", "{!x:number}", "{x=100}ABC{^y}123", "{x=1:integer}", "{}", "{1x}", "{x", "a{b}c{d=e}", "{$a_1=:}", "{x:date}", "{ x }", "{x = 1}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tx, err := parseText(s)
		if err != nil {
			return
		}
		if len(tx.lits) != len(tx.vars)+1 {
			t.Fatalf("%q: %d literals for %d variables", s, len(tx.lits), len(tx.vars))
		}
		v, _, err := tx.eval(map[string]any{}, nil)
		if err == nil && len(tx.vars) == 0 && v != s {
			t.Fatalf("%q without variables evaluates to %v", s, v)
		}
		args := map[string]any{}
		for _, vr := range tx.vars {
			args[vr.name] = "1"
		}
		tx.eval(args, strings.ToUpper)
	})
}

// FuzzPath checks that any responsePath parses or is refused without a
// panic, and that a parsed one evaluates on a document.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"$", "$.a.b", "$.result.addressMatches[*].coordinates", "$['a'][0]", "$[-1]", "$.*", "$..a", "$[", "$.a[x]", `$["q"]`} {
		f.Add(s)
	}
	doc := map[string]any{"a": map[string]any{"b": []any{1.0, map[string]any{"c": "d"}}}, "result": map[string]any{"addressMatches": []any{}}}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePath(s)
		if err != nil {
			return
		}
		if got := p.eval(doc); got == nil {
			t.Fatalf("%q: nil result; want a list", s)
		}
	})
}

// FuzzLoad checks that any datasource document is loaded or refused
// without a panic.
func FuzzLoad(f *testing.F) {
	if data, err := os.ReadFile("testdata/geocoder.datasource.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"name":"x","connector":"rest","operations":[{"template":{"url":"http://h/{a}","body":{"k":["{b:number}"]}},"functions":{"f":["a","b"]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		svc, err := Load(data)
		if err != nil {
			return
		}
		for _, name := range svc.Functions() {
			fn := svc.funcs[name]
			args := map[string]any{}
			for _, p := range fn.params {
				args[p] = "1"
			}
			svc.build(fn, args) // must not panic
		}
	})
}
