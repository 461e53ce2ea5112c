package connectortest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/internal/validate"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// The shape subtests check that an instance has the same form on every
// connector: a property with no value is absent unless it is nullable
// (then null), responses validate against the model's published schema,
// included instances keep their model's property order, and relation
// writes refuse a missing parent the same way.

const (
	shelfModel = "Shelf"
	bookModel  = "Book"
	coverModel = "Cover"
	legacyName = "Legacy"
)

// shelfDef has many books and one cover. Its properties are declared out
// of alphabetical order, so that a sorted encoding shows.
func (s *suite) shelfDef() *model.Definition {
	return &model.Definition{
		Name: s.n(shelfModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "title", Type: model.String, Required: true},
			{Name: "note", Type: model.String, Nullable: true},
			{Name: "color", Type: model.String},
		},
		Relations: []*model.Relation{
			{Name: "books", Type: model.HasMany, Target: s.n(bookModel), ForeignKey: "shelfId", KeyFrom: "id", KeyTo: "shelfId"},
			{Name: "cover", Type: model.HasOne, Target: s.n(coverModel), ForeignKey: "shelfId", KeyFrom: "id", KeyTo: "shelfId"},
		},
	}
}

// bookDef belongs to a shelf; it has nullable and plain optional
// properties of several types.
func (s *suite) bookDef() *model.Definition {
	return &model.Definition{
		Name: s.n(bookModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "label", Type: model.String, Required: true},
			{Name: "desc", Type: model.String},
			{Name: "note", Type: model.String, Nullable: true},
			{Name: "done", Type: model.Boolean},
			{Name: "rank", Type: model.Number, Integer: true},
			{Name: "shelfId", Type: model.Number, Integer: true},
		},
		Relations: []*model.Relation{
			{Name: "shelf", Type: model.BelongsTo, Target: s.n(shelfModel), ForeignKey: "shelfId", KeyFrom: "shelfId"},
		},
	}
}

// coverDef is the one cover of a shelf.
func (s *suite) coverDef() *model.Definition {
	return &model.Definition{
		Name: s.n(coverModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "url", Type: model.String},
			{Name: "shelfId", Type: model.Number, Integer: true},
		},
		Relations: []*model.Relation{
			{Name: "shelf", Type: model.BelongsTo, Target: s.n(shelfModel), ForeignKey: "shelfId", KeyFrom: "shelfId"},
		},
	}
}

// legacyDef is a JSON model definition with the nullForUnset setting: the
// view of a LoopBack 4 app on a SQL database.
func (s *suite) legacyDef(t *testing.T) *model.Definition {
	t.Helper()
	src := fmt.Sprintf(`{"name": %q, "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"title": {"type": "string", "required": true},
		"desc": "string", "done": "boolean", "rank": "number", "due": "date", "tags": ["string"]
	}, "settings": {"nullForUnset": true}}`, s.n(legacyName))
	def, err := model.Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return def
}

// shapeEnv is a subtest's repositories of the shape models, in one
// registry.
type shapeEnv struct {
	*env
	shelves, books, covers *repository.Model
	defs                   model.Registry
	schemas                map[string]*validate.Validator // by model name: the WithRelations schema
}

func (s *suite) shapeSetup(t *testing.T, extra ...*model.Definition) *shapeEnv {
	t.Helper()
	defs := append([]*model.Definition{s.shelfDef(), s.bookDef(), s.coverDef()}, extra...)
	e := &shapeEnv{env: s.setup(t, defs...), schemas: map[string]*validate.Validator{}}
	var reg repository.Registry
	repos := make([]*repository.Model, len(defs))
	for i, d := range defs {
		repos[i] = e.repo(d)
		if err := e.defs.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := reg.Add(repos...); err != nil {
		t.Fatal(err)
	}
	e.shelves, e.books, e.covers = repos[0], repos[1], repos[2]
	for _, d := range defs {
		comps, err := model.Components(d, &e.defs)
		if err != nil {
			t.Fatalf("Components %s: %v", d.Name, err)
		}
		v, err := validate.Compile(model.Schema(d, model.SchemaOptions{IncludeRelations: true}), comps)
		if err != nil {
			t.Fatalf("compile the schema of %s: %v", d.Name, err)
		}
		e.schemas[d.Name] = v
	}
	return e
}

// encode writes rec as the REST layer does and decodes it again; it checks
// that the JSON validates against the model's published schema.
func (e *shapeEnv) encode(t *testing.T, r *repository.Model, what string, rec connector.Record) map[string]any {
	t.Helper()
	data, err := r.AppendJSON(nil, rec)
	if err != nil {
		t.Fatalf("%s: AppendJSON: %v", what, err)
	}
	return e.checkJSON(t, r, what, data)
}

// checkJSON decodes one instance's JSON and validates it against the
// model's published schema.
func (e *shapeEnv) checkJSON(t *testing.T, r *repository.Model, what string, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: decode %s: %v", what, data, err)
	}
	if details := e.schemas[r.Definition().Name].Validate(v); details != nil {
		t.Errorf("%s: %s does not validate against the %sWithRelations schema: %+v", what, data, r.Definition().Name, details)
	}
	return v
}

