package memory_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// crashFileEnv names the data file of the writer child process; the child
// test does nothing without it.
const crashFileEnv = "LB_MEMORY_CRASH_FILE"

// crashWriters is the number of writer goroutines of the child; writer g
// owns the ids from g*crashIDSpan on.
const (
	crashWriters = 4
	crashIDSpan  = 1_000_000
)

func crashDef() *model.Definition {
	return &model.Definition{
		Name: "Crash",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "val", Type: model.Number, Integer: true},
			{Name: "payload", Type: model.String},
		},
	}
}

func idWhere(id int64) *filter.Where {
	return &filter.Where{Conds: []filter.Cond{{Path: "id", Op: filter.Eq, Value: id}}}
}

// TestCrashWriterChild is the writer process of TestCrashDurability: from
// several goroutines, each on instances of its own, it creates, updates
// and deletes until it is killed, and reads back what it wrote. Each
// goroutine prints, in order:
//
//	TRY <g> <op> <id> <val>    before a write (op c, u or d)
//	ACK <g>                    once the write returned nil
//	NACK <g>                   once it failed with a fault.Unavailable
//	READ <g> <id> <val>|-      what a read of one of its instances answered
func TestCrashWriterChild(t *testing.T) {
	path := os.Getenv(crashFileEnv)
	if path == "" {
		t.Skip("writer child of TestCrashDurability; runs only when " + crashFileEnv + " is set")
	}
	fail := func(format string, args ...any) {
		fmt.Printf("ERR "+format+"\n", args...)
		os.Exit(2)
	}
	c, err := memory.New(memory.Config{File: path})
	if err != nil {
		fail("%v", err)
	}
	ctx := context.Background()
	def := crashDef()
	existing, err := c.Find(ctx, def, nil)
	if err != nil {
		fail("%v", err)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(out, format+"\n", args...)
		out.Flush()
		mu.Unlock()
	}
	payload := strings.Repeat("x", 200)
	var wg sync.WaitGroup
	for g := range crashWriters {
		mine := map[int64]bool{}
		next := int64(g*crashIDSpan + 1)
		for _, r := range existing {
			if id := r["id"].(int64); id/crashIDSpan == int64(g) {
				mine[id] = true
				next = max(next, id+1)
			}
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(g)))
			for n := int64(1); ; n++ {
				var ids []int64
				for id := range mine {
					ids = append(ids, id)
				}
				op := rng.IntN(10)
				var id int64
				var err error
				switch {
				case op < 5 || len(ids) == 0:
					id = next
					next++
					say("TRY %d c %d %d", g, id, n)
					_, err = c.Create(ctx, def, connector.Record{"id": id, "val": n, "payload": payload})
					if err == nil {
						mine[id] = true
					}
				case op < 8:
					id = ids[rng.IntN(len(ids))]
					say("TRY %d u %d %d", g, id, n)
					var k int64
					if k, err = c.UpdateAll(ctx, def, idWhere(id), connector.Record{"val": n}); err == nil && k != 1 {
						fail("update %d: %d rows", id, k)
					}
				default:
					id = ids[rng.IntN(len(ids))]
					say("TRY %d d %d 0", g, id)
					var k int64
					if k, err = c.DeleteAll(ctx, def, idWhere(id)); err == nil {
						if k != 1 {
							fail("delete %d: %d rows", id, k)
						}
						delete(mine, id)
					}
				}
				switch {
				case err == nil:
					say("ACK %d", g)
				case errors.Is(err, fault.Unavailable):
					say("NACK %d", g)
					time.Sleep(time.Millisecond) // the disk is full: do not spin
				default:
					fail("write %d: %v", id, err)
				}
				recs, err := c.Find(ctx, def, &filter.Filter{Where: idWhere(id)})
				switch {
				case errors.Is(err, fault.Unavailable):
				case err != nil:
					fail("read %d: %v", id, err)
				case len(recs) == 0:
					say("READ %d %d -", g, id)
				default:
					say("READ %d %d %d", g, id, recs[0]["val"])
				}
			}
		})
	}
	wg.Wait()
}

// crashModel follows the child's output: the value of each instance by
// the acknowledged writes, and the write each goroutine has in flight.
type crashModel struct {
	state    map[int64]int64 // id → val
	inFlight map[int][]string
	acked    int
	nacked   int
}

