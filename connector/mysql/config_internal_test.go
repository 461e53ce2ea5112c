package mysql

import (
	"testing"
	"time"
)

func TestDriverConfig(t *testing.T) {
	tests := []struct {
		name                 string
		cfg                  Config
		addr, user, pass, db string
	}{
		{"url", Config{URL: "mysql://app:s3cret@db.example:3307/todo?timeout=5s"}, "db.example:3307", "app", "s3cret", "todo"},
		{"url default port", Config{URL: "mariadb://app@db.example/todo"}, "db.example:3306", "app", "", "todo"},
		{"dsn", Config{URL: "app:pw@tcp(10.0.0.1:3306)/shop"}, "10.0.0.1:3306", "app", "pw", "shop"},
		{"fields override", Config{URL: "mysql://app@db/todo", Host: "other", Port: 3310, Database: "x", Password: "p"}, "other:3310", "app", "p", "x"},
		{"zero", Config{}, "127.0.0.1:3306", "root", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dc, err := tt.cfg.driverConfig()
			if err != nil {
				t.Fatal(err)
			}
			if dc.Addr != tt.addr || dc.User != tt.user || dc.Passwd != tt.pass || dc.DBName != tt.db {
				t.Errorf("got %s %s %s %s; want %s %s %s %s", dc.Addr, dc.User, dc.Passwd, dc.DBName, tt.addr, tt.user, tt.pass, tt.db)
			}
			if !dc.ParseTime || dc.Loc != time.UTC || !dc.ClientFoundRows || dc.MultiStatements || dc.InterpolateParams {
				t.Errorf("connector settings not forced: %+v", dc)
			}
		})
	}
	if _, err := (Config{URL: "not a dsn"}).driverConfig(); err == nil {
		t.Errorf("bad DSN: nil error")
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("SHOP_DB_URL", "mysql://root@127.0.0.1/shop")
	t.Setenv("SHOP_DB_MAX_IDLE_CONNS", "2")
	t.Setenv("SHOP_DB_CONNECT_TIMEOUT", "3s")
	cfg, err := ConfigFromEnv("SHOP_DB")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.URL != "mysql://root@127.0.0.1/shop" || cfg.MaxIdleConns != 2 || cfg.ConnectTimeout != 3*time.Second {
		t.Errorf("got %+v", cfg)
	}
}
