package sqltest

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// Restart says how RunRestart stops and starts the local database server.
type Restart struct {
	// Server names the server in the skip message, e.g. "MariaDB".
	Server string
	// Stop stops the server and returns once it no longer answers.
	Stop func(t *testing.T)
	// Start starts the server again and returns once it answers.
	Start func(t *testing.T)
	// Ping also checks that Ping fails with fault.Unavailable while the
	// server is stopped.
	Ping bool
}

// RunRestart opens a connector with open, stops the local server, checks
// that calls fail with fault.Unavailable naming the data source testdb,
// starts the server again and checks that the same connector recovers by
// itself. It runs only with
// LB_TEST_RESTART_DB=1, since it disturbs everyone using the server.
func RunRestart(t *testing.T, open func(t *testing.T) *sqlconn.Connector, r Restart) {
	t.Helper()
	if os.Getenv("LB_TEST_RESTART_DB") != "1" {
		t.Skip("set LB_TEST_RESTART_DB=1 to stop and restart the local " + r.Server + " server")
	}
	c := open(t)
	ctx := context.Background()
	def := &model.Definition{Name: "Ping", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "v", Type: model.String},
	}}
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, def, connector.Record{"v": "before"}); err != nil {
		t.Fatal(err)
	}
	started := false
	t.Cleanup(func() {
		if !started {
			r.Start(t)
		}
	})
	r.Stop(t)
	_, err := c.Find(ctx, def, nil)
	t.Logf("while stopped: %v", err)
	if !errors.Is(err, fault.Unavailable) {
		t.Errorf("Find while stopped = %v; want fault.Unavailable", err)
	} else if !strings.Contains(err.Error(), "testdb") {
		t.Errorf("message %q does not name the data source testdb", err)
	}
	if r.Ping {
		if err := c.Ping(ctx); !errors.Is(err, fault.Unavailable) {
			t.Errorf("Ping while stopped = %v; want fault.Unavailable", err)
		}
	}
	r.Start(t)
	started = true
	deadline := time.Now().Add(60 * time.Second)
	for {
		recs, err := c.Find(ctx, def, nil)
		if err == nil {
			if len(recs) != 1 || recs[0]["v"] != "before" {
				t.Errorf("after restart got %v; want the row written before", recs)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery within 60s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := c.Create(ctx, def, connector.Record{"v": "after"}); err != nil {
		t.Errorf("Create after restart: %v", err)
	}
}
