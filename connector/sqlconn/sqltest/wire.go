package sqltest

import (
	"context"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// wireFilters are filters as clients send them, carrying SQL fragments in
// values (inert: they match nothing) and in names (rejected with 400).
// CANARY stands for the canary table's name.
var wireFilters = []struct {
	json   string
	reject bool
}{
	{`{"where":{"title":"x' OR '1'='1"}}`, false},
	{`{"where":{"title":{"like":"%'; DROP TABLE CANARY; --"}}}`, false},
	{`{"where":{"title":{"inq":["zz","b') OR 1=1 --"]}}}`, false},
	{`{"where":{"or":[{"title":"\" OR 1=1 --"},{"title":"` + "`" + ` OR 1=1"}]}}`, false},
	{`{"where":{"title":{"regexp":"/'; DROP TABLE CANARY; --/i"}}}`, false},
	{`{"where":{"title; DROP TABLE CANARY; --":"x"}}`, true},
	{`{"where":{"title\" = title OR 1=1 --":"x"}}`, true},
	{`{"where":{"meta.a') OR 1=1 --":"x"}}`, true},
	{`{"order":"title; DROP TABLE CANARY"}`, true},
	{`{"order":["title DESC, (SELECT 1)"]}`, true},
	{`{"fields":{"title FROM CANARY --":true}}`, true},
	{`{"fields":["*"]}`, true},
	{`{"include":["todos; DROP TABLE CANARY"]}`, true},
	{`{"include":[{"relation":"x' OR 1=1 --"}]}`, true},
	{`{"limit":"1; DROP TABLE CANARY"}`, true},
	{`{"skip":"0 OR 1=1"}`, true},
}

// RunWireInjection sends the filters above through filter.ParseJSON and the
// repository to c, and checks that names are rejected, values are inert and
// a canary table is intact afterwards.
func RunWireInjection(t *testing.T, c *sqlconn.Connector) {
	ctx := context.Background()
	suffix := Suffix()
	canary := &model.Definition{Name: "Canary", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "v", Type: model.String},
	}, Settings: model.Settings{Table: "canary_" + suffix}}
	todo := &model.Definition{Name: "WireTodo", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "title", Type: model.String},
		{Name: "meta", Type: model.Object},
	}, Settings: model.Settings{Table: "wiretodo_" + suffix}}
	if err := c.Automigrate(ctx, []*model.Definition{canary, todo}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, d := range []*model.Definition{canary, todo} {
			tb, _ := c.Table(d)
			_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
		}
	})
	if _, err := c.Create(ctx, canary, connector.Record{"v": "alive"}); err != nil {
		t.Fatal(err)
	}
	repo, err := repository.NewModel(c, todo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Create(ctx, connector.Record{"title": "a", "meta": map[string]any{"a": "b"}}); err != nil {
		t.Fatal(err)
	}
	for _, wf := range wireFilters {
		js := strings.ReplaceAll(wf.json, "CANARY", "canary_"+suffix)
		f, err := filter.ParseJSON([]byte(js))
		if err == nil {
			var recs []connector.Record
			recs, err = repo.Find(ctx, f)
			if err == nil && len(recs) != 0 {
				t.Errorf("%s matched %d rows; want none", js, len(recs))
			}
		}
		switch {
		case wf.reject && !errorsIsBadRequest(err):
			t.Errorf("%s: err = %v; want a 400", js, err)
		case !wf.reject && err != nil:
			t.Errorf("%s: %v; want no error and no match", js, err)
		}
	}
	recs, err := c.Find(ctx, canary, nil)
	if err != nil || len(recs) != 1 || recs[0]["v"] != "alive" {
		t.Fatalf("canary = %v, %v; want one row 'alive'", recs, err)
	}
	if n, err := repo.Count(ctx, nil); err != nil || n != 1 {
		t.Errorf("todos = %d, %v; want 1", n, err)
	}
}

func errorsIsBadRequest(err error) bool {
	return err != nil && fault.KindOf(err) == fault.BadRequest
}
