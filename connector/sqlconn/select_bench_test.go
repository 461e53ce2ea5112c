package sqlconn_test

import (
	"testing"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
)

func BenchmarkSelectByID(b *testing.B) {
	tb, _ := sqlconn.NewTable("postgresql", todoDef())
	f := &filter.Filter{Where: w("id", filter.Eq, int64(5))}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sqlconn.Select(postgres.Dialect{}, tb, f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInsert(b *testing.B) {
	tb, _ := sqlconn.NewTable("postgresql", todoDef())
	rec := map[string]any{"title": "t", "isComplete": false, "meta": map[string]any{"a": 1.0}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sqlconn.Insert(postgres.Dialect{}, tb, rec, true); err != nil {
			b.Fatal(err)
		}
	}
}