// wantShape checks that v has exactly the members present (with a value)
// and nulls (null).
func wantShape(t *testing.T, what string, v map[string]any, present, nulls []string) {
	t.Helper()
	var got, want []string
	for k := range v {
		got = append(got, k)
	}
	want = append(append(want, present...), nulls...)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: got members %v; want %v (%v)", what, got, want, v)
		return
	}
	for _, k := range present {
		if v[k] == nil {
			t.Errorf("%s: %s is null; want a value", what, k)
		}
	}
	for _, k := range nulls {
		if v[k] != nil {
			t.Errorf("%s: %s is %v; want null", what, k, v[k])
		}
	}
}

// findJSON returns what the repository's JSON path writes for f (one
// decoded object per instance), or ok false when the connector has none.
func (e *shapeEnv) findJSON(t *testing.T, r *repository.Model, f *filter.Filter) ([]map[string]any, bool) {
	t.Helper()
	rows, ok, err := r.FindJSON(e.ctx, f)
	if err != nil {
		t.Fatalf("FindJSON: %v", err)
	}
	if !ok {
		return nil, false
	}
	out := make([]map[string]any, rows.Len())
	for i := range out {
		data, err := rows.AppendJSON(nil, i)
		if err != nil {
			t.Fatalf("FindJSON row %d: %v", i, err)
		}
		out[i] = e.checkJSON(t, r, fmt.Sprintf("FindJSON row %d", i), data)
	}
	return out, true
}

// testShapes runs the shape subtests.
func (s *suite) testShapes(t *testing.T) {
	t.Run("AbsentOrNull", s.testShape)
	t.Run("NullForUnset", s.testNullForUnset)
	t.Run("IncludeOrder", s.testIncludeOrder)
	t.Run("RelationWrites", s.testRelationWrites)
	t.Run("SchemaValid", s.testSchemaValid)
}

