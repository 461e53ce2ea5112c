package crud_test

import (
	"context"
	"slices"
	"testing"

	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/rest"
)

// Options.Operations gives options to the operations it names only: an
// interceptor for create runs around create and nothing else.
func TestOperationsOptions(t *testing.T) {
	repo := newRepo[Todo](t)
	var asked, intercepted []string
	_, ts := serve(t, repo, crud.Options{Operations: func(id string) []rest.OperationOption {
		asked = append(asked, id)
		if id != "TodoController.create" {
			return nil
		}
		return []rest.OperationOption{rest.WithInterceptors(func(ctx context.Context, inv *di.Invocation, next di.Next) (any, error) {
			intercepted = append(intercepted, inv.Target)
			return next(ctx)
		})}
	}})
	for _, id := range []string{"TodoController.create", "TodoController.find", "TodoController.findById", "TodoController.replaceById", "TodoController.deleteById"} {
		if !slices.Contains(asked, id) {
			t.Errorf("Operations was asked for %v; want %s among them", asked, id)
		}
	}
	if st, body := call(t, ts, "POST", "/todos", `{"title":"a"}`); st != 200 {
		t.Fatalf("POST /todos: %d %s", st, body)
	}
	if st, body := call(t, ts, "GET", "/todos", ""); st != 200 {
		t.Fatalf("GET /todos: %d %s", st, body)
	}
	if st, body := call(t, ts, "GET", "/todos/1", ""); st != 200 {
		t.Fatalf("GET /todos/1: %d %s", st, body)
	}
	if want := []string{"TodoController.create"}; !slices.Equal(intercepted, want) {
		t.Errorf("the interceptor ran for %v; want %v (create only)", intercepted, want)
	}
}
