package tracing_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/mysql"
	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/connector/sqlite"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/tracing"
)

// secret is a value bound to statements; it must never reach a span.
const secret = "s3cret-title-value"

// checkSQLSpans creates and finds a Note through a traced SQL connector and
// checks that the spans carry the SQL text and db.system.name, never the
// values bound to the statements.
func checkSQLSpans(t *testing.T, conn connector.Connector, system string) {
	t.Helper()
	ctx := context.Background()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(ctx)
	tr, err := tracing.New(tracing.Config{Provider: tp})
	if err != nil {
		t.Fatal(err)
	}
	notes := repository.MustNew[Note, int64](tr.Connector(conn))
	if err := conn.(connector.Migrator).Automigrate(ctx, []*model.Definition{notes.Definition()}); err != nil {
		t.Fatal(err)
	}
	if _, err := notes.Create(ctx, &Note{Title: secret}); err != nil {
		t.Fatal(err)
	}
	w, err := filter.ParseWhereJSON([]byte(`{"title":"` + secret + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := notes.Find(ctx, &filter.Filter{Where: w})
	if err != nil || len(got) != 1 {
		t.Fatalf("Find: %v, %v", got, err)
	}
	want := map[string]string{"Note.Create": "INSERT INTO", "Note.Find": "SELECT"}
	for _, s := range exp.GetSpans() {
		prefix, ok := want[s.Name]
		if !ok {
			continue
		}
		delete(want, s.Name)
		q := attr(s, "db.query.text").AsString()
		if !strings.HasPrefix(strings.ToUpper(q), prefix) || !strings.Contains(strings.ToLower(q), "note") {
			t.Errorf("%s: db.query.text = %q; want the %s statement", s.Name, q, prefix)
		}
		if strings.Contains(q, secret) {
			t.Errorf("%s: db.query.text %q carries a bound value", s.Name, q)
		}
		for _, a := range s.Attributes {
			if strings.Contains(a.Value.Emit(), secret) {
				t.Errorf("%s: attribute %s carries a bound value", s.Name, a.Key)
			}
		}
		if got := attr(s, "db.system.name").AsString(); got != system {
			t.Errorf("%s: db.system.name = %q; want %q", s.Name, got, system)
		}
	}
	if len(want) != 0 {
		t.Errorf("no span for %v in %v", want, names(exp.GetSpans()))
	}
}

func TestSQLStatementSQLite(t *testing.T) {
	conn, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	checkSQLSpans(t, conn, "sqlite")
}

func TestSQLStatementPostgreSQL(t *testing.T) {
	url := os.Getenv("LB_TEST_POSTGRES_URL")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	schema := "lbtrace_" + sqltest.Suffix()
	conn, err := postgres.New(postgres.Config{URL: url, Schema: schema, Name: "testdb"})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+url+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_, _ = conn.DB().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+postgres.Dialect{}.Quote(schema)+" CASCADE")
		conn.Close()
	}()
	checkSQLSpans(t, conn, "postgresql")
}

func TestSQLStatementMySQL(t *testing.T) {
	url := os.Getenv("LB_TEST_MYSQL_URL")
	if url == "" {
		url = "mysql://root@127.0.0.1:3306/test"
	}
	admin, err := mysql.Open(url)
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "MySQL/MariaDB is not available at "+url+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	db := "lbtrace_" + sqltest.Suffix()
	if _, err := admin.DB().ExecContext(context.Background(), "CREATE DATABASE "+mysql.Dialect{}.Quote(db)+" CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_, _ = admin.DB().ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+mysql.Dialect{}.Quote(db))
	}()
	conn, err := mysql.New(mysql.Config{URL: url, Database: db, Name: "testdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	checkSQLSpans(t, conn, "mysql")
}
