package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRelationThroughReferencesOnDelete adds hasManyThrough, referencesMany
// and belongsTo with onDelete, and checks the fields and tags written.
func TestRelationThroughReferencesOnDelete(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{Dir: dir}
	os.WriteFile(filepath.Join(dir, "app.go"), []byte("package main\n"), 0o644)
	for _, n := range []string{"TodoList", "Todo", "Tag", "TodoTag", "Label"} {
		if err := w.AddModel(ModelOptions{Name: n, Properties: mustProps(t, "name")}); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range []RelationOptions{
		{Kind: "belongsTo", Source: "Todo", Target: "TodoList", OnDelete: "setNull"},
		{Kind: "hasManyThrough", Source: "Todo", Target: "Tag", Through: "TodoTag"},
		{Kind: "referencesMany", Source: "Todo", Target: "Label"},
		{Kind: "referencesMany", Source: "TodoList", Target: "Label", Name: "marks", ForeignKey: "markIds"},
	} {
		if err := w.AddRelation(o); err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for file, wants := range map[string][]string{
		"todo.go": {
			`lb:"belongsTo,target=TodoList,onDelete=setNull"`,
			"Tags []Tag `json:\"tags,omitempty\" lb:\"hasManyThrough,through=TodoTag\"`",
			"LabelIds []int64 `json:\"labelIds,omitempty\"`",
			"Labels []Label `json:\"labels,omitempty\" lb:\"referencesMany\"`",
		},
		"todo_tag.go":  {"TodoID int64 `json:\"todoId,omitempty\"`", "TagID int64 `json:\"tagId,omitempty\"`"},
		"todo_list.go": {"MarkIds []int64 `json:\"markIds,omitempty\"`", `lb:"referencesMany,foreignKey=markIds"`},
	} {
		src := strings.Join(strings.Fields(read(file)), " ")
		for _, want := range wants {
			if !strings.Contains(src, strings.Join(strings.Fields(want), " ")) {
				t.Errorf("%s lacks %s:\n%s", file, want, read(file))
			}
		}
	}
	for _, c := range []struct {
		o    RelationOptions
		want string
	}{
		{RelationOptions{Kind: "hasManyThrough", Source: "TodoList", Target: "Tag"}, "--through"},
		{RelationOptions{Kind: "hasManyThrough", Source: "TodoList", Target: "Tag", Through: "Nope"}, "Nope"},
		{RelationOptions{Kind: "hasManyThrough", Source: "TodoList", Target: "Tag", Through: "Tag"}, "must differ"},
		{RelationOptions{Kind: "belongsTo", Source: "Tag", Target: "TodoList", OnDelete: "explode"}, "restrict, cascade or setNull"},
		{RelationOptions{Kind: "hasMany", Source: "TodoList", Target: "Tag", OnDelete: "cascade"}, "option of belongsTo"},
		{RelationOptions{Kind: "embedsOne", Source: "TodoList", Target: "Tag"}, "embedsOne"},
	} {
		before := read("tag.go") + read("todo_list.go")
		if err := w.AddRelation(c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want an error containing %q", c.o, err, c.want)
		}
		if read("tag.go")+read("todo_list.go") != before {
			t.Errorf("%+v: a refused relation changed a model", c.o)
		}
	}
}
