package openapi

import (
	"encoding/json"
	"errors"
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
	Title      string          `json:"title" required:"true" minLength:"1" maxLength:"80" example:"buy milk"`
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

func (Status) JSONSchema(*Registry) (*Schema, error) {
	return &Schema{Type: Types{"string"}, Enum: []any{"active", "blocked"}}, nil
}

type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func TestRegistrySchema(t *testing.T) {
	r := NewRegistry(RegistryConfig{})
	got := schemaOf[Todo](r)
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
			`},"required":["title"],"additionalProperties":false}`,
		"User": `{"title":"User","type":"object","properties":{` +
			`"name":{"type":"string","pattern":"^[A-Z]"},` +
			`"friends":{"type":"array","items":{"$ref":"#/components/schemas/User"}},` +
			`"status":{"type":"string","enum":["active","blocked"]}` +
			`},"additionalProperties":false}`,
		"othertodo.Todo": `{"title":"othertodo.Todo","type":"object","properties":{"note":{"type":"string"}},"additionalProperties":false}`,
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
	r := NewRegistry(RegistryConfig{})
	// Registered first, the other package's Todo takes the plain name.
	schemaOf[othertodo.Todo](r)
	if got := schemaOf[Todo](r).Ref; got != "#/components/schemas/openapi.Todo" {
		t.Errorf("got %q; want #/components/schemas/openapi.Todo", got)
	}
	if got := schemaOf[Page[User]](r).Ref; got != "#/components/schemas/PageUser" {
		t.Errorf("got %q; want #/components/schemas/PageUser", got)
	}
	s := schemaOf[[]int](r)
	b, _ := marshal(s)
	if string(b) != `{"type":"array","items":{"type":"integer","format":"int64"}}` {
		t.Errorf("got %s", b)
	}
	// Returned schemas are copies.
	s.Items.Format = "changed"
	b, _ = marshal(schemaOf[[]int](r))
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

func TestRegistryTagErrors(t *testing.T) {
	tests := []struct {
		name string
		typ  reflect.Type
		want string
	}{
		{"misspelt", reflect.TypeFor[struct {
			A string `minlength:"1"`
		}](), `.A: tag minlength="1": unknown tag, did you mean minLength?`},
		{"bad number", reflect.TypeFor[struct {
			N int `minimum:"abc"`
		}](), `.N: tag minimum="abc": not a number`},
		{"bad pattern", reflect.TypeFor[struct {
			S string `pattern:"(["`
		}](), `.S: tag pattern="([": not a regular expression`},
		{"pattern on int", reflect.TypeFor[struct {
			N int `pattern:"a"`
		}](), `only applies to strings`},
		{"bad enum", reflect.TypeFor[struct {
			N int `enum:"1,x"`
		}](), `.N: tag enum="x": not a JSON value of type integer`},
		{"bad required", reflect.TypeFor[struct {
			N int `required:"yes"`
		}](), `tag required="yes": not true or false`},
		{"chan", reflect.TypeFor[struct{ C chan int }](), `has no JSON Schema`},
		{"negative length", reflect.TypeFor[struct {
			S string `maxLength:"-1"`
		}](), `not a non-negative integer`},
		{"malformed", reflect.StructOf([]reflect.StructField{{Name: "S", Type: reflect.TypeFor[string](),
			Tag: `json:"s" maxLength:1`}}), `malformed struct tag`},
		{"map key", reflect.TypeFor[struct {
			M map[struct{ A int }]int
		}](), `cannot be encoded as JSON`},
		{"zero multipleOf", reflect.TypeFor[struct {
			F float64 `multipleOf:"0"`
		}](), `not a number > 0`},
		{"items on a string", reflect.TypeFor[struct {
			S string `maxItems:"2"`
		}](), `only applies to slices and arrays`},
		{"default of wrong type", reflect.TypeFor[struct {
			B bool `default:"yes"`
		}](), `tag default="yes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRegistry(RegistryConfig{})
			s, err := r.Schema(tt.typ)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an error containing %q", s, err, tt.want)
			}
			if len(r.Components()) != 0 {
				t.Errorf("got components %v after an error; want none", r.Components())
			}
		})
	}
}

type badTitle struct {
	Title string `json:"title" maxLength:"x"`
}

func TestTagErrorNamesTypeAndField(t *testing.T) {
	_, err := NewRegistry(RegistryConfig{}).Schema(reflect.TypeFor[badTitle]())
	var te *TagError
	if !errors.As(err, &te) {
		t.Fatalf("got %v; want a *TagError", err)
	}
	if te.Type != "badTitle" || te.Field != "Title" || te.Tag != "maxLength" || te.Value != "x" {
		t.Errorf("got %+v; want badTitle.Title maxLength x", te)
	}
	if got, want := err.Error(), `openapi: badTitle.Title: tag maxLength="x": not a non-negative integer`; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

// nested holds a field whose type fails: the outer type must be forgotten
// with it, and so must the inline schemas built on the way.
type nested struct {
	U     User       `json:"u"`
	Users []User     `json:"users"`
	Bad   []badTitle `json:"bad"`
}

func TestRegistryFailureLeavesNothing(t *testing.T) {
	r := NewRegistry(RegistryConfig{})
	if _, err := r.Schema(reflect.TypeFor[nested]()); err == nil {
		t.Fatal("got nil error; want the bad tag")
	}
	if n := len(r.Components()); n != 0 {
		t.Errorf("got %d components; want 0", n)
	}
	s := schemaOf[[]User](r)
	if s.Items.Ref != ComponentPrefix+"User" || r.Components()["User"] == nil {
		t.Errorf("[]User after a failed registration: got %v with components %v; want a reference to a present User", s, r.Components())
	}
}

func TestFields(t *testing.T) {
	fs, err := Fields(reflect.TypeFor[Todo]())
	if err != nil {
		t.Fatal(err)
	}
	var names, omit []string
	for _, f := range fs {
		if f.Required {
			names = append(names, f.Name)
		}
		if f.OmitEmpty {
			omit = append(omit, f.Name)
		}
	}
	if got := strings.Join(names, ","); got != "title" {
		t.Errorf("got required %s; want title", got)
	}
	if got := strings.Join(omit, ","); got != "createdAt,desc,isComplete,tags,meta,raw,data,owner,score,counts,grid" {
		t.Errorf("got omitempty %s", got)
	}
}

type Money struct{ Cents int64 }

func (m Money) MarshalJSON() ([]byte, error) { return []byte(`"0.00"`), nil }

func TestRegistryCustomMarshaler(t *testing.T) {
	r := NewRegistry(RegistryConfig{})
	schemaOf[Money](r)
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
		s, err := NewRegistry(RegistryConfig{}).Schema(tt.typ)
		if err != nil {
			t.Fatalf("%v: %v", tt.typ, err)
		}
		b, _ := marshal(s)
		if string(b) != tt.want {
			t.Errorf("%v: got %s; want %s", tt.typ, b, tt.want)
		}
	}
}

type failing struct{}

func (failing) JSONSchema(*Registry) (*Schema, error) { return nil, errors.New("provider failed") }

type usesProvider struct {
	U User    `json:"u"`
	P failing `json:"p"`
}

func TestRegistryProviderErrorKeepsRegistryUsable(t *testing.T) {
	r := NewRegistry(RegistryConfig{})
	if _, err := SchemaFor[usesProvider](r); err == nil || !strings.Contains(err.Error(), "provider failed") {
		t.Errorf("got %v; want the provider's error", err)
	}
	if _, ok := r.Components()["usesProvider"]; ok {
		t.Errorf("a type whose registration failed stayed in the components")
	}
	// The mutex is still consistent: the registry keeps working.
	if got := schemaOf[Page[int]](r).Ref; got != "#/components/schemas/PageInt" {
		t.Errorf("got %q; want #/components/schemas/PageInt", got)
	}
}

// schemaOf is SchemaFor for tests: it panics on error.
func schemaOf[T any](r *Registry) *Schema {
	s, err := SchemaFor[T](r)
	if err != nil {
		panic(err)
	}
	return s
}

type withOwner struct {
	Owner User `json:"owner" doc:"Who." example:"{\"name\":\"Ann\"}" nullable:"true"`
}

func TestTagsOnStructFields(t *testing.T) {
	r := NewRegistry(RegistryConfig{})
	schemaOf[withOwner](r)
	b, _ := marshal(r.Components()["withOwner"].Properties["owner"])
	want := `{"description":"Who.","examples":[{"name":"Ann"}],"anyOf":[{"$ref":"#/components/schemas/User"},{"type":"null"}]}`
	if string(b) != want {
		t.Errorf("got %s; want %s", b, want)
	}
	type badExample struct {
		Owner User `json:"owner" example:"{"`
	}
	if _, err := SchemaFor[badExample](r); err == nil || !strings.Contains(err.Error(), `tag example="{": not a JSON value`) {
		t.Errorf("got %v; want the bad example named", err)
	}
}
