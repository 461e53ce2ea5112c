package graphql_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loopback-go/lb/auth"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/graphql"
	"github.com/loopback-go/lb/repository"
)

// TestAuthorize restricts todos to list 1 (as an ownership rule would),
// sets the list of new todos, and refuses deleting lists.
func TestAuthorize(t *testing.T) {
	fx := newFixture(t, memoryConn(t))
	var seen []string
	h, err := graphql.New(graphql.Config{
		Models: []*repository.Model{fx.lists.Model(), fx.todos.Model()},
		Authorize: func(ctx context.Context, op *graphql.Operation) (*filter.Where, error) {
			seen = append(seen, op.Model+"."+op.Name)
			if op.Model == "TodoList" && op.Name == "deleteById" {
				return nil, auth.Forbidden()
			}
			if op.Model != "Todo" {
				return nil, nil
			}
			if op.Name == "create" {
				op.Data["todoListId"] = 1
			}
			return &filter.Where{Conds: []filter.Cond{{Path: "todoListId", Op: filter.Eq, Value: 1}}}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	fx.srv = srv
	cases := []struct{ query, want string }{
		{`{ todos(where: {id: {gt: 1}}) { id } todosCount }`, `{"data":{"todos":[{"id":2},{"id":4}],"todosCount":3}}`},
		{`{ todo(id: 3) { id } }`, `"message":"Access denied"`},
		{`{ todo(id: 99) { id } }`, `{"data":{"todo":null}}`},
		{`mutation { updateTodo(id: 3, data: {title: "mine now"}) { id } }`, `"statusCode":403`},
		{`mutation { createTodo(data: {title: "new", todoListId: 2}) { id todoListId } }`, `{"data":{"createTodo":{"id":5,"todoListId":1}}}`},
		{`mutation { deleteTodoList(id: 2) }`, `"code":"FORBIDDEN"`},
	}
	for _, c := range cases {
		status, body := fx.post(t, c.query, nil)
		if status != 200 || c.want[0] == '{' && body != c.want || c.want[0] != '{' && !strings.Contains(body, c.want) {
			t.Errorf("%s: got %d %s; want %s", c.query, status, body, c.want)
		}
	}
	ctx := context.Background()
	if td, err := fx.todos.FindByID(ctx, 3, nil); err != nil || td.Title != "play space invaders" {
		t.Errorf("todo 3 is %+v, %v; want it unchanged", td, err)
	}
	if ok, _ := fx.lists.Exists(ctx, 2); !ok {
		t.Error("list 2 was deleted")
	}
	if want := "Todo.find Todo.count Todo.findById Todo.findById Todo.updateById Todo.create TodoList.deleteById"; strings.Join(seen, " ") != want {
		t.Errorf("operations %v; want %s", seen, want)
	}
}
