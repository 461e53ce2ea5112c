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

// TestPartitionSQL checks the SQL of a limit per parent: ROW_NUMBER()
// over the partition, in the filter's order, bounds bound as arguments.
func TestPartitionSQL(t *testing.T) {
	todo, err := model.Parse([]byte(`{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},"title":"string","todoListId":"number"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := sqlconn.NewTable("postgresql", todo)
	if err != nil {
		t.Fatal(err)
	}
	f := &filter.Filter{
		Where:       &filter.Where{Conds: []filter.Cond{{Path: "todoListId", Op: filter.Inq, Value: []any{int64(1), int64(2)}}}},
		Order:       []filter.Order{{Property: "title", Desc: true}},
		Skip:        1,
		Limit:       2,
		PartitionBy: "todoListId",
	}
	q, err := sqlconn.Select(postgres.Dialect{}, tb, f)
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT "id", "title", "todoListId" FROM (SELECT "id", "title", "todoListId", ROW_NUMBER() OVER (PARTITION BY "todoListId" ORDER BY "title" DESC) AS "lb_rn" FROM "Todo" WHERE ("todoListId" IN ($1, $2))) AS "lb_page" WHERE "lb_rn" > $3 AND "lb_rn" <= $4 ORDER BY "title" DESC`
	if q.SQL != want {
		t.Errorf("got  %s\nwant %s", q.SQL, want)
	}
	if len(q.Args) != 4 || q.Args[2] != int64(1) || q.Args[3] != int64(3) {
		t.Errorf("args: got %v; want [1 2 1 3]", q.Args)
	}
	f.PartitionBy = "nope"
	if _, err := sqlconn.Select(postgres.Dialect{}, tb, f); err == nil {
		t.Error("partition by an unknown property: got no error")
	}
}
