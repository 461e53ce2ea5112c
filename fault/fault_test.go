package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/loopback-go/lb/fault"
)

func TestKinds(t *testing.T) {
	err := fmt.Errorf("find todo: %w", fault.New(fault.NotFound, "ENTITY_NOT_FOUND", "Entity not found: Todo with id 99"))
	if !errors.Is(err, fault.NotFound) {
		t.Fatalf("errors.Is(err, NotFound) = false; want true")
	}
	if errors.Is(err, fault.Conflict) {
		t.Fatalf("errors.Is(err, Conflict) = true; want false")
	}
	if got := fault.KindOf(err); got != fault.NotFound {
		t.Fatalf("KindOf = %v; want %v", got, fault.NotFound)
	}
	if got := fault.KindOf(errors.New("boom")); got != fault.Internal {
		t.Fatalf("KindOf(plain) = %v; want internal", got)
	}
	cause := errors.New("dial tcp: refused")
	w := fault.Wrap(fault.Unavailable, cause)
	if !errors.Is(w, cause) || w.Error() != cause.Error() {
		t.Fatalf("Wrap lost its cause: %v", w)
	}
}

func ExampleNew() {
	err := fmt.Errorf("update todo: %w", fault.New(fault.NotFound, "ENTITY_NOT_FOUND", "Entity not found: Todo with id 99"))
	fmt.Println(errors.Is(err, fault.NotFound), fault.KindOf(err))
	// Output: true not found
}
