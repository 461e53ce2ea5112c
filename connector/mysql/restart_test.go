package mysql_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/model"
)

// answers reports whether the local server accepts connections.
func answers() bool {
	c, err := net.DialTimeout("tcp", "127.0.0.1:3306", time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// startServer starts MariaDB the way .ci/run does and waits for it.
func startServer(t *testing.T) {
	t.Helper()
	for range 3 {
		out, err := exec.Command("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd").CombinedOutput()
		if err != nil {
			t.Logf("start mariadbd: %v: %s", err, out)
		}
		for range 60 {
			if answers() {
				return
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	t.Errorf("MariaDB did not come back on 127.0.0.1:3306")
}

// TestRecoversAfterRestart stops the local MariaDB, checks that calls fail
// with fault.Unavailable naming the data source, starts it again and checks
// that the same connector recovers. It runs only with LB_TEST_RESTART_DB=1.
func TestRecoversAfterRestart(t *testing.T) {
	if os.Getenv("LB_TEST_RESTART_DB") != "1" {
		t.Skip("set LB_TEST_RESTART_DB=1 to stop and restart the local MariaDB server")
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
			startServer(t)
		}
	})
	if out, err := exec.Command("start-stop-daemon", "--stop", "--retry", "30", "--exec", "/usr/sbin/mariadbd").CombinedOutput(); err != nil {
		t.Fatalf("stop mariadbd: %v: %s", err, out)
	}
	_, err := c.Find(ctx, def, nil)
	t.Logf("while stopped: %v", err)
	if !errors.Is(err, fault.Unavailable) {
		t.Errorf("Find while stopped = %v; want fault.Unavailable", err)
	} else if !strings.Contains(err.Error(), "testdb") {
		t.Errorf("message %q does not name the data source testdb", err)
	}
	startServer(t)
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
