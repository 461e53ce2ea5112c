package openapi

import (
	"encoding/json"
	"strings"
	"testing"
)

func sampleDoc() *Document {
	d := NewDocument("todo", "1.0.0")
	d.Servers = []Server{{URL: "/"}}
	d.Paths["/todos/{id}"] = &PathItem{
		Get: &Operation{
			Tags:        []string{"TodoController"},
			OperationID: "TodoController.findById",
			Parameters:  []*Parameter{{Name: "id", In: InPath, Required: true, Schema: &Schema{Type: Types{"number"}}}},
			Responses: map[string]*Response{"200": {
				Description: "Todo model instance",
				Content:     map[string]*MediaType{"application/json": {Schema: &Schema{Ref: "#/components/schemas/Todo"}}},
			}},
			Extensions: map[string]any{"x-controller-name": "TodoController"},
		},
	}
	d.Paths["/todos"] = &PathItem{Delete: &Operation{Responses: map[string]*Response{"204": {Description: "gone"}}, Security: SecurityRequirements{}}}
	d.Components.Schemas = map[string]*Schema{"Todo": {Type: Types{"object"}}}
	return d
}

func TestDocumentJSON(t *testing.T) {
	got, err := sampleDoc().JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "openapi": "3.1.0",
  "info": {
    "title": "todo",
    "version": "1.0.0"
  },
  "paths": {
    "/todos": {
      "delete": {
        "responses": {
          "204": {
            "description": "gone"
          }
        },
        "security": []
      }
    },
    "/todos/{id}": {
      "get": {
        "tags": [
          "TodoController"
        ],
        "operationId": "TodoController.findById",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "number"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Todo model instance",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Todo"
                }
              }
            }
          }
        },
        "x-controller-name": "TodoController"
      }
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "components": {
    "schemas": {
      "Todo": {
        "type": "object"
      }
    }
  }
}
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var back Document
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if back.Paths["/todos/{id}"].Get.Extensions["x-controller-name"] != "TodoController" {
		t.Errorf("extension lost in round trip: %v", back.Paths["/todos/{id}"].Get.Extensions)
	}
	if back.Paths["/todos"].Delete.Security == nil {
		t.Errorf("security [] lost in round trip")
	}
	again, err := back.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != want {
		t.Errorf("round trip changed the document:\n%s", again)
	}
}

func TestDocumentYAML(t *testing.T) {
	got, err := sampleDoc().YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"openapi: 3.1.0\n", "\"200\":\n", "security: []\n", "        - TodoController\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("YAML lacks %q:\n%s", want, got)
		}
	}
	if i, j := strings.Index(string(got), "paths:"), strings.Index(string(got), "servers:"); i > j {
		t.Errorf("got paths after servers; want the JSON key order")
	}
}

func TestPathItemOperations(t *testing.T) {
	var p PathItem
	if err := p.SetOperation("patch", &Operation{OperationID: "p"}); err != nil {
		t.Fatal(err)
	}
	if err := p.SetOperation("CONNECT", &Operation{}); err == nil {
		t.Errorf("SetOperation(CONNECT): got nil error; want an error")
	}
	_ = p.SetOperation("GET", &Operation{OperationID: "g"})
	var got []string
	p.Operations(func(m string, op *Operation) { got = append(got, m+"="+op.OperationID) })
	if s := strings.Join(got, ","); s != "GET=g,PATCH=p" {
		t.Errorf("got %s; want GET=g,PATCH=p", s)
	}
}
