package model_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/openapi"
)

// Todo is a Go model: struct tags say what LoopBack's @property decorators
// say.
type Todo struct {
	ID         int64     `json:"id" lb:"id,generated"`
	Title      string    `json:"title" required:"true" minLength:"1"`
	IsComplete bool      `json:"isComplete,omitempty" lb:"postgresql.columnName=is_complete"`
	CreatedAt  time.Time `json:"createdAt,omitzero" lb:"defaultFn=now"`
}

func ExampleFromStruct() {
	def, err := model.FromStruct[Todo]()
	if err != nil {
		panic(err)
	}
	fmt.Println(def.Name, def.IDName())
	for _, p := range def.Properties {
		fmt.Println(p.Name, p.Type, p.Required, p.ColumnName("postgresql"))
	}
	// Output:
	// Todo id
	// id number false id
	// title string true title
	// isComplete boolean false is_complete
	// createdAt date false createdAt
}

func ExampleParse() {
	def, err := model.ParseSource("todo-list.json", []byte(`{
	  "name": "TodoList",
	  "properties": {
	    "id": {"type": "number", "id": true, "generated": true},
	    "title": {"type": "string", "required": true, "jsonSchema": {"maxLength": 80}},
	    "color": "string"
	  },
	  "settings": {"strict": false},
	  "relations": {"todos": {"type": "hasMany", "model": "Todo"}}
	}`))
	if err != nil {
		panic(err)
	}
	r := def.Relation("todos")
	fmt.Println(def.Name, def.Settings.Strict, r.Type, r.Target, r.KeyTo)

	_, err = model.ParseSource("bad.json", []byte(`{"name": "Bad", "properties": {"when": {"type": "dat"}}}`))
	fmt.Println(err)
	// Output:
	// TodoList false hasMany Todo todoListId
	// bad.json: model Bad: property "when": unknown type "dat"
}

func ExampleSchema() {
	def := model.MustFromStruct[Todo]()
	s := model.Schema(def, model.SchemaOptions{Title: "NewTodo", Exclude: []string{"id"}})
	b, _ := json.Marshal(s.Required)
	fmt.Println(s.Title, string(b), s.PropertyOrder)
	// Output: NewTodo ["title"] [title isComplete createdAt]
}

func ExampleToRecord() {
	def := model.MustFromStruct[Todo]()
	todo := Todo{Title: "buy milk"}
	rec, err := model.ToRecord(def, &todo)
	if err != nil {
		panic(err)
	}
	fmt.Println(rec) // the zero generated id and the empty optional fields are left out

	back, err := model.FromRecord[Todo](def, map[string]any{"id": int64(7), "title": "buy milk", "isComplete": true})
	if err != nil {
		panic(err)
	}
	fmt.Println(back.ID, back.Title, back.IsComplete)
	// Output:
	// map[title:buy milk]
	// 7 buy milk true
}

// TodoList holds its todos when they are included: a typed response of a
// TodoList is described by TodoListWithRelations.
type TodoList struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
	Todos []Todo `json:"todos,omitempty" lb:"hasMany,target=Todo,keyTo=todoListId"`
}

// An openapi.Registry with the model Describer describes Go models by
// their definitions, under the names the CRUD API publishes.
func ExampleDescriber() {
	reg := openapi.NewRegistry(openapi.RegistryConfig{Describer: model.Describer{}})
	req, err := openapi.SchemaFor[TodoList](reg)
	if err != nil {
		panic(err)
	}
	res, err := reg.ResponseSchema(reflect.TypeFor[TodoList]())
	if err != nil {
		panic(err)
	}
	fmt.Println(req.Ref)
	fmt.Println(res.Ref)
	fmt.Println(slices.Sorted(maps.Keys(reg.Components())))
	// Output:
	// #/components/schemas/TodoList
	// #/components/schemas/TodoListWithRelations
	// [Todo TodoList TodoListWithRelations TodoWithRelations]
}
