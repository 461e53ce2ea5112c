package memory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// errDiskFull is the injected file write error.
var errDiskFull = fmt.Errorf("write /secret/dir/.db.json.tmp-1: %w", syscall.ENOSPC)

// failWrites makes every file write of c fail with errDiskFull, without
// touching the file.
func failWrites(c *Connector) {
	c.p.write = func(string, []byte) (bool, error) { return false, errDiskFull }
}

func noteDefInternal() *model.Definition {
	return &model.Definition{Name: "Note", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "text", Type: model.String},
	}}
}

// storeState is what a client can observe of a store: every todo, and
// each model's count and id counter (Execute "models", which covers
// models not used yet).
func storeState(t *testing.T, c *Connector) string {
	t.Helper()
	ctx := context.Background()
	todos, err := c.Find(ctx, todoDef(), nil)
	if err != nil {
		t.Fatalf("Find: %v", err)
	}
	models, err := c.Execute(ctx, "models")
	if err != nil {
		t.Fatalf("Execute models: %v", err)
	}
	b, err := json.Marshal(map[string]any{"todos": todos, "models": models.Rows})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fileState is the state of the store a restart finds.
func fileState(t *testing.T, path string) string {
	t.Helper()
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer c.Close()
	return storeState(t, c)
}

// checkPersistError checks that err is what a client gets for a failed
// file write: 503, with neither the path nor the OS text in its message.
func checkPersistError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, fault.Unavailable) {
		t.Fatalf("got error %v; want a fault.Unavailable", err)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("got error %v; want it to wrap ENOSPC for logs", err)
	}
	var fe *fault.Error
	errors.As(err, &fe)
	if strings.Contains(fe.Message, "/") || strings.Contains(fe.Message, "space") {
		t.Errorf("client message %q names the file or the OS error", fe.Message)
	}
}

