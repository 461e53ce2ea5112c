package connectortest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// canon encodes a value for comparison across connectors: numbers as
// float64, times in UTC, map keys sorted.
func canon(v any) string {
	b, err := json.Marshal(canonValue(v))
	if err != nil {
		return "!" + err.Error()
	}
	return string(b)
}

func canonValue(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canonValue(e)
		}
		return out
	}
	return v
}

func (s *suite) testRoundTrip(t *testing.T) {
	e := s.setup(t, s.todoDef(), s.noteDef())
	todo := e.repo(s.todoDef())
	in := connector.Record{
		"title": "types", "desc": "ünïcødé ✓ \"quoted\" \\ back", "isComplete": true, "priority": int64(-42), "score": 3.25,
		"due": date("2026-04-15T12:30:00.123Z"), "tags": []any{"a", "b", "c"},
		"address": map[string]any{"city": "Zürich", "zip": "8001"},
	}
	created, err := todo.Create(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	extremes := connector.Record{"title": "extremes", "priority": int64(1<<53 - 1), "score": -1.25e-7, "desc": ""}
	ext, err := todo.Create(e.ctx, extremes)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := todo.FindByID(e.ctx, ext["id"], nil); err != nil {
		t.Fatal(err)
	} else {
		for k, want := range extremes {
			if canon(got[k]) != canon(want) {
				t.Errorf("%s: got %s; want %s", k, canon(got[k]), canon(want))
			}
		}
	}
	got, err := todo.FindByID(e.ctx, created["id"], nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range in {
		if canon(got[k]) != canon(want) {
			t.Errorf("%s: got %s; want %s", k, canon(got[k]), canon(want))
		}
	}
	if _, ok := got["due"].(time.Time); !ok {
		t.Errorf("due: got %T; want time.Time", got["due"])
	}
	if _, ok := got["priority"].(int64); !ok {
		t.Errorf("priority: got %T; want int64", got["priority"])
	}
	if _, ok := got["isComplete"].(bool); !ok {
		t.Errorf("isComplete: got %T; want bool", got["isComplete"])
	}
	// Dates compare as instants whatever their location.
	paris := time.FixedZone("CET", 3600)
	n, err := todo.Count(e.ctx, where("due", filter.Eq, date("2026-04-15T12:30:00.123Z").In(paris)))
	if err != nil || n != 1 {
		t.Errorf("Count by date in another zone: got (%d, %v); want (1, nil)", n, err)
	}

	note := e.repo(s.noteDef())
	blob := []byte{0, 1, 2, 253, 254, 255}
	extra := map[string]any{"n": 1.5, "list": []any{"x", 2.0, true, nil}, "obj": map[string]any{"deep": "yes"}}
	nc, err := note.Create(e.ctx, connector.Record{"body": "blob", "blob": blob, "extra": extra})
	if err != nil {
		t.Fatal(err)
	}
	ng, err := note.FindByID(e.ctx, nc["id"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := ng["blob"].([]byte); !ok || !slices.Equal(b, blob) {
		t.Errorf("blob: got %#v; want %v", ng["blob"], blob)
	}
	if canon(ng["extra"]) != canon(extra) {
		t.Errorf("any: got %s; want %s", canon(ng["extra"]), canon(extra))
	}
}

func (s *suite) testConcurrency(t *testing.T) {
	e := s.setup(t, s.todoDef())
	r := e.repo(s.todoDef())
	const workers, each = 8, 10
	var (
		mu   sync.Mutex
		seen = map[int64]bool{}
		wg   sync.WaitGroup
		errs = make(chan error, workers*each)
	)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				rec, err := r.Create(e.ctx, connector.Record{"title": "t", "priority": int64(w*each + i)})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				seen[asInt(rec["id"])] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("parallel Create: %v", err)
	}
	if len(seen) != workers*each {
		t.Errorf("parallel creates got %d distinct ids; want %d", len(seen), workers*each)
	}
	if n, _ := r.Count(e.ctx, nil); n != workers*each {
		t.Errorf("Count after parallel creates: got %d; want %d", n, workers*each)
	}
	// Parallel updates of one instance all land.
	wg = sync.WaitGroup{}
	for range workers {
		wg.Go(func() {
			if _, err := r.UpdateAll(e.ctx, connector.Record{"isComplete": true}, where("priority", filter.Lt, int64(40))); err != nil {
				t.Errorf("parallel UpdateAll: %v", err)
			}
		})
	}
	wg.Wait()
	if n, _ := r.Count(e.ctx, where("isComplete", filter.Eq, true)); n != 40 {
		t.Errorf("after parallel UpdateAll: %d complete; want 40", n)
	}
}

func (s *suite) testTransactions(t *testing.T) {
	e := s.setup(t, s.todoDef())
	if _, ok := e.conn.(connector.Transactor); !ok {
		t.Skip("connector does not implement connector.Transactor")
	}
	r := e.repo(s.todoDef())
	e.seed(r)

	t.Run("commit", func(t *testing.T) {
		ctx, tx, err := repository.Begin(e.ctx, e.conn, connector.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(e.ctx)
		created, err := r.Create(ctx, connector.Record{"title": "in tx"})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.UpdateByID(ctx, int64(1), connector.Record{"priority": int64(100)}); err != nil {
			t.Fatal(err)
		}
		// The transaction sees its own writes.
		if got, err := r.FindByID(ctx, created["id"], nil); err != nil || got["title"] != "in tx" {
			t.Errorf("read inside the tx: got (%v, %v); want the new instance", got, err)
		}
		if err := tx.Commit(e.ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(e.ctx); !errors.Is(err, connector.ErrTxDone) {
			t.Errorf("second Commit: got %v; want ErrTxDone", err)
		}
		if err := tx.Rollback(e.ctx); !errors.Is(err, connector.ErrTxDone) {
			t.Errorf("Rollback after Commit: got %v; want ErrTxDone", err)
		}
		if ok, _ := r.Exists(e.ctx, created["id"]); !ok {
			t.Error("committed instance is not visible")
		}
		if got, _ := r.FindByID(e.ctx, int64(1), nil); asInt(got["priority"]) != 100 {
			t.Errorf("committed update: got priority %v; want 100", got["priority"])
		}
		if _, err := r.Count(ctx, nil); err == nil {
			t.Error("using a committed transaction's context: got nil error; want one")
		}
	})

	t.Run("rollback", func(t *testing.T) {
		before, err := r.Find(e.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, tx, err := repository.Begin(e.ctx, e.conn, connector.TxOptions{Isolation: connector.Serializable})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Create(ctx, connector.Record{"title": "rolled back"}); err != nil {
			t.Fatal(err)
		}
		if err := r.UpdateByID(ctx, int64(2), connector.Record{"title": "changed"}); err != nil {
			t.Fatal(err)
		}
		if err := r.DeleteByID(ctx, int64(3)); err != nil {
			t.Fatal(err)
		}
		if n, _ := r.Count(ctx, nil); n != int64(len(before)) {
			t.Errorf("count inside the tx: got %d; want %d", n, len(before))
		}
		if err := tx.Rollback(e.ctx); err != nil {
			t.Fatal(err)
		}
		after, err := r.Find(e.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if canon(after) != canon(before) {
			t.Errorf("after rollback:\ngot  %s\nwant %s", canon(after), canon(before))
		}
	})

	t.Run("Transact", func(t *testing.T) {
		boom := errors.New("boom")
		err := repository.Transact(e.ctx, e.conn, connector.TxOptions{}, func(ctx context.Context) error {
			if _, err := r.Create(ctx, connector.Record{"title": "never"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Transact: got %v; want boom", err)
		}
		if n, _ := r.Count(e.ctx, where("title", filter.Eq, "never")); n != 0 {
			t.Errorf("after a failed Transact: %d instances; want 0", n)
		}
		err = repository.Transact(e.ctx, e.conn, connector.TxOptions{Isolation: connector.ReadCommitted}, func(ctx context.Context) error {
			_, err := r.Create(ctx, connector.Record{"title": "kept"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := r.Count(e.ctx, where("title", filter.Eq, "kept")); n != 1 {
			t.Errorf("after Transact: %d instances; want 1", n)
		}
	})

	t.Run("isolation levels", func(t *testing.T) {
		for _, level := range []connector.Isolation{connector.IsolationDefault, connector.ReadUncommitted,
			connector.ReadCommitted, connector.RepeatableRead, connector.Serializable} {
			ctx, tx, err := repository.Begin(e.ctx, e.conn, connector.TxOptions{Isolation: level})
			if err != nil {
				t.Fatalf("Begin(%v): %v", level, err)
			}
			if _, err := r.Count(ctx, nil); err != nil {
				t.Errorf("Count in a %v tx: %v", level, err)
			}
			if err := tx.Commit(e.ctx); err != nil {
				t.Errorf("Commit(%v): %v", level, err)
			}
		}
	})
}

func (s *suite) testMigration(t *testing.T) {
	e := s.setup(t, s.todoDef())
	m, ok := e.conn.(connector.Migrator)
	if !ok {
		t.Skip("connector does not implement connector.Migrator")
	}
	r := e.repo(s.todoDef())
	e.seed(r)
	if err := m.Autoupdate(e.ctx, []*model.Definition{s.todoDef()}); err != nil {
		t.Fatalf("Autoupdate: %v", err)
	}
	if n, _ := r.Count(e.ctx, nil); n != 5 {
		t.Errorf("after Autoupdate: %d instances; want 5 (data kept)", n)
	}
	if err := m.Automigrate(e.ctx, []*model.Definition{s.todoDef()}); err != nil {
		t.Fatalf("Automigrate: %v", err)
	}
	if n, _ := r.Count(e.ctx, nil); n != 0 {
		t.Errorf("after Automigrate: %d instances; want 0", n)
	}
	got, err := r.Create(e.ctx, connector.Record{"title": "fresh"})
	if err != nil {
		t.Fatal(err)
	}
	if asInt(got["id"]) != 1 {
		t.Errorf("first id after Automigrate: got %v; want 1", got["id"])
	}
}

func (s *suite) testDiscovery(t *testing.T) {
	e := s.setup(t, s.todoDef())
	d, ok := e.conn.(connector.Discoverer)
	if !ok {
		t.Skip("connector does not implement connector.Discoverer")
	}
	r := e.repo(s.todoDef())
	e.seed(r)
	infos, err := d.DiscoverModels(e.ctx, connector.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var table string
	for _, info := range infos {
		if strings.EqualFold(info.Name, s.n(todoModel)) {
			table = info.Name
		}
	}
	if table == "" {
		t.Fatalf("DiscoverModels: got %v; want %s among them", infos, s.n(todoModel))
	}
	def, err := d.DiscoverDefinition(e.ctx, table, connector.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var id, title bool
	for _, p := range def.Properties {
		if p.ID > 0 {
			id = true
		}
		if strings.EqualFold(p.Name, "title") && p.Type == model.String {
			title = true
		}
	}
	if !id || !title {
		t.Errorf("DiscoverDefinition: got properties %v; want an id and a string title", propNames(def))
	}
}

func propNames(def *model.Definition) []string {
	var out []string
	for _, p := range def.Properties {
		out = append(out, fmt.Sprintf("%s:%s", p.Name, p.Type))
	}
	return out
}

func (s *suite) testPing(t *testing.T) {
	e := s.setup(t)
	p, ok := e.conn.(connector.Pinger)
	if !ok {
		t.Skip("connector does not implement connector.Pinger")
	}
	if err := p.Ping(e.ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func (s *suite) testExecute(t *testing.T) {
	e := s.setup(t)
	if _, ok := e.conn.(connector.Executor); ok {
		t.Skip("connector implements connector.Executor; its command language is tested by the connector's own tests")
	}
	_, err := repository.Execute(e.ctx, e.conn, "SELECT 1")
	wantFault(t, err, fault.NotImplemented)
}

func (s *suite) testKeyValue(t *testing.T) {
	e := s.setup(t)
	kv, ok := e.conn.(connector.KeyValue)
	if !ok {
		t.Skip("connector does not implement connector.KeyValue")
	}
	s.keyValue(t, e.ctx, kv)
}
