package mongodb_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/mongodb"
)

// testURL is the server the tests use: MONGODB_URL, or FerretDB on
// 127.0.0.1:27017 as .ci/run starts it. Outside CI the tests skip when it
// does not answer; under CI=true they fail.
func testURL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv("MONGODB_URL")
	if raw == "" {
		raw = "mongodb://127.0.0.1:27017/"
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("MONGODB_URL: %v", err)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":27017"
	}
	conn, err := net.DialTimeout("tcp", host, 2*time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MongoDB server at %s does not answer (CI=true): %v", host, err)
		}
		t.Skipf("no MongoDB server at %s (set MONGODB_URL; .ci/run starts FerretDB): %v", host, err)
	}
	conn.Close()
	return raw
}

var dbSeq struct {
	mu sync.Mutex
	n  int
}

// testDB returns a Config on a database of the test's own, dropped when
// the test ends.
func testDB(t testing.TB) mongodb.Config {
	t.Helper()
	raw := testURL(t)
	dbSeq.mu.Lock()
	dbSeq.n++
	name := fmt.Sprintf("lbtest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, dbSeq.n)
	dbSeq.mu.Unlock()
	cfg := mongodb.Config{URL: raw, Database: name, ConnectTimeout: 5 * time.Second}
	t.Cleanup(func() {
		c, err := mongodb.New(cfg)
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.Client().Database(name).Drop(context.Background())
	})
	return cfg
}

// open connects with cfg and closes the connector when the test ends.
func open(t testing.TB, cfg mongodb.Config) *mongodb.Connector {
	t.Helper()
	c, err := mongodb.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
