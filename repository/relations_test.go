package repository_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// relationModels returns the record repositories of a small schema with
// every relation type, registered together, and some data.
func relationModels(t *testing.T) map[string]*repository.Model {
	t.Helper()
	ctx := context.Background()
	defs := []string{
		`{"name": "TodoList", "properties": {"id": {"type": "number", "id": true, "generated": true}, "title": "string"},
		  "relations": {"todos": {"type": "hasMany", "model": "Todo", "foreignKey": "todoListId"},
		                "image": {"type": "hasOne", "model": "Image", "foreignKey": "todoListId"}}}`,
		`{"name": "Todo", "properties": {"id": {"type": "number", "id": true, "generated": true}, "title": "string",
		   "todoListId": "number"},
		  "relations": {"todoList": {"type": "belongsTo", "model": "TodoList", "foreignKey": "todoListId"}}}`,
		`{"name": "Image", "properties": {"id": {"type": "number", "id": true, "generated": true}, "url": "string", "todoListId": "number"}}`,
		`{"name": "Doctor", "properties": {"id": {"type": "number", "id": true, "generated": true}, "name": "string"},
		  "relations": {"patients": {"type": "hasManyThrough", "model": "Patient",
		     "through": {"model": "Appointment", "keyFrom": "doctorId", "keyTo": "patientId"}}}}`,
		`{"name": "Patient", "properties": {"id": {"type": "number", "id": true, "generated": true}, "name": "string"}}`,
		`{"name": "Appointment", "properties": {"id": {"type": "number", "id": true, "generated": true},
		   "doctorId": "number", "patientId": "number"}}`,
	}
	conn, _ := memory.New(memory.Config{})
	reg := &repository.Registry{}
	repos := map[string]*repository.Model{}
	for _, src := range defs {
		def, err := model.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := repository.NewModel(conn, def)
		if err != nil {
			t.Fatal(err)
		}
		repos[def.Name] = m
		if err := reg.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	create := func(model string, recs ...connector.Record) {
		for _, r := range recs {
			if _, err := repos[model].Create(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	create("TodoList", connector.Record{"title": "work"}, connector.Record{"title": "home"}, connector.Record{"title": "empty"})
	create("Todo",
		connector.Record{"title": "a", "todoListId": 1}, connector.Record{"title": "b", "todoListId": 2},
		connector.Record{"title": "c", "todoListId": 1}, connector.Record{"title": "d", "todoListId": 1},
		connector.Record{"title": "orphan"})
	create("Image", connector.Record{"url": "work.png", "todoListId": 1})
	create("Doctor", connector.Record{"name": "house"}, connector.Record{"name": "who"})
	create("Patient", connector.Record{"name": "p1"}, connector.Record{"name": "p2"}, connector.Record{"name": "p3"})
	create("Appointment",
		connector.Record{"doctorId": 1, "patientId": 3}, connector.Record{"doctorId": 1, "patientId": 1},
		connector.Record{"doctorId": 2, "patientId": 2})
	return repos
}

func titles(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, e := range list {
		r := e.(map[string]any)
		if s, ok := r["title"].(string); ok {
			out = append(out, s)
		} else {
			out = append(out, r["name"].(string))
		}
	}
	return out
}

func TestInclude(t *testing.T) {
	ctx := context.Background()
	repos := relationModels(t)
	inc := func(rel string, scope *filter.Filter) []filter.Inclusion {
		return []filter.Inclusion{{Relation: rel, Scope: scope}}
	}

	t.Run("hasMany", func(t *testing.T) {
		lists, err := repos["TodoList"].Find(ctx, &filter.Filter{Include: inc("todos", nil)})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(lists[0]["todos"]); !reflect.DeepEqual(got, []string{"a", "c", "d"}) {
			t.Errorf("work todos: got %v; want [a c d]", got)
		}
		if got := titles(lists[1]["todos"]); !reflect.DeepEqual(got, []string{"b"}) {
			t.Errorf("home todos: got %v; want [b]", got)
		}
		if _, ok := lists[2]["todos"]; ok {
			t.Errorf("empty list: got todos %v; want none", lists[2]["todos"])
		}
	})
	t.Run("hasMany scope with per-parent limit and order", func(t *testing.T) {
		scope := &filter.Filter{Order: []filter.Order{{Property: "title", Desc: true}}, Limit: 2,
			Fields: &filter.Fields{Include: []string{"title"}}}
		lists, err := repos["TodoList"].Find(ctx, &filter.Filter{Include: inc("todos", scope),
			Fields: &filter.Fields{Include: []string{"title"}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(lists[0]["todos"]); !reflect.DeepEqual(got, []string{"d", "c"}) {
			t.Errorf("work todos: got %v; want [d c]", got)
		}
		if got := titles(lists[1]["todos"]); !reflect.DeepEqual(got, []string{"b"}) {
			t.Errorf("home todos: got %v; want [b]", got)
		}
		first := lists[0]["todos"].([]any)[0].(map[string]any)
		if len(first) != 1 {
			t.Errorf("scope fields: got %v; want only the title", first)
		}
		if len(lists[0]) != 2 {
			t.Errorf("parent fields: got %v; want title and todos only (the id added for the join is dropped)", lists[0])
		}
	})
	t.Run("hasOne", func(t *testing.T) {
		list, err := repos["TodoList"].FindByID(ctx, int64(1), &filter.Filter{Include: inc("image", nil)})
		if err != nil {
			t.Fatal(err)
		}
		img, ok := list["image"].(map[string]any)
		if !ok || img["url"] != "work.png" {
			t.Errorf("image: got %v; want work.png", list["image"])
		}
	})
	t.Run("belongsTo", func(t *testing.T) {
		todos, err := repos["Todo"].Find(ctx, &filter.Filter{Include: inc("todoList", nil)})
		if err != nil {
			t.Fatal(err)
		}
		if l, _ := todos[1]["todoList"].(map[string]any); l == nil || l["title"] != "home" {
			t.Errorf("todo b's list: got %v; want home", todos[1]["todoList"])
		}
		if _, ok := todos[4]["todoList"]; ok {
			t.Errorf("orphan: got todoList %v; want none", todos[4]["todoList"])
		}
	})
	t.Run("hasManyThrough", func(t *testing.T) {
		docs, err := repos["Doctor"].Find(ctx, &filter.Filter{Include: inc("patients", nil)})
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(docs[0]["patients"]); !reflect.DeepEqual(got, []string{"p1", "p3"}) {
			t.Errorf("house's patients: got %v; want [p1 p3]", got)
		}
		if got := titles(docs[1]["patients"]); !reflect.DeepEqual(got, []string{"p2"}) {
			t.Errorf("who's patients: got %v; want [p2]", got)
		}
	})
	t.Run("nested", func(t *testing.T) {
		todos, err := repos["Todo"].Find(ctx, &filter.Filter{
			Where:   &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "b"}}},
			Include: inc("todoList", &filter.Filter{Include: inc("todos", nil)})})
		if err != nil {
			t.Fatal(err)
		}
		l := todos[0]["todoList"].(map[string]any)
		if got := titles(l["todos"]); !reflect.DeepEqual(got, []string{"b"}) {
			t.Errorf("nested: got %v; want [b]", got)
		}
	})
	t.Run("unknown relation", func(t *testing.T) {
		_, err := repos["Todo"].Find(ctx, &filter.Filter{Include: inc("nope", nil)})
		var fe *fault.Error
		if !errors.As(err, &fe) || fe.Kind != fault.BadRequest || fe.Code != "INVALID_INCLUSION_FILTER" {
			t.Errorf("got %v; want INVALID_INCLUSION_FILTER", err)
		}
	})
	t.Run("bad scope", func(t *testing.T) {
		_, err := repos["TodoList"].Find(ctx, &filter.Filter{Include: inc("todos",
			&filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "nope", Op: filter.Eq, Value: 1}}}})})
		if !errors.Is(err, fault.BadRequest) {
			t.Errorf("got %v; want a BadRequest", err)
		}
	})
}

