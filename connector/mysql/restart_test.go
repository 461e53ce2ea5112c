package mysql_test

import (
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
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

// stopServer stops MariaDB and waits until it has exited.
func stopServer(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("start-stop-daemon", "--stop", "--retry", "30", "--exec", "/usr/sbin/mariadbd").CombinedOutput(); err != nil {
		t.Fatalf("stop mariadbd: %v: %s", err, out)
	}
}

// TestRecoversAfterRestart stops the local MariaDB and checks that the same
// connector fails with fault.Unavailable and then recovers. It runs only
// with LB_TEST_RESTART_DB=1.
func TestRecoversAfterRestart(t *testing.T) {
	sqltest.RunRestart(t, func(t *testing.T) *sqlconn.Connector { return openTest(t).Connector }, sqltest.Restart{
		Server: "MariaDB", Stop: stopServer, Start: startServer,
	})
}
