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

func TestPolymorphic(t *testing.T) {
	for _, tt := range []struct {
		rel, want string
		ok        bool
	}{
		{`"polymorphic":true`, "deliveryType", true},
		{`"polymorphic":{"discriminator":"kind"}`, "kind", true},
		{`"polymorphic":{"discriminator":"nope"}`, "", false},
		{`"polymorphic":"yes"`, "", false},
	} {
		d, err := Parse([]byte(`{"name":"Order","properties":{"id":{"type":"number","id":true},"deliveryId":"number","deliveryType":"string","kind":"string"},
			"relations":{"delivery":{"type":"belongsTo","model":"Delivery",` + tt.rel + `}}}`))
		if (err == nil) != tt.ok {
			t.Errorf("%s: got error %v; want ok %v", tt.rel, err, tt.ok)
			continue
		}
		if err == nil && d.Relations[0].Polymorphic != tt.want {
			t.Errorf("%s: discriminator %q; want %q", tt.rel, d.Relations[0].Polymorphic, tt.want)
		}
	}
	if _, err := Parse([]byte(`{"name":"L","properties":{"id":{"type":"number","id":true},"lType":"string"},"relations":{"l":{"type":"hasMany","model":"T","polymorphic":true}}}`)); err == nil {
		t.Error("polymorphic hasMany: got no error")
	}
}
