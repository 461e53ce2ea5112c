package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to create the benchmark's databases
)

// Server roles: the ratios compare the framework with the bare program
// and LoopBack 4 of the same backend.
const (
	roleGo   = "lb-go"
	roleBare = "baseline"
	roleLB4  = "lb4"
)

// backend is one storage the scenarios run on, with its servers.
type backend struct {
	Key     string // memory, postgres, mysql
	Name    string // column heading: "memory", "PostgreSQL", "MySQL"
	Targets []target
}

// target returns the backend's server of a role, if any.
func (b backend) target(role string) (target, bool) {
	for _, t := range b.Targets {
		if t.Role == role {
			return t, true
		}
	}
	return target{}, false
}

// The default admin URLs of the databases; the harness creates one
// database per server in them (lbbench_<pid>_<role>) and drops it at the
// end, so that concurrent runs never share a table.
const (
	defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	defaultMySQLURL    = "mysql://root@127.0.0.1:3306/test"
)

// envOr returns the environment variable key, or def when it is unset or empty.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// withDatabase returns the URL raw with its path replaced by /db.
func withDatabase(raw, db string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("bad database URL %q: want scheme://user@host:port/db", redactURL(raw))
	}
	u.Path = "/" + db
	return u.String(), nil
}

// redactURL hides the password of a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// mysqlDSN turns mysql://user:pass@host:port/db into a go-sql-driver DSN.
func mysqlDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "mysql" {
		return "", fmt.Errorf("bad MySQL URL %q: want mysql://user@host:port/db", redactURL(raw))
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Timeout = 5 * time.Second
	return cfg.FormatDSN(), nil
}

// databases creates the named databases on the server of the admin URL
// (kind "postgres" or "mysql") and returns their URLs and a function that
// drops them.
func databases(ctx context.Context, kind, admin string, names []string) (map[string]string, func(), error) {
	var (
		db    *sql.DB
		err   error
		quote func(string) string
		drop  string
	)
	switch kind {
	case "postgres":
		db, err = sql.Open("pgx", admin)
		quote = func(s string) string { return `"` + s + `"` }
		drop = "DROP DATABASE IF EXISTS %s WITH (FORCE)"
	case "mysql":
		var dsn string
		if dsn, err = mysqlDSN(admin); err == nil {
			db, err = sql.Open("mysql", dsn)
		}
		quote = func(s string) string { return "`" + s + "`" }
		drop = "DROP DATABASE IF EXISTS %s"
	default:
		return nil, nil, fmt.Errorf("unknown database kind %q", kind)
	}
	if err != nil {
		return nil, nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("connect to %s: %w", redactURL(admin), err)
	}
	urls := map[string]string{}
	cleanup := func() {
		for _, n := range names {
			if _, ok := urls[n]; ok {
				if _, err := db.ExecContext(context.Background(), fmt.Sprintf(drop, quote(n))); err != nil {
					logf("drop database %s: %v", n, err)
				}
			}
		}
		db.Close()
	}
	for _, n := range names {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(drop, quote(n))); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("drop database %s: %w", n, err)
		}
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+quote(n)); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("create database %s: %w", n, err)
		}
		u, err := withDatabase(admin, n)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		urls[n] = u
	}
	return urls, cleanup, nil
}

// lb4DataSource is the LoopBack 4 datasource config (JSON) of a database
// URL, with the pool size of the Go programs (10).
func lb4DataSource(kind, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	port, _ := strconv.Atoi(u.Port())
	pass, _ := u.User.Password()
	ds := map[string]any{"name": "db", "host": u.Hostname(), "port": port, "user": u.User.Username(),
		"password": pass, "database": strings.TrimPrefix(u.Path, "/")}
	switch kind {
	case "postgres":
		ds["connector"], ds["max"] = "postgresql", 10
	case "mysql":
		ds["connector"], ds["connectionLimit"] = "mysql", 10
	default:
		return "", errors.New("unknown database kind " + kind)
	}
	b, err := json.Marshal(ds)
	return string(b), err
}

// lb4IDSQL makes the id column of LoopBack 4's todo table generated
// (JSON arrays of statements, run after each migration).
var lb4IDSQL = map[string]string{
	"postgres": `["CREATE SEQUENCE IF NOT EXISTS todo_id_seq OWNED BY todo.id", "ALTER TABLE todo ALTER COLUMN id SET DEFAULT nextval('todo_id_seq')"]`,
	"mysql":    "[\"ALTER TABLE `Todo` MODIFY `id` INT NOT NULL AUTO_INCREMENT\"]",
}

// procCPU returns the user + system CPU time the process pid has used, from
// /proc/<pid>/stat (in clock ticks of 1/100 s, Linux's USER_HZ).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read CPU time: %w", err)
	}
	return parseProcStat(string(b))
}

// parseProcStat reads utime + stime from the text of /proc/<pid>/stat.
func parseProcStat(s string) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold spaces
	// or parentheses: the fields after it start after the last ')'.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("read CPU time: malformed /proc/<pid>/stat")
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, errors.New("read CPU time: short /proc/<pid>/stat")
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 1<<36 { // 1<<36 ticks: 21 years; the sum times 10 ms stays within int64
			return 0, fmt.Errorf("read CPU time: bad tick count %q", v)
		}
		ticks += n
	}
	return time.Duration(ticks) * (time.Second / 100), nil
}

// procRSS returns a field of /proc/<pid>/status in bytes: "VmRSS" (the
// resident set now) or "VmHWM" (its peak).
func procRSS(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", field, err)
	}
	return parseStatusField(string(b), field)
}

// parseStatusField reads "Field:   1234 kB" from /proc/<pid>/status text.
func parseStatusField(s, field string) (int64, error) {
	for _, line := range strings.Split(s, "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("read %s: unexpected line %q", field, line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil || kb < 0 {
				return 0, fmt.Errorf("read %s: bad value in %q", field, line)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("read %s: no such line in /proc/<pid>/status", field)
}