// TestFailedPersistUndoes makes the file write of each kind of write fail
// and checks that the write is undone: reads, the id counters and the file
// after a restart are as before, and the next write goes through.
func TestFailedPersistUndoes(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	where := func(id int64) *filter.Where {
		return &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}}
	}
	tests := []struct {
		name string
		op   func(c *Connector) error
	}{
		{"create", func(c *Connector) error {
			_, err := c.Create(ctx, def, connector.Record{"title": "d"})
			return err
		}},
		{"create with an id past the counter", func(c *Connector) error {
			_, err := c.Create(ctx, def, connector.Record{"id": int64(40), "title": "d"})
			return err
		}},
		{"create of a new model", func(c *Connector) error {
			_, err := c.Create(ctx, &model.Definition{Name: "Fresh"}, connector.Record{"x": 1.0})
			return err
		}},
		{"update", func(c *Connector) error {
			_, err := c.UpdateAll(ctx, def, where(2), connector.Record{"title": "B"})
			return err
		}},
		{"replace", func(c *Connector) error {
			return c.ReplaceByID(ctx, def, int64(3), connector.Record{"title": "C"})
		}},
		{"delete one", func(c *Connector) error {
			_, err := c.DeleteAll(ctx, def, where(1))
			return err
		}},
		{"delete all", func(c *Connector) error {
			_, err := c.DeleteAll(ctx, def, nil)
			return err
		}},
		{"truncate", func(c *Connector) error {
			_, err := c.Execute(ctx, "truncate", "Todo")
			return err
		}},
		{"truncate of a model not used yet", func(c *Connector) error {
			_, err := c.Execute(ctx, "truncate", "Note")
			return err
		}},
		{"automigrate", func(c *Connector) error {
			return c.Automigrate(ctx, []*model.Definition{def, noteDefInternal()})
		}},
		{"autoupdate of a new model", func(c *Connector) error {
			return c.Autoupdate(ctx, []*model.Definition{{Name: "Fresh"}})
		}},
		{"transaction", func(c *Connector) error {
			tx, err := c.Begin(ctx, connector.TxOptions{})
			if err != nil {
				return fmt.Errorf("begin: %w", err)
			}
			txCtx := connector.WithTx(ctx, tx)
			if _, err := c.Create(txCtx, def, connector.Record{"title": "in tx"}); err != nil {
				return fmt.Errorf("create in tx: %w", err)
			}
			if _, err := c.DeleteAll(txCtx, def, where(2)); err != nil {
				return fmt.Errorf("delete in tx: %w", err)
			}
			return tx.Commit(ctx)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db.json")
			seed, err := New(Config{File: path})
			if err != nil {
				t.Fatal(err)
			}
			for _, title := range []string{"a", "b", "c"} {
				if _, err := seed.Create(ctx, def, connector.Record{"title": title}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := seed.Create(ctx, noteDefInternal(), connector.Record{"text": "n"}); err != nil {
				t.Fatal(err)
			}
			seed.Close()

			c, err := New(Config{File: path}) // Note is loaded but not used yet
			if err != nil {
				t.Fatal(err)
			}
			before := storeState(t, c)
			onDisk, _ := os.ReadFile(path)
			failWrites(c)
			checkPersistError(t, tt.op(c))
			if got := storeState(t, c); got != before {
				t.Errorf("reads after the failed write:\n got %s\nwant %s", got, before)
			}
			if now, _ := os.ReadFile(path); string(now) != string(onDisk) {
				t.Errorf("the file changed")
			}
			c.p.write = writeAtomic // the disk has room again
			rec, err := c.Create(ctx, def, connector.Record{"title": "next"})
			if err != nil {
				t.Fatal(err)
			}
			if rec["id"] != int64(4) {
				t.Errorf("got next id %v; want 4 (the counter is as before)", rec["id"])
			}
			want := storeState(t, c)
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if got := fileState(t, path); got != want {
				t.Errorf("after restart:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// holdFirstWrite makes the first file write of c wait, after its
// snapshot, until the returned release is called with the result to give
// it (nil: write the file). started is closed when it waits. Later writes
// go through, or fail with later when it is set.
func holdFirstWrite(c *Connector, later error) (started chan struct{}, release func(error)) {
	started = make(chan struct{})
	result := make(chan error)
	var calls atomic.Int32
	c.p.write = func(path string, data []byte) (bool, error) {
		if calls.Add(1) == 1 {
			close(started)
			if err := <-result; err != nil {
				return false, err
			}
		} else if later != nil {
			return false, later
		}
		return writeAtomic(path, data)
	}
	return started, func(err error) { result <- err }
}

// waitWaiting waits until n callers wait for the file writer.
func waitWaiting(t *testing.T, c *Connector, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.p.mu.Lock()
		w := c.p.waiting
		c.p.mu.Unlock()
		if w == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callers wait for the file writer; want %d", w, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestFailedGroup checks group commit with failures: every writer whose
// change a failed file write included, or that built on one, is rolled
// back and gets the error; a writer whose change was durable keeps it.
func TestFailedGroup(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	const others = 6
	tests := []struct {
		name      string
		first     error // result of the held first write (the first writer's)
		later     error // result of the group's write
		wantFirst bool  // the first writer's change is kept
	}{
		{"the group's write fails", nil, errDiskFull, true},
		{"the held write fails", errDiskFull, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db.json")
			c, err := New(Config{File: path})
			if err != nil {
				t.Fatal(err)
			}
			started, release := holdFirstWrite(c, tt.later)
			firstDone := make(chan error, 1)
			go func() {
				_, err := c.Create(ctx, def, connector.Record{"title": "first"})
				firstDone <- err
			}()
			<-started
			done := make(chan error, others)
			for i := range others {
				go func() {
					_, err := c.Create(ctx, def, connector.Record{"title": fmt.Sprint("other ", i)})
					done <- err
				}()
			}
			waitWaiting(t, c, others)
			release(tt.first)
			if err := <-firstDone; tt.wantFirst && err != nil {
				t.Errorf("first writer: got %v; want nil (its write was durable)", err)
			} else if !tt.wantFirst {
				checkPersistError(t, err)
			}
			for range others {
				checkPersistError(t, <-done)
			}
			var want []string
			if tt.wantFirst {
				want = []string{"first"}
			}
			titles := func(c *Connector) []string {
				recs, err := c.Find(ctx, def, nil)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, r := range recs {
					out = append(out, r["title"].(string))
				}
				return out
			}
			if got := titles(c); !reflect.DeepEqual(got, want) {
				t.Errorf("reads: got %q; want %q", got, want)
			}
			c.p.write = writeAtomic
			c.Close()
			c2, err := New(Config{File: path})
			if err != nil {
				t.Fatal(err)
			}
			defer c2.Close()
			if got := titles(c2); !reflect.DeepEqual(got, want) {
				t.Errorf("after restart: got %q; want %q", got, want)
			}
		})
	}
}

// TestReadWaitsForDurability checks that a read that sees a change not yet
// on disk answers only once it is, and never answers with a change that a
// failed file write undid.
func TestReadWaitsForDurability(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprint("write fails ", fail), func(t *testing.T) {
			c, err := New(Config{File: filepath.Join(t.TempDir(), "db.json")})
			if err != nil {
				t.Fatal(err)
			}
			started, release := holdFirstWrite(c, nil)
			writeDone := make(chan error, 1)
			go func() {
				_, err := c.Create(ctx, def, connector.Record{"title": "pending"})
				writeDone <- err
			}()
			<-started // the change is applied and being written
			type result struct {
				n   int64
				err error
			}
			read := make(chan result, 1)
			go func() {
				n, err := c.Count(ctx, def, nil)
				read <- result{n, err}
			}()
			waitWaiting(t, c, 1)
			select {
			case r := <-read:
				t.Fatalf("Count answered %d, %v while the change was not on disk", r.n, r.err)
			default:
			}
			var werr error
			if fail {
				werr = errDiskFull
			}
			release(werr)
			r := <-read
			want := int64(1)
			if fail {
				want = 0
			}
			if r.err != nil || r.n != want {
				t.Errorf("Count: got (%d, %v); want (%d, nil)", r.n, r.err, want)
			}
			if err := <-writeDone; (err != nil) != fail {
				t.Errorf("Create: got %v; want failed=%v", err, fail)
			}
		})
	}
}

// TestFailedWriteAfterRename covers a file write that fails once the file
// is replaced (syncing the directory): the change is undone, and the file
// is written again so that it does not keep it.
func TestFailedWriteAfterRename(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	path := filepath.Join(t.TempDir(), "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, def, connector.Record{"title": "kept"}); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	c.p.write = func(path string, data []byte) (bool, error) {
		renamed, err := writeAtomic(path, data)
		if calls.Add(1) == 1 && err == nil {
			return renamed, fmt.Errorf("sync dir: %w", syscall.ENOSPC)
		}
		return renamed, err
	}
	_, err = c.Create(ctx, def, connector.Record{"title": "undone"})
	checkPersistError(t, err)
	if got := calls.Load(); got != 2 {
		t.Errorf("got %d file writes; want 2 (the failed one and the rewrite)", got)
	}
	want := storeState(t, c)
	if strings.Contains(want, "undone") {
		t.Errorf("reads show the undone change: %s", want)
	}
	if got := fileState(t, path); got != want {
		t.Errorf("after restart:\n got %s\nwant %s", got, want)
	}
}

// TestStaleTempsRemoved checks that New removes the temporary files a
// killed writer left next to its file, and nothing else.
func TestStaleTempsRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "db.json")
	stale := []string{".db.json.tmp-123", ".db.json.tmp-4294967295"}
	kept := []string{".db.json.tmp-", ".db.json.tmp-12x", ".other.json.tmp-1", "db.json.tmp-1", ".db.json.tmp-1.bak"}
	for _, name := range append(stale, kept...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".db.json.tmp-9"), 0o755); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, ".db.json.tmp-9")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, name := range stale {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: got %v; want it removed", name, err)
		}
	}
	for _, name := range kept {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: got %v; want it kept", name, err)
		}
	}
}

