package di_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/di"
)

func keys(es []di.Entry) string {
	ks := make([]string, len(es))
	for i, e := range es {
		ks[i] = e.Key()
	}
	return strings.Join(ks, ",")
}

func TestFind(t *testing.T) {
	app, _, req := chain(t)
	di.Bind(app, di.NewKey[int]("repositories.TodoRepository")).To(1).Tag("repository", "model=Todo")
	di.Bind(app, di.NewKey[int]("repositories.UserRepository")).To(2).Tag("repository", "model=User")
	di.Bind(app, di.NewKey[int]("repositories.a.b")).To(3).Tag("repository")
	di.Bind(app, di.NewKey[int]("controllers.TodoController")).To(4).Tag("controller")
	di.Bind(req, di.NewKey[int]("repositories.TodoRepository")).To(5).Tag("repository", "model=Todo", "request")
	tests := []struct {
		name   string
		c      *di.Container
		filter di.Filter
		want   string
	}{
		{"all from app", app, nil, "repositories.TodoRepository,repositories.UserRepository,repositories.a.b,controllers.TodoController"},
		{"glob", app, di.ByKey("repositories.*"), "repositories.TodoRepository,repositories.UserRepository"},
		{"glob ?", app, di.ByKey("repositories.?"), ""},
		{"glob middle", app, di.ByKey("*.Todo*"), "repositories.TodoRepository,controllers.TodoController"},
		{"exact key", app, di.ByKey("repositories.a.b"), "repositories.a.b"},
		{"tag name", app, di.ByTag("repository"), "repositories.TodoRepository,repositories.UserRepository,repositories.a.b"},
		{"tag value", app, di.ByTag("model=User"), "repositories.UserRepository"},
		{"two tags", app, di.ByTag("repository", "model=Todo"), "repositories.TodoRepository"},
		{"and", app, di.And(di.ByKey("repositories.*"), di.ByTag("model=User")), "repositories.UserRepository"},
		{"child hides parent", req, di.ByTag("model=Todo"), "repositories.TodoRepository"},
		{"child sees parent", req, di.ByTag("repository"), "repositories.UserRepository,repositories.a.b,repositories.TodoRepository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keys(tt.c.Find(tt.filter)); got != tt.want {
				t.Errorf("Find = %s; want %s", got, tt.want)
			}
		})
	}
	got := req.FindByTag("request")
	if len(got) != 1 {
		t.Fatalf("FindByTag(request) = %d entries; want 1", len(got))
	}
	e := got[0]
	if e.Owner() != req || e.Scope() != di.Transient || e.Source() != di.Constant || e.Type().String() != "int" {
		t.Errorf("entry = owner %v scope %s source %s type %s; want request, transient, constant, int",
			e.Owner(), e.Scope(), e.Source(), e.Type())
	}
	if v, ok := e.TagValue("model"); !ok || v != "Todo" {
		t.Errorf("TagValue(model) = %q, %v; want Todo, true", v, ok)
	}
	tags := e.Tags()
	tags["mutated"] = "x"
	if e.HasTag("mutated") {
		t.Error("Tags returned the binding's own map")
	}
	if v, err := req.ResolveEntry(e); err != nil || v != 5 {
		t.Errorf("ResolveEntry = %v, %v; want 5", v, err)
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, key string
		want         bool
	}{
		{"a.*", "a.b", true},
		{"a.*", "a.", true},
		{"a.*", "a.b.c", false},
		{"a.*", "a.b:c", false},
		{"*", "abc", true},
		{"*.*", "a.b", true},
		{"a?c", "abc", true},
		{"a?c", "a.c", false},
		{"a?c", "ac", false},
		{"*b", "aab", true},
		{"*b", "aac", false},
	}
	for _, tt := range tests {
		c := di.NewContainer(nil, "c", di.Transient)
		di.Bind(c, di.NewKey[int](tt.key)).To(0)
		if got := len(c.Find(di.ByKey(tt.pattern))) == 1; got != tt.want {
			t.Errorf("ByKey(%q) matches %q = %v; want %v", tt.pattern, tt.key, got, tt.want)
		}
	}
}

