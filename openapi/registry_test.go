package openapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/openapi/internal/othertodo"
)

type Base struct {
	ID        int64     `json:"id" readOnly:"true" doc:"Generated id."`
	CreatedAt time.Time `json:"createdAt,omitzero"`
}

type Todo struct {
	Base
	Title      string          `json:"title" minLength:"1" maxLength:"80" example:"buy milk"`
	Desc       *string         `json:"desc,omitempty"`
	IsComplete bool            `json:"isComplete,omitempty" default:"false"`
	Priority   int32           `json:"priority" minimum:"1" maximum:"5" required:"false"`
	Tags       []string        `json:"tags,omitempty" enum:"home,work" maxItems:"3" uniqueItems:"true"`
	Meta       map[string]any  `json:"meta,omitempty"`
	Raw        json.RawMessage `json:"raw,omitempty"`
	Data       []byte          `json:"data,omitempty"`
	Email      string          `json:"email" format:"email" nullable:"true"`
	Owner      *User           `json:"owner,omitempty"`
	Other      othertodo.Todo  `json:"other"`
	Secret     string          `json:"-"`
	Score      float64         `json:"score,string,omitempty"`
	Counts     map[string]int  `json:"counts,omitempty"`
	Grid       [2]float32      `json:"grid,omitzero"`
	private    int
}

type User struct {
	Name    string  `json:"name" pattern:"^[A-Z]"`
	Friends []*User `json:"friends,omitempty"`
	Status  Status  `json:"status"`
}

type Status string

func (Status) JSONSchema(*Registry) *Schema {
	return &Schema{Type: Types{"string"}, Enum: []any{"active", "blocked"}}
}

type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func TestRegistrySchema(t *testing.T) {
	r := NewRegistry()
	got := SchemaFor[Todo](r)
	if got.Ref != "#/components/schemas/Todo" {
		t.Fatalf("got ref %q; want #/components/schemas/Todo", got.Ref)
	}
	comps := r.Components()
	want := map[string]string{
		"Todo": `{"title":"Todo","type":"object","properties":{` +
			`"id":{"description":"Generated id.","type":"integer","format":"int64","readOnly":true},` +
			`"createdAt":{"type":"string","format":"date-time"},` +
			`"title":{"type":"string","examples":["buy milk"],"minLength":1,"maxLength":80},` +
			`"desc":{"type":"string"},` +
			`"isComplete":{"type":"boolean","default":false},` +
			`"priority":{"type":"integer","format":"int32","minimum":1,"maximum":5},` +
			`"tags":{"type":"array","items":{"type":"string","enum":["home","work"]},"maxItems":3,"uniqueItems":true},` +
			`"meta":{"type":"object","additionalProperties":{}},` +
			`"raw":{},` +
			`"data":{"type":"string","contentEncoding":"base64"},` +
			`"email":{"type":["string","null"],"format":"email"},` +
			`"owner":{"$ref":"#/components/schemas/User"},` +
			`"other":{"$ref":"#/components/schemas/othertodo.Todo"},` +
			`"score":{"type":"string"},` +
			`"counts":{"type":"object","additionalProperties":{"type":"integer","format":"int64"}},` +
			`"grid":{"type":"array","items":{"type":"number","format":"float"},"minItems":2,"maxItems":2}` +
			`},"required":["id","title","email","other"],"additionalProperties":false}`,
		"User": `{"title":"User","type":"object","properties":{` +
			`"name":{"type":"string","pattern":"^[A-Z]"},` +
			`"friends":{"type":"array","items":{"$ref":"#/components/schemas/User"}},` +
			`"status":{"type":"string","enum":["active","blocked"]}` +
			`},"required":["name","status"],"additionalProperties":false}`,
		"othertodo.Todo": `{"title":"othertodo.Todo","type":"object","properties":{"note":{"type":"string"}},"required":["note"],"additionalProperties":false}`,
	}
	if len(comps) != len(want) {
		t.Errorf("got components %v; want %d", reflect.ValueOf(comps).MapKeys(), len(want))
	}
	for name, w := range want {
		b, err := marshal(comps[name])
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != w {
			t.Errorf("%s:\n got %s\nwant %s", name, b, w)
		}
	}
}

