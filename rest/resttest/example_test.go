package resttest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loopback-go/lb/rest"
	"github.com/loopback-go/lb/rest/resttest"
)

func Example() {
	s := rest.New(rest.Config{})
	rest.Get(s, "/ping", func(context.Context, *struct{}) (*map[string]string, error) {
		return &map[string]string{"greeting": "pong"}, nil
	})
	t := &testing.T{} // in a real test, the test's *testing.T
	c := resttest.New(t, s)
	var out map[string]string
	c.Get("/ping").Expect(200).JSON(&out)
	c.Get("/nope").ExpectError(404, "")
	fmt.Println(out["greeting"], t.Failed())
	// Output: pong false
}
