package sqlconn_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

func todoDef() *model.Definition {
	return &model.Definition{
		Name: "Todo",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "title", Type: model.String, Required: true},
			{Name: "isComplete", Type: model.Boolean, Connector: map[string]map[string]any{
				"postgresql": {"columnName": "is_complete"}, "mysql": {"columnName": "is_complete"}, "sqlite": {"columnName": "is_complete"}}},
			{Name: "due", Type: model.Date},
			{Name: "meta", Type: model.Object},
		},
	}
}

func w(path string, op filter.Op, v any) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: path, Op: op, Value: v}}}
}

func TestSelectSQL(t *testing.T) {
	day := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name     string
		d        sqlconn.Dialect
		f        *filter.Filter
		wantSQL  string
		wantArgs []any
	}{
		{"pg all", postgres.Dialect{}, nil,
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" ORDER BY "id"`, nil},
		{"pg eq and column name", postgres.Dialect{}, &filter.Filter{Where: w("isComplete", filter.Eq, true)},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE "is_complete" = $1 ORDER BY "id"`, []any{true}},
		{"pg fields order limit skip", postgres.Dialect{}, &filter.Filter{
			Fields: &filter.Fields{Include: []string{"title", "id"}}, Order: []filter.Order{{Property: "title", Desc: true}}, Limit: 10, Skip: 20},
			`SELECT "id", "title" FROM "Todo" ORDER BY "title" DESC LIMIT $1 OFFSET $2`, []any{int64(10), int64(20)}},
		{"pg inq neq", postgres.Dialect{}, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{
			{Path: "id", Op: filter.Inq, Value: []any{int64(1), int64(2)}}, {Path: "title", Op: filter.Neq, Value: "x"}}}},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE ("id" IN ($1, $2)) AND ("title" <> $3 OR "title" IS NULL) ORDER BY "id"`,
			[]any{int64(1), int64(2), "x"}},
		{"pg or", postgres.Dialect{}, &filter.Filter{Where: &filter.Where{Or: []*filter.Where{w("title", filter.Like, "a%"), w("due", filter.Gt, day)}}},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE (("title" LIKE $1) OR ("due" > $2)) ORDER BY "id"`,
			[]any{"a%", day}},
		{"pg nested string", postgres.Dialect{}, &filter.Filter{Where: w("meta.a", filter.Eq, "x")},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE jsonb_extract_path_text("meta", $1) = $2 ORDER BY "id"`,
			[]any{"a", "x"}},
		{"pg regexp i", postgres.Dialect{}, &filter.Filter{Where: w("title", filter.Regexp, "/^a/i")},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE "title" ~ $1 ORDER BY "id"`, []any{`\A[Aa]`}},
		{"pg like on an integer", postgres.Dialect{}, &filter.Filter{Where: w("id", filter.Like, `1%\`)},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE CAST("id" AS TEXT) LIKE $1 ORDER BY "id"`, []any{`1%\\`}},
		{"mysql like case-sensitive", mysql.Dialect{}, &filter.Filter{Where: w("title", filter.Like, "a%"), Skip: 5},
			"SELECT `id`, `title`, `is_complete`, `due`, `meta` FROM `Todo` WHERE CONVERT(`title` USING utf8mb4) COLLATE utf8mb4_bin LIKE ? ORDER BY `id` LIMIT 18446744073709551615 OFFSET ?",
			[]any{"a%", int64(5)}},
		{"mysql regexp", mysql.Dialect{}, &filter.Filter{Where: w("title", filter.Regexp, &filter.RegexpValue{Pattern: "^a"})},
			"SELECT `id`, `title`, `is_complete`, `due`, `meta` FROM `Todo` WHERE `title` REGEXP ? ORDER BY `id`", []any{`(?-i)\Aa`}},
		{"mysql nested number", mysql.Dialect{}, &filter.Filter{Where: w("meta.n", filter.Gt, 3.0)},
			"SELECT `id`, `title`, `is_complete`, `due`, `meta` FROM `Todo` WHERE JSON_EXTRACT(`meta`, ?) > ? ORDER BY `id`", []any{`$."n"`, 3.0}},
		{"sqlite like glob", sqlite.Dialect{}, &filter.Filter{Where: w("title", filter.Like, "a_%*")},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE "title" GLOB ? ORDER BY "id"`, []any{"a?*[*]"}},
		{"sqlite bool and date", sqlite.Dialect{}, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{
			{Path: "isComplete", Op: filter.Eq, Value: false}, {Path: "due", Op: filter.Between, Value: []any{day, day}}}}},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE "is_complete" = ? AND "due" BETWEEN ? AND ? ORDER BY "id"`,
			[]any{int64(0), "2024-05-06T07:08:09.000000000Z", "2024-05-06T07:08:09.000000000Z"}},
		{"sqlite inq empty nin empty", sqlite.Dialect{}, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{
			{Path: "id", Op: filter.Inq, Value: []any{}}, {Path: "id", Op: filter.Nin, Value: []any{}}}}},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE 1=0 AND 1=1 ORDER BY "id"`, nil},
		{"sqlite exists", sqlite.Dialect{}, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{
			{Path: "due", Op: filter.Exists, Value: true}, {Path: "meta", Op: filter.Exists, Value: false}}}},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE "due" IS NOT NULL AND "meta" IS NULL ORDER BY "id"`, nil},
		{"sqlite nested", sqlite.Dialect{}, &filter.Filter{Where: w("meta.a.b", filter.Eq, true)},
			`SELECT "id", "title", "is_complete", "due", "meta" FROM "Todo" WHERE json_extract("meta", ?) = ? ORDER BY "id"`,
			[]any{`$."a"."b"`, int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb, err := sqlconn.NewTable(tt.d.Name(), todoDef())
			if err != nil {
				t.Fatal(err)
			}
			q, err := sqlconn.Select(tt.d, tb, tt.f)
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			if q.SQL != tt.wantSQL {
				t.Errorf("got  %s\nwant %s", q.SQL, tt.wantSQL)
			}
			if !reflect.DeepEqual(q.Args, tt.wantArgs) {
				t.Errorf("got args %#v; want %#v", q.Args, tt.wantArgs)
			}
		})
	}
}

