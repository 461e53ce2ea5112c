package restsvc

import (
	"context"
	"fmt"

	"github.com/loopback-go/lb/service"
)

// Func is a typed function of a REST service, as [Bind] returns it.
type Func[I, O any] func(ctx context.Context, in I) (O, error)

// Bind returns the function name of s as a typed Go function: the
// arguments come from I and the answer (after the responsePath) is decoded
// into O.
//
// I is either a struct (or a pointer to one) whose fields are the
// function's arguments, named by their json tags (a field tagged
// omitempty is left out when zero, so the template's default applies), a
// map[string]any of arguments, or, for a function of one argument, that
// argument itself (a string, a number …). The fields are looked up once,
// here; Bind fails when name is not a function of s or a field of I is not
// one of its arguments.
func Bind[I, O any](s *Service, name string) (Func[I, O], error) {
	f, err := s.function(name)
	if err != nil {
		return nil, err
	}
	argsOf, err := service.ArgsFunc[I](f.params)
	if err != nil {
		return nil, fmt.Errorf("bind %s.%s: %w", s.name, name, err)
	}
	return func(ctx context.Context, in I) (O, error) {
		var out O
		err := s.call(ctx, f, argsOf(in), func(data []byte) error { return decodeInto(f, data, &out) })
		return out, err
	}, nil
}

// MustBind is [Bind] that panics on an error; use it while setting up.
func MustBind[I, O any](s *Service, name string) Func[I, O] {
	fn, err := Bind[I, O](s, name)
	if err != nil {
		panic(err)
	}
	return fn
}
