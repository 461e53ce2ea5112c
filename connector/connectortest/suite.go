package connectortest

import (
	"context"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// Run runs the conformance suite against the connectors open returns.
//
// open is called once per subtest and must return a ready connector on
// the data source under test; the suite closes it when the subtest ends.
// The suite creates the storage of its models with [connector.Migrator]'s
// Automigrate when the connector has it (dropping existing data of those
// models), and otherwise deletes their instances before each subtest.
// Subtests run one after the other, so they may share one database.
// Capability subtests (transactions, key-value, migration, discovery,
// execute, ping) are skipped with a message when the connector lacks the
// capability.
func Run(t *testing.T, open func(t *testing.T) connector.Connector) {
	t.Helper()
	RunWith(t, open, Options{})
}

// Options adjust [RunWith]. The zero value is what [Run] uses.
type Options struct {
	// Prefix starts the name of every model (and so table) the suite
	// creates; "" means "Ct" (CtTodo, CtNote, …). Give each suite run that
	// shares a database with another one running at the same time its own
	// prefix.
	Prefix string
	// LikeIsRegexp says the connector reads like, nlike, ilike and nilike
	// patterns as regular expressions in which % and _ also stand for any
	// run of characters and any one character, matched anywhere in the
	// value, as LoopBack's memory connector does; the default is SQL LIKE.
	// The suite checks the cases where the two differ accordingly.
	LikeIsRegexp bool
}

// RunWith is [Run] with options.
func RunWith(t *testing.T, open func(t *testing.T) connector.Connector, opts Options) {
	t.Helper()
	prefix := opts.Prefix
	if prefix == "" {
		prefix = "Ct"
	}
	s := &suite{open: open, prefix: prefix, likeRegexp: opts.LikeIsRegexp}
	t.Run("Create", s.testCreate)
	t.Run("CreateStringID", s.testCreateStringID)
	t.Run("CreateAll", s.testCreateAll)
	t.Run("Validation", s.testValidation)
	t.Run("Find", s.testFind)
	t.Run("Where", s.testWhere)
	t.Run("InvalidFilter", s.testInvalidFilter)
	t.Run("FindByID", s.testFindByID)
	t.Run("Count", s.testCount)
	t.Run("Update", s.testUpdate)
	t.Run("Replace", s.testReplace)
	t.Run("Save", s.testSave)
	t.Run("Delete", s.testDelete)
	t.Run("Unique", s.testUnique)
	t.Run("Hidden", s.testHidden)
	t.Run("DefaultScope", s.testDefaultScope)
	t.Run("Include", s.testInclude)
	t.Run("Integrity", s.testIntegrity)
	t.Run("Across", s.testAcross)
	t.Run("AcrossScoped", s.testAcrossScoped)
	t.Run("IncludeQueries", s.testIncludeQueries)
	t.Run("ReferencesMany", s.testReferencesMany)
	t.Run("Polymorphic", s.testPolymorphic)
	t.Run("Shape", s.testShapes)
	t.Run("RoundTrip", s.testRoundTrip)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("Transactions", s.testTransactions)
	t.Run("Migration", s.testMigration)
	t.Run("Discovery", s.testDiscovery)
	t.Run("Ping", s.testPing)
	t.Run("Execute", s.testExecute)
	t.Run("KeyValue", s.testKeyValue)
	t.Run("Reliability", s.testReliability)
}

type suite struct {
	open       func(t *testing.T) connector.Connector
	prefix     string
	likeRegexp bool // Options.LikeIsRegexp
}

// n returns the name of a model of the suite: the prefix and base.
func (s *suite) n(base string) string { return s.prefix + base }

// The base names of the suite's models; [Options.Prefix] goes in front, so
// that the suite's tables do not collide with an application's.
const (
	todoModel  = "Todo"
	noteModel  = "Note"
	itemModel  = "Item"
	cacheModel = "Cache"
)

// todoDef has a generated integer id and one property of each type.
func (s *suite) todoDef() *model.Definition {
	return &model.Definition{
		Name: s.n(todoModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "title", Type: model.String, Required: true},
			{Name: "desc", Type: model.String, Nullable: true},
			{Name: "isComplete", Type: model.Boolean},
			{Name: "priority", Type: model.Number, Integer: true},
			{Name: "score", Type: model.Number},
			{Name: "due", Type: model.Date, Nullable: true},
			{Name: "tags", Type: model.Array, Items: &model.Property{Type: model.String}},
			{Name: "address", Type: model.Object, Nullable: true, Properties: []*model.Property{
				{Name: "city", Type: model.String},
				{Name: "zip", Type: model.String},
			}},
		},
	}
}

