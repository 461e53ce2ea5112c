package rest

import (
	"context"
	"testing"
)

type lazyTypedIn struct {
	Limit int `query:"limit" minimum:"1"`
	Body  struct {
		Title string `json:"title" maxLength:"8"`
	}
}

// TestValidateCompilesEveryValidator: registering compiles nothing (the
// point of lazy validators), Validate compiles the validators of plain
// and typed operations, parameters and bodies alike, and EagerValidators
// compiles them at registration.
func TestValidateCompilesEveryValidator(t *testing.T) {
	for _, eager := range []bool{false, true} {
		s := New(Config{EagerValidators: eager})
		Post(s, "/typed", func(_ context.Context, in *lazyTypedIn) (*lazyTypedIn, error) { return in, nil })
		routes := s.Routes()
		if len(routes) != 1 {
			t.Fatalf("routes: %v", routes)
		}
		var vls []*validator
		for _, e := range s.endpoints {
			vls = append(vls, e.validators()...)
		}
		if len(vls) != 2 {
			t.Fatalf("eager=%v: got %d validators; want 2 (limit and the body)", eager, len(vls))
		}
		compiled := func() int {
			n := 0
			for _, vl := range vls {
				if vl.v != nil {
					n++
				}
			}
			return n
		}
		want := 0
		if eager {
			want = 2
		}
		if got := compiled(); got != want {
			t.Errorf("eager=%v: %d validators compiled at registration; want %d", eager, got, want)
		}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := compiled(); got != 2 {
			t.Errorf("eager=%v: %d validators compiled after Validate; want 2", eager, got)
		}
	}
}
