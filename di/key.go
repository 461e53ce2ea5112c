package di

import "strings"

// Key names a binding and carries the Go type of its value, so that Bind and
// Get are checked by the compiler:
//
//	var TodoRepo = di.NewKey[*TodoRepository]("repositories.TodoRepository")
//
// The name is an ordinary string, so bindings stay addressable from
// configuration. A name may end with a deep property path after '#':
// "application.config#rest" resolves the value bound at "application.config"
// and then its "rest" map key, struct field (by name or json tag) or, with
// dots, a nested property ("application.config#rest.port").
//
// Keys are small comparable values; declare them once and share them.
type Key[T any] struct {
	name string // as given
	key  string // binding key, before '#'
	path string // property path, after '#'
}

// NewKey returns the key named name for values of type T.
func NewKey[T any](name string) Key[T] {
	k, p, _ := strings.Cut(name, "#")
	return Key[T]{name: name, key: k, path: p}
}

// Name returns the key's full name, including any "#path" suffix.
func (k Key[T]) Name() string { return k.name }

// String returns the key's name.
func (k Key[T]) String() string { return k.name }

// Binding returns the binding key, without the deep property path.
func (k Key[T]) Binding() string { return k.key }

// Path returns the deep property path after '#', or "".
func (k Key[T]) Path() string { return k.path }

// ConfigKey returns the key under which Configure binds the configuration of
// the binding named key: "<key>:$config".
func ConfigKey(key string) string {
	k, p, ok := strings.Cut(key, "#")
	if ok {
		return k + configSuffix + "#" + p
	}
	return key + configSuffix
}

const configSuffix = ":$config"
