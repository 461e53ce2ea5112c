package mysql_test

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/fault"
)

func TestUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	_, err = mysql.New(mysql.Config{Name: "shop", Host: "127.0.0.1", Port: port, ConnectTimeout: 2 * time.Second})
	if !errors.Is(err, fault.Unavailable) {
		t.Fatalf("New on a closed port = %v; want fault.Unavailable", err)
	}
	if !strings.Contains(err.Error(), "shop") {
		t.Errorf("message %q does not name the data source", err)
	}
}