func TestView(t *testing.T) {
	app, _, req := chain(t)
	v := di.NewView[string](req, di.ByTag("greeting"))
	if v.Len() != 0 {
		t.Fatalf("empty view Len = %d", v.Len())
	}
	di.Bind(app, di.NewKey[string]("g.en")).To("hello").Tag("greeting")
	di.Bind(app, di.NewKey[string]("g.other")).To("x")
	b := di.Bind(req, di.NewKey[string]("g.zh")).To("你好")
	check := func(want string) {
		t.Helper()
		vals, err := v.Values()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(vals, ","); got != want {
			t.Errorf("Values = %s; want %s", got, want)
		}
		if v.Len() != len(vals) || len(v.Bindings()) != len(vals) {
			t.Errorf("Len = %d, Bindings = %d; want %d", v.Len(), len(v.Bindings()), len(vals))
		}
	}
	check("hello")
	b.Tag("greeting") // retagging is seen
	check("hello,你好")
	b.To("ni hao") // a new source is seen
	check("hello,ni hao")
	app.Unbind(di.NewKey[any]("g.en"))
	check("ni hao")
	// A view over an untyped key resolves through any.
	di.Bind(app, di.NewKey[any]("g.any")).To("any").Tag("greeting")
	check("ni hao,any")
	di.Bind(app, di.NewKey[int]("g.int")).To(1).Tag("greeting")
	if _, err := v.Values(); err == nil {
		t.Error("Values with an int binding: want an error")
	}
}

func TestViewConcurrent(t *testing.T) {
	app, _, req := chain(t)
	v := di.NewView[int](req, di.ByTag("n"))
	const writers, per = 4, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range per {
				di.Bind(app, di.NewKey[int](fmt.Sprintf("n.%d.%d", w, i))).To(1).Tag("n")
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			last := 0
			for range 200 {
				vals, err := v.Values()
				if err != nil {
					t.Error(err)
					return
				}
				if len(vals) < last {
					t.Errorf("view shrank from %d to %d", last, len(vals))
					return
				}
				last = len(vals)
			}
		})
	}
	wg.Wait()
	if got := v.Len(); got != writers*per {
		t.Errorf("Len after all binds = %d; want %d", got, writers*per)
	}
}

func TestObserve(t *testing.T) {
	app, _, req := chain(t)
	var mu sync.Mutex
	var events []string
	record := func(name string) func(di.Event) {
		return func(ev di.Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, fmt.Sprintf("%s:%s %s@%s", name, ev.Type, ev.Binding.Key(), ev.Context.Name()))
		}
	}
	cancelApp := app.Observe(nil, record("app"))
	req.Observe(di.ByKey("r.*"), record("req"))
	di.Bind(app, di.NewKey[int]("r.a")).To(1)
	di.Bind(req, di.NewKey[int]("r.b")).To(1)
	di.Bind(app, di.NewKey[int]("r.a")).To(2) // replace
	app.Unbind(di.NewKey[any]("r.a"))
	cancelApp()
	di.Bind(app, di.NewKey[int]("x")).To(1)
	req.Close()
	di.Bind(app, di.NewKey[int]("r.c")).To(1)
	want := []string{
		"app:bind r.a@application", "req:bind r.a@application",
		"app:change r.a@application", "req:change r.a@application",
		"req:bind r.b@request", "req:change r.b@request",
		"app:unbind r.a@application", "req:unbind r.a@application",
		"app:bind r.a@application", "req:bind r.a@application",
		"app:change r.a@application", "req:change r.a@application",
		"app:unbind r.a@application", "req:unbind r.a@application",
	}
	if !slices.Equal(events, want) {
		t.Errorf("events =\n%s\nwant\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}
}

func TestObserverMayUseContext(t *testing.T) {
	app, _, _ := chain(t)
	var got int
	app.Observe(di.ByKey("a"), func(ev di.Event) {
		if ev.Type == di.Changed {
			got = di.MustGet(ev.Context, di.NewKey[int]("a"))
		}
	})
	di.Bind(app, di.NewKey[int]("a")).To(7)
	if got != 7 {
		t.Errorf("observer resolved %d; want 7", got)
	}
}
