package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/loopback-go/lb/internal/gen"
	"github.com/loopback-go/lb/model"
)

// TestDiscoverSQL discovers two tables joined by a foreign key on
// PostgreSQL and on MySQL (MariaDB). Table names carry a unique prefix so
// that concurrent runs do not collide; an absent server skips its case, or
// fails it under CI=true.
func TestDiscoverSQL(t *testing.T) {
	prefix := fmt.Sprintf("lbdisc%d_", time.Now().UnixNano()%1e9)
	for _, c := range []struct {
		name, driver, dsn, url string
	}{
		{"postgresql", "pgx", envOr("PG_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), envOr("PG_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")},
		{"mysql", "mysql", envOr("MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test"), envOr("MYSQL_URL", "mysql://root@127.0.0.1:3306/test")},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := sql.Open(c.driver, c.dsn)
			if err == nil {
				err = db.Ping()
			}
			if err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("%s is not reachable: %v", c.name, err)
				}
				t.Skipf("%s is not reachable: %v", c.name, err)
			}
			defer db.Close()
			auto := "SERIAL PRIMARY KEY"
			if c.name == "mysql" {
				auto = "INT AUTO_INCREMENT PRIMARY KEY"
			}
			parent, child := prefix+"customer", prefix+"purchase"
			t.Cleanup(func() {
				db.Exec("DROP TABLE IF EXISTS " + child)
				db.Exec("DROP TABLE IF EXISTS " + parent)
			})
			for _, stmt := range []string{
				"CREATE TABLE " + parent + " (id " + auto + ", full_name VARCHAR(80) NOT NULL)",
				"CREATE TABLE " + child + " (id " + auto + ", total DECIMAL(10,2) NOT NULL, customer_id INT REFERENCES " + parent + "(id)" +
					map[bool]string{true: ", FOREIGN KEY (customer_id) REFERENCES " + parent + "(id)"}[c.name == "mysql"] + ")",
			} {
				if _, err := db.Exec(stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			dir := t.TempDir()
			mustLB(t, "discover", "--url", c.url, "--tables", parent+","+child, "--json", "-C", dir)
			data, err := os.ReadFile(filepath.Join(dir, "models", gen.Kebab(prefix)+"-purchase.model.json"))
			if err != nil {
				entries, _ := os.ReadDir(filepath.Join(dir, "models"))
				t.Fatalf("%v (files: %v)", err, entries)
			}
			def, err := model.Parse(data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if def.IDName() != "id" || def.Property("customerId") == nil {
				t.Errorf("purchase: %+v", def)
			}
			if len(def.Relations) != 1 || def.Relations[0].Type != model.BelongsTo || !strings.HasSuffix(def.Relations[0].Target, "Customer") {
				t.Errorf("purchase relations: %+v\n%s", def.Relations, data)
			}
			if p := def.Property("total"); p == nil || !p.Required || p.Type != model.Number {
				t.Errorf("total: %+v", p)
			}
		})
	}
}
