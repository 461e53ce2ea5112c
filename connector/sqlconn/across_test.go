package sqlconn_test

import (
	"testing"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// TestAcrossSQL checks the SQL of conditions and order terms across
// relations: correlated EXISTS and scalar subqueries, with bound values.
func TestAcrossSQL(t *testing.T) {
	var reg model.Registry
	list, err := model.Parse([]byte(`{"name":"TodoList","properties":{"id":{"type":"number","id":true,"generated":true},"color":"string","title":"string"},
		"relations":{"todos":{"type":"hasMany","model":"Todo","foreignKey":"todoListId"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	todo, err := model.Parse([]byte(`{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},"isComplete":"boolean","todoListId":"number"},
		"relations":{"todoList":{"type":"belongsTo","model":"TodoList","foreignKey":"todoListId"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Add(list); err != nil {
		t.Fatal(err)
	}
	if err := reg.Add(todo); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		def    *model.Definition
		filter string
		want   string
		args   []any
	}{
		{todo, `{"where":{"todoList.color":"red"}}`,
			`SELECT "id", "isComplete", "todoListId" FROM "Todo" WHERE EXISTS (SELECT 1 FROM "TodoList" AS "lb_rel" WHERE "lb_rel"."id" = "Todo"."todoListId" AND "color" = $1) ORDER BY "id"`,
			[]any{"red"}},
		{list, `{"where":{"todos.isComplete":false}}`,
			`SELECT "id", "color", "title" FROM "TodoList" WHERE EXISTS (SELECT 1 FROM "Todo" AS "lb_rel" WHERE "lb_rel"."todoListId" = "TodoList"."id" AND "isComplete" = $1) ORDER BY "id"`,
			[]any{false}},
		{todo, `{"order":["todoList.title DESC"]}`,
			`SELECT "id", "isComplete", "todoListId" FROM "Todo" ORDER BY (SELECT "lb_rel"."title" FROM "TodoList" AS "lb_rel" WHERE "lb_rel"."id" = "Todo"."todoListId" LIMIT 1) DESC`,
			nil},
	} {
		f, err := filter.ParseJSON([]byte(tt.filter))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.ValidateWith(tt.def, filter.ValidateOptions{Registry: &reg}); err != nil {
			t.Fatal(err)
		}
		tb, err := sqlconn.NewTable("postgresql", tt.def)
		if err != nil {
			t.Fatal(err)
		}
		q, err := sqlconn.Select(postgres.Dialect{}, tb, f)
		if err != nil {
			t.Fatal(err)
		}
		if q.SQL != tt.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tt.filter, q.SQL, tt.want)
		}
		if len(q.Args) != len(tt.args) || len(tt.args) > 0 && q.Args[0] != tt.args[0] {
			t.Errorf("%s: args %v; want %v", tt.filter, q.Args, tt.args)
		}
	}
}
