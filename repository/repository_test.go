package repository_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

type Todo struct {
	ID         int64     `json:"id" lb:"id,generated"`
	Title      string    `json:"title" required:"true"`
	Desc       string    `json:"desc,omitempty"`
	IsComplete bool      `json:"isComplete,omitempty"`
	Priority   int       `json:"priority,omitempty" default:"3"`
	Secret     string    `json:"secret,omitempty" lb:"hidden"`
	CreatedAt  time.Time `json:"createdAt,omitzero" lb:"defaultFn=now"`
}

func newTodos(t testing.TB) (*repository.CRUD[Todo, int64], *memory.Connector) {
	t.Helper()
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return repository.MustNew[Todo, int64](conn), conn
}

func wantKind(t *testing.T, err error, kind fault.Kind) *fault.Error {
	t.Helper()
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind != kind {
		t.Fatalf("got error %v; want a fault.Error of kind %v", err, kind)
	}
	return fe
}

func TestTypedCRUD(t *testing.T) {
	ctx := context.Background()
	r, _ := newTodos(t)
	in := &Todo{Title: "write tests", Secret: "s"}
	created, err := r.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != 1 || created.Title != "write tests" || created.Priority != 3 {
		t.Errorf("Create: got %+v; want id 1, the title, default priority 3", created)
	}
	if created.Secret != "" {
		t.Errorf("Create: hidden Secret = %q; want it stripped", created.Secret)
	}
	if created.CreatedAt.IsZero() || time.Since(created.CreatedAt) > time.Minute {
		t.Errorf("Create: CreatedAt = %v; want now", created.CreatedAt)
	}
	if in.ID != 0 {
		t.Errorf("Create modified its argument: ID = %d", in.ID)
	}

	more, err := r.CreateAll(ctx, []Todo{{Title: "b", Priority: 1}, {Title: "c", IsComplete: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(more) != 2 || more[0].ID != 2 || more[1].ID != 3 {
		t.Errorf("CreateAll: got %+v; want ids 2 and 3", more)
	}

	got, err := r.FindByID(ctx, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "b" || got.Priority != 1 {
		t.Errorf("FindByID: got %+v; want b with priority 1", got)
	}
	list, err := r.Find(ctx, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "priority", Op: filter.Gte, Value: 3}}},
		Order: []filter.Order{{Property: "id", Desc: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != 3 || list[1].ID != 1 {
		t.Errorf("Find: got %+v; want ids 3, 1", list)
	}
	one, err := r.FindOne(ctx, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "isComplete", Op: filter.Eq, Value: true}}}})
	if err != nil || one == nil || one.ID != 3 {
		t.Errorf("FindOne: got (%+v, %v); want id 3", one, err)
	}
	none, err := r.FindOne(ctx, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "zzz"}}}})
	if err != nil || none != nil {
		t.Errorf("FindOne without match: got (%+v, %v); want (nil, nil)", none, err)
	}

	if err := r.UpdateByID(ctx, 2, repository.Patch{"title": "B", "isComplete": true}); err != nil {
		t.Fatal(err)
	}
	patch, err := r.PatchOf(&Todo{Desc: "described"}, "desc")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateByID(ctx, 2, patch); err != nil {
		t.Fatal(err)
	}
	got, _ = r.FindByID(ctx, 2, nil)
	if got.Title != "B" || !got.IsComplete || got.Desc != "described" || got.Priority != 1 {
		t.Errorf("after UpdateByID: got %+v; want B, complete, described, priority 1", got)
	}
	if _, err := r.PatchOf(&Todo{}, "nope"); err == nil {
		t.Error("PatchOf with an unknown property: got nil error")
	}

	got.Title = "B2"
	if err := r.Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	if err := r.ReplaceByID(ctx, 1, &Todo{Title: "replaced"}); err != nil {
		t.Fatal(err)
	}
	got, _ = r.FindByID(ctx, 1, nil)
	if got.Title != "replaced" || got.Priority != 3 {
		t.Errorf("after ReplaceByID: got %+v; want replaced with the default priority", got)
	}
	n, err := r.UpdateAll(ctx, repository.Patch{"priority": 5}, nil)
	if err != nil || n != 3 {
		t.Errorf("UpdateAll: got (%d, %v); want (3, nil)", n, err)
	}
	if c, _ := r.Count(ctx, &filter.Where{Conds: []filter.Cond{{Path: "priority", Op: filter.Eq, Value: 5}}}); c != 3 {
		t.Errorf("Count after UpdateAll: got %d; want 3", c)
	}

	saved, err := r.Save(ctx, &Todo{Title: "saved"})
	if err != nil || saved.ID != 4 {
		t.Fatalf("Save new: got (%+v, %v); want id 4", saved, err)
	}
	saved.Title = "saved again"
	if _, err := r.Save(ctx, saved); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.Exists(ctx, 4); !ok {
		t.Error("Exists(4) = false; want true")
	}
	if err := r.Delete(ctx, saved); err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteByID(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.Exists(ctx, 4); ok {
		t.Error("Exists(4) after Delete = true; want false")
	}
	n, err = r.DeleteAll(ctx, nil)
	if err != nil || n != 2 {
		t.Errorf("DeleteAll: got (%d, %v); want (2, nil)", n, err)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	r, _ := newTodos(t)
	if _, err := r.Create(ctx, &Todo{Title: "a"}); err != nil {
		t.Fatal(err)
	}
	_, err := r.FindByID(ctx, 99, nil)
	fe := wantKind(t, err, fault.NotFound)
	if fe.Code != "ENTITY_NOT_FOUND" || fe.Name != "Error" || fe.Message != "Entity not found: Todo with id 99" {
		t.Errorf("not found: got (%q, %q, %q); want (ENTITY_NOT_FOUND, Error, Entity not found: Todo with id 99)", fe.Code, fe.Name, fe.Message)
	}
	_, err = r.Create(ctx, &Todo{ID: 1, Title: "dup"})
	fe = wantKind(t, err, fault.Conflict)
	if fe.Message != "Duplicate entry for Todo.id" {
		t.Errorf("duplicate: got %q; want Duplicate entry for Todo.id", fe.Message)
	}
	_, err = r.Create(ctx, &Todo{Title: ""})
	fe = wantKind(t, err, fault.Invalid)
	if want := "The `Todo` instance is not valid. Details: `title` can't be blank (value: \"\")."; fe.Message != want || fe.Name != "ValidationError" {
		t.Errorf("validation: got (%q, %q); want (ValidationError, %q)", fe.Name, fe.Message, want)
	}
	wantDetails := &repository.ValidationDetails{Context: "Todo",
		Codes: map[string][]string{"title": {"presence"}}, Messages: map[string][]string{"title": {"can't be blank"}}}
	if !reflect.DeepEqual(fe.Details, wantDetails) {
		t.Errorf("validation details: got %#v; want %#v", fe.Details, wantDetails)
	}
	fe = wantKind(t, r.UpdateByID(ctx, 1, repository.Patch{}), fault.BadRequest)
	if fe.Code != "INVALID_BODY_DEFINITION" || fe.Message != "Data is required for the patch request" {
		t.Errorf("empty patch: got (%q, %q)", fe.Code, fe.Message)
	}
	wantKind(t, r.UpdateByID(ctx, 1, repository.Patch{"priority": "high"}), fault.Invalid)
	_, err = r.FindByID(ctx, 1, &filter.Filter{Where: &filter.Where{}})
	wantKind(t, err, fault.BadRequest)
	_, err = r.Find(ctx, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "nope", Op: filter.Eq, Value: 1}}}})
	wantKind(t, err, fault.BadRequest)
	_, err = r.Create(ctx, nil)
	wantKind(t, err, fault.BadRequest)
	_, err = r.Execute(ctx, "anything")
	wantKind(t, err, fault.BadRequest)
	res, err := r.Execute(ctx, "count", "Todo")
	if err != nil || len(res.Rows) != 1 || res.Rows[0]["count"] != int64(1) {
		t.Errorf("Execute count: got (%v, %v); want one row with count 1", res, err)
	}
	got, _ := r.FindByID(ctx, 1, nil)
	if got.Title != "a" || got.Priority != 3 {
		t.Errorf("after failed calls: got %+v; want the original instance", got)
	}
}

