package mongodb_test

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
	"github.com/loopback-go/lb/connector/mongodb"
)

// TestConformance runs the connector conformance suite on a database of
// its own, with like read as LoopBack's MongoDB connector reads it (a
// regular expression).
func TestConformance(t *testing.T) {
	cfg := testDB(t)
	connectortest.RunWith(t, func(t *testing.T) connector.Connector {
		c, err := mongodb.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}, connectortest.Options{Prefix: "Mg", LikeIsRegexp: true})
}
