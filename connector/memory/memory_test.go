package memory_test

import (
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/connectortest"
	"github.com/loopback-go/lb/connector/memory"
)

func TestConformance(t *testing.T) {
	connectortest.RunWith(t, func(t *testing.T) connector.Connector {
		c, err := memory.New(memory.Config{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}, like)
}

// like: the memory connector reads like patterns as regular expressions,
// as LoopBack's does.
var like = connectortest.Options{LikeIsRegexp: true}

func TestConformanceWithFile(t *testing.T) {
	dir := t.TempDir()
	connectortest.RunWith(t, func(t *testing.T) connector.Connector {
		c, err := memory.New(memory.Config{File: dir + "/db.json"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}, like)
}

func TestConformancePrefix(t *testing.T) {
	connectortest.RunWith(t, func(t *testing.T) connector.Connector {
		c, err := memory.New(memory.Config{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}, connectortest.Options{Prefix: "Other", LikeIsRegexp: true})
}