func TestWriteSQL(t *testing.T) {
	tb, _ := sqlconn.NewTable("postgresql", todoDef())
	d := postgres.Dialect{}
	q, err := sqlconn.Insert(d, tb, map[string]any{"title": "a", "isComplete": true, "bogus": 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := `INSERT INTO "Todo" ("title", "is_complete") VALUES ($1, $2) RETURNING "id"`; q.SQL != want {
		t.Errorf("insert: got %s; want %s", q.SQL, want)
	}
	q, err = sqlconn.Update(d, tb, w("id", filter.Eq, int64(3)), map[string]any{"title": "b", "due": nil})
	if err != nil {
		t.Fatal(err)
	}
	if want := `UPDATE "Todo" SET "title" = $1, "due" = $2 WHERE "id" = $3`; q.SQL != want {
		t.Errorf("update: got %s; want %s", q.SQL, want)
	}
	// Multi-row writes lock their rows in id order on PostgreSQL.
	q, err = sqlconn.Update(d, tb, w("title", filter.Eq, "a"), map[string]any{"title": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `UPDATE "Todo" SET "title" = $1 WHERE "id" IN (SELECT "id" FROM "Todo" WHERE "title" = $2 ORDER BY "id" FOR UPDATE)`; q.SQL != want {
		t.Errorf("update many: got %s; want %s", q.SQL, want)
	}
	q, err = sqlconn.Delete(d, tb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := `DELETE FROM "Todo" WHERE "id" IN (SELECT "id" FROM "Todo" ORDER BY "id" FOR UPDATE)`; q.SQL != want {
		t.Errorf("delete all: got %s; want %s", q.SQL, want)
	}
	q, err = sqlconn.Delete(mysql.Dialect{}, mustTable(t, "mysql"), w("title", filter.Nin, []any{"a"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := "DELETE FROM `Todo` WHERE (`title` NOT IN (?) OR `title` IS NULL) ORDER BY `id`"; q.SQL != want {
		t.Errorf("delete: got %s; want %s", q.SQL, want)
	}
	q, err = sqlconn.Count(sqlite.Dialect{}, mustTable(t, "sqlite"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := `SELECT COUNT(*) FROM "Todo"`; q.SQL != want {
		t.Errorf("count: got %s; want %s", q.SQL, want)
	}
}

func mustTable(t *testing.T, dialect string) *sqlconn.Table {
	t.Helper()
	tb, err := sqlconn.NewTable(dialect, todoDef())
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestCreateTableSQL(t *testing.T) {
	def := todoDef()
	def.Properties = append(def.Properties,
		&model.Property{Name: "price", Type: model.Number, Connector: map[string]map[string]any{
			"postgresql": {"dataPrecision": 10, "dataScale": 2}, "mysql": {"dataPrecision": 10, "dataScale": 2}}},
		&model.Property{Name: "code", Type: model.String, Unique: true, Connector: map[string]map[string]any{
			"postgresql": {"dataType": "VARCHAR", "dataLength": 20, "nullable": "N"}}})
	tests := []struct {
		d    sqlconn.Dialect
		want string
	}{
		{postgres.Dialect{}, `CREATE TABLE "Todo" (
  "id" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL,
  "title" TEXT NOT NULL,
  "is_complete" BOOLEAN,
  "due" TIMESTAMPTZ,
  "meta" JSONB,
  "price" NUMERIC(10,2),
  "code" VARCHAR(20) NOT NULL,
  PRIMARY KEY ("id")
)`},
		{mysql.Dialect{}, "CREATE TABLE `Todo` (\n  `id` BIGINT AUTO_INCREMENT NOT NULL,\n  `title` TEXT NOT NULL,\n  `is_complete` TINYINT(1),\n" +
			"  `due` DATETIME(6),\n  `meta` JSON,\n  `price` DECIMAL(10,2),\n  `code` VARCHAR(255),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
		{sqlite.Dialect{}, "CREATE TABLE \"Todo\" (\n  \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,\n  \"title\" TEXT NOT NULL,\n  \"is_complete\" BOOLEAN,\n" +
			"  \"due\" DATETIME,\n  \"meta\" TEXT,\n  \"price\" REAL,\n  \"code\" TEXT\n)"},
	}
	for _, tt := range tests {
		t.Run(tt.d.Name(), func(t *testing.T) {
			tb, err := sqlconn.NewTable(tt.d.Name(), def)
			if err != nil {
				t.Fatal(err)
			}
			if got := sqlconn.CreateTable(tt.d, tb, nil); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if len(tb.Indexes) != 1 || !tb.Indexes[0].Unique {
				t.Errorf("indexes = %+v; want one unique", tb.Indexes)
			}
		})
	}
}

func TestRejectsUnknownNames(t *testing.T) {
	tb := mustTable(t, "postgresql")
	bad := []*filter.Filter{
		{Where: w("nope", filter.Eq, 1)},
		{Where: w("title.x", filter.Eq, 1)},        // not an object
		{Where: w("meta.a b", filter.Eq, 1)},       // invalid key
		{Where: w("meta.a'--", filter.Eq, 1)},      // invalid key
		{Where: w("title", "drop", 1)},             // unknown operator
		{Where: w("title", filter.Between, "x")},   // not a pair
		{Where: w("title", filter.Like, int64(1))}, // not a pattern
		{Where: w("title", filter.Regexp, "(")},    // bad regexp
		{Where: w("title", filter.Exists, "yes")},  // not a boolean
		{Order: []filter.Order{{Property: "title; DROP TABLE x"}}},
		{Fields: &filter.Fields{Include: []string{"x"}}},
		{Limit: -1},
	}
	for i, f := range bad {
		if _, err := sqlconn.Select(postgres.Dialect{}, tb, f); !errors.Is(err, fault.BadRequest) {
			t.Errorf("filter %d: err = %v; want fault.BadRequest", i, err)
		}
	}
}

func TestPropertyName(t *testing.T) {
	for in, want := range map[string]string{"is_complete": "isComplete", "id": "id", "Todo_List_id": "todoListId", "camelCase": "camelCase", "_x": "x"} {
		if got := sqlconn.PropertyName(in); got != want {
			t.Errorf("PropertyName(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestLoopBackType(t *testing.T) {
	tests := []struct {
		in      string
		want    model.Type
		integer bool
	}{
		{"integer", model.Number, true}, {"BIGINT", model.Number, true}, {"tinyint(1)", model.Boolean, false},
		{"numeric", model.Number, false}, {"double precision", model.Number, false}, {"boolean", model.Boolean, false},
		{"timestamp with time zone", model.Date, false}, {"datetime", model.Date, false}, {"jsonb", model.Object, false},
		{"bytea", model.Buffer, false}, {"character varying", model.String, false}, {"VARCHAR(20)", model.String, false},
	}
	for _, tt := range tests {
		typ, integer := sqlconn.LoopBackType(tt.in, 0, 0, 0)
		if typ != tt.want || integer != tt.integer {
			t.Errorf("LoopBackType(%q) = %s, %v; want %s, %v", tt.in, typ, integer, tt.want, tt.integer)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	w := &filter.Where{}
	cur := w
	for range sqlconn.MaxDepth + 5 {
		next := &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: int64(1)}}}
		cur.Or = []*filter.Where{next}
		cur = next
	}
	if _, err := sqlconn.Select(postgres.Dialect{}, mustTable(t, "postgresql"), &filter.Filter{Where: w}); !errors.Is(err, fault.BadRequest) {
		t.Errorf("deep where: %v; want fault.BadRequest", err)
	}
}

func TestLongNames(t *testing.T) {
	long := strings.Repeat("very_long_table_name_", 5)
	def := todoDef()
	def.Settings.Table = long
	def.Properties[1].Unique = true
	tb, err := sqlconn.NewTable("mysql", def)
	if err != nil {
		t.Fatal(err)
	}
	if n := tb.Indexes[0].Name; len(n) > 60 || !strings.HasPrefix(n, "uq_very_long") {
		t.Errorf("index name %q (%d bytes); want at most 60", n, len(n))
	}
	def2 := todoDef()
	def2.Settings.Table = long + "x"
	def2.Properties[1].Unique = true
	tb2, _ := sqlconn.NewTable("mysql", def2)
	if tb2.Indexes[0].Name == tb.Indexes[0].Name {
		t.Errorf("two long names cut to the same %q", tb.Indexes[0].Name)
	}
}

func TestJSONPathText(t *testing.T) {
	tests := []struct {
		path []string
		want string
	}{
		{nil, `$`},
		{[]string{"a"}, `$."a"`},
		{[]string{"address", "city"}, `$."address"."city"`},
	}
	for _, tt := range tests {
		if got := sqlconn.JSONPathText(tt.path); got != tt.want {
			t.Errorf("JSONPathText(%q): got %s; want %s", tt.path, got, tt.want)
		}
	}
}

func TestLimitOffset(t *testing.T) {
	tests := []struct {
		limit, offset int
		unlimited     string
		want          string
		args          []any
	}{
		{0, 0, "-1", "", nil},
		{10, 0, "-1", " LIMIT ?", []any{int64(10)}},
		{10, 5, "-1", " LIMIT ? OFFSET ?", []any{int64(10), int64(5)}},
		{0, 5, "-1", " LIMIT -1 OFFSET ?", []any{int64(5)}},
		{0, 5, "", " OFFSET ?", []any{int64(5)}},
		{-1, -1, "", "", nil},
	}
	for _, tt := range tests {
		b := sqlconn.NewBuilder(sqlite.Dialect{})
		sqlconn.LimitOffset(b, tt.limit, tt.offset, tt.unlimited)
		if got := b.String(); got != tt.want {
			t.Errorf("LimitOffset(%d, %d, %q): got %q; want %q", tt.limit, tt.offset, tt.unlimited, got, tt.want)
		}
		if got := b.Args(); !reflect.DeepEqual(got, tt.args) {
			t.Errorf("LimitOffset(%d, %d, %q) args: got %v; want %v", tt.limit, tt.offset, tt.unlimited, got, tt.args)
		}
	}
}