// noteDef has a uuid string id, defaults, a hidden property and a blob.
func (s *suite) noteDef() *model.Definition {
	return &model.Definition{
		Name: s.n(noteModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.String, ID: 1, DefaultFn: "uuid"},
			{Name: "body", Type: model.String, Required: true},
			{Name: "status", Type: model.String, Default: "draft"},
			{Name: "createdAt", Type: model.Date, DefaultFn: "now"},
			{Name: "secret", Type: model.String, Hidden: true},
			{Name: "blob", Type: model.Buffer},
			{Name: "extra", Type: model.Any},
		},
		Settings: model.Settings{Hidden: []string{"secret"}},
	}
}

// itemDef has a default scope that hides archived items.
func (s *suite) itemDef() *model.Definition {
	return &model.Definition{
		Name: s.n(itemModel),
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "name", Type: model.String},
			{Name: "archived", Type: model.Boolean},
		},
		Settings: model.Settings{DefaultScope: map[string]any{
			"where": map[string]any{"archived": false},
			"order": []any{"name ASC"},
		}},
	}
}

// cacheDef is the key-value model.
func (s *suite) cacheDef() *model.Definition {
	return &model.Definition{
		Name: s.n(cacheModel),
		Properties: []*model.Property{
			{Name: "value", Type: model.String},
			{Name: "hits", Type: model.Number, Integer: true},
		},
		Settings: model.Settings{Strict: model.StrictFalse},
	}
}

// env is one subtest's connector with its models ready.
type env struct {
	t    *testing.T
	ctx  context.Context
	conn connector.Connector
}

// setup opens a connector and prepares the storage of defs.
func (s *suite) setup(t *testing.T, defs ...*model.Definition) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	conn := s.open(t)
	if conn == nil {
		t.Fatal("open returned a nil connector")
	}
	t.Cleanup(func() {
		if err := conn.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if m, ok := conn.(connector.Migrator); ok {
		if err := m.Automigrate(ctx, defs); err != nil {
			t.Fatalf("Automigrate: %v", err)
		}
	} else {
		for _, def := range defs {
			if _, err := conn.DeleteAll(ctx, def, nil); err != nil {
				t.Fatalf("DeleteAll %s: %v", def.Name, err)
			}
		}
	}
	return &env{t: t, ctx: ctx, conn: conn}
}

// repo returns the record-level repository of def.
func (e *env) repo(def *model.Definition) *repository.Model {
	e.t.Helper()
	m, err := repository.NewModel(e.conn, def)
	if err != nil {
		e.t.Fatalf("NewModel %s: %v", def.Name, err)
	}
	return m
}

// where builds a where clause of one condition.
func where(path string, op filter.Op, v any) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: path, Op: op, Value: v}}}
}

func and(ws ...*filter.Where) *filter.Where { return &filter.Where{And: ws} }
func or(ws ...*filter.Where) *filter.Where  { return &filter.Where{Or: ws} }

// date parses an RFC 3339 time.
func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// todos are the fixtures of the query tests, ids 1 to 5.
func todos() []connector.Record {
	return []connector.Record{
		{"title": "Take over the galaxy", "desc": "MWAHAHA", "isComplete": false, "priority": int64(1), "score": 1.5,
			"due": date("2026-01-01T00:00:00Z"), "tags": []any{"space", "evil"}, "address": map[string]any{"city": "Paris", "zip": "75001"}},
		{"title": "destroy alderaan", "desc": "no survivors", "isComplete": true, "priority": int64(3), "score": 2.5,
			"due": date("2026-02-01T00:00:00Z"), "tags": []any{"space"}, "address": map[string]any{"city": "Lyon", "zip": "69001"}},
		{"title": "play space invaders", "desc": nil, "isComplete": false, "priority": int64(2), "score": 0.5,
			"due": date("2026-03-01T00:00:00Z"), "tags": []any{}, "address": map[string]any{"city": "Paris", "zip": "75002"}},
		{"title": "crush rebel scum", "desc": "Every.Last.One.", "isComplete": true, "priority": int64(5), "score": 10.0,
			"due": nil, "tags": []any{"evil"}, "address": nil},
		{"title": "learn go", "desc": "generics", "isComplete": false, "priority": int64(4), "score": 3.0,
			"due": date("2026-04-15T12:30:00.123Z"), "address": map[string]any{"city": "Berlin", "zip": "10115"}},
	}
}

// seed creates the todo fixtures and checks they got ids 1 to 5.
func (e *env) seed(r *repository.Model) {
	e.t.Helper()
	for i, rec := range todos() {
		got, err := r.Create(e.ctx, rec)
		if err != nil {
			e.t.Fatalf("seed todo %d: %v", i+1, err)
		}
		if id := asInt(got["id"]); id != int64(i+1) {
			e.t.Fatalf("seed todo %d: got id %v; want %d", i+1, got["id"], i+1)
		}
	}
}

// asInt reads an integer record value.
func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case int:
		return int64(x)
	}
	return -1
}

// ids returns the ids of records, in order.
func ids(recs []connector.Record) []int64 {
	out := make([]int64, len(recs))
	for i, r := range recs {
		out[i] = asInt(r["id"])
	}
	return out
}
