package di

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the container returns wraps one of them, so
// callers test with errors.Is and reach the details with errors.As:
//
//	var nb *di.NotBoundError
//	if errors.As(err, &nb) { log.Print(nb.Key) }
var (
	// ErrNotBound: no binding for the key in the context or its ancestors.
	ErrNotBound = errors.New("di: key not bound")
	// ErrCycle: resolving a binding needs the binding itself.
	ErrCycle = errors.New("di: circular dependency")
	// ErrWrongType: the value bound at a key is not of the requested type.
	ErrWrongType = errors.New("di: wrong type")
	// ErrNoScope: a scoped binding was resolved where no context of its
	// scope exists in the chain, or where it cannot see the binding.
	ErrNoScope = errors.New("di: no context of the binding's scope")
	// ErrNoSource: the binding was created but never given a value source.
	ErrNoSource = errors.New("di: binding has no value source")
	// ErrAmbiguous: a constructor parameter resolved by type matches more
	// than one binding in the same context.
	ErrAmbiguous = errors.New("di: ambiguous dependency")
	// ErrBadPath: a deep property path does not lead to a value.
	ErrBadPath = errors.New("di: bad property path")
)

// NotBoundError reports a key that no context in the chain binds. Contexts
// lists the chain searched, nearest first; Path is the resolution path that
// led to the key (empty when it was asked for directly).
type NotBoundError struct {
	Key      string
	Contexts []string
	Path     []string
}

// Error reads "The key "x" is not bound to any value in context request ->
// server -> application", followed by the resolution path when there is one.
func (e *NotBoundError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "The key %q is not bound to any value in context %s", e.Key, strings.Join(e.Contexts, " -> "))
	if len(e.Path) > 1 {
		sb.WriteString(" (resolution path: ")
		sb.WriteString(strings.Join(e.Path, " --> "))
		sb.WriteString(")")
	}
	return sb.String()
}

// Is makes errors.Is(err, ErrNotBound) true.
func (e *NotBoundError) Is(target error) bool { return target == ErrNotBound }

// CycleError reports a circular dependency. Path starts and ends with the
// same key: ["a", "b", "a"].
type CycleError struct {
	Path []string
}

// Error reads "Circular dependency detected: a --> b --> a".
func (e *CycleError) Error() string {
	return "Circular dependency detected: " + strings.Join(e.Path, " --> ")
}

// Is makes errors.Is(err, ErrCycle) true.
func (e *CycleError) Is(target error) bool { return target == ErrCycle }

// ResolveError wraps an error returned by a provider or constructor, or any
// other failure to resolve Key, with the resolution path that led there.
type ResolveError struct {
	Key  string
	Path []string
	Err  error
}

// Error reads `resolve "key": cause`.
func (e *ResolveError) Error() string {
	if len(e.Path) > 1 {
		return fmt.Sprintf("resolve %q (resolution path: %s): %v", e.Key, strings.Join(e.Path, " --> "), e.Err)
	}
	return fmt.Sprintf("resolve %q: %v", e.Key, e.Err)
}

// Unwrap returns the cause.
func (e *ResolveError) Unwrap() error { return e.Err }

// isContainerError reports whether err already carries a resolution path, so
// that it is passed up unwrapped instead of being wrapped at every level.
func isContainerError(err error) bool {
	switch err.(type) {
	case *NotBoundError, *CycleError, *ResolveError:
		return true
	}
	return false
}
