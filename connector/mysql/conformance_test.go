package mysql_test

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
)

// TestConformance runs the connector conformance suite, each subtest in a
// database of its own.
func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) connector.Connector { return openTest(t) })
}
