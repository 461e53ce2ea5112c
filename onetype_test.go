package lb_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// The models of the proof: a todo that belongs to a list, with a field
// that receives the list when it is included, and the list with its todos.

type oneTodo struct {
	_          struct{}     `lb:"name=Todo"`
	ID         int64        `json:"id" lb:"id,generated"`
	Title      string       `json:"title" required:"true" minLength:"1" maxLength:"80" description:"What to do."`
	Desc       string       `json:"desc,omitempty"`
	IsComplete bool         `json:"isComplete,omitempty"`
	Priority   int64        `json:"priority,omitempty" minimum:"1" maximum:"5" default:"3"`
	Status     string       `json:"status,omitempty" enum:"open,done"`
	Tag        any          `json:"tag,omitempty"`
	TodoListID int64        `json:"todoListId,omitempty" lb:"belongsTo,target=TodoList"`
	TodoList   *oneTodoList `json:"todoList,omitempty" lb:"belongsTo"`
}

type oneTodoList struct {
	_     struct{}  `lb:"name=TodoList"`
	ID    int64     `json:"id" lb:"id,generated"`
	Title string    `json:"title" required:"true"`
	Color string    `json:"color,omitempty"`
	Todos []oneTodo `json:"todos,omitempty" lb:"hasMany,target=Todo"`
}

// The same models as LoopBack JSON model definitions, as `lb serve` reads
// them.
const (
	todoJSON = `{
  "name": "Todo",
  "properties": {
    "id": {"type": "integer", "id": true, "generated": true},
    "title": {"type": "string", "required": true, "description": "What to do.", "jsonSchema": {"minLength": 1, "maxLength": 80}},
    "desc": {"type": "string"},
    "isComplete": {"type": "boolean"},
    "priority": {"type": "integer", "default": 3, "jsonSchema": {"minimum": 1, "maximum": 5}},
    "status": {"type": "string", "jsonSchema": {"enum": ["open", "done"]}},
    "tag": {"type": "any"},
    "todoListId": {"type": "integer"}
  },
  "relations": {"todoList": {"type": "belongsTo", "model": "TodoList", "foreignKey": "todoListId"}}
}`
	todoListJSON = `{
  "name": "TodoList",
  "properties": {
    "id": {"type": "integer", "id": true, "generated": true},
    "title": {"type": "string", "required": true},
    "color": {"type": "string"}
  },
  "relations": {"todos": {"type": "hasMany", "model": "Todo", "foreignKey": "todoListId"}}
}`
)

// componentsOf returns what crud.Mount publishes for the first model:
// model.Components with the others resolvable.
func componentsOf(t *testing.T, defs ...*model.Definition) map[string]*openapi.Schema {
	t.Helper()
	reg := &model.Registry{}
	if err := reg.Add(defs...); err != nil {
		t.Fatal(err)
	}
	comps, err := model.Components(defs[0], reg)
	if err != nil {
		t.Fatal(err)
	}
	return comps
}

