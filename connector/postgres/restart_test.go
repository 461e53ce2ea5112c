package postgres_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
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

// TestRecoversAfterRestart stops the real server and checks that the same
// connector fails with fault.Unavailable (Find and Ping) and then recovers
// by itself. It runs only with LB_TEST_RESTART_DB=1.
func TestRecoversAfterRestart(t *testing.T) {
	sqltest.RunRestart(t, func(t *testing.T) *sqlconn.Connector { return openTest(t).Connector }, sqltest.Restart{
		Server: "PostgreSQL",
		Stop:   func(t *testing.T) { pgctl(t, "stop") },
		Start:  func(t *testing.T) { pgctl(t, "start") },
		Ping:   true,
	})
}
