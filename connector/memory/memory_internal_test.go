package memory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

func todoDef() *model.Definition {
	return &model.Definition{
		Name: "Todo",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "title", Type: model.String, Required: true},
			{Name: "desc", Type: model.String},
			{Name: "isComplete", Type: model.Boolean},
			{Name: "due", Type: model.Date},
		},
	}
}

func TestLoadLoopBackFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "db.json")
	data, err := os.ReadFile("testdata/lb4-todo.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	def := todoDef()
	got, err := c.Find(ctx, def, &filter.Filter{Order: []filter.Order{{Property: "id"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d todos; want 4", len(got))
	}
	if got[1]["title"] != "destroy alderaan" || got[1]["id"] != int64(2) {
		t.Errorf("got second todo %v; want id 2 (int64) destroy alderaan", got[1])
	}
	rec, err := c.Create(ctx, def, connector.Record{"title": "new"})
	if err != nil {
		t.Fatal(err)
	}
	if rec["id"] != int64(5) {
		t.Errorf("got generated id %v; want 5 (ids.Todo in the file)", rec["id"])
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	// The file is still LoopBack's format, with the new instance and counter.
	var f dbFile
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("written file does not parse: %v", err)
	}
	if f.IDs["Todo"] != 6 {
		t.Errorf("got ids.Todo %v; want 6", f.IDs["Todo"])
	}
	if got, want := f.Models["Todo"]["5"], `{"id":5,"title":"new"}`; got != want {
		t.Errorf("got models.Todo.5 %s; want %s", got, want)
	}
	if got, want := f.Models["Todo"]["1"], `{"id":1,"title":"Take over the galaxy","desc":"MWAHAHAHAHAHAHAHAHAHAHAHAHAMWAHAHAHAHAHAHAHAHAHAHAHAHA"}`; got != want {
		t.Errorf("got models.Todo.1 %s; want %s", got, want)
	}
	if _, err := c.Find(ctx, def, nil); !errors.Is(err, fault.Unavailable) {
		t.Errorf("Find after Close: got %v; want an Unavailable error", err)
	}
}

func TestFileRoundTripTypes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.json")
	def := &model.Definition{
		Name: "Thing",
		Properties: []*model.Property{
			{Name: "id", Type: model.String, ID: 1, DefaultFn: "uuid"},
			{Name: "when", Type: model.Date},
			{Name: "n", Type: model.Number, Integer: true},
			{Name: "f", Type: model.Number},
			{Name: "blob", Type: model.Buffer},
			{Name: "addr", Type: model.Object, Properties: []*model.Property{{Name: "since", Type: model.Date}}},
			{Name: "tags", Type: model.Array, Items: &model.Property{Type: model.String}},
		},
	}
	when := time.Date(2026, 11, 23, 20, 0, 0, 123e6, time.UTC)
	in := connector.Record{
		"when": when, "n": int64(42), "f": 1.5, "blob": []byte{0, 1, 255},
		"addr": map[string]any{"since": when, "city": "Paris"}, "tags": []any{"a", "b"}, "extra": true,
	}
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.Create(ctx, def, in)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := created["id"].(string)
	if len(id) != 36 {
		t.Fatalf("got id %v; want a uuid", created["id"])
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	got, err := c2.Find(ctx, def, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Record{"id": id}
	for k, v := range in {
		want[k] = v
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("got %#v; want %#v", got, want)
	}
}

func TestParseDBErrors(t *testing.T) {
	tests := []struct {
		name, data string
		ok         bool
	}{
		{"empty", "", true},
		{"blank", " \n", true},
		{"empty object", "{}", true},
		{"lb4", `{"ids":{"Todo":2},"models":{"Todo":{"1":"{\"id\":1}"}}}`, true},
		{"not json", "{", false},
		{"row not json", `{"models":{"Todo":{"1":"{"}}}`, false},
		{"row not object", `{"models":{"Todo":{"1":"[1]"}}}`, false},
		{"row null", `{"models":{"Todo":{"1":"null"}}}`, false},
		{"bad id counter", `{"ids":{"Todo":1.5}}`, false},
		{"negative counter", `{"ids":{"Todo":-3}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDB([]byte(tt.data))
			if (err == nil) != tt.ok {
				t.Errorf("parseDB(%q) error = %v; want ok=%v", tt.data, err, tt.ok)
			}
		})
	}
}

func TestBadFileIsNotOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.json")
	if err := os.WriteFile(path, []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{File: path}); err == nil {
		t.Fatal("New with a corrupt file: got nil error; want one")
	}
	data, _ := os.ReadFile(path)
	if string(data) != "{garbage" {
		t.Errorf("file changed to %q", data)
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "anything", true},
		{"", "", true},
		{"a*", "abc", true},
		{"a*", "bac", false},
		{"*c", "abc", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"h[ae]llo", "hello", true},
		{"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true},
		{"h[^e]llo", "hello", false},
		{"h[a-c]llo", "hbllo", true},
		{"h[a-c]llo", "hdllo", false},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
		{"user:*:name", "user:42:name", true},
		{"user:*:name", "user:42:mail", false},
		{"[", "[", true},
		{"é?", "éà", true},
		{"**a", "bba", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v; want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// TestGroupCommit holds the first file write while other writers arrive:
// they all wait, and one more write makes all of their changes durable.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	def := todoDef()
	release := make(chan struct{})
	first := make(chan struct{})
	var once bool
	c.p.beforeWrite = func() {
		if !once {
			once = true
			close(first)
			<-release
		}
	}
	done := make(chan error, 10)
	go func() {
		_, err := c.Create(ctx, def, connector.Record{"title": "first"})
		done <- err
	}()
	<-first // the first writer is writing its snapshot
	const others = 8
	for i := range others {
		go func() {
			_, err := c.Create(ctx, def, connector.Record{"title": fmt.Sprint("other ", i)})
			done <- err
		}()
	}
	for {
		c.p.mu.Lock()
		w := c.p.waiting
		c.p.mu.Unlock()
		if w == others {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	for range others + 1 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := c.p.flushes; got != 2 {
		t.Errorf("got %d file writes for %d concurrent writers; want 2 (one held, one for the group)", got, others+1)
	}
	c2, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := c2.Count(ctx, def, nil); n != others+1 {
		t.Errorf("file holds %d todos; want %d", n, others+1)
	}
}

func TestDecodeRecord(t *testing.T) {
	def := &model.Definition{Name: "T", Properties: []*model.Property{
		{Name: "n", Type: model.Number, Integer: true},
		{Name: "when", Type: model.Date},
		{Name: "blob", Type: model.Buffer},
	}}
	tests := []struct {
		name string
		raw  map[string]any
		want map[string]any
	}{
		{"integer", map[string]any{"n": 3.0}, map[string]any{"n": int64(3)}},
		{"date", map[string]any{"when": "2026-01-02T03:04:05.006Z"}, map[string]any{"when": time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)}},
		{"base64 buffer", map[string]any{"blob": "AAH/"}, map[string]any{"blob": []byte{0, 1, 255}}},
		{"node buffer", map[string]any{"blob": map[string]any{"type": "Buffer", "data": []any{1.0, 2.0}}}, map[string]any{"blob": []byte{1, 2}}},
		{"mismatch kept", map[string]any{"n": "three"}, map[string]any{"n": "three"}},
		{"unknown kept", map[string]any{"x": 1.5}, map[string]any{"x": 1.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeRecord(def, tt.raw)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v; want %#v", got, tt.want)
			}
		})
	}
}

// TestCallOutsideOpenTx checks that a call made without an open
// transaction waits for it, and gives up when its context is done.
func TestCallOutsideOpenTx(t *testing.T) {
	ctx := context.Background()
	c, _ := New(Config{})
	def := todoDef()
	tx, err := c.Begin(ctx, connector.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(connector.WithTx(ctx, tx), def, connector.Record{"title": "in tx"}); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := c.Count(short, def, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Count outside the open tx: got %v; want DeadlineExceeded", err)
	}
	if _, err := c.Create(short, def, connector.Record{"title": "outside"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Create outside the open tx: got %v; want DeadlineExceeded", err)
	}
	counted := make(chan int64)
	go func() {
		n, _ := c.Count(ctx, def, nil)
		counted <- n
	}()
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := <-counted; n != 1 {
		t.Errorf("Count after the commit: got %d; want 1", n)
	}
}

func TestExecute(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.json")
	data, _ := os.ReadFile("testdata/lb4-todo.json")
	os.WriteFile(path, data, 0o644)
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Execute(ctx, "MODELS")
	if err != nil {
		t.Fatal(err)
	}
	if want := []connector.Record{{"name": "Todo", "count": int64(4), "nextId": int64(5)}}; !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("models: got %v; want %v", res.Rows, want)
	}
	res, err = c.Execute(ctx, "count", "Todo")
	if err != nil || !reflect.DeepEqual(res.Rows, []connector.Record{{"count": int64(4)}}) {
		t.Errorf("count: got (%v, %v); want 4", res, err)
	}
	res, err = c.Execute(ctx, "truncate", "Todo")
	if err != nil || res.RowsAffected != 4 {
		t.Errorf("truncate: got (%v, %v); want 4 rows affected", res, err)
	}
	if n, _ := c.Count(ctx, todoDef(), nil); n != 0 {
		t.Errorf("after truncate: %d todos; want 0", n)
	}
	if rec, err := c.Create(ctx, todoDef(), connector.Record{"title": "x"}); err != nil || rec["id"] != int64(5) {
		t.Errorf("create after truncate: got (%v, %v); want id 5 (the counter is kept)", rec, err)
	}
	if _, err := c.Execute(ctx, "flush"); err != nil {
		t.Errorf("flush: %v", err)
	}
	if _, err := c.Execute(ctx, "ping"); err != nil {
		t.Errorf("ping: %v", err)
	}
	for _, bad := range []struct {
		cmd  string
		args []any
	}{{"drop", nil}, {"count", nil}, {"count", []any{1}}, {"ping", []any{"x"}}, {"count Todo", nil}} {
		if _, err := c.Execute(ctx, bad.cmd, bad.args...); !errors.Is(err, fault.BadRequest) {
			t.Errorf("Execute(%q, %v): got %v; want a BadRequest", bad.cmd, bad.args, err)
		}
	}
	c.Close()
	if _, err := c.Execute(ctx, "ping"); !errors.Is(err, fault.Unavailable) {
		t.Errorf("ping after Close: got %v; want Unavailable", err)
	}
}

func TestDeleteMany(t *testing.T) {
	ctx := context.Background()
	c, _ := New(Config{})
	def := todoDef()
	for i := range 100 {
		if _, err := c.Create(ctx, def, connector.Record{"title": fmt.Sprint(i % 2)}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := c.DeleteAll(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "title", Op: filter.Eq, Value: "1"}}})
	if err != nil || n != 50 {
		t.Fatalf("DeleteAll: got (%d, %v); want (50, nil)", n, err)
	}
	recs, _ := c.Find(ctx, def, nil)
	if len(recs) != 50 {
		t.Fatalf("left: %d; want 50", len(recs))
	}
	for i, r := range recs {
		if r["id"] != int64(2*i+1) {
			t.Fatalf("instance %d: got id %v; want %d (id order kept)", i, r["id"], 2*i+1)
		}
	}
	tx, _ := c.Begin(ctx, connector.TxOptions{})
	if _, err := c.DeleteAll(connector.WithTx(ctx, tx), def, nil); err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx)
	if again, _ := c.Find(ctx, def, nil); !reflect.DeepEqual(again, recs) {
		t.Errorf("after a rolled back DeleteAll: got %d instances; want the 50 before", len(again))
	}
}

// TestFileEntriesFollowChanges checks that cached file entries never
// outlive the rows they encode: updates, deletes and rolled back changes
// all reach the file.
func TestFileEntriesFollowChanges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db.json")
	c, _ := New(Config{File: path})
	def := todoDef()
	for _, title := range []string{"a", "b", "c"} {
		if _, err := c.Create(ctx, def, connector.Record{"title": title}); err != nil {
			t.Fatal(err)
		}
	}
	byID := func(id int64) *filter.Where {
		return &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}}
	}
	if _, err := c.UpdateAll(ctx, def, byID(1), connector.Record{"title": "a2"}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceByID(ctx, def, int64(2), connector.Record{"title": "b2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteAll(ctx, def, byID(3)); err != nil {
		t.Fatal(err)
	}
	tx, _ := c.Begin(ctx, connector.TxOptions{})
	c.UpdateAll(connector.WithTx(ctx, tx), def, byID(1), connector.Record{"title": "never"})
	tx.Rollback(ctx)
	if _, err := c.Create(ctx, def, connector.Record{"title": "d"}); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c2, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := c2.Find(ctx, def, nil)
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprint(r["id"], "=", r["title"]))
	}
	if want := []string{"1=a2", "2=b2", "4=d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("reloaded: got %v; want %v", got, want)
	}
}

func TestCompositeUnique(t *testing.T) {
	ctx := context.Background()
	c, _ := New(Config{})
	def := &model.Definition{
		Name: "Seat",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "row", Type: model.String},
			{Name: "n", Type: model.Number, Integer: true},
		},
		Settings: model.Settings{Indexes: []model.Index{{Name: "seat", Columns: []string{"row", "n"}, Unique: true}}},
	}
	for _, rec := range []connector.Record{{"row": "A", "n": int64(1)}, {"row": "A", "n": int64(2)}, {"row": "B", "n": int64(1)}} {
		if _, err := c.Create(ctx, def, rec); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Create(ctx, def, connector.Record{"row": "A", "n": 1.0})
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind != fault.Conflict || fe.Message != "Duplicate entry for Seat.row,n" {
		t.Errorf("duplicate seat: got %v; want Duplicate entry for Seat.row,n", err)
	}
}

func TestFileInNewDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "nested", "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(context.Background(), todoDef(), connector.Record{"title": "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("file not written: %v", err)
	}
}
