package gen

import (
	"bytes"
	"errors"
	"flag"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loopback-go/lb/openapi"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if strings.HasSuffix(name, ".go.golden") {
		src, err := format.Source(got)
		if err != nil {
			t.Fatalf("%s: generated code does not parse: %v\n%s", name, err, got)
		}
		got = src
	}
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func mustProps(t *testing.T, specs ...string) []Property {
	t.Helper()
	var ps []Property
	for _, s := range specs {
		p, err := ParseProperty(s)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestGolden(t *testing.T) {
	app, err := NewApp(AppOptions{Name: "todo-app", Module: "example.com/todo-app", LBVersion: "v1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range app {
		golden(t, "new/"+strings.TrimPrefix(f.Path, ".")+".golden", f.Data)
	}
	m, err := Model(ModelOptions{Name: "todo", Properties: mustProps(t,
		"title:string:required", "desc", "isComplete:boolean", "due:date", "tags:string[]", "secret::hidden", "score:number:nullable:index")})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "model/todo.go.golden", m.Data)
	m, err = Model(ModelOptions{Name: "Tag", Properties: mustProps(t, "code:string:id", "label:string:required:unique")})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "model/tag.go.golden", m.Data)

	for _, c := range Connectors {
		o := DatasourceOptions{Name: "db", Connector: c}
		if c == "openapi" || c == "soap" {
			o.URL = "specs/db." + map[string]string{"openapi": "yaml", "soap": "wsdl"}[c]
		}
		f, wire, err := Datasource(o)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "datasource/"+c+".go.golden", f.Data)
		golden(t, "datasource/"+c+".wire.golden", []byte(wire))
	}
	f, wire, err := Repository(RepositoryOptions{Model: "TodoList", Datasource: "db"})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "repository/todo_list.go.golden", f.Data)
	golden(t, "repository/todo_list.wire.golden", []byte(wire))
	for _, c := range []struct {
		name string
		o    ControllerOptions
	}{
		{"empty", ControllerOptions{Name: "hello"}},
		{"crud", ControllerOptions{Name: "TodoList", CRUD: true}},
		{"crud-read-only", ControllerOptions{Name: "Note", CRUD: true, ReadOnly: true, BasePath: "/my-notes"}},
	} {
		f, wire, err := Controller(c.o)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "controller/"+c.name+".go.golden", f.Data)
		golden(t, "controller/"+c.name+".wire.golden", []byte(wire))
		if c.o.CRUD {
			golden(t, "controller/"+c.name+"_test.go.golden", ControllerTest(c.o, `{"title":"sample title"}`).Data)
		}
	}
	f, wire, err = Observer("seed", "data")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "observer/seed.go.golden", f.Data)
	golden(t, "observer/seed.wire.golden", []byte(wire))
	f, wire, err = Interceptor("timing")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "interceptor/timing.go.golden", f.Data)
	golden(t, "interceptor/timing.wire.golden", []byte(wire))
}

