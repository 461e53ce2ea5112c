package sqlite_test

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
	"github.com/loopback-go/lb/connector/sqlite"
)

// TestConformanceMemory runs the conformance suite on in-memory databases.
func TestConformanceMemory(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connector.Connector {
		c, err := sqlite.Open(":memory:")
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}