func TestIncludeWithoutRegistry(t *testing.T) {
	def, err := model.Parse([]byte(`{"name": "A", "properties": {"id": {"type": "number", "id": true}},
		"relations": {"bs": {"type": "hasMany", "model": "B", "foreignKey": "aId"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	conn, _ := memory.New(memory.Config{})
	m, _ := repository.NewModel(conn, def)
	m.Create(context.Background(), connector.Record{"id": 1})
	_, err = m.Find(context.Background(), &filter.Filter{Include: []filter.Inclusion{{Relation: "bs"}}})
	if !errors.Is(err, fault.NotImplemented) {
		t.Errorf("got %v; want NotImplemented", err)
	}
}

type Author struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Name  string `json:"name"`
	Books []Book `json:"books,omitempty" lb:"hasMany,target=Book"`
}

type Book struct {
	ID       int64   `json:"id" lb:"id,generated"`
	Title    string  `json:"title"`
	AuthorID int64   `json:"authorId" lb:"belongsTo,target=Author"`
	Author   *Author `json:"author,omitempty" lb:"belongsTo"`
}

func TestIncludeTyped(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	authors := repository.MustNew[Author, int64](conn)
	books := repository.MustNew[Book, int64](conn)
	var reg repository.Registry
	if err := reg.Add(authors.Model(), books.Model()); err != nil {
		t.Fatal(err)
	}
	a, _ := authors.Create(ctx, &Author{Name: "le guin"})
	books.Create(ctx, &Book{Title: "earthsea", AuthorID: a.ID})
	books.Create(ctx, &Book{Title: "the dispossessed", AuthorID: a.ID})

	got, err := authors.FindByID(ctx, a.ID, &filter.Filter{Include: []filter.Inclusion{{Relation: "books"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Books) != 2 || got.Books[1].Title != "the dispossessed" {
		t.Errorf("author with books: got %+v; want two books", got)
	}
	b, err := books.FindOne(ctx, &filter.Filter{Include: []filter.Inclusion{{Relation: "author"}}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Author == nil || b.Author.Name != "le guin" {
		t.Errorf("book with author: got %+v; want le guin", b)
	}
}

func TestRelatedTyped(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	authors := repository.MustNew[Author, int64](conn)
	books := repository.MustNew[Book, int64](conn)
	var reg repository.Registry
	if err := reg.Add(authors.Model(), books.Model()); err != nil {
		t.Fatal(err)
	}
	a, _ := authors.Create(ctx, &Author{Name: "le guin"})
	written, err := repository.RelatedTo[Book](authors.Model(), "books")
	if err != nil {
		t.Fatal(err)
	}
	b, err := written.Create(ctx, a.ID, &Book{Title: "earthsea"})
	if err != nil {
		t.Fatal(err)
	}
	if b.AuthorID != a.ID {
		t.Errorf("Create: got authorId %d; want %d", b.AuthorID, a.ID)
	}
	list, err := written.Find(ctx, a.ID, nil)
	if err != nil || len(list) != 1 || list[0].Title != "earthsea" {
		t.Errorf("Find: got (%+v, %v); want earthsea", list, err)
	}
	by, err := repository.RelatedTo[Author](books.Model(), "author")
	if err != nil {
		t.Fatal(err)
	}
	got, err := by.Get(ctx, b.ID, nil)
	if err != nil || got.Name != "le guin" {
		t.Errorf("Get: got (%+v, %v); want le guin", got, err)
	}
	if _, err := repository.RelatedTo[Author](authors.Model(), "books"); err == nil {
		t.Error("RelatedTo with the wrong target type: got nil error")
	}
}