func itemDef() *model.Definition {
	return &model.Definition{Name: "Item", Properties: []*model.Property{
		{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
		{Name: "owner", Type: model.Number, Integer: true},
		{Name: "val", Type: model.Number, Integer: true},
		{Name: "pad", Type: model.String},
	}}
}

// proveAcknowledged runs concurrent writers (create, update, delete, each
// on rows of its own) against c while file writes fail (as the caller
// arranged) and checks that the set of acknowledged writes, what reads
// answer and what a restart finds are the same: a write that failed left
// nothing, and one acknowledged is there. It returns how many writes
// succeeded and failed.
func proveAcknowledged(t *testing.T, c *Connector, path string, writers, ops int, seed uint64) (okN, failedN int) {
	t.Helper()
	ctx := context.Background()
	def := itemDef()
	pad := strings.Repeat("p", 100)
	var mu sync.Mutex
	want := map[int64]int64{} // id → val, by acknowledged writes
	var wg sync.WaitGroup
	var okCount, failCount atomic.Int64
	for g := range writers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(g)))
			mine := map[int64]int64{}
			var ids []int64
			check := func(id int64) {
				recs, err := c.Find(ctx, def, &filter.Filter{Where: &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}}})
				if errors.Is(err, fault.Unavailable) {
					return // reads retry a few times, then fail while the disk fails
				}
				if err != nil {
					t.Errorf("read %d: %v", id, err)
					return
				}
				val, ok := mine[id]
				switch {
				case ok && (len(recs) != 1 || recs[0]["val"] != val):
					t.Errorf("read %d: got %v; want val %d", id, recs, val)
				case !ok && len(recs) != 0:
					t.Errorf("read %d: got %v; want nothing", id, recs)
				}
			}
			for i := range ops {
				val := int64(i + 1)
				var err error
				var id int64
				switch op := rng.IntN(10); {
				case op < 5 || len(ids) == 0:
					var rec connector.Record
					rec, err = c.Create(ctx, def, connector.Record{"owner": int64(g), "val": val, "pad": pad})
					if err == nil {
						id = rec["id"].(int64)
						ids = append(ids, id)
						mine[id] = val
					}
				case op < 8:
					id = ids[rng.IntN(len(ids))]
					var n int64
					n, err = c.UpdateAll(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}}, connector.Record{"val": val})
					if err == nil {
						if n != 1 {
							t.Errorf("update %d: updated %d rows; want 1", id, n)
						}
						mine[id] = val
					}
				default:
					k := rng.IntN(len(ids))
					id = ids[k]
					err = c.ReplaceByID(ctx, def, id, connector.Record{"owner": int64(g), "val": -val})
					if err == nil {
						mine[id] = -val
					}
					if rng.IntN(2) == 0 && err == nil {
						var n int64
						n, err = c.DeleteAll(ctx, def, &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}})
						if err == nil {
							if n != 1 {
								t.Errorf("delete %d: deleted %d rows; want 1", id, n)
							}
							delete(mine, id)
							ids = append(ids[:k], ids[k+1:]...)
						}
					}
				}
				if err != nil {
					failCount.Add(1)
					if !errors.Is(err, fault.Unavailable) {
						t.Errorf("write: got %v; want nil or a fault.Unavailable", err)
					}
				} else {
					okCount.Add(1)
				}
				if id != 0 && i%3 == 0 {
					check(id)
				}
			}
			mu.Lock()
			for id, v := range mine {
				want[id] = v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	state := func(c *Connector) map[int64]int64 {
		recs, err := c.Find(ctx, def, nil)
		if err != nil {
			t.Fatalf("Find: %v", err)
		}
		out := map[int64]int64{}
		for _, r := range recs {
			out[r["id"].(int64)] = r["val"].(int64)
		}
		return out
	}
	if got := state(c); !reflect.DeepEqual(got, want) {
		t.Errorf("reads: got %d rows, want %d (acknowledged): %s", len(got), len(want), diff(got, want))
	}
	c.Close()
	c2, err := New(Config{File: path})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer c2.Close()
	if got := state(c2); !reflect.DeepEqual(got, want) {
		t.Errorf("after restart: got %d rows, want %d (acknowledged): %s", len(got), len(want), diff(got, want))
	}
	return int(okCount.Load()), int(failCount.Load())
}

