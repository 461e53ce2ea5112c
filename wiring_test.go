package lb_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/loopback-go/lb"
	"github.com/loopback-go/lb/di"
)

type greeterConfig struct{ Greeting string }

type greeterService struct{ cfg greeterConfig }

func TestInitChecksWiring(t *testing.T) {
	svcKey := di.NewKey[*greeterService]("services.greeter")
	cfgKey := di.NewKey[greeterConfig]("config.greeter")
	newSvc := func(cfg greeterConfig) *greeterService { return &greeterService{cfg: cfg} }

	t.Run("unbound dependency fails init", func(t *testing.T) {
		app := lb.New(lb.Config{})
		di.Bind(app.Container(), svcKey).ToConstructor(newSvc)
		started := false
		app.Observe(lb.Observer{Name: "probe", Start: func(context.Context) error { started = true; return nil }})
		err := app.Start(context.Background())
		if err == nil {
			t.Fatal("Start succeeded with an unbound constructor dependency; want an error")
		}
		if !errors.Is(err, di.ErrNotBound) || !strings.Contains(err.Error(), "services.greeter") {
			t.Fatalf("err = %v; want ErrNotBound naming services.greeter", err)
		}
		if started {
			t.Fatal("an observer started although the wiring check failed")
		}
		if got := app.State(); got != lb.Created {
			t.Fatalf("state = %v; want %v", got, lb.Created)
		}
	})

	t.Run("bound dependency starts", func(t *testing.T) {
		app := lb.New(lb.Config{})
		di.Bind(app.Container(), svcKey).ToConstructor(newSvc)
		di.Bind(app.Container(), cfgKey).To(greeterConfig{Greeting: "hi"})
		if err := app.Start(context.Background()); err != nil {
			t.Fatalf("Start: %v", err)
		}
		defer app.Stop(context.Background())
		svc, err := di.Get(app.Container(), svcKey)
		if err != nil || svc.cfg.Greeting != "hi" {
			t.Fatalf("Get = %+v, %v; want greeting hi", svc, err)
		}
	})

	t.Run("skip", func(t *testing.T) {
		app := lb.New(lb.Config{SkipWiringCheck: true})
		di.Bind(app.Container(), svcKey).ToConstructor(newSvc)
		if err := app.Start(context.Background()); err != nil {
			t.Fatalf("Start with SkipWiringCheck: %v", err)
		}
		app.Stop(context.Background())
	})
}
