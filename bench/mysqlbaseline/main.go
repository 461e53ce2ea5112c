// Command mysqlbaseline is the benchmark's MySQL / MariaDB yardstick: a
// bare net/http server over database/sql and go-sql-driver/mysql (10 open
// and idle connections, as many as the todo example's default pool, and
// statements prepared once at start), serving GET /todos, GET /todos/{id},
// POST /todos and DELETE /todos/{id} with hand-written SQL on the table the
// todo example creates (`Todo`, same columns and types) and the same JSON.
//
// Environment: HOST, PORT (default 127.0.0.1:3000) and DB_URL
// (mysql://user:pass@host:port/db, or a driver DSN). The table is created
// when missing and seeded with the example's four todos when empty.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/loopback-go/lb/bench/internal/sqlbase"
)

const (
	ddl = "CREATE TABLE IF NOT EXISTS `Todo` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `title` text NOT NULL, " +
		"`desc` text, `isComplete` tinyint(1), `remindAtAddress` text, `remindAtGeo` text, `tag` json)"
	columns = "`id`, `title`, `desc`, `isComplete`, `remindAtAddress`, `remindAtGeo`, `tag`"
)

type store struct {
	selectAll, selectOne, insert, remove *sql.Stmt
}

type scanner interface{ Scan(...any) error }

func scan(row scanner) (sqlbase.Todo, error) {
	var t sqlbase.Todo
	var tag []byte
	err := row.Scan(&t.ID, &t.Title, &t.Desc, &t.IsComplete, &t.RemindAtAddress, &t.RemindAtGeo, &tag)
	if tag != nil {
		t.Tag = tag
	}
	return t, err
}

func (s store) List(ctx context.Context) ([]sqlbase.Todo, error) {
	rows, err := s.selectAll.QueryContext(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []sqlbase.Todo{}
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s store) Get(ctx context.Context, id int64) (sqlbase.Todo, error) {
	t, err := scan(s.selectOne.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, sqlbase.ErrNotFound
	}
	return t, err
}

func (s store) Create(ctx context.Context, t sqlbase.NewTodo) (int64, error) {
	var tag any
	if t.Tag != nil {
		tag = string(t.Tag)
	}
	res, err := s.insert.ExecContext(ctx, *t.Title, t.Desc, t.IsComplete, t.RemindAtAddress, t.RemindAtGeo, tag)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (s store) Delete(ctx context.Context, id int64) error {
	res, err := s.remove.ExecContext(ctx, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return sqlbase.ErrNotFound
	}
	return err
}

// dsn turns mysql://user:pass@host:port/db into the driver's DSN.
func dsn(raw string) (string, error) {
	if !strings.HasPrefix(raw, "mysql://") {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", u.Host, strings.TrimPrefix(u.Path, "/")
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Collation = "utf8mb4_unicode_ci"
	return cfg.FormatDSN(), nil
}

// open connects to the database at url, creates the table when missing,
// prepares the statements and seeds the table when empty.
func open(ctx context.Context, url string) (store, *sql.DB, error) {
	d, err := dsn(url)
	if err != nil {
		return store{}, nil, fmt.Errorf("DB_URL: %w", err)
	}
	db, err := sql.Open("mysql", d)
	if err != nil {
		return store{}, nil, err
	}
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(10)
	fail := func(err error) (store, *sql.DB, error) {
		db.Close()
		return store{}, nil, err
	}
	if _, err := db.ExecContext(ctx, ddl); err != nil {
		return fail(fmt.Errorf("create table: %w", err))
	}
	var s store
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&s.selectAll, "SELECT " + columns + " FROM `Todo` ORDER BY `id`"},
		{&s.selectOne, "SELECT " + columns + " FROM `Todo` WHERE `id` = ?"},
		{&s.insert, "INSERT INTO `Todo` (`title`, `desc`, `isComplete`, `remindAtAddress`, `remindAtGeo`, `tag`) VALUES (?, ?, ?, ?, ?, ?)"},
		{&s.remove, "DELETE FROM `Todo` WHERE `id` = ?"},
	} {
		if *p.stmt, err = db.PrepareContext(ctx, p.sql); err != nil {
			return fail(fmt.Errorf("prepare: %w", err))
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM `Todo`").Scan(&n); err != nil {
		return fail(err)
	}
	for i := 0; n == 0 && i < len(sqlbase.Seed); i++ {
		title, desc := sqlbase.Seed[i][0], sqlbase.Seed[i][1]
		if _, err := s.Create(ctx, sqlbase.NewTodo{Title: &title, Desc: &desc}); err != nil {
			return fail(fmt.Errorf("seed: %w", err))
		}
	}
	return s, db, nil
}

func main() {
	s, db, err := open(context.Background(), os.Getenv("DB_URL"))
	if err != nil {
		log.Fatal("mysqlbaseline: ", err)
	}
	defer db.Close()
	sqlbase.Serve("mysqlbaseline", s)
}
