package model

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

type address struct {
	City string `json:"city" required:"true"`
	Zip  string `json:"zip,omitempty"`
}

type todo struct {
	_          struct{}       `lb:"name=Todo,strict=false,postgresql.table=todos" description:"A thing to do."`
	ID         int64          `json:"id" lb:"id,generated"`
	Title      string         `json:"title" required:"true" minLength:"1" maxLength:"100" description:"What to do."`
	Desc       string         `json:"desc,omitempty"`
	IsComplete *bool          `json:"isComplete,omitempty" lb:"postgresql.columnName=is_complete,postgresql.dataType=boolean"`
	Priority   int            `json:"priority,omitempty" default:"3" minimum:"1" maximum:"5"`
	Status     string         `json:"status,omitempty" enum:"open,done"`
	Secret     string         `json:"secret,omitempty" lb:"hidden"`
	CreatedAt  time.Time      `json:"createdAt,omitzero" lb:"defaultFn=now"`
	Tags       []string       `json:"tags,omitempty"`
	Address    *address       `json:"address,omitempty"`
	Meta       map[string]any `json:"meta,omitempty"`
	Tag        any            `json:"tag,omitempty"`
	Data       []byte         `json:"data,omitempty"`
	TodoListID int64          `json:"todoListId,omitempty" lb:"belongsTo,target=TodoList"`
	List       *todoList      `json:"todoList,omitempty" lb:"belongsTo"`
	internal   string
}

type todoList struct {
	_     struct{} `lb:"name=TodoList"`
	ID    int64    `json:"id" lb:"id,generated"`
	Title string   `json:"title" required:"true"`
	Todos []todo   `json:"todos,omitempty" lb:"hasMany,target=Todo"`
}

func TestFromStruct(t *testing.T) {
	d, err := FromStruct[todo]()
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "Todo" || d.Description != "A thing to do." || d.Settings.Strict != StrictFalse {
		t.Errorf("got name %q desc %q strict %q", d.Name, d.Description, d.Settings.Strict)
	}
	if got := d.TableName("postgresql"); got != "todos" {
		t.Errorf("TableName = %q; want todos", got)
	}
	var names []string
	for _, p := range d.Properties {
		names = append(names, p.Name)
	}
	want := "id title desc isComplete priority status secret createdAt tags address meta tag data todoListId"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("properties = %s; want %s", got, want)
	}
	id := d.ID()
	if len(id) != 1 || id[0].Name != "id" || !id[0].Generated || !id[0].Integer {
		t.Errorf("ID() = %+v", id)
	}
	title := d.Property("title")
	if !title.Required || *title.JSONSchema.MinLength != 1 || title.Description != "What to do." {
		t.Errorf("title = %+v", title)
	}
	if p := d.Property("isComplete"); p.Type != Boolean || p.ColumnName("postgresql") != "is_complete" || p.ColumnName("mysql") != "isComplete" {
		t.Errorf("isComplete = %+v", p)
	}
	if p := d.Property("priority"); p.Default != int64(3) || *p.JSONSchema.Maximum != 5 {
		t.Errorf("priority default = %#v", p.Default)
	}
	if p := d.Property("status"); !reflect.DeepEqual(p.JSONSchema.Enum, []any{"open", "done"}) {
		t.Errorf("status enum = %#v", p.JSONSchema.Enum)
	}
	if !d.IsHidden("secret") || !reflect.DeepEqual(d.Settings.Hidden, []string{"secret"}) {
		t.Errorf("hidden = %v", d.Settings.Hidden)
	}
	if p := d.Property("createdAt"); p.Type != Date || p.DefaultFn != "now" {
		t.Errorf("createdAt = %+v", p)
	}
	if p := d.Property("tags"); p.Type != Array || p.Items.Type != String {
		t.Errorf("tags = %+v", p)
	}
	if p, ok := d.Path("address.city"); !ok || p.Type != String || !p.Required {
		t.Errorf("address.city = %+v, %v", p, ok)
	}
	if _, ok := d.Path("address.country"); ok {
		t.Errorf("address.country found; want not found")
	}
	if p, ok := d.Path("meta.a.b"); !ok || p.Name != "meta" {
		t.Errorf("meta.a.b = %+v, %v", p, ok)
	}
	if p, ok := d.Path("tag.x"); !ok || p.Type != Any {
		t.Errorf("tag.x = %+v, %v", p, ok)
	}
	if p := d.Property("data"); p.Type != Buffer {
		t.Errorf("data type = %s", p.Type)
	}
	if p := d.Property("internal"); p != nil {
		t.Errorf("unexported field became a property")
	}
	rel := d.Relation("todoList")
	if rel == nil || rel.Type != BelongsTo || rel.Target != "TodoList" || rel.KeyFrom != "todoListId" || rel.GoField == nil {
		t.Fatalf("todoList relation = %+v", rel)
	}

	l, err := FromStruct[todoList]()
	if err != nil {
		t.Fatal(err)
	}
	r := l.Relation("todos")
	if r == nil || r.Type != HasMany || r.Target != "Todo" || r.KeyTo != "todoListId" || r.KeyFrom != "id" {
		t.Fatalf("todos relation = %+v", r)
	}
	var reg Registry
	if err := reg.Add(d, l); err != nil {
		t.Fatal(err)
	}
	if err := reg.Check(); err != nil {
		t.Fatal(err)
	}
	link, err := reg.Resolve(d, "todoList")
	if err != nil || link.SourceKey != "todoListId" || link.TargetKey != "id" || link.Target != l {
		t.Errorf("Resolve = %+v, %v", link, err)
	}
}