// diff describes the first few differences between two id → val maps.
func diff(got, want map[int64]int64) string {
	var b strings.Builder
	n := 0
	for id, v := range want {
		if g, ok := got[id]; !ok || g != v {
			fmt.Fprintf(&b, " id %d: got %v (present %v), want %d;", id, g, ok, v)
			n++
		}
	}
	for id, v := range got {
		if _, ok := want[id]; !ok {
			fmt.Fprintf(&b, " id %d: got %d, want absent;", id, v)
			n++
		}
		if n > 5 {
			break
		}
	}
	return b.String()
}

// TestAcknowledgedUnderFailures is the proof with injected file write
// errors: at random, from a random point on, and after the file was
// replaced.
func TestAcknowledgedUnderFailures(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	tests := []struct {
		name   string
		inject func(rng *rand.Rand) func(path string, data []byte) (bool, error)
	}{
		{"random failures", func(rng *rand.Rand) func(string, []byte) (bool, error) {
			return func(path string, data []byte) (bool, error) {
				if rng.IntN(10) < 3 {
					return false, errDiskFull
				}
				return writeAtomic(path, data)
			}
		}},
		{"disk full from a random point", func(rng *rand.Rand) func(string, []byte) (bool, error) {
			left := 5 + rng.IntN(60)
			return func(path string, data []byte) (bool, error) {
				if left == 0 {
					return false, errDiskFull
				}
				left--
				return writeAtomic(path, data)
			}
		}},
		{"failures after the rename", func(rng *rand.Rand) func(string, []byte) (bool, error) {
			return func(path string, data []byte) (bool, error) {
				renamed, err := writeAtomic(path, data)
				if err == nil && rng.IntN(10) < 3 {
					return renamed, errDiskFull
				}
				return renamed, err
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db.json")
			c, err := New(Config{File: path})
			if err != nil {
				t.Fatal(err)
			}
			// The file writer is one goroutine at a time: rng needs no lock.
			c.p.write = tt.inject(rand.New(rand.NewPCG(seed, uint64(i))))
			ok, failed := proveAcknowledged(t, c, path, 6, 120, seed)
			t.Logf("%d writes acknowledged, %d failed", ok, failed)
			if ok == 0 || failed == 0 {
				t.Errorf("got %d acknowledged and %d failed writes; want some of each", ok, failed)
			}
		})
	}
}

// TestAcknowledgedOnFullDisk is the proof on a real disk that fills up: a
// small tmpfs (skipped where mounting is not permitted).
func TestAcknowledgedOnFullDisk(t *testing.T) {
	dir := t.TempDir()
	if !mountSmallDisk(t, dir, "48k") {
		t.Skip("cannot mount a small disk here; TestAcknowledgedUnderFailures covers the same with injected errors")
	}
	path := filepath.Join(dir, "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	ok, failed := proveAcknowledged(t, c, path, 6, 150, uint64(time.Now().UnixNano()))
	t.Logf("%d writes acknowledged, %d failed", ok, failed)
	if ok == 0 || failed == 0 {
		t.Errorf("got %d acknowledged and %d failed writes; want some of each (the disk fills up)", ok, failed)
	}
}

// TestUndoManyRows checks rollbacks that bring back many rows (a failed
// DeleteAll, a transaction that updates, deletes and re-creates rows):
// the store is exactly as before, and bringing the rows back is one merge,
// not one insertion each (which took seconds for 100,000 rows).
func TestUndoManyRows(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	c, err := New(Config{File: filepath.Join(t.TempDir(), "db.json")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 20000
	tx, err := c.Begin(ctx, connector.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	txCtx := connector.WithTx(ctx, tx)
	for i := range n {
		if _, err := c.Create(txCtx, def, connector.Record{"title": fmt.Sprint("t", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	before := storeState(t, c)
	mod := func(k int64) *filter.Where {
		// id % k == 0, for ids up to n: an inq of the multiples
		var ids []any
		for id := k; id <= n; id += k {
			ids = append(ids, id)
		}
		return &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Inq, Value: ids}}}
	}

	start := time.Now()
	failWrites(c)
	_, err = c.DeleteAll(ctx, def, nil)
	checkPersistError(t, err)
	if got := storeState(t, c); got != before {
		t.Fatalf("after a failed DeleteAll the store differs")
	}
	t.Logf("failed DeleteAll of %d rows undone in %v", n, time.Since(start))
	c.p.write = writeAtomic

	tx, err = c.Begin(ctx, connector.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	txCtx = connector.WithTx(ctx, tx)
	steps := []func() error{
		func() error { _, err := c.UpdateAll(txCtx, def, mod(3), connector.Record{"desc": "three"}); return err },
		func() error { _, err := c.DeleteAll(txCtx, def, mod(2)); return err },
		func() error {
			_, err := c.Create(txCtx, def, connector.Record{"id": int64(4), "title": "again"})
			return err
		},
		func() error { _, err := c.UpdateAll(txCtx, def, mod(5), connector.Record{"desc": "five"}); return err },
		func() error { _, err := c.Create(txCtx, def, connector.Record{"title": "new"}); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if got := storeState(t, c); got != before {
		t.Fatalf("after a rolled-back transaction the store differs")
	}
}

// TestWriterDuringRewrite covers a writer that changes the store while a
// stale file is written again after a failed write: the rewrite makes its
// change durable, so it succeeds and keeps it even though the next file
// write fails.
func TestWriterDuringRewrite(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	path := filepath.Join(t.TempDir(), "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	c.p.write = func(path string, data []byte) (bool, error) {
		switch calls.Add(1) {
		case 1: // replaced, then failed: the file is stale
			renamed, _ := writeAtomic(path, data)
			return renamed, errDiskFull
		case 2: // the rewrite
			return writeAtomic(path, data)
		}
		return false, errDiskFull
	}
	other := make(chan error, 1)
	c.p.beforeRewrite = func() {
		go func() {
			_, err := c.Create(ctx, def, connector.Record{"title": "during the rewrite"})
			other <- err
		}()
		waitWaiting(t, c, 1) // its change is made and it waits for the file
	}
	_, err = c.Create(ctx, def, connector.Record{"title": "undone"})
	checkPersistError(t, err)
	if err := <-other; err != nil {
		t.Errorf("writer during the rewrite: got %v; want nil (the rewrite saved its change)", err)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("got %d file writes; want 2", got)
	}
	want := storeState(t, c)
	if !strings.Contains(want, "during the rewrite") || strings.Contains(want, "undone") {
		t.Errorf("reads: %s", want)
	}
	if got := fileState(t, path); got != want {
		t.Errorf("after restart:\n got %s\nwant %s", got, want)
	}
}

// TestStaleFileRewritten covers a file that a failed write replaced and
// whose rewrite failed too: it stays stale through later failures, and the
// next read writes it again, so that a restart does not find what was
// undone.
func TestStaleFileRewritten(t *testing.T) {
	ctx := context.Background()
	def := todoDef()
	path := filepath.Join(t.TempDir(), "db.json")
	c, err := New(Config{File: path})
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	c.p.write = func(path string, data []byte) (bool, error) {
		switch calls.Add(1) {
		case 1: // replaced, then failed
			renamed, _ := writeAtomic(path, data)
			return renamed, errDiskFull
		case 2, 3, 4: // the rewrite, the next write and its rewrite: nothing written
			return false, errDiskFull
		}
		return writeAtomic(path, data)
	}
	_, err = c.Create(ctx, def, connector.Record{"title": "undone 1"})
	checkPersistError(t, err)
	_, err = c.Create(ctx, def, connector.Record{"title": "undone 2"})
	checkPersistError(t, err)
	if got := calls.Load(); got != 4 {
		t.Fatalf("got %d file writes; want 4", got)
	}
	if n, err := c.Count(ctx, def, nil); err != nil || n != 0 {
		t.Errorf("Count: got (%d, %v); want 0", n, err)
	}
	if got := calls.Load(); got != 5 {
		t.Errorf("got %d file writes; want 5 (the read writes the stale file again)", got)
	}
	if got, want := fileState(t, path), storeState(t, c); got != want || strings.Contains(got, "undone") {
		t.Errorf("after restart:\n got %s\nwant %s", got, want)
	}
}
