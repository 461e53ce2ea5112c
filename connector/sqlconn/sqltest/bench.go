package sqltest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/sqlconn"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
	"github.com/loopback-go/lb/repository"
)

// BenchTodo is the model of the benchmarks.
type BenchTodo struct {
	ID         int64  `json:"id" lb:"id,generated"`
	Title      string `json:"title" required:"true"`
	Desc       string `json:"desc"`
	IsComplete bool   `json:"isComplete"`
	Grp        int64  `json:"grp"`
}

// HandWritten is the hand-written data access the benchmarks compare the
// repository with: the same queries, written directly against a driver.
type HandWritten interface {
	// FindByID reads one todo.
	FindByID(ctx context.Context, id int64) (*BenchTodo, error)
	// FindGroup reads the todos of a group, ordered by id.
	FindGroup(ctx context.Context, grp int64) ([]BenchTodo, error)
	// Create inserts a todo and returns its id.
	Create(ctx context.Context, t *BenchTodo) (int64, error)
}

// SQLHandWritten is HandWritten over database/sql, with the dialect's
// placeholders and quoting; table is the unquoted table name.
type SQLHandWritten struct {
	DB                    *sql.DB
	byID, byGroup, insert string
	returning             bool
}

// NewSQLHandWritten writes the three statements for table in dialect d.
func NewSQLHandWritten(db *sql.DB, d sqlconn.Dialect, table string) *SQLHandWritten {
	q := d.Quote
	cols := q("id") + ", " + q("title") + ", " + q("desc") + ", " + q("isComplete") + ", " + q("grp")
	h := &SQLHandWritten{DB: db, returning: d.Returning()}
	h.byID = "SELECT " + cols + " FROM " + q(table) + " WHERE " + q("id") + " = " + d.Placeholder(1)
	h.byGroup = "SELECT " + cols + " FROM " + q(table) + " WHERE " + q("grp") + " = " + d.Placeholder(1) + " ORDER BY " + q("id")
	h.insert = "INSERT INTO " + q(table) + " (" + q("title") + ", " + q("desc") + ", " + q("isComplete") + ", " + q("grp") +
		") VALUES (" + d.Placeholder(1) + ", " + d.Placeholder(2) + ", " + d.Placeholder(3) + ", " + d.Placeholder(4) + ")"
	if h.returning {
		h.insert += " RETURNING " + q("id")
	}
	return h
}

