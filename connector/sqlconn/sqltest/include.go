package sqltest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// countingFinds counts the Find calls that reach a connector and keeps
// the capabilities the repository's inclusion uses.
type countingFinds struct {
	*sqlconn.Connector
	finds atomic.Int64
}

func (c *countingFinds) Find(ctx context.Context, def *model.Definition, f *filter.Filter) ([]connector.Record, error) {
	c.finds.Add(1)
	return c.Connector.Find(ctx, def, f)
}

// BenchInclude lists 100 lists with their 10 items each through the
// repository's include, interleaved with hand-written database/sql code
// running the two queries it needs and grouping the items by list. The
// metrics: queries/op (the repository's, must be 2), ns-repo and ns-hand
// (mean time of each) and x-handwritten (the repository's throughput as a
// fraction of the hand-written code's; the target is at least 0.8).
func BenchInclude(b *testing.B, c *sqlconn.Connector) {
	ctx := context.Background()
	suffix := Suffix()
	lists := &model.Definition{Name: "BenchList" + suffix, Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String}},
		Relations: []*model.Relation{{Name: "items", Type: model.HasMany, Target: "BenchItem" + suffix, ForeignKey: "listId", KeyFrom: "id", KeyTo: "listId"}}}
	items := &model.Definition{Name: "BenchItem" + suffix, Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
		{Name: "listId", Type: model.Number, Integer: true, Index: true}}}
	if err := c.Automigrate(ctx, []*model.Definition{lists, items}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, d := range []*model.Definition{items, lists} {
			tb, _ := c.Table(d)
			_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
		}
	})
	conn := &countingFinds{Connector: c}
	listRepo, err := repository.NewModel(conn, lists)
	if err != nil {
		b.Fatal(err)
	}
	itemRepo, err := repository.NewModel(conn, items)
	if err != nil {
		b.Fatal(err)
	}
	var reg repository.Registry
	if err := reg.Add(listRepo, itemRepo); err != nil {
		b.Fatal(err)
	}
	var ls, is []connector.Record
	for i := range 100 {
		ls = append(ls, connector.Record{"title": fmt.Sprintf("list %d", i)})
	}
	created, err := listRepo.CreateAll(ctx, ls)
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range created {
		for j := range 10 {
			is = append(is, connector.Record{"title": fmt.Sprintf("item %d", j), "listId": l["id"]})
		}
	}
	if _, err := itemRepo.CreateAll(ctx, is); err != nil {
		b.Fatal(err)
	}
	lt, _ := c.Table(lists)
	it, _ := c.Table(items)
	d := c.Dialect()
	ref := func(t *sqlconn.Table) string {
		b := sqlconn.NewBuilder(d)
		b.TableRef(t)
		return b.String()
	}
	listSQL := "SELECT " + d.Quote("id") + ", " + d.Quote("title") + " FROM " + ref(lt) + " ORDER BY " + d.Quote("id")
	itemSQL := "SELECT " + d.Quote("id") + ", " + d.Quote("title") + ", " + d.Quote("listId") + " FROM " + ref(it) +
		" WHERE " + d.Quote("listId") + " IN (%s) ORDER BY " + d.Quote("id")
	hand := func() ([]map[string]any, error) {
		rows, err := c.DB().QueryContext(ctx, listSQL)
		if err != nil {
			return nil, err
		}
		var out []map[string]any
		byID := map[int64]map[string]any{}
		var args []any
		for rows.Next() {
			var id int64
			var title sql.NullString
			if err := rows.Scan(&id, &title); err != nil {
				rows.Close()
				return nil, err
			}
			l := map[string]any{"id": id, "title": title.String}
			out = append(out, l)
			byID[id] = l
			args = append(args, id)
		}
		rows.Close()
		ph := make([]string, len(args))
		for i := range args {
			ph[i] = d.Placeholder(i + 1)
		}
		rows, err = c.DB().QueryContext(ctx, fmt.Sprintf(itemSQL, strings.Join(ph, ", ")), args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id, listID int64
			var title sql.NullString
			if err := rows.Scan(&id, &title, &listID); err != nil {
				return nil, err
			}
			l := byID[listID]
			its, _ := l["items"].([]any)
			l["items"] = append(its, map[string]any{"id": id, "title": title.String, "listId": listID})
		}
		return out, rows.Err()
	}
	f := &filter.Filter{Include: []filter.Inclusion{{Relation: "items"}}}
	b.ReportAllocs()
	var repoNs, handNs, queries int64
	for i := 0; b.Loop(); i++ {
		run := func(repo bool) {
			start := time.Now()
			if repo {
				before := conn.finds.Load()
				got, err := listRepo.Find(ctx, f)
				if err != nil || len(got) != 100 || len(got[99]["items"].([]any)) != 10 {
					b.Fatalf("repository: %d lists, %v", len(got), err)
				}
				queries += conn.finds.Load() - before
				repoNs += time.Since(start).Nanoseconds()
				return
			}
			got, err := hand()
			if err != nil || len(got) != 100 {
				b.Fatalf("hand-written: %d lists, %v", len(got), err)
			}
			handNs += time.Since(start).Nanoseconds()
		}
		run(i%2 == 0)
		run(i%2 != 0)
	}
	n := float64(b.N)
	b.ReportMetric(float64(queries)/n, "queries/op")
	b.ReportMetric(float64(repoNs)/n, "ns-repo")
	b.ReportMetric(float64(handNs)/n, "ns-hand")
	if repoNs > 0 {
		b.ReportMetric(float64(handNs)/float64(repoNs), "x-handwritten")
	}
}
