package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// TestAcrossUsesIndexes checks PostgreSQL's plan for
// GET /todos?filter={"where":{"todoList.color":"red"}} over 100,000 todos
// in 1,000 lists (one red): the correlated EXISTS runs as a join that
// looks todos up through the foreign key's index (which migration
// creates), not a scan of every todo.
func TestAcrossUsesIndexes(t *testing.T) {
	ctx := context.Background()
	c := openSchema(t, "lbacross_"+sqltest.Suffix())
	var reg model.Registry
	list, err := model.Parse([]byte(`{"name":"TodoList","properties":{"id":{"type":"integer","id":true,"generated":true},"color":"string"},
		"relations":{"todos":{"type":"hasMany","model":"Todo","foreignKey":"todoListId"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	todo, err := model.Parse([]byte(`{"name":"Todo","properties":{"id":{"type":"integer","id":true,"generated":true},"title":"string","todoListId":"integer"},
		"relations":{"todoList":{"type":"belongsTo","model":"TodoList","foreignKey":"todoListId"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*model.Definition{list, todo} {
		if err := reg.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Automigrate(ctx, []*model.Definition{list, todo}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO "TodoList" ("color") SELECT CASE WHEN i = 500 THEN 'red' ELSE 'blue' END FROM generate_series(1, 1000) AS i`,
		`INSERT INTO "Todo" ("title", "todoListId") SELECT 'todo ' || i, 1 + i % 1000 FROM generate_series(1, 100000) AS i`,
		`ANALYZE "TodoList"`, `ANALYZE "Todo"`,
	} {
		if _, err := c.DB().ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	f, err := filter.ParseJSON([]byte(`{"where":{"todoList.color":"red"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.ValidateWith(todo, filter.ValidateOptions{Registry: &reg}); err != nil {
		t.Fatal(err)
	}
	tb, err := c.Table(todo)
	if err != nil {
		t.Fatal(err)
	}
	q, err := sqlconn.Select(postgres.Dialect{}, tb, f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.DB().QueryContext(ctx, "EXPLAIN "+q.SQL, q.Args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, "ix_Todo_todoListId") || strings.Contains(text, `Seq Scan on "Todo"`) {
		t.Errorf("plan of %s:\n%s\nwant a lookup through ix_Todo_todoListId, no scan of every todo", q.SQL, text)
	}
	t.Logf("plan:\n%s", text)
	var n int
	if err := c.DB().QueryRowContext(ctx, "SELECT count(*) FROM ("+q.SQL+") AS x", q.Args...).Scan(&n); err != nil || n != 100 {
		t.Errorf("todos in the red list: got %d, %v; want 100", n, err)
	}
}
