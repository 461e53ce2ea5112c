package sqlite_test

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
)

// TestConformance runs the connector conformance suite on a file database.
func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connector.Connector { return openTemp(t) })
}