func jsonText(t *testing.T, s *openapi.Schema) string {
	t.Helper()
	if s == nil {
		return "<missing>"
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOneTypeOneSchema derives the schemas of one struct through every
// path — a typed operation's request and response, the model definition
// built from the struct (what crud publishes: NewTodo, Todo, TodoPartial,
// TodoWithRelations) and LoopBack's JSON definition of the same model as
// `lb serve` reads it — and asserts that they agree.
func TestOneTypeOneSchema(t *testing.T) {
	// Path 1: typed operations.
	srv := rest.New(rest.Config{})
	type createIn struct{ Body oneTodo }
	type byID struct {
		ID int64 `path:"id"`
	}
	rest.Post(srv, "/todos", func(_ context.Context, in *createIn) (*oneTodo, error) { return &in.Body, nil },
		rest.DefaultStatus(201))
	rest.Get(srv, "/todos/{id}", func(context.Context, *byID) (*oneTodo, error) { return &oneTodo{}, nil })
	rest.Get(srv, "/todo-lists", func(context.Context, *struct{}) (*[]oneTodoList, error) { return &[]oneTodoList{}, nil })
	doc := srv.Document()
	post := doc.Paths["/todos"].Post
	if got := post.RequestBody.Content["application/json"].Schema.Ref; got != openapi.ComponentPrefix+"Todo" {
		t.Errorf("typed request body: got %q; want the Todo component", got)
	}
	if got := post.Responses["201"].Content["application/json"].Schema.Ref; got != openapi.ComponentPrefix+"TodoWithRelations" {
		t.Errorf("typed POST response: got %q; want TodoWithRelations", got)
	}
	if got := doc.Paths["/todos/{id}"].Get.Responses["200"].Content["application/json"].Schema.Ref; got != openapi.ComponentPrefix+"TodoWithRelations" {
		t.Errorf("typed GET response: got %q; want TodoWithRelations", got)
	}
	if got := doc.Paths["/todo-lists"].Get.Responses["200"].Content["application/json"].Schema; got.Items == nil || got.Items.Ref != openapi.ComponentPrefix+"TodoListWithRelations" {
		t.Errorf("typed GET []TodoList response: got %s; want an array of TodoListWithRelations", jsonText(t, got))
	}

	// Path 2: the model definition of the Go struct.
	goTodo, err := model.FromStruct[oneTodo]()
	if err != nil {
		t.Fatal(err)
	}
	goList, err := model.FromStruct[oneTodoList]()
	if err != nil {
		t.Fatal(err)
	}
	fromGo := componentsOf(t, goTodo, goList)

	// Path 3: LoopBack's JSON definitions.
	jsTodo, err := model.ParseSource("todo.model.json", []byte(todoJSON))
	if err != nil {
		t.Fatal(err)
	}
	jsList, err := model.ParseSource("todo-list.model.json", []byte(todoListJSON))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON := componentsOf(t, jsTodo, jsList)

	for _, name := range []string{"NewTodo", "Todo", "TodoPartial", "TodoWithRelations", "TodoList", "TodoListWithRelations"} {
		goText, jsText := jsonText(t, fromGo[name]), jsonText(t, fromJSON[name])
		if goText != jsText {
			t.Errorf("%s: Go struct and JSON definition differ:\n go   %s\n json %s", name, goText, jsText)
		}
		if op, ok := doc.Components.Schemas[name]; ok || name == "Todo" || name == "TodoWithRelations" {
			if opText := jsonText(t, op); opText != goText {
				t.Errorf("%s: typed operation and model differ:\n typed %s\n model %s", name, opText, goText)
			}
		}
	}

	// And what they agree on is LoopBack's shape.
	todo := fromGo["Todo"]
	if !slices.Equal(todo.Required, []string{"title"}) {
		t.Errorf("Todo required: got %v; want [title] (a generated id is not required)", todo.Required)
	}
	if _, ok := fromGo["NewTodo"].Properties["id"]; ok {
		t.Errorf("NewTodo has the generated id")
	}
	if got := todo.Properties["title"]; got == nil || *got.MaxLength != 80 || got.Description != "What to do." {
		t.Errorf("Todo.title: got %s; want maxLength 80 and the description", jsonText(t, got))
	}
	if got := todo.Properties["priority"]; got == nil || got.Default != int64(3) || *got.Maximum != 5 {
		t.Errorf("Todo.priority: got %s; want default 3 and maximum 5", jsonText(t, got))
	}
	rel := fromGo["TodoWithRelations"].Properties["todoList"]
	if rel == nil || rel.Ref != openapi.ComponentPrefix+"TodoListWithRelations" {
		t.Errorf("TodoWithRelations.todoList: got %s; want a reference to TodoListWithRelations", jsonText(t, rel))
	}
	if _, ok := todo.Properties["todoList"]; ok {
		t.Errorf("Todo has the navigational property todoList; only TodoWithRelations may")
	}
	if len(fromGo["TodoPartial"].Required) != 0 {
		t.Errorf("TodoPartial requires %v", fromGo["TodoPartial"].Required)
	}
}