// FindByID implements HandWritten.
func (h *SQLHandWritten) FindByID(ctx context.Context, id int64) (*BenchTodo, error) {
	var t BenchTodo
	err := h.DB.QueryRowContext(ctx, h.byID, id).Scan(&t.ID, &t.Title, &t.Desc, &t.IsComplete, &t.Grp)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// FindGroup implements HandWritten.
func (h *SQLHandWritten) FindGroup(ctx context.Context, grp int64) ([]BenchTodo, error) {
	rows, err := h.DB.QueryContext(ctx, h.byGroup, grp)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BenchTodo
	for rows.Next() {
		var t BenchTodo
		if err := rows.Scan(&t.ID, &t.Title, &t.Desc, &t.IsComplete, &t.Grp); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Create implements HandWritten.
func (h *SQLHandWritten) Create(ctx context.Context, t *BenchTodo) (int64, error) {
	if h.returning {
		var id int64
		err := h.DB.QueryRowContext(ctx, h.insert, t.Title, t.Desc, t.IsComplete, t.Grp).Scan(&id)
		return id, err
	}
	res, err := h.DB.ExecContext(ctx, h.insert, t.Title, t.Desc, t.IsComplete, t.Grp)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// BenchDefinition returns the definition of BenchTodo stored in table.
func BenchDefinition(table string) *model.Definition {
	def := model.MustFromStruct[BenchTodo]()
	s := map[string]any{"table": table}
	def.Settings.Connector = map[string]map[string]any{"sqlite": s, "postgresql": s, "mysql": s}
	return def
}

// Bench runs the repository benchmarks (FindByID, Find of 10 rows, Create)
// on c, each interleaved with the hand-written code that hand returns for
// the same table. The metric x-<name> is the repository's throughput as a
// fraction of that hand-written code's (the target is at least 0.8).
func Bench(b *testing.B, c *sqlconn.Connector, hand func(table string) map[string]HandWritten) {
	ctx := context.Background()
	table := "bench_" + Suffix()
	def := BenchDefinition(table)
	if err := c.Automigrate(ctx, []*model.Definition{def}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		tb, _ := c.Table(def)
		_, _ = c.DB().ExecContext(context.Background(), c.Dialect().DropTable(tb))
	})
	repo, err := repository.NewFromDefinition[BenchTodo, int64](c, def)
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]BenchTodo, 1000)
	for i := range batch {
		batch[i] = BenchTodo{Title: fmt.Sprintf("todo %d", i), Desc: "something to do", Grp: int64(i % 100)}
	}
	if _, err := repo.CreateAll(ctx, batch); err != nil {
		b.Fatal(err)
	}
	hands := hand(table)
	names := make([]string, 0, len(hands))
	for name := range hands {
		names = append(names, name)
	}
	slices.Sort(names)
	// Each iteration runs the repository and every hand-written variant
	// once, in turn, so that the load of a shared machine falls on all of
	// them alike; the metrics are the mean time of each, the repository's
	// throughput as a fraction of each hand-written one's (x-NAME), and the
	// process CPU time the repository spends per call as a multiple of
	// each hand-written one's (cpu-x-NAME; the target is at most 1.15).
	compare := func(b *testing.B, repoOp func(i int64) error, handOp func(h HandWritten, i int64) error) {
		b.ReportAllocs()
		var repoNs, repoCPU int64
		handNs := make([]int64, len(names))
		handCPU := make([]int64, len(names))
		var i, n int64
		// Slot 0 is the repository, slot k+1 the k-th hand-written
		// variant; the order rotates every iteration so that periodic costs
		// (WAL checkpoints, group commits) fall on all of them alike.
		run := func(slot int) {
			start, startCPU := time.Now(), cpuTime()
			var err error
			if slot == 0 {
				err = repoOp(i)
			} else {
				err = handOp(hands[names[slot-1]], i)
			}
			if err != nil {
				b.Fatal(err)
			}
			cpu := int64(cpuTime() - startCPU)
			if slot == 0 {
				repoNs += int64(time.Since(start))
				repoCPU += cpu
			} else {
				handNs[slot-1] += int64(time.Since(start))
				handCPU[slot-1] += cpu
			}
		}
		slots := len(names) + 1
		for b.Loop() {
			i, n = i+1, n+1
			for k := range slots {
				run((k + int(i)) % slots)
			}
		}
		b.ReportMetric(float64(repoNs)/float64(n), "repo-ns/op")
		if repoCPU > 0 {
			b.ReportMetric(float64(repoCPU)/float64(n), "repo-cpu-ns/op")
		}
		for k, name := range names {
			b.ReportMetric(float64(handNs[k])/float64(n), name+"-ns/op")
			b.ReportMetric(float64(handNs[k])/float64(repoNs), "x-"+name)
			if handCPU[k] > 0 {
				b.ReportMetric(float64(repoCPU)/float64(handCPU[k]), "cpu-x-"+name)
			}
		}
	}
	b.Run("FindByID", func(b *testing.B) {
		compare(b, func(i int64) error {
			_, err := repo.FindByID(ctx, i%1000+1, nil)
			return err
		}, func(h HandWritten, i int64) error {
			_, err := h.FindByID(ctx, i%1000+1)
			return err
		})
	})
	b.Run("Find10", func(b *testing.B) {
		compare(b, func(i int64) error {
			f := &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "grp", Op: filter.Eq, Value: i % 100}}}}
			got, err := repo.Find(ctx, f)
			if err == nil && len(got) != 10 {
				err = fmt.Errorf("got %d todos; want 10", len(got))
			}
			return err
		}, func(h HandWritten, i int64) error {
			got, err := h.FindGroup(ctx, i%100)
			if err == nil && len(got) != 10 {
				err = fmt.Errorf("got %d todos; want 10", len(got))
			}
			return err
		})
	})
	b.Run("Create", func(b *testing.B) {
		compare(b, func(int64) error {
			_, err := repo.Create(ctx, &BenchTodo{Title: "new", Desc: "d", Grp: 1000})
			return err
		}, func(h HandWritten, _ int64) error {
			_, err := h.Create(ctx, &BenchTodo{Title: "new", Desc: "d", Grp: 1000})
			return err
		})
	})
}
