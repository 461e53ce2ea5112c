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