func TestRegistryInlineAndCollision(t *testing.T) {
	r := NewRegistry()
	// Registered first, the other package's Todo takes the plain name.
	SchemaFor[othertodo.Todo](r)
	if got := SchemaFor[Todo](r).Ref; got != "#/components/schemas/openapi.Todo" {
		t.Errorf("got %q; want #/components/schemas/openapi.Todo", got)
	}
	if got := SchemaFor[Page[User]](r).Ref; got != "#/components/schemas/PageUser" {
		t.Errorf("got %q; want #/components/schemas/PageUser", got)
	}
	s := SchemaFor[[]int](r)
	b, _ := marshal(s)
	if string(b) != `{"type":"array","items":{"type":"integer","format":"int64"}}` {
		t.Errorf("got %s", b)
	}
	// Returned schemas are copies.
	s.Items.Format = "changed"
	b, _ = marshal(SchemaFor[[]int](r))
	if strings.Contains(string(b), "changed") {
		t.Errorf("cached schema was modified through a returned copy")
	}
	if n, ok := r.Name(reflect.TypeFor[*User]()); !ok || n != "User" {
		t.Errorf("Name(*User) got %q,%v; want User,true", n, ok)
	}
	if _, err := r.Add("User", &Schema{}); err == nil {
		t.Errorf("Add(User) with a different schema: got nil error")
	}
	if _, err := r.Add("bad name", &Schema{}); err == nil {
		t.Errorf("Add(bad name): got nil error")
	}
	ref, err := r.Add("loopback.Count", &Schema{Type: Types{"object"}})
	if err != nil || ref.Ref != "#/components/schemas/loopback.Count" {
		t.Errorf("Add(loopback.Count) got %v,%v", ref, err)
	}
}

func TestRegistryPanics(t *testing.T) {
	tests := []struct {
		name string
		typ  reflect.Type
		want string
	}{
		{"misspelt", reflect.TypeFor[struct {
			A string `minlength:"1"`
		}](), `field A: unknown tag "minlength" (did you mean "minLength"?)`},
		{"bad number", reflect.TypeFor[struct {
			N int `minimum:"abc"`
		}](), `field N: tag minimum:"abc": want a number`},
		{"bad pattern", reflect.TypeFor[struct {
			S string `pattern:"(["`
		}](), `field S: tag pattern:"(["`},
		{"pattern on int", reflect.TypeFor[struct {
			N int `pattern:"a"`
		}](), `only applies to strings`},
		{"bad enum", reflect.TypeFor[struct {
			N int `enum:"1,x"`
		}](), `field N: tag enum:"x"`},
		{"bad required", reflect.TypeFor[struct {
			N int `required:"yes"`
		}](), `tag required:"yes": want true or false`},
		{"chan", reflect.TypeFor[struct{ C chan int }](), `has no JSON Schema`},
		{"negative length", reflect.TypeFor[struct {
			S string `maxLength:"-1"`
		}](), `want a non-negative integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tt.want) {
					t.Errorf("got panic %q; want it to contain %q", msg, tt.want)
				}
			}()
			NewRegistry().Schema(tt.typ)
		})
	}
}

func TestFields(t *testing.T) {
	var names []string
	for _, f := range Fields(reflect.TypeFor[Todo]()) {
		if !f.Optional {
			names = append(names, f.Name)
		}
	}
	if got := strings.Join(names, ","); got != "id,title,email,other" {
		t.Errorf("got required %s; want id,title,email,other", got)
	}
}

type Money struct{ Cents int64 }

func (m Money) MarshalJSON() ([]byte, error) { return []byte(`"0.00"`), nil }

func TestRegistryCustomMarshaler(t *testing.T) {
	r := NewRegistry()
	SchemaFor[Money](r)
	b, _ := marshal(r.Components()["Money"])
	if string(b) != `{"title":"Money"}` {
		t.Errorf("got %s; want a schema that accepts anything", b)
	}
}

func TestRegistryKinds(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[SchemaProvider](), `{}`},
		{reflect.TypeFor[any](), `{}`},
		{reflect.TypeFor[map[int]bool](), `{"type":"object","additionalProperties":{"type":"boolean"}}`},
		{reflect.TypeFor[uint8](), `{"type":"integer","format":"int32","minimum":0}`},
		{reflect.TypeFor[json.Number](), `{"type":"number"}`},
		{reflect.TypeFor[*time.Time](), `{"type":"string","format":"date-time"}`},
		{reflect.TypeFor[struct {
			A int `json:"a,omitempty"`
		}](), `{"type":"object","properties":{"a":{"type":"integer","format":"int64"}},"additionalProperties":false}`},
	}
	for _, tt := range tests {
		b, _ := marshal(NewRegistry().Schema(tt.typ))
		if string(b) != tt.want {
			t.Errorf("%v: got %s; want %s", tt.typ, b, tt.want)
		}
	}
}

type panicky struct{}

func (panicky) JSONSchema(*Registry) *Schema { panic("provider failed") }

type usesProvider struct {
	P panicky `json:"p"`
	U User    `json:"u"`
}

func TestRegistryProviderPanicKeepsRegistryUsable(t *testing.T) {
	r := NewRegistry()
	func() {
		defer func() {
			if msg, _ := recover().(string); msg != "provider failed" {
				t.Errorf("got panic %v; want the provider's", msg)
			}
		}()
		SchemaFor[usesProvider](r)
	}()
	if _, ok := r.Components()["usesProvider"]; ok {
		t.Errorf("a type whose registration panicked stayed in the components")
	}
	// The mutex is still consistent: the registry keeps working.
	if got := SchemaFor[Page[int]](r).Ref; got != "#/components/schemas/PageInt" {
		t.Errorf("got %q; want #/components/schemas/PageInt", got)
	}
}
