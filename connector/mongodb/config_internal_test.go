package mongodb

import (
	"strings"
	"testing"
	"time"
)

func TestConfigURI(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		uri, db   string
		wantError bool
	}{
		{"zero value", Config{}, "mongodb://127.0.0.1:27017/", "test", false},
		{"url with database", Config{URL: "mongodb://h:27018/todo"}, "mongodb://h:27018/todo", "todo", false},
		{"fields override", Config{URL: "mongodb://h:27018/todo", Host: "db", Port: 27019, Database: "other"},
			"mongodb://db:27019/todo", "other", false},
		{"host without port", Config{Host: "db"}, "mongodb://db:27017/", "test", false},
		{"credentials", Config{Host: "db", User: "u", Password: "p@ss"}, "mongodb://u:p%40ss@db:27017/", "test", false},
		{"password keeps the url's user", Config{URL: "mongodb://u:old@h/x", Password: "new"}, "mongodb://u:new@h/x", "x", false},
		{"auth source", Config{URL: "mongodb://h/x", AuthSource: "admin"}, "mongodb://h/x?authSource=admin", "x", false},
		{"srv", Config{URL: "mongodb+srv://cluster.example.com/app"}, "mongodb+srv://cluster.example.com/app", "app", false},
		{"wrong scheme", Config{URL: "postgres://h/x"}, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri, db, err := tt.cfg.uri()
			if (err != nil) != tt.wantError {
				t.Fatalf("got error %v; want error %v", err, tt.wantError)
			}
			if uri != tt.uri || db != tt.db {
				t.Errorf("got (%q, %q); want (%q, %q)", uri, db, tt.uri, tt.db)
			}
			if err != nil && strings.Contains(err.Error(), "postgres://") {
				t.Errorf("error %q echoes the url (it may hold a password)", err)
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("TDB_URL", "mongodb://h/x")
	t.Setenv("TDB_PORT", "27020")
	t.Setenv("TDB_MAX_POOL_SIZE", "7")
	t.Setenv("TDB_CONNECT_TIMEOUT", "3s")
	t.Setenv("TDB_TIMEOUT", "250ms")
	t.Setenv("TDB_DATABASE", "todo")
	cfg, err := ConfigFromEnv("TDB")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{URL: "mongodb://h/x", Port: 27020, MaxPoolSize: 7, ConnectTimeout: 3 * time.Second, Timeout: 250 * time.Millisecond, Database: "todo"}
	if cfg != want {
		t.Errorf("got %+v; want %+v", cfg, want)
	}
	t.Setenv("TDB_PORT", "high")
	t.Setenv("TDB_MAX_CONN_IDLE_TIME", "soon")
	_, err = ConfigFromEnv("TDB")
	if err == nil || !strings.Contains(err.Error(), "TDB_PORT") || !strings.Contains(err.Error(), "TDB_MAX_CONN_IDLE_TIME") {
		t.Errorf("got %v; want an error naming TDB_PORT and TDB_MAX_CONN_IDLE_TIME", err)
	}
}
