package sqlite

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDSN(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		cfg      Config
		wantPath string // "" for memory
		memory   bool
		want     []string // query values that must be present
	}{
		{"file url", Config{URL: "file:" + dir + "/a.db"}, dir + "/a.db", false, []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(5000)"}},
		{"sqlite url", Config{URL: "sqlite://" + dir + "/b.db"}, dir + "/b.db", false, nil},
		{"plain path", Config{URL: filepath.Join(dir, "sub", "c.db")}, filepath.Join(dir, "sub", "c.db"), false, nil},
		{"file field", Config{File: dir + "/d.db", BusyTimeout: 2 * time.Second}, dir + "/d.db", false, []string{"busy_timeout(2000)"}},
		{"memory", Config{URL: ":memory:"}, "", true, []string{"memdb"}},
		{"zero", Config{}, "", true, nil},
		{"url params kept", Config{URL: "file:" + dir + "/e.db?_txlock=deferred"}, dir + "/e.db", false, []string{"deferred"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn, memory, err := tt.cfg.dsn()
			if err != nil {
				t.Fatal(err)
			}
			if memory != tt.memory {
				t.Errorf("memory = %v; want %v", memory, tt.memory)
			}
			path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
			if tt.wantPath != "" && path != tt.wantPath {
				t.Errorf("path = %q; want %q", path, tt.wantPath)
			}
			q, err := url.ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(append(append(q["_pragma"], q.Get("vfs")), q.Get("_txlock")), " ")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("dsn %q lacks %q", dsn, w)
				}
			}
		})
	}
	c, err := Open("file:" + dir + "/sub/dir/x.db")
	if err != nil {
		t.Fatalf("Open creates missing directories: %v", err)
	}
	c.Close()
	odd := filepath.Join(dir, "50% #1.db")
	c, err = New(Config{File: odd})
	if err != nil {
		t.Fatalf("Open %q: %v", odd, err)
	}
	c.Close()
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("database file %q not created: %v", odd, err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv("TODO_DB_URL", "file:todo.db")
	t.Setenv("TODO_DB_MAX_OPEN_CONNS", "3")
	t.Setenv("TODO_DB_BUSY_TIMEOUT", "1s")
	cfg, err := ConfigFromEnv("TODO_DB")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.URL != "file:todo.db" || cfg.MaxOpenConns != 3 || cfg.BusyTimeout != time.Second {
		t.Errorf("got %+v; want URL file:todo.db, 3 conns, 1s", cfg)
	}
	t.Setenv("TODO_DB_MAX_OPEN_CONNS", "many")
	if _, err := ConfigFromEnv("TODO_DB"); err == nil {
		t.Errorf("bad MAX_OPEN_CONNS: nil error")
	}
}
