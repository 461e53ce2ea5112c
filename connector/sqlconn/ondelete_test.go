package sqlconn_test

import (
	"testing"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/model"
)

// TestForeignKeyOnDelete checks that a belongsTo relation's onDelete
// action becomes the foreign key's ON DELETE clause.
func TestForeignKeyOnDelete(t *testing.T) {
	for _, tt := range []struct {
		action model.OnDelete
		want   string
	}{
		{"", `CONSTRAINT "fk" FOREIGN KEY ("list_id") REFERENCES "app"."TodoList" ("id")`},
		{model.Restrict, `CONSTRAINT "fk" FOREIGN KEY ("list_id") REFERENCES "app"."TodoList" ("id") ON DELETE RESTRICT`},
		{model.Cascade, `CONSTRAINT "fk" FOREIGN KEY ("list_id") REFERENCES "app"."TodoList" ("id") ON DELETE CASCADE`},
		{model.SetNull, `CONSTRAINT "fk" FOREIGN KEY ("list_id") REFERENCES "app"."TodoList" ("id") ON DELETE SET NULL`},
	} {
		fk := sqlconn.ForeignKeySQL{Name: "fk", Column: "list_id", TargetSchema: "app", TargetTable: "TodoList", TargetColumn: "id", OnDelete: tt.action}
		if got := fk.Clause(postgres.Dialect{}); got != tt.want {
			t.Errorf("onDelete %q: got %s; want %s", tt.action, got, tt.want)
		}
	}
	def := &model.Definition{Name: "Todo",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "todoListId", Type: model.Number, Integer: true}},
		Relations: []*model.Relation{{Name: "todoList", Type: model.BelongsTo, Target: "TodoList", ForeignKey: "todoListId", KeyFrom: "todoListId", OnDelete: model.Cascade}},
	}
	tb, err := sqlconn.NewTable("postgresql", def)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.ForeignKeys) != 1 || tb.ForeignKeys[0].OnDelete != model.Cascade {
		t.Errorf("table foreign keys: got %+v; want one with onDelete cascade", tb.ForeignKeys)
	}
}

// TestForeignKeyWithoutOnDelete checks that a belongsTo relation without
// onDelete is no FOREIGN KEY constraint (deleting the parent leaves the
// children, as in LoopBack) but its column is still indexed.
func TestForeignKeyWithoutOnDelete(t *testing.T) {
	def := &model.Definition{Name: "Todo",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "todoListId", Type: model.Number, Integer: true}},
		Relations: []*model.Relation{{Name: "todoList", Type: model.BelongsTo, Target: "TodoList", ForeignKey: "todoListId", KeyFrom: "todoListId"}},
	}
	tb, err := sqlconn.NewTable("postgresql", def)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.ForeignKeys) != 0 {
		t.Errorf("table foreign keys: got %+v; want none without onDelete", tb.ForeignKeys)
	}
	if len(tb.Indexes) != 1 || len(tb.Indexes[0].Columns) != 1 || tb.Indexes[0].Columns[0] != "todoListId" {
		t.Errorf("indexes: got %+v; want one on todoListId", tb.Indexes)
	}
}
