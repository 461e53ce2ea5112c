package validate_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/openapi"
)

func Example() {
	one := 1
	schema := &openapi.Schema{
		Type: openapi.Types{"object"},
		Properties: map[string]*openapi.Schema{
			"title": {Type: openapi.Types{"string"}, MinLength: &one},
		},
		Required:             []string{"title"},
		AdditionalProperties: openapi.BoolSchema(false),
	}
	v, err := validate.Compile(schema, nil)
	if err != nil {
		panic(err)
	}
	dec := json.NewDecoder(strings.NewReader(`{"title": 7, "id": 1}`))
	dec.UseNumber()
	var body any
	if err := dec.Decode(&body); err != nil {
		panic(err)
	}
	for _, d := range v.Validate(body) {
		b, _ := json.Marshal(d)
		fmt.Println(string(b))
	}
	// Output:
	// {"path":"","code":"additionalProperties","message":"must NOT have additional properties","info":{"additionalProperty":"id"}}
	// {"path":"/title","code":"type","message":"must be string","info":{"type":"string"}}
}
