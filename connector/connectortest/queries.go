package connectortest

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// countingConn counts the queries (Find and Count) that reach a
// connector; it keeps the capabilities that change how the repository
// queries (RelationQuerier, PartitionLimiter).
type countingConn struct {
	connector.Connector
	queries atomic.Int64
}

func (c *countingConn) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	c.queries.Add(1)
	return c.Connector.Find(ctx, def, f)
}

func (c *countingConn) Count(ctx context.Context, def *model.Definition, w *filter.Where) (int64, error) {
	c.queries.Add(1)
	return c.Connector.Count(ctx, def, w)
}

func (c *countingConn) QueriesRelations() bool {
	rq, ok := c.Connector.(connector.RelationQuerier)
	return ok && rq.QueriesRelations()
}

func (c *countingConn) LimitsPerPartition() bool {
	pl, ok := c.Connector.(connector.PartitionLimiter)
	return ok && pl.LimitsPerPartition()
}

// testIncludeQueries checks that inclusion costs one query per relation
// per level, whatever the number of parents, with and without limits per
// parent, and that the limits per parent are right.
func (s *suite) testIncludeQueries(t *testing.T) {
	e := s.setup(t, s.listDef(), s.entryDef())
	conn := &countingConn{Connector: e.conn}
	lists, err := repository.NewModel(conn, s.listDef())
	if err != nil {
		t.Fatal(err)
	}
	entries, err := repository.NewModel(conn, s.entryDef())
	if err != nil {
		t.Fatal(err)
	}
	var reg repository.Registry
	if err := reg.Add(lists, entries); err != nil {
		t.Fatal(err)
	}
	const nLists, perList = 20, 5
	for i := range nLists {
		l, err := lists.Create(e.ctx, connector.Record{"name": string(rune('a' + i))})
		if err != nil {
			t.Fatal(err)
		}
		for j := range perList {
			if _, err := entries.Create(e.ctx, connector.Record{"text": string(rune('a'+i)) + string(rune('0'+j)), "ctListId": l["id"]}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tt := range []struct {
		name    string
		filter  string
		queries int64
		first   []string // the entries of the first list
	}{
		{"hasMany", `{"include":["entries"]}`, 2, []string{"a0", "a1", "a2", "a3", "a4"}},
		{"hasMany, limit per parent", `{"include":[{"relation":"entries","scope":{"order":"text DESC","limit":2}}]}`, 2, []string{"a4", "a3"}},
		{"hasMany, skip and limit per parent", `{"include":[{"relation":"entries","scope":{"order":"text","skip":1,"limit":2}}]}`, 2, []string{"a1", "a2"}},
		{"two levels", `{"include":[{"relation":"entries","scope":{"limit":1,"include":["list"]}}]}`, 3, []string{"a0"}},
	} {
		f, err := filter.ParseJSON([]byte(tt.filter))
		if err != nil {
			t.Fatal(err)
		}
		before := conn.queries.Load()
		got, err := lists.Find(e.ctx, f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if n := conn.queries.Load() - before; n != tt.queries {
			t.Errorf("%s: %d queries for %d lists; want %d", tt.name, n, nLists, tt.queries)
		}
		if len(got) != nLists {
			t.Fatalf("%s: got %d lists; want %d", tt.name, len(got), nLists)
		}
		if texts := entryTexts(got[0]["entries"]); !reflect.DeepEqual(texts, tt.first) {
			t.Errorf("%s: first list's entries: got %v; want %v", tt.name, texts, tt.first)
		}
		for i, l := range got {
			if n := len(entryTexts(l["entries"])); n != len(tt.first) {
				t.Errorf("%s: list %d has %d entries; want %d", tt.name, i+1, n, len(tt.first))
				break
			}
		}
		if tt.name == "two levels" {
			inner, _ := got[3]["entries"].([]any)
			if e0, _ := inner[0].(map[string]any); e0 == nil || e0["list"].(map[string]any)["name"] != "d" {
				t.Errorf("two levels: the fourth list's entry's list: got %v; want list d", inner[0])
			}
		}
	}
}
