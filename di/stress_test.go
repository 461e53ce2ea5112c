package di_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/loopback-go/lb/di"
)

// TestConcurrentChurn binds, rebinds, retags, unbinds, observes and
// resolves from many goroutines at once; run with -race.
func TestConcurrentChurn(t *testing.T) {
	app, srv, _ := chain(t)
	k := di.NewKey[int]("churn.value")
	b := di.Bind(app, k).To(0)
	var events atomic.Int64
	cancel := srv.Observe(di.ByKey("churn.*"), func(di.Event) { events.Add(1) })
	defer cancel()
	view := di.NewView[int](srv, di.ByTag("churn"))
	var wg sync.WaitGroup
	const loops = 200
	wg.Go(func() { // rebinding the source and scope of one binding
		for i := range loops {
			if i%2 == 0 {
				b.To(i)
			} else {
				b.ToProvider(func(*di.Container) (int, error) { return i, nil }).InScope(di.Scope(i % 5))
			}
		}
	})
	wg.Go(func() { // adding and removing bindings
		for i := range loops {
			key := fmt.Sprint("churn.", i%7)
			di.Bind(app, di.NewKey[int](key)).To(i).Tag("churn")
			if i%3 == 0 {
				app.Unbind(di.NewKey[int](key))
			}
		}
	})
	for g := range 4 {
		wg.Go(func() { // resolving from per-request contexts
			for range loops {
				req := di.NewContainer(srv, fmt.Sprint("request", g), di.Request)
				if _, err := di.Get(req, k); err != nil && !errors.Is(err, di.ErrNoScope) {
					t.Errorf("Get: %v", err)
					return
				}
				if _, err := view.Values(); err != nil && !errors.Is(err, di.ErrNotBound) {
					t.Errorf("view: %v", err)
					return
				}
				req.Close()
			}
		})
	}
	wg.Wait()
	if events.Load() == 0 {
		t.Error("the observer saw no events")
	}
	// After the churn, the view agrees with Find.
	if got, want := view.Len(), len(srv.FindByTag("churn")); got != want {
		t.Errorf("view Len = %d; Find = %d", got, want)
	}
}