func TestNewRejectsAMismatchedDefinition(t *testing.T) {
	conn, _ := memory.New(memory.Config{})
	type Other struct {
		ID int64 `json:"id" lb:"id"`
	}
	if _, err := repository.NewFromDefinition[Todo, int64](conn, model.MustFromStruct[Other]()); err == nil {
		t.Error("NewFromDefinition with another type's definition: got nil error")
	}
	noID := &model.Definition{Name: "NoID", Properties: []*model.Property{{Name: "x", Type: model.String}}}
	if _, err := repository.NewModel(conn, noID); err == nil {
		t.Error("NewModel without an id: got nil error")
	}
	type NoIDStruct struct {
		X string `json:"x"`
	}
	if _, err := repository.New[NoIDStruct, int64](conn); err == nil || !strings.Contains(err.Error(), "no id property") {
		t.Errorf("New for a struct without an id: got %v; want no id property", err)
	}
	if _, err := repository.New[map[string]any, int64](conn); err == nil {
		t.Error("New[map[string]any]: got nil error; want one (it needs NewFromDefinition)")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustNew with a mismatched ID type did not panic")
		}
	}()
	repository.MustNew[Todo, string](conn)
}

func TestNewChecksTheIDType(t *testing.T) {
	conn, _ := memory.New(memory.Config{})
	zeroCode, err := model.Parse([]byte(`{"name":"Product","properties":{"sku":{"type":"string","id":true},"n":{"type":"number"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	type Code int64
	check := func(name string, err error, want string) {
		t.Helper()
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: got %v; want no error", name, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: got %v; want an error containing %q", name, err, want)
		}
	}
	_, err = repository.New[Todo, int64](conn)
	check("Todo, int64", err, "")
	_, err = repository.New[Todo, string](conn)
	check("Todo, string", err, "the id property id is a int64, but the ID type parameter is string")
	_, err = repository.New[Todo, Code](conn)
	check("Todo, named int64", err, "but the ID type parameter is repository_test.Code")
	_, err = repository.New[Note, NoteID](conn)
	check("Note, NoteID", err, "")
	_, err = repository.New[Note, string](conn)
	check("Note, string", err, "the id property id is a repository_test.NoteID, but the ID type parameter is string")
	_, err = repository.New[Todo, any](conn)
	check("Todo, any", err, "")
	_, err = repository.NewFromDefinition[map[string]any, string](conn, zeroCode)
	check("zero-code, string", err, "")
	_, err = repository.NewFromDefinition[map[string]any, int64](conn, zeroCode)
	check("zero-code, int64", err, "model Product: the id property sku is a string, but the ID type parameter is int64")
}

type Note struct {
	ID   NoteID `json:"id" lb:"id,defaultFn=uuid"`
	Body string `json:"body"`
}

// NoteID is a named id type.
type NoteID string

func TestNamedIDType(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	r := repository.MustNew[Note, NoteID](conn)
	n, err := r.Create(ctx, &Note{Body: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.ID) != 36 {
		t.Fatalf("got id %q; want a uuid", n.ID)
	}
	got, err := r.FindByID(ctx, n.ID, nil)
	if err != nil || got.Body != "x" {
		t.Errorf("FindByID: got (%+v, %v); want body x", got, err)
	}
}

func TestZeroCodeModel(t *testing.T) {
	ctx := context.Background()
	def, err := model.Parse([]byte(`{"name": "Product", "properties": {
		"id": {"type": "number", "id": true, "generated": true},
		"name": {"type": "string", "required": true},
		"price": {"type": "number"},
		"launched": {"type": "date"}},
		"settings": {"scope": {"where": {"price": {"gt": 0}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	conn, _ := memory.New(memory.Config{})
	m, err := repository.NewModel(conn, def)
	if err != nil {
		t.Fatal(err)
	}
	// Decoded JSON: numbers are float64, dates strings.
	created, err := m.Create(ctx, connector.Record{"name": "widget", "price": 9.5, "launched": "2026-01-02T03:04:05Z"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := created["launched"].(time.Time); !ok {
		t.Errorf("launched: got %T; want time.Time", created["launched"])
	}
	if _, err := m.Create(ctx, connector.Record{"name": "free", "price": 0.0}); err != nil {
		t.Fatal(err)
	}
	got, err := m.FindByID(ctx, 1.0, nil)
	if err != nil || got["name"] != "widget" {
		t.Errorf("FindByID(1.0): got (%v, %v); want widget", got, err)
	}
	all, err := m.Find(ctx, nil)
	if err != nil || len(all) != 1 {
		t.Errorf("Find with the default scope (price > 0): got %d (%v); want 1", len(all), err)
	}
	_, err = m.FindByID(ctx, int64(2), nil)
	wantKind(t, err, fault.NotFound)
}

func TestTransactTyped(t *testing.T) {
	ctx := context.Background()
	r, conn := newTodos(t)
	err := repository.Transact(ctx, conn, connector.TxOptions{}, func(ctx context.Context) error {
		if _, err := r.Create(ctx, &Todo{Title: "a"}); err != nil {
			return err
		}
		_, err := r.Create(ctx, &Todo{Title: ""})
		return err
	})
	wantKind(t, err, fault.Invalid)
	if n, _ := r.Count(ctx, nil); n != 0 {
		t.Errorf("after a rolled back transaction: %d todos; want 0", n)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic in Transact was swallowed")
			}
		}()
		repository.Transact(ctx, conn, connector.TxOptions{}, func(ctx context.Context) error {
			r.Create(ctx, &Todo{Title: "panics"})
			panic("boom")
		})
	}()
	if n, _ := r.Count(ctx, nil); n != 0 {
		t.Errorf("after a panicking transaction: %d todos; want 0", n)
	}
}

type Session struct {
	User  string   `json:"user"`
	Roles []string `json:"roles"`
}

func TestKV(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	kv := repository.NewKV[Session](conn, model.MustFromStruct[Session]())
	if err := kv.Set(ctx, "s:1", &Session{User: "ann", Roles: []string{"admin"}}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := kv.Set(ctx, "s:2", &Session{User: "bob"}, 0); err != nil {
		t.Fatal(err)
	}
	got, ok, err := kv.Get(ctx, "s:1")
	if err != nil || !ok || got.User != "ann" || !slices.Equal(got.Roles, []string{"admin"}) {
		t.Errorf("Get: got (%+v, %v, %v); want ann with role admin", got, ok, err)
	}
	if ttl, err := kv.TTL(ctx, "s:1"); err != nil || ttl <= 0 || ttl > time.Hour {
		t.Errorf("TTL: got (%v, %v); want up to an hour", ttl, err)
	}
	var keys []string
	for k, err := range kv.Keys(ctx, "s:*") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"s:1", "s:2"}) {
		t.Errorf("Keys: got %v; want [s:1 s:2]", keys)
	}
	if err := kv.Expire(ctx, "s:2", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete(ctx, "s:1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := kv.Get(ctx, "s:1"); ok {
		t.Error("Get after Delete: found")
	}
	if err := kv.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if err := kv.Set(ctx, "nil", nil, 0); !errors.Is(err, fault.BadRequest) {
		t.Errorf("Set(nil): got %v; want BadRequest", err)
	}
	if _, ok, _ := kv.Get(ctx, "s:2"); ok {
		t.Error("Get after DeleteAll: found")
	}
}

// baseOnly hides every capability of a connector but the base interface.
type baseOnly struct{ connector.Connector }

func TestMissingCapabilities(t *testing.T) {
	ctx := context.Background()
	conn, _ := memory.New(memory.Config{})
	plain := baseOnly{conn}
	r := repository.MustNew[Todo, int64](plain)
	_, err := r.Execute(ctx, "count", "Todo")
	wantKind(t, err, fault.NotImplemented)
	_, _, err = repository.Begin(ctx, plain, connector.TxOptions{})
	wantKind(t, err, fault.NotImplemented)
	// CreateAll works without transactions (not atomically).
	got, err := r.CreateAll(ctx, []Todo{{Title: "a"}, {Title: "b"}})
	if err != nil || len(got) != 2 {
		t.Errorf("CreateAll without transactions: got (%v, %v); want two todos", got, err)
	}
}

func TestWithHidden(t *testing.T) {
	ctx := context.Background()
	r, _ := newTodos(t)
	if _, err := r.Create(ctx, &Todo{Title: "a", Secret: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	bySecret := &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "secret", Op: filter.Eq, Value: "s3cret"}}}}
	_, err := r.Find(ctx, bySecret)
	wantKind(t, err, fault.BadRequest)

	server := repository.WithHidden(ctx)
	got, err := r.Find(server, bySecret)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Secret != "s3cret" {
		t.Errorf("Find with WithHidden: got %+v; want the todo with its secret", got)
	}
	one, err := r.FindByID(ctx, 1, nil)
	if err != nil || one.Secret != "" {
		t.Errorf("FindByID without WithHidden: got (%+v, %v); want the secret stripped", one, err)
	}
}
