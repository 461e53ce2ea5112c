package validate

import "testing"

// todoBody is a 200-byte JSON object.
const todoBody = `{"title":"buy milk and bread","desc":"at the corner shop before it closes tonight","isComplete":false,"tags":["a","b"],"owner":{"email":"jane.doe@example.com"},"id":42,"remind":"tomorrow at 09:00 am"}`

func BenchmarkValidateTodo(b *testing.B) {
	schema := mustSchema(b, `{
	 "type":"object",
	 "properties":{
	  "id":{"type":"number"},
	  "title":{"type":"string","minLength":1,"maxLength":80},
	  "desc":{"type":"string"},
	  "isComplete":{"type":"boolean"},
	  "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true},
	  "owner":{"$ref":"#/components/schemas/User"},
	  "remind":{"type":"string"}
	 },
	 "required":["title"],
	 "additionalProperties":false}`)
	v := MustCompile(schema, components(b))
	inst := decode(b, todoBody)
	if len(todoBody) != 200 {
		b.Fatalf("body is %d bytes; want 200", len(todoBody))
	}
	if d := v.Validate(inst); d != nil {
		b.Fatalf("unexpected errors: %v", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v.Validate(inst) != nil {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkValidateTodoInvalid(b *testing.B) {
	v := MustCompile(mustSchema(b, `{"$ref":"#/components/schemas/Todo"}`), components(b))
	inst := decode(b, `{"title":"","id":"7","extra":true}`)
	b.ReportAllocs()
	for b.Loop() {
		if len(v.Validate(inst)) != 3 {
			b.Fatal("want 3 errors")
		}
	}
}
