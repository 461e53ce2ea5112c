package model

import "testing"

func TestOnDelete(t *testing.T) {
	def, err := Parse([]byte(`{"name":"Todo","properties":{"id":{"type":"number","id":true},"todoListId":{"type":"number"}},
		"relations":{"todoList":{"type":"belongsTo","model":"TodoList","onDelete":"cascade"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := def.Relations[0].OnDelete; got != Cascade {
		t.Errorf("onDelete from JSON: got %q; want cascade", got)
	}
	type List struct {
		ID int64 `json:"id" lb:"id"`
	}
	type Item struct {
		ID     int64 `json:"id" lb:"id"`
		ListID int64 `json:"listId" lb:"belongsTo,target=List,onDelete=setNull"`
	}
	d, err := FromStruct[Item]()
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Relations[0].OnDelete; got != SetNull {
		t.Errorf("onDelete from a struct tag: got %q; want setNull", got)
	}
	for _, bad := range []string{
		`{"name":"Todo","properties":{"id":{"type":"number","id":true},"todoListId":{"type":"number"}},"relations":{"todoList":{"type":"belongsTo","model":"TodoList","onDelete":"explode"}}}`,
		`{"name":"TodoList","properties":{"id":{"type":"number","id":true}},"relations":{"todos":{"type":"hasMany","model":"Todo","onDelete":"cascade"}}}`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s): got no error", bad)
		}
	}
}

func TestReferencesMany(t *testing.T) {
	type Tag struct {
		ID    int64  `json:"id" lb:"id"`
		Label string `json:"label"`
	}
	type Post struct {
		ID     int64   `json:"id" lb:"id"`
		TagIDs []int64 `json:"tagIds,omitempty"`
		Tags   []Tag   `json:"tags,omitempty" lb:"referencesMany"`
	}
	d, err := FromStruct[Post]()
	if err != nil {
		t.Fatal(err)
	}
	r := d.Relation("tags")
	if r == nil || r.Type != ReferencesMany || r.KeyFrom != "tagIds" || r.Target != "Tag" {
		t.Fatalf("referencesMany from a struct: got %+v; want keys tagIds, target Tag", r)
	}
	var reg Registry
	if err := reg.Add(d); err != nil {
		t.Fatal(err)
	}
	if err := reg.Add(MustFromStruct[Tag]()); err != nil {
		t.Fatal(err)
	}
	l, err := reg.Resolve(d, "tags")
	if err != nil || l.SourceKey != "tagIds" || l.TargetKey != "id" {
		t.Errorf("Resolve: got %+v, %v; want tagIds → id", l, err)
	}
	if _, err := Parse([]byte(`{"name":"P","properties":{"id":{"type":"number","id":true},"tagIds":"number"},"relations":{"tags":{"type":"referencesMany","model":"Tag"}}}`)); err == nil {
		t.Error("referencesMany keys that are not an array: got no error")
	}
}
