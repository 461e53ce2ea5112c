package jsonmsg_test

import (
	"encoding/json"
	"fmt"

	"github.com/loopback-go/lb/internal/jsonmsg"
)

func ExampleMessage() {
	for _, input := range []string{`{bad`, `{"limit":1e999}`, `{"title":`} {
		var v any
		err := json.Unmarshal([]byte(input), &v)
		fmt.Println(jsonmsg.Message(err, []byte(input)))
	}
	// Output:
	// Unexpected token b in JSON at position 1
	// number 1e999 is out of range
	// Unexpected end of JSON input
}