func TestFromStructErrors(t *testing.T) {
	type badDefault struct {
		N int `json:"n" default:"x"`
	}
	type movedRequired struct {
		N int `json:"n" lb:"required"`
	}
	type badLength struct {
		S string `json:"s" maxLength:"x"`
	}
	type lengthOnNumber struct {
		N int `json:"n" minLength:"1"`
	}
	type embedded struct {
		Note string `json:"note,omitempty"`
	}
	type embeddedPointer struct {
		ID int64 `json:"id" lb:"id"`
		*embedded
	}
	type badOption struct {
		N int `json:"n" lb:"requird"`
	}
	type badFn struct {
		N int `json:"n" lb:"defaultFn=uuid"`
	}
	type badStrict struct {
		_ struct{} `lb:"strict=maybe"`
		N int      `json:"n"`
	}
	type badChan struct {
		C chan int `json:"c"`
	}
	type badHasMany struct {
		ID    int    `json:"id" lb:"id"`
		Items []todo `json:"items" lb:"hasOne"`
	}
	tests := []struct {
		name string
		fn   func() error
		want string
	}{
		{"default", func() error { _, err := FromStruct[badDefault](); return err }, `model badDefault: property "n": openapi: badDefault.N: tag default="x": not a JSON value of type integer`},
		{"moved required", func() error { _, err := FromStruct[movedRequired](); return err }, `property "n": required is not an lb option: use the schema tag required:"true"`},
		{"bad length", func() error { _, err := FromStruct[badLength](); return err }, `openapi: badLength.S: tag maxLength="x": not a non-negative integer`},
		{"length on a number", func() error { _, err := FromStruct[lengthOnNumber](); return err }, `openapi: lengthOnNumber.N: tag minLength="1": only applies to strings`},
		{"embedded pointer", func() error { _, err := FromStruct[embeddedPointer](); return err }, `property "note": embedded pointer structs are not supported`},
		{"option", func() error { _, err := FromStruct[badOption](); return err }, `property "n": unknown lb option "requird"`},
		{"defaultFn", func() error { _, err := FromStruct[badFn](); return err }, `property "n": default function "uuid" does not apply to a number property`},
		{"strict", func() error { _, err := FromStruct[badStrict](); return err }, `strict must be true, false or "filter"`},
		{"chan", func() error { _, err := FromStruct[badChan](); return err }, `property "c": unsupported Go type chan int`},
		{"hasOne slice", func() error { _, err := FromStruct[badHasMany](); return err }, `relation "items": a hasOne relation needs a struct or pointer field`},
		{"not struct", func() error { _, err := FromStruct[int](); return err }, `model type must be a struct`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fn()
			var de *DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("got %v; want a *DefinitionError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	d, err := Load("testdata/todo-list.model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "TodoList" || d.Description != "A list of todos." || d.Settings.Strict != StrictFilter {
		t.Errorf("got %q %q %q", d.Name, d.Description, d.Settings.Strict)
	}
	if got := d.TableName("postgresql"); got != "todo_lists" {
		t.Errorf("table = %q", got)
	}
	var names []string
	for _, p := range d.Properties {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "id title color createdAt secret tags address" {
		t.Errorf("properties in order %s", got)
	}
	if p := d.Property("title"); *p.JSONSchema.MaxLength != 100 || !p.Required {
		t.Errorf("title = %+v", p)
	}
	if p := d.Property("color"); p.ColumnName("postgresql") != "colour" || p.DataType("postgresql") != "varchar" {
		t.Errorf("color = %+v", p)
	}
	if p := d.Property("tags"); p.Type != Array || p.Items.Type != String {
		t.Errorf("tags = %+v", p)
	}
	if p, ok := d.Path("address.zip"); !ok || p.Type != String {
		t.Errorf("address.zip = %+v", p)
	}
	if !d.IsHidden("secret") {
		t.Errorf("secret not hidden")
	}
	if len(d.Settings.Indexes) != 1 || !d.Settings.Indexes[0].Unique || d.Settings.Indexes[0].Columns[0] != "title" {
		t.Errorf("indexes = %+v", d.Settings.Indexes)
	}
	if r := d.Relation("todos"); r == nil || r.KeyTo != "todoListId" {
		t.Errorf("todos = %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"no name", `{"properties":{}}`, `x.json: the definition has no name`},
		{"bad type", `{"name":"T","properties":{"a":{"type":"strng "}}}`, `x.json: model T: property "a": unknown type "strng "`},
		{"unknown key", `{"name":"T","properties":{"a":{"type":"string","requird":true}}}`, `property "a": unknown key "requird"`},
		{"nested", `{"name":"T","properties":{"a":{"type":"object","properties":{"b":{"type":"number","default":"x"}}}}}`, `property "a.b": default: cannot use a string as number`},
		{"hidden", `{"name":"T","properties":{"a":"string"},"hidden":["b"]}`, `property "b": listed in hidden but not declared`},
		{"relation", `{"name":"T","properties":{"a":"string"},"relations":{"x":{"type":"belongsTo","model":"U"}}}`, `relation "x": foreign key "xId" is not a property`},
		{"relation type", `{"name":"T","properties":{"id":{"type":"number","id":true}},"relations":{"x":{"type":"hasLots","model":"U"}}}`, `relation "x": unknown relation type "hasLots"`},
		{"top key", `{"name":"T","propertes":{}}`, `unknown key "propertes"`},
		{"json", `{"name":"T",`, `x.json: invalid JSON`},
		{"yaml", "name: T\nproperties: [", `x.json: yaml`},
		{"composite dup", `{"name":"T","properties":{"a":{"type":"string","id":1},"b":{"type":"string","id":1},"c":{"type":"string","id":2}}}`, `id position 1 is also used by "a"`},
		{"pattern", `{"name":"T","properties":{"a":{"type":"string","jsonSchema":{"pattern":"("}}}}`, `property "a": pattern:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSource("x.json", []byte(tt.doc))
			if err == nil {
				t.Fatalf("got no error; want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseComposite(t *testing.T) {
	d, err := Parse([]byte(`{"name":"OrderLine","properties":{"orderId":{"type":"number","id":true},"line":{"type":"number","id":true},"qty":"number"}}`))
	if err != nil {
		t.Fatal(err)
	}
	ids := d.ID()
	if len(ids) != 2 || ids[0].Name != "orderId" || ids[1].Name != "line" || ids[1].ID != 2 {
		t.Errorf("ids = %v", ids)
	}
}

func TestRegistryCheckNestedModel(t *testing.T) {
	order, err := Parse([]byte(`{"name":"Order","properties":{"id":{"type":"number","id":true},"ship":{"type":"Address"},"lines":{"type":["Line"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := order.Property("ship"); p.Type != Object || p.Model != "Address" {
		t.Errorf("ship = %+v", p)
	}
	var reg Registry
	if err := reg.Add(order); err != nil {
		t.Fatal(err)
	}
	if err := reg.Check(); err == nil || !strings.Contains(err.Error(), "Address is not a registered model") {
		t.Errorf("Check = %v; want Address is not a registered model", err)
	}
	addr, _ := Parse([]byte(`{"name":"Address","properties":{"city":"string"}}`))
	line, _ := Parse([]byte(`{"name":"Line","properties":{"sku":"string"}}`))
	if err := reg.Add(addr, line); err != nil {
		t.Fatal(err)
	}
	if err := reg.Check(); err != nil {
		t.Errorf("Check = %v", err)
	}
	if err := reg.Add(line); err == nil {
		t.Errorf("adding Line twice: got no error")
	}
	comps, err := Components(order, &reg)
	if err != nil {
		t.Fatal(err)
	}
	if comps["Address"] == nil || comps["Line"] == nil {
		t.Errorf("nested model schemas missing: %v", reg.Names())
	}
	if got := Schema(order, SchemaOptions{}).Properties["ship"].Ref; got != "#/components/schemas/Address" {
		t.Errorf("ship ref = %q", got)
	}
}

type audit struct {
	CreatedBy string `json:"createdBy,omitempty"`
}

type tag struct {
	ID   string `json:"id" lb:"id,defaultFn=uuid"`
	Name string `json:"name" lb:"unique"`
}

type post struct {
	audit
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title"`
	Tags  []tag  `json:"tags,omitempty" lb:"hasManyThrough,target=Tag,through=PostTag"`
	Body  string `json:"-"`
	Skip  string `json:"skip" lb:"-"`
}

func (post) DefineModel(d *Definition) {
	d.Name = "Post"
	d.Settings.Indexes = append(d.Settings.Indexes, Index{Name: "title_idx", Columns: []string{"title"}, Unique: true})
	d.Settings.DefaultScope = map[string]any{"order": "id DESC"}
}

func TestFromStructEmbeddedDefinerThrough(t *testing.T) {
	d, err := FromStruct[post]()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range d.Properties {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "createdBy id title" {
		t.Errorf("properties = %s; want createdBy id title", got)
	}
	if d.Name != "Post" || len(d.Settings.Indexes) != 1 || d.Settings.DefaultScope["order"] != "id DESC" {
		t.Errorf("Definer not applied: %+v", d.Settings)
	}
	r := d.Relation("tags")
	if r == nil || r.Type != HasManyThrough || r.Through.Model != "PostTag" || r.Through.KeyFrom != "postId" || r.Through.KeyTo != "tagId" {
		t.Fatalf("tags relation = %+v %+v", r, r.Through)
	}
	td := MustFromStruct[tag]()
	if p := td.Property("id"); p.DefaultFn != "uuid" || p.Type != String {
		t.Errorf("tag id = %+v", p)
	}
	rec, err := ToRecord(d, &post{audit: audit{CreatedBy: "me"}, Title: "t", Body: "b", Skip: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (map[string]any{"createdBy": "me", "title": "t"}); !reflect.DeepEqual(rec, want) {
		t.Errorf("ToRecord = %v; want %v", rec, want)
	}
	out, err := FromRecord[post](d, map[string]any{"id": int64(1), "createdBy": "you", "tags": []any{map[string]any{"id": "x", "name": "go"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.CreatedBy != "you" || len(out.Tags) != 1 || out.Tags[0].Name != "go" {
		t.Errorf("FromRecord = %+v", out)
	}
}

func TestParseYAMLErrorsHaveLines(t *testing.T) {
	_, err := ParseSource("m.yaml", []byte("name: M\nproperties:\n  a: &x {type: string}\n  b: *x\n"))
	if err == nil || !strings.Contains(err.Error(), "m.yaml: line 4: YAML aliases are not supported") {
		t.Errorf("got %v", err)
	}
}
