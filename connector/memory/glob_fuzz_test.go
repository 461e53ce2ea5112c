package memory

import (
	"path"
	"strings"
	"testing"
)

// FuzzGlobMatch compares globMatch with path.Match on the patterns both
// accept (no '/', no escapes, well-formed classes): Keys patterns may come
// from clients, so the matcher must be right and never slow or panic.
func FuzzGlobMatch(f *testing.F) {
	for _, seed := range [][2]string{
		{"user:*", "user:42"}, {"*a*b*c*d*e*", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"h[a-c]llo", "hbllo"}, {"h[^e]llo", "hello"}, {"?é*", "xéz"}, {"[]a]", "]"}, {"a[", "a["},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := globMatch(pattern, s) // must not panic on anything
		if strings.ContainsAny(pattern+s, "/\\") {
			return
		}
		want, err := path.Match(pattern, s)
		if err != nil {
			return
		}
		if _, err := path.Match(pattern, ""); err != nil {
			return
		}
		if got != want {
			t.Errorf("globMatch(%q, %q) = %v; path.Match says %v", pattern, s, got, want)
		}
	})
}
