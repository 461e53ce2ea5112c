package postgres_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// pgctl runs pg_ctlcluster for the machine's only cluster.
func pgctl(t *testing.T, action string) {
	t.Helper()
	versions, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(versions) == 0 {
		t.Fatalf("no PostgreSQL cluster in /etc/postgresql: %v", err)
	}
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", versions[0].Name(), "main", action).CombinedOutput()
	if err != nil {
		t.Logf("pg_ctlcluster %s: %v: %s", action, err, out)
	}
}

// TestRecoversAfterRestart stops the real server, checks that calls fail
// with fault.Unavailable naming the data source, starts it again and checks
// that the same connector recovers by itself. It runs only with
// LB_TEST_RESTART_DB=1, since it disturbs everyone using the server.
func TestRecoversAfterRestart(t *testing.T) {
	if os.Getenv("LB_TEST_RESTART_DB") != "1" {
		t.Skip("set LB_TEST_RESTART_DB=1 to stop and restart the local PostgreSQL server")
	}
	c := openTest(t)
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
			pgctl(t, "start")
		}
	})
	pgctl(t, "stop")
	_, err := c.Find(ctx, def, nil)
	if !errors.Is(err, fault.Unavailable) {
		t.Errorf("Find while stopped = %v; want fault.Unavailable", err)
	} else if !strings.Contains(err.Error(), "testdb") {
		t.Errorf("message %q does not name the data source testdb", err)
	}
	t.Logf("while stopped: %v", err)
	if err := c.Ping(ctx); !errors.Is(err, fault.Unavailable) {
		t.Errorf("Ping while stopped = %v; want fault.Unavailable", err)
	}
	pgctl(t, "start")
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
