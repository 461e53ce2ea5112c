package connectortest_test

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
	"github.com/loopback-go/lb/connector/memory"
)

// A connector proves it conforms by running the suite from its own tests.
func ExampleRun() {
	_ = func(t *testing.T) {
		connectortest.Run(t, func(t *testing.T) connector.Connector {
			c, err := memory.New(memory.Config{})
			if err != nil {
				t.Fatal(err)
			}
			return c
		})
	}
}
