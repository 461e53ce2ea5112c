package mysql_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/fault"
)

// testURL is the server the tests use: LB_TEST_MYSQL_URL, or the local
// MariaDB (root, no password).
func testURL() string {
	if u := os.Getenv("LB_TEST_MYSQL_URL"); u != "" {
		return u
	}
	return "mysql://root@127.0.0.1:3306/test"
}

// openTest connects to a database of its own, dropped when the test ends.
func openTest(t testing.TB) *mysql.Connector {
	t.Helper()
	admin, err := mysql.Open(testURL())
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "MySQL/MariaDB is not available at "+testURL()+": "+err.Error())
	}
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	db := "lbtest_" + sqltest.Suffix()
	if _, err := admin.DB().ExecContext(context.Background(), "CREATE DATABASE "+mysql.Dialect{}.Quote(db)+" CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	c, err := mysql.New(mysql.Config{URL: testURL(), Database: db, Name: "testdb"})
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	t.Cleanup(func() {
		c.Close()
		if _, err := admin.DB().ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+mysql.Dialect{}.Quote(db)); err != nil {
			t.Errorf("drop database %s: %v", db, err)
		}
		admin.Close()
	})
	return c
}

func TestKit(t *testing.T) {
	sqltest.Run(t, func(t *testing.T) *sqlconn.Connector { return openTest(t).Connector })
}