// TestRelationGolden adds hasMany, belongsTo and hasOne relations to model
// files and compares the edited files.
func TestRelationGolden(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{Dir: dir}
	if err := os.WriteFile(filepath.Join(dir, "app.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []ModelOptions{
		{Name: "TodoList", Properties: mustProps(t, "title:string:required")},
		{Name: "Todo", Properties: mustProps(t, "title:string:required")},
		{Name: "Profile", Properties: mustProps(t, "bio")},
	} {
		if err := w.AddModel(o); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range []RelationOptions{
		{Kind: "hasMany", Source: "TodoList", Target: "Todo"},
		{Kind: "belongsTo", Source: "Todo", Target: "TodoList"},
		{Kind: "hasOne", Source: "TodoList", Target: "Profile", Name: "owner", ForeignKey: "listId"},
	} {
		if err := w.AddRelation(o); err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
	}
	for _, name := range []string{"todo_list.go", "todo.go", "profile.go"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "relation/"+name+".golden", data)
	}
	// A second belongsTo finds the key tagged already.
	err := w.AddRelation(RelationOptions{Kind: "belongsTo", Source: "Todo", Target: "TodoList"})
	if err == nil || !strings.Contains(err.Error(), "todoListId") {
		t.Errorf("second belongsTo: %v; want an error naming todoListId", err)
	}
	for _, o := range []RelationOptions{
		{Kind: "hasManyThrough", Source: "TodoList", Target: "Todo"},
		{Kind: "hasMany", Source: "TodoList", Target: "Nope"},
		{Kind: "hasMany", Source: "Todo", Target: "Todo"},
	} {
		if err := w.AddRelation(o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ in, pascal, camel, kebab, snake string }{
		{"todo-list", "TodoList", "todoList", "todo-list", "todo_list"},
		{"TodoList", "TodoList", "todoList", "todo-list", "todo_list"},
		{"todoListId", "TodoListID", "todoListID", "todo-list-id", "todo_list_id"},
		{"HTTPServer", "HTTPServer", "httpServer", "http-server", "http_server"},
		{"db", "DB", "db", "db", "db"},
	} {
		if got := Pascal(c.in); got != c.pascal {
			t.Errorf("Pascal(%q) = %q; want %q", c.in, got, c.pascal)
		}
		if got := Camel(c.in); got != c.camel {
			t.Errorf("Camel(%q) = %q; want %q", c.in, got, c.camel)
		}
		if got := Kebab(c.in); got != c.kebab {
			t.Errorf("Kebab(%q) = %q; want %q", c.in, got, c.kebab)
		}
		if got := Snake(c.in); got != c.snake {
			t.Errorf("Snake(%q) = %q; want %q", c.in, got, c.snake)
		}
	}
	for _, bad := range []string{"", "func", "type", "1todo", "to do", "todo!", "string", "_x", "héllo"} {
		if err := CheckName("model", bad); err == nil {
			t.Errorf("CheckName(%q): no error", bad)
		}
	}
	for _, bad := range []string{"title:strng", "title:string:requred", "for:string", ":string"} {
		if _, err := ParseProperty(bad); err == nil {
			t.Errorf("ParseProperty(%q): no error", bad)
		}
	}
	if _, err := Model(ModelOptions{Name: "Todo", Properties: mustProps(t, "title", "Title")}); err == nil {
		t.Error("a property given twice: no error")
	}
}

func TestWriterNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	w := &Writer{Dir: dir, Log: &log}
	if err := w.Create(File{Path: "a.go", Data: []byte("package main\nvar  x = 1\n")}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "a.go"))
	if string(got) != "package main\n\nvar x = 1\n" || log.String() != "create a.go\n" {
		t.Errorf("got %q, log %q; want gofmt'd code and a create line", got, log.String())
	}
	err := w.Create(File{Path: "b.go", Data: []byte("package main\n")}, File{Path: "a.go", Data: []byte("package other\n")})
	if !errors.Is(err, ErrExists) {
		t.Errorf("overwrite without Force: %v; want ErrExists", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.go")); err == nil {
		t.Error("b.go was written although a.go exists")
	}
	if err := w.AddModel(ModelOptions{Name: "Todo"}); err == nil || !strings.Contains(err.Error(), "lb new") {
		t.Errorf("lb model outside a project: %v; want an error naming lb new", err)
	}
	os.WriteFile(filepath.Join(dir, "app.go"), []byte("package main\n"), 0o644)
	if err := w.AddModel(ModelOptions{Name: "Todo"}); err != nil {
		t.Fatal(err)
	}
	if err := w.AddModel(ModelOptions{Name: "todo"}); err == nil || !strings.Contains(err.Error(), "model Todo already exists") {
		t.Errorf("existing model: %v; want it refused", err)
	}
	w.Force = true
	if err := w.AddModel(ModelOptions{Name: "todo", Properties: mustProps(t, "x")}); err != nil {
		t.Errorf("--force: %v", err)
	}
	if err := w.AddDatasource(DatasourceOptions{Name: "db", Connector: "memory"}); err == nil || !strings.Contains(err.Error(), "marker") {
		t.Errorf("app.go without markers: %v; want an error naming the marker", err)
	}
	if err := w.AddRepository(RepositoryOptions{Model: "Todo", Datasource: "db"}); err == nil || !strings.Contains(err.Error(), "lb datasource db") {
		t.Errorf("repository without data source: %v", err)
	}
	if err := w.AddController(ControllerOptions{Name: "Todo", CRUD: true}); err == nil || !strings.Contains(err.Error(), "no repository") {
		t.Errorf("CRUD controller without repository: %v", err)
	}
	if _, _, err := Datasource(DatasourceOptions{Name: "db", Connector: "oracle"}); err == nil || !strings.Contains(err.Error(), "oracle") {
		t.Errorf("unknown connector: %v", err)
	}
}

func TestInsert(t *testing.T) {
	src := []byte("func f() {\n\t// lb:x\n}\n")
	got, err := Insert(src, "// lb:x", "a()\nif b {\n\tc()\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "func f() {\n\ta()\n\tif b {\n\t\tc()\n\t}\n\t// lb:x\n}\n"
	if string(got) != want {
		t.Errorf("got %q; want %q", got, want)
	}
	again, _ := Insert(got, "// lb:x", "a()\nif b {\n\tc()\n}\n")
	if string(again) != want {
		t.Errorf("second insertion of the same snippet changed the file: %q", again)
	}
	if _, err := Insert(src, "// lb:y", "a()"); err == nil {
		t.Error("missing marker: no error")
	}
}

func TestSampleBody(t *testing.T) {
	src := []byte("package main\ntype T struct {\n\tID int64 `json:\"id\" lb:\"id,generated\"`\n\tName string `json:\"name\" required:\"true\"`\n" +
		"\tN int64 `json:\"n\" required:\"true\"`\n\tOK bool `json:\"ok\" required:\"true\"`\n\tListID int64 `json:\"listId\" required:\"true\" lb:\"belongsTo,target=L\"`\n\tOpt string `json:\"opt\"`\n}\n")
	got, err := SampleBody(src, "T")
	if want := `{"name":"sample name","n":1,"ok":true}`; err != nil || got != want {
		t.Errorf("SampleBody = %s, %v; want %s", got, err, want)
	}
	if _, err := SampleBody(src, "U"); err == nil {
		t.Error("missing struct: no error")
	}
}

// TestOpenAPIGolden generates the spec-first files of LoopBack's todo
// document (testdata/lb4-todo-openapi.json).
func TestOpenAPIGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/lb4-todo-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	files, wire, err := OpenAPI(data, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files[0].Data, data) || files[0].Path != SpecFile {
		t.Errorf("first file %s: want the document as given, in %s", files[0].Path, SpecFile)
	}
	for _, f := range files[1:] {
		golden(t, "openapi/"+f.Path+".golden", f.Data)
	}
	golden(t, "openapi/wire.golden", []byte(wire))
	if _, _, err := OpenAPI([]byte(`{"openapi":"2.0"}`), false); err == nil {
		t.Error("a Swagger 2.0 document: no error")
	}
}

// TestImportLB4 recovers the models, relations and base paths of
// LoopBack's todo-list application from its OpenAPI document.
func TestImportLB4(t *testing.T) {
	data, err := os.ReadFile("testdata/lb4-todo-list-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	models, err := ImportLB4(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range models {
		line := m.Model.Name + " " + m.BasePath + ":"
		for _, p := range m.Model.Properties {
			line += " " + p.Name + "/" + p.Type
			if p.ID {
				line += "/id"
			}
			if p.Generated {
				line += "/generated"
			}
			if p.Required {
				line += "/required"
			}
		}
		for _, r := range m.Relations {
			line += " " + r.Kind + ":" + r.Name + "→" + r.Target
		}
		got = append(got, line)
	}
	want := []string{
		"Todo /todos: id/integer/id/generated title/string/required desc/string isComplete/boolean todoListId/integer belongsTo:todoList→TodoList",
		"TodoList /todo-lists: id/integer/id/generated title/string/required color/string hasMany:todos→Todo hasOne:image→TodoListImage",
		"TodoListImage /todo-list-images: id/integer/id/generated value/string/required todoListId/integer belongsTo:todoList→TodoList",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := ImportLB4(openapi.NewDocument("x", "1")); err == nil {
		t.Error("a document without models: no error")
	}
}

// TestClientGolden generates the typed client of LoopBack's todo document.
func TestClientGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/lb4-todo-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Client(data, "todoclient")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "client/client.go.golden", f.Data)
	if _, err := Client(data, "func"); err == nil {
		t.Error("package named func: no error")
	}
}