// testSchemaValid checks that the instances of the suite's other models
// (every property type, nulls, a uuid id, defaults, a hidden property, a
// buffer, free-form values) validate against their published schemas, as
// create, find and findById return them.
func (s *suite) testSchemaValid(t *testing.T) {
	todo, note := s.todoDef(), s.noteDef()
	e := s.shapeSetup(t, todo, note)
	todoRepo, notes := e.repo(todo), e.repo(note)
	for i, rec := range todos() {
		got, err := todoRepo.Create(e.ctx, rec)
		if err != nil {
			t.Fatalf("create todo %d: %v", i+1, err)
		}
		e.encode(t, todoRepo, fmt.Sprintf("Create todo %d", i+1), got)
	}
	found, err := todoRepo.Find(e.ctx, nil)
	if err != nil || len(found) != 5 {
		t.Fatalf("Find todos: got %d, %v; want 5", len(found), err)
	}
	for i, rec := range found {
		v := e.encode(t, todoRepo, fmt.Sprintf("Find todo %d", i+1), rec)
		if i == 2 && (v["desc"] != nil || !hasKey(v, "desc")) {
			t.Errorf("todo 3: got desc %v; want null (nullable, stored as null)", v["desc"])
		}
		if i == 4 && hasKey(v, "tags") {
			t.Errorf("todo 5: got tags %v; want none (never set, not nullable)", v["tags"])
		}
	}
	one, err := todoRepo.FindByID(e.ctx, int64(4), nil)
	if err != nil {
		t.Fatal(err)
	}
	e.encode(t, todoRepo, "FindByID todo 4", one)
	e.findJSON(t, todoRepo, nil)

	for i, rec := range []connector.Record{
		{"body": "plain"},
		{"body": "full", "status": "done", "secret": "s", "blob": []byte{0, 1, 2}, "extra": map[string]any{"a": []any{int64(1), "b"}}},
		{"body": "nulls", "blob": nil, "extra": nil},
	} {
		got, err := notes.Create(e.ctx, rec)
		if err != nil {
			t.Fatalf("create note %d: %v", i+1, err)
		}
		e.encode(t, notes, fmt.Sprintf("Create note %d", i+1), got)
	}
	found, err = notes.Find(e.ctx, nil)
	if err != nil || len(found) != 3 {
		t.Fatalf("Find notes: got %d, %v; want 3", len(found), err)
	}
	for i, rec := range found {
		e.encode(t, notes, fmt.Sprintf("Find note %d", i+1), rec)
	}
	e.findJSON(t, notes, nil)
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

func (s *suite) testShape(t *testing.T) {
	e := s.shapeSetup(t)
	if _, err := e.shelves.Create(e.ctx, connector.Record{"title": "fiction"}); err != nil {
		t.Fatal(err)
	}
	books := []connector.Record{
		{"label": "unset", "shelfId": int64(1)},
		{"label": "nulls", "shelfId": int64(1), "desc": nil, "note": nil, "done": nil, "rank": nil},
		{"label": "full", "shelfId": int64(1), "desc": "d", "note": "n", "done": false, "rank": int64(0)},
	}
	unset := []string{"id", "label", "shelfId"}
	full := []string{"id", "label", "desc", "note", "done", "rank", "shelfId"}
	wants := []struct{ present, nulls []string }{{unset, []string{"note"}}, {unset, []string{"note"}}, {full, nil}}
	for i, b := range books {
		got, err := e.books.Create(e.ctx, b)
		if err != nil {
			t.Fatalf("Create %v: %v", b, err)
		}
		w := wants[i]
		wantShape(t, "Create "+b["label"].(string), e.encode(t, e.books, "Create", got), w.present, w.nulls)
		wantShape(t, "Create "+b["label"].(string)+" (record)", got, w.present, w.nulls)
	}

	found, err := e.books.Find(e.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 3 {
		t.Fatalf("Find: got %d books; want 3", len(found))
	}
	for i, rec := range found {
		w := wants[i]
		wantShape(t, fmt.Sprintf("Find [%d]", i), e.encode(t, e.books, "Find", rec), w.present, w.nulls)
	}
	if rows, ok := e.findJSON(t, e.books, nil); ok {
		for i, v := range rows {
			wantShape(t, fmt.Sprintf("FindJSON [%d]", i), v, wants[i].present, wants[i].nulls)
		}
	}
	if rows, ok := e.findJSON(t, e.books, &filter.Filter{Order: []filter.Order{{Property: "label"}}}); ok && len(rows) == 3 {
		// full, nulls, unset
		wantShape(t, "FindJSON ordered [0]", rows[0], full, nil)
		wantShape(t, "FindJSON ordered [2]", rows[2], unset, []string{"note"})
	}
	one, err := e.books.FindByID(e.ctx, int64(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "FindByID", e.encode(t, e.books, "FindByID", one), unset, []string{"note"})
	if rows, ok, err := e.books.FindByIDJSON(e.ctx, int64(2), nil); err != nil {
		t.Fatal(err)
	} else if ok {
		data, err := rows.AppendJSON(nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		wantShape(t, "FindByIDJSON", e.checkJSON(t, e.books, "FindByIDJSON", data), unset, []string{"note"})
	}

	// Fields: a nullable property is null only when selected.
	for _, c := range []struct {
		name          string
		fields        *filter.Fields
		present, null []string
	}{
		{"include label", &filter.Fields{Include: []string{"label"}}, []string{"label"}, nil},
		{"include label and note", &filter.Fields{Include: []string{"label", "note"}}, []string{"label"}, []string{"note"}},
		{"exclude note", &filter.Fields{Exclude: []string{"note"}}, unset, nil},
	} {
		got, err := e.books.FindByID(e.ctx, int64(1), &filter.Filter{Fields: c.fields})
		if err != nil {
			t.Fatalf("fields %s: %v", c.name, err)
		}
		wantShape(t, "fields "+c.name, got, c.present, c.null)
	}

	// Clearing a value leaves the property without one.
	if err := e.books.UpdateByID(e.ctx, int64(3), connector.Record{"desc": nil, "note": nil, "done": nil}); err != nil {
		t.Fatal(err)
	}
	got, err := e.books.FindByID(e.ctx, int64(3), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "after clearing", e.encode(t, e.books, "after clearing", got), []string{"id", "label", "rank", "shelfId"}, []string{"note"})
	if rows, ok := e.findJSON(t, e.books, &filter.Filter{Where: where("label", filter.Eq, "full")}); ok && len(rows) == 1 {
		wantShape(t, "FindJSON after clearing", rows[0], []string{"id", "label", "rank", "shelfId"}, []string{"note"})
	}
	if err := e.books.ReplaceByID(e.ctx, int64(3), connector.Record{"label": "replaced", "shelfId": int64(1)}); err != nil {
		t.Fatal(err)
	}
	got, err = e.books.FindByID(e.ctx, int64(3), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "after replace", e.encode(t, e.books, "after replace", got), unset, []string{"note"})

	// Included instances have the same shape.
	shelves, err := e.shelves.Find(e.ctx, &filter.Filter{Include: []filter.Inclusion{{Relation: "books"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(shelves) != 1 {
		t.Fatalf("Find shelves: got %d; want 1", len(shelves))
	}
	v := e.encode(t, e.shelves, "Find with books", shelves[0])
	wantShape(t, "shelf", v, []string{"id", "title", "books"}, []string{"note"})
	if list, _ := v["books"].([]any); len(list) == 3 {
		b, _ := list[0].(map[string]any)
		wantShape(t, "included book", b, unset, []string{"note"})
	} else {
		t.Errorf("included books: got %v; want 3", v["books"])
	}
}

func (s *suite) testNullForUnset(t *testing.T) {
	legacy := s.legacyDef(t)
	for _, p := range legacy.Properties {
		if want := p.ID == 0 && !p.Required; p.Nullable != want {
			t.Errorf("nullForUnset: %s nullable %v; want %v", p.Name, p.Nullable, want)
		}
	}
	sch := model.Schema(legacy, model.SchemaOptions{})
	if ty := sch.Properties["desc"].Type; !ty.Has("null") {
		t.Errorf("nullForUnset: the schema of desc has type %v; want it to allow null", ty)
	}
	if ty := sch.Properties["title"].Type; ty.Has("null") {
		t.Errorf("nullForUnset: the schema of the required title has type %v; want no null", ty)
	}
	e := s.shapeSetup(t, legacy)
	r := e.repo(legacy)
	nulls := []string{"desc", "done", "rank", "due", "tags"}
	got, err := r.Create(e.ctx, connector.Record{"title": "t"})
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "Create", e.encode(t, r, "Create", got), []string{"id", "title"}, nulls)
	if _, err := r.Create(e.ctx, connector.Record{"title": "u", "desc": nil, "done": true}); err != nil {
		t.Fatal(err)
	}
	found, err := r.Find(e.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 {
		t.Fatalf("Find: got %d; want 2", len(found))
	}
	wantShape(t, "Find [0]", e.encode(t, r, "Find", found[0]), []string{"id", "title"}, nulls)
	wantShape(t, "Find [1]", e.encode(t, r, "Find", found[1]), []string{"id", "title", "done"}, []string{"desc", "rank", "due", "tags"})
	if rows, ok := e.findJSON(t, r, nil); ok && len(rows) == 2 {
		wantShape(t, "FindJSON [0]", rows[0], []string{"id", "title"}, nulls)
		wantShape(t, "FindJSON [1]", rows[1], []string{"id", "title", "done"}, []string{"desc", "rank", "due", "tags"})
	}
}

// keyOrder returns the member names of the JSON object data, in order.
func keyOrder(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: not a JSON object", data)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil && err != io.EOF {
			t.Fatal(err)
		}
	}
	return keys
}

// member returns the raw JSON of member name of the object data.
func member(t *testing.T, data []byte, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m[name]
}

// declared returns the property names of def that keys holds, in
// declaration order.
func declared(def *model.Definition, keys []string) []string {
	var out []string
	for _, p := range def.Properties {
		if slices.Contains(keys, p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

func (s *suite) testIncludeOrder(t *testing.T) {
	e := s.shapeSetup(t)
	if _, err := e.shelves.Create(e.ctx, connector.Record{"title": "a", "color": "red", "note": "n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.books.Create(e.ctx, connector.Record{"label": "b", "shelfId": int64(1), "rank": int64(2), "note": "x", "desc": "d", "done": true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.covers.Create(e.ctx, connector.Record{"url": "u", "shelfId": int64(1)}); err != nil {
		t.Fatal(err)
	}
	shelves, err := e.shelves.Find(e.ctx, &filter.Filter{Include: []filter.Inclusion{
		{Relation: "books", Scope: &filter.Filter{Include: []filter.Inclusion{{Relation: "shelf"}}}},
		{Relation: "cover"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(shelves) != 1 {
		t.Fatalf("got %d shelves; want 1", len(shelves))
	}
	data, err := e.shelves.AppendJSON(nil, shelves[0])
	if err != nil {
		t.Fatal(err)
	}
	e.checkJSON(t, e.shelves, "shelf with books and cover", data)
	props := []string{"id", "title", "note", "color"}
	if got, want := keyOrder(t, data), append(slices.Clone(props), "books", "cover"); !slices.Equal(got, want) {
		t.Errorf("shelf: got members %v; want %v", got, want)
	}
	var books []json.RawMessage
	if err := json.Unmarshal(member(t, data, "books"), &books); err != nil || len(books) != 1 {
		t.Fatalf("books: got %s; want one book", member(t, data, "books"))
	}
	bookDef := s.bookDef()
	keys := keyOrder(t, books[0])
	if want := append(declared(bookDef, keys), "shelf"); !slices.Equal(keys, want) || len(keys) != len(bookDef.Properties)+1 {
		t.Errorf("included book: got members %v; want the declared order %v", keys, want)
	}
	if got := keyOrder(t, member(t, books[0], "shelf")); !slices.Equal(got, props) {
		t.Errorf("book's included shelf: got members %v; want %v", got, props)
	}
	cover := member(t, data, "cover")
	if got, want := keyOrder(t, cover), []string{"id", "url", "shelfId"}; !slices.Equal(got, want) {
		t.Errorf("included cover: got members %v; want %v", got, want)
	}
}

func (s *suite) testRelationWrites(t *testing.T) {
	e := s.shapeSetup(t)
	if _, err := e.shelves.Create(e.ctx, connector.Record{"title": "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.books.Create(e.ctx, connector.Record{"label": "b", "shelfId": int64(1)}); err != nil {
		t.Fatal(err)
	}
	shelf := s.n(shelfModel)
	countBooks := func() int64 {
		t.Helper()
		n, err := e.books.Count(e.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	books, err := e.shelves.Related("books")
	if err != nil {
		t.Fatal(err)
	}
	_, err = books.Create(e.ctx, int64(99), connector.Record{"label": "orphan"})
	wantNotFound(t, err, shelf, "99")
	if n := countBooks(); n != 1 {
		t.Errorf("after a hasMany create under a missing shelf: got %d books; want 1", n)
	}
	if _, err := books.Create(e.ctx, int64(1), connector.Record{"label": "child"}); err != nil {
		t.Errorf("hasMany create under shelf 1: %v", err)
	}

	_, err = e.books.Create(e.ctx, connector.Record{"label": "orphan", "shelfId": int64(99)})
	wantNotFound(t, err, shelf, "99")
	if n := countBooks(); n != 2 {
		t.Errorf("after a create with a dangling foreign key: got %d books; want 2", n)
	}
	_, err = e.books.CreateAll(e.ctx, []connector.Record{{"label": "ok", "shelfId": int64(1)}, {"label": "orphan", "shelfId": int64(98)}})
	wantNotFound(t, err, shelf, "98")
	if _, ok := e.conn.(connector.Transactor); ok {
		if n := countBooks(); n != 2 {
			t.Errorf("after a CreateAll with a dangling foreign key: got %d books; want 2", n)
		}
	}
	if _, err := e.books.Create(e.ctx, connector.Record{"label": "loose"}); err != nil {
		t.Errorf("create without a foreign key: %v", err)
	}

	wantNotFound(t, e.books.UpdateByID(e.ctx, int64(1), connector.Record{"shelfId": int64(99)}), shelf, "99")
	wantNotFound(t, e.books.ReplaceByID(e.ctx, int64(1), connector.Record{"label": "b", "shelfId": int64(99)}), shelf, "99")
	_, err = e.books.UpdateAll(e.ctx, connector.Record{"shelfId": int64(99)}, nil)
	wantNotFound(t, err, shelf, "99")
	got, err := e.books.FindByID(e.ctx, int64(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if asInt(got["shelfId"]) != 1 {
		t.Errorf("after refused updates: got shelfId %v; want 1", got["shelfId"])
	}

	covers, err := e.shelves.Related("cover")
	if err != nil {
		t.Fatal(err)
	}
	_, err = covers.Create(e.ctx, int64(99), connector.Record{"url": "u"})
	wantNotFound(t, err, shelf, "99")
	if _, err := covers.Create(e.ctx, int64(1), connector.Record{"url": "first"}); err != nil {
		t.Fatalf("hasOne create: %v", err)
	}
	_, err = covers.Create(e.ctx, int64(1), connector.Record{"url": "second"})
	wantFault(t, err, fault.Conflict)
	if n, err := e.covers.Count(e.ctx, nil); err != nil || n != 1 {
		t.Errorf("covers after a second hasOne create: got (%d, %v); want 1", n, err)
	}
}
