package openapi_test

import (
	"fmt"
	"time"

	"github.com/loopback-go/lb/openapi"
)

type Todo struct {
	ID        int64     `json:"id" readOnly:"true"`
	Title     string    `json:"title" required:"true" minLength:"1" doc:"What to do."`
	Done      bool      `json:"done,omitempty"`
	RemindAt  time.Time `json:"remindAt,omitzero"`
	Reference *string   `json:"reference,omitempty" nullable:"true"`
}

func ExampleRegistry() {
	r := openapi.NewRegistry(openapi.RegistryConfig{})
	ref, err := openapi.SchemaFor[Todo](r)
	if err != nil {
		panic(err)
	}
	fmt.Println(ref.Ref)

	todo := r.Components()["Todo"]
	b, _ := todo.MarshalJSON()
	fmt.Println(string(b))
	// Output:
	// #/components/schemas/Todo
	// {"title":"Todo","type":"object","properties":{"id":{"type":"integer","format":"int64","readOnly":true},"title":{"description":"What to do.","type":"string","minLength":1},"done":{"type":"boolean"},"remindAt":{"type":"string","format":"date-time"},"reference":{"type":["string","null"]}},"required":["title"],"additionalProperties":false}
}

// A bad schema tag is an error naming the type, the field and the tag.
func ExampleRegistry_badTag() {
	type Note struct {
		Text string `json:"text" maxLength:"x"`
	}
	_, err := openapi.SchemaFor[Note](openapi.NewRegistry(openapi.RegistryConfig{}))
	fmt.Println(err)
	// Output:
	// openapi: Note.Text: tag maxLength="x": not a non-negative integer
}

func ExampleDocument_JSON() {
	r := openapi.NewRegistry(openapi.RegistryConfig{})
	id, err := openapi.SchemaFor[int64](r)
	if err != nil {
		panic(err)
	}
	todo, err := openapi.SchemaFor[Todo](r)
	if err != nil {
		panic(err)
	}
	d := openapi.NewDocument("todo", "1.0.0")
	d.Paths["/todos/{id}"] = &openapi.PathItem{
		Get: &openapi.Operation{
			OperationID: "TodoController.findById",
			Parameters: []*openapi.Parameter{{
				Name: "id", In: openapi.InPath, Required: true,
				Schema: id,
			}},
			Responses: map[string]*openapi.Response{"200": {
				Description: "Todo model instance",
				Content: map[string]*openapi.MediaType{
					"application/json": {Schema: todo},
				},
			}},
		},
	}
	d.Components.Schemas = r.Components()
	b, err := d.JSON()
	if err != nil {
		panic(err)
	}
	fmt.Println(len(b) > 0, string(b[:38]))
	// Output:
	// true {
	//   "openapi": "3.1.0",
	//   "info": {
}

func ExampleLoad() {
	d, err := openapi.Load([]byte(`
openapi: 3.0.3
info: {title: legacy, version: "1"}
paths: {}
components:
  schemas:
    Note:
      type: object
      properties:
        text: {type: string, nullable: true, example: hi}
`))
	if err != nil {
		panic(err)
	}
	b, _ := d.Components.Schemas["Note"].MarshalJSON()
	fmt.Println(d.OpenAPI)
	fmt.Println(string(b))
	// Output:
	// 3.1.0
	// {"type":"object","properties":{"text":{"type":["string","null"],"examples":["hi"]}}}
}

func ExampleDocument_Downgrade30() {
	d := openapi.NewDocument("todo", "1.0.0")
	d.Components.Schemas = map[string]*openapi.Schema{
		"Note": {Type: openapi.Types{"string", "null"}, Examples: []any{"hi"}},
	}
	b, err := d.Downgrade30()
	if err != nil {
		panic(err)
	}
	fmt.Print(string(b))
	// Output:
	// {
	//   "openapi": "3.0.3",
	//   "info": {
	//     "title": "todo",
	//     "version": "1.0.0"
	//   },
	//   "paths": {},
	//   "components": {
	//     "schemas": {
	//       "Note": {
	//         "type": "string",
	//         "example": "hi",
	//         "nullable": true
	//       }
	//     }
	//   }
	// }
}
