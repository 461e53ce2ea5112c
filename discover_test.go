package lb_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/di"
)

var errBoom = errors.New("boom")

// cache is an observer built by the container from a dependency.
type cache struct {
	prefix string
	rec    *recorder
}

func (c *cache) Start(context.Context) error { c.rec.add("start:" + c.prefix); return nil }
func (c *cache) Stop(context.Context) error  { c.rec.add("stop:" + c.prefix); return nil }

func TestObserverBindings(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	app := lb.New(lb.Config{ObserverGroups: []string{"datasource", "caching"}})
	prefixKey := di.NewKey[string]("cache.prefix")
	di.Bind(app.Container(), prefixKey).To("cache")
	built := 0
	di.Bind(app.Container(), di.NewKey[*cache]("lifeCycleObservers.cache")).
		ToConstructor(func(prefix string) *cache { built++; return &cache{prefix: prefix, rec: r} }, di.Param("cache.prefix")).
		InScope(di.Singleton).
		Tag(lb.ObserverTag, lb.ObserverGroupTag+"=caching")
	app.Observe(r.observer("db", "datasource"))
	app.AddServer("rest", &server{name: "rest", rec: r})

	if err := app.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	mustEqual(t, "started", r.take("start"), []string{"db", "cache", "rest"})
	if err := app.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "stopped", r.take("stop"), []string{"rest", "cache", "db"})

	// A binding added later is found by the next start; the first one is
	// not resolved again.
	di.Bind(app.Container(), di.NewKey[*cache]("lifeCycleObservers.late")).
		To(&cache{prefix: "late", rec: r}).Tag(lb.ObserverTag)
	if err := app.Start(ctx); err != nil {
		t.Fatalf("restart: %v", err)
	}
	mustEqual(t, "restarted", r.take("start"), []string{"late", "db", "cache", "rest"})
	if built != 1 {
		t.Errorf("constructor calls: got %d; want 1", built)
	}
}

func TestObserverBindingErrors(t *testing.T) {
	tests := []struct {
		name    string
		bind    func(c *di.Container)
		wantErr string
	}{
		{
			name: "constructor fails",
			bind: func(c *di.Container) {
				di.Bind(c, di.NewKey[*cache]("lifeCycleObservers.bad")).
					ToProvider(func(*di.Container) (*cache, error) { return nil, errBoom }).Tag(lb.ObserverTag)
			},
			wantErr: `lb: resolve observer "lifeCycleObservers.bad": `,
		},
		{
			name: "no hooks",
			bind: func(c *di.Container) {
				di.Bind(c, di.NewKey[string]("lifeCycleObservers.str")).To("x").Tag(lb.ObserverTag)
			},
			wantErr: `lb: observer "lifeCycleObservers.str": string has no Init, Start or Stop method`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := lb.New(lb.Config{})
			tt.bind(app.Container())
			for _, op := range []string{"init", "start"} {
				var err error
				if op == "init" {
					err = app.Init(context.Background())
				} else {
					err = app.Start(context.Background())
				}
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("%s: got %v; want an error starting with %s", op, err, tt.wantErr)
				}
				if got := app.State(); got != lb.Created {
					t.Errorf("%s: state got %v; want created", op, got)
				}
			}
		})
	}
}
