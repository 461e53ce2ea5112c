package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

func acrossRegistry(t testing.TB) (*model.Registry, *model.Definition, *model.Definition) {
	t.Helper()
	var reg model.Registry
	list, err := model.Parse([]byte(`{"name":"TodoList","properties":{"id":{"type":"number","id":true,"generated":true},"color":"string","meta":"object"},
		"relations":{"todos":{"type":"hasMany","model":"Todo","foreignKey":"todoListId"},"tags":{"type":"hasManyThrough","model":"Todo","through":"Todo"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	todo, err := model.Parse([]byte(`{"name":"Todo","properties":{"id":{"type":"number","id":true,"generated":true},"title":"string","secret":{"type":"string","hidden":true},"todoListId":"number"},
		"relations":{"todoList":{"type":"belongsTo","model":"TodoList","foreignKey":"todoListId"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*model.Definition{list, todo} {
		if err := reg.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	return &reg, list, todo
}

// FuzzValidateAcross validates untrusted filters against models with
// relations: an error is always a BadRequest fault, a condition or order
// term across a relation always names a relation of the model and an
// existing, visible property of its target, and never crosses
// hasManyThrough.
func FuzzValidateAcross(f *testing.F) {
	reg, list, todo := acrossRegistry(f)
	f.Add([]byte(`{"where":{"todoList.color":"red","or":[{"todoList.id":"2"},{"title":"x"}]},"order":["todoList.color DESC"]}`), false)
	f.Add([]byte(`{"where":{"todos.title":{"like":"%a%"}},"order":"todos.title"}`), true)
	f.Add([]byte(`{"where":{"tags.title":"x","todos.secret":"s","meta.a.b":1}}`), true)
	f.Fuzz(func(t *testing.T, data []byte, onList bool) {
		fl, err := ParseJSON(data)
		if err != nil {
			return
		}
		def := todo
		if onList {
			def = list
		}
		if err := fl.ValidateWith(def, ValidateOptions{Registry: reg}); err != nil {
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Kind != fault.BadRequest {
				t.Fatalf("error %v is not a BadRequest fault", err)
			}
			return
		}
		check := func(path string, via *model.Link) {
			if via == nil {
				return
			}
			head, _, _ := strings.Cut(path, ".")
			if def.Relation(head) == nil || via.Relation.Name != head || via.Relation.Type == model.HasManyThrough {
				t.Fatalf("%s: resolved across %+v", path, via.Relation)
			}
			top, _, _ := strings.Cut(RelatedPath(path), ".")
			if p := via.Target.Property(top); p == nil || p.Hidden {
				t.Fatalf("%s: a property the target %s does not show", path, via.Target.Name)
			}
		}
		var walk func(w *Where)
		walk = func(w *Where) {
			if w == nil {
				return
			}
			for _, c := range w.Conds {
				check(c.Path, c.Via)
			}
			for _, s := range w.And {
				walk(s)
			}
			for _, s := range w.Or {
				walk(s)
			}
		}
		walk(fl.Where)
		for _, o := range fl.Order {
			check(o.Property, o.Via)
		}
	})
}

func TestValidateAcross(t *testing.T) {
	reg, list, todo := acrossRegistry(t)
	for _, tt := range []struct {
		def  *model.Definition
		js   string
		ok   bool
		want any // the coerced value of the first condition
	}{
		{todo, `{"where":{"todoList.id":"2"}}`, true, 2.0},
		{todo, `{"where":{"todoList.nope":1}}`, false, nil},
		{list, `{"where":{"todos.secret":"x"}}`, false, nil},
		{list, `{"where":{"tags.title":"x"}}`, false, nil},
		{list, `{"order":"todos.title"}`, false, nil},
		{todo, `{"order":"todoList.color DESC"}`, true, nil},
		{list, `{"where":{"meta.a":1}}`, true, nil},
	} {
		f, err := ParseJSON([]byte(tt.js))
		if err != nil {
			t.Fatal(err)
		}
		err = f.ValidateWith(tt.def, ValidateOptions{Registry: reg})
		if (err == nil) != tt.ok {
			t.Errorf("%s: got error %v; want ok %v", tt.js, err, tt.ok)
			continue
		}
		if tt.want != nil && f.Where.Conds[0].Value != tt.want {
			t.Errorf("%s: coerced value %#v; want %#v", tt.js, f.Where.Conds[0].Value, tt.want)
		}
		if tt.ok && len(f.Order) > 0 && f.Order[0].Via == nil {
			t.Errorf("%s: order term not resolved across the relation", tt.js)
		}
	}
	// Without a registry a relation path is an unknown property, as before.
	f, _ := ParseJSON([]byte(`{"where":{"todoList.color":"red"}}`))
	if err := f.Validate(todo); err == nil {
		t.Error("relation path without a registry: got no error")
	}
}