// apply reads one line of the child's output; it returns an error when a
// read contradicts the acknowledged writes.
func (m *crashModel) apply(line string) error {
	f := strings.Fields(line)
	if len(f) < 2 {
		return nil // a line cut by the kill
	}
	g, err := strconv.Atoi(f[1])
	if err != nil {
		return fmt.Errorf("bad line %q", line)
	}
	switch f[0] {
	case "TRY":
		if len(f) == 5 {
			m.inFlight[g] = f[2:]
		}
	case "ACK":
		w := m.inFlight[g]
		if w == nil {
			return fmt.Errorf("ACK without TRY: %q", line)
		}
		delete(m.inFlight, g)
		id, _ := strconv.ParseInt(w[1], 10, 64)
		val, _ := strconv.ParseInt(w[2], 10, 64)
		if w[0] == "d" {
			delete(m.state, id)
		} else {
			m.state[id] = val
		}
		m.acked++
	case "NACK":
		delete(m.inFlight, g)
		m.nacked++
	case "READ":
		if len(f) != 4 {
			return nil
		}
		id, _ := strconv.ParseInt(f[2], 10, 64)
		val, ok := m.state[id]
		want := "-"
		if ok {
			want = strconv.FormatInt(val, 10)
		}
		if f[3] != want {
			return fmt.Errorf("the child read %s for %d; the acknowledged writes say %s", f[3], id, want)
		}
	case "ERR":
		return fmt.Errorf("writer failed: %s", line)
	}
	return nil
}

// TestCrashDurability kills a writer process (create, update, delete from
// several goroutines, on a small disk that fills up when this test may
// mount one) with SIGKILL at random moments and checks that the set of
// writes the child was told succeeded, what it read back and what the file
// holds after the restart are the same: every acknowledged write is
// there, no failed one is, and only the write a goroutine had in flight at
// the kill may go either way.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns writer processes")
	}
	dir := t.TempDir()
	full := memory.MountSmallDisk(t, dir, "192k")
	if !full {
		t.Log("the disk does not fill in this run")
	}
	path := filepath.Join(dir, "db.json")
	m := &crashModel{state: map[int64]int64{}, inFlight: map[int][]string{}}
	// Six rounds, and more (up to 40) until the small disk has filled: a
	// slow machine (a race build next to other tests) writes less per round.
	const rounds, maxRounds = 6, 40
	for round := 0; round < rounds || (full && m.nacked == 0 && round < maxRounds); round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriterChild$")
		cmd.Env = append(os.Environ(), crashFileEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for the first line so that every round writes, then let it
		// run for a random while and kill it.
		first, ok := <-lines
		if !ok {
			cmd.Wait()
			t.Fatalf("round %d: writer exited without writing", round)
		}
		time.Sleep(time.Duration(50+rand.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		ackedBefore := m.acked
		clear(m.inFlight)
		for _, line := range append([]string{first}, drain(lines)...) {
			if err := m.apply(line); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		cmd.Wait()

		c, err := memory.New(memory.Config{File: path})
		if err != nil {
			t.Fatalf("round %d: the file does not load after SIGKILL: %v", round, err)
		}
		if temps, _ := filepath.Glob(filepath.Join(dir, ".db.json.tmp-*")); len(temps) > 0 {
			t.Errorf("round %d: temporary files left after open: %v", round, temps)
		}
		recs, err := c.Find(context.Background(), crashDef(), nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		stored := make(map[int64]int64, len(recs))
		for _, r := range recs {
			stored[r["id"].(int64)] = r["val"].(int64)
		}
		// The write in flight at the kill may or may not be on disk.
		for _, w := range m.inFlight {
			id, _ := strconv.ParseInt(w[1], 10, 64)
			val, _ := strconv.ParseInt(w[2], 10, 64)
			sv, onDisk := stored[id]
			before, had := m.state[id]
			after := w[0] != "d"
			if onDisk == had && (!had || sv == before) || onDisk == after && (!after || sv == val) {
				if onDisk {
					m.state[id] = sv
				} else {
					delete(m.state, id)
				}
			}
		}
		for id, val := range m.state {
			if sv, ok := stored[id]; !ok || sv != val {
				t.Errorf("round %d: instance %d: file has %d (present %v); acknowledged writes say %d", round, id, sv, ok, val)
			}
		}
		for id, sv := range stored {
			if _, ok := m.state[id]; !ok {
				t.Errorf("round %d: instance %d (val %d) is in the file; no acknowledged write made it", round, id, sv)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		if m.acked == ackedBefore && !full {
			t.Fatalf("round %d: no acknowledged writes", round)
		}
		t.Logf("round %d: %d writes acknowledged, %d failed so far; %d instances stored", round, m.acked, m.nacked, len(stored))
	}
	if full && m.nacked == 0 {
		t.Errorf("the disk never filled: no write failed")
	}
}

// drain reads the rest of a channel.
func drain(ch <-chan string) []string {
	var out []string
	for s := range ch {
		out = append(out, s)
	}
	return out
}
