package memory_test

import (
	"bufio"
	"context"
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
	"github.com/loopback-go/lb/filter"
	"github.com/loopback-go/lb/model"
)

// crashFileEnv names the data file of the writer child process; the child
// test does nothing without it.
const crashFileEnv = "LB_MEMORY_CRASH_FILE"

func crashDef() *model.Definition {
	return &model.Definition{
		Name: "Crash",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "payload", Type: model.String},
		},
	}
}

// TestCrashWriterChild is the writer process of TestCrashDurability: it
// creates instances from several goroutines until it is killed, printing
// "ACK <id>" once each Create has returned.
func TestCrashWriterChild(t *testing.T) {
	path := os.Getenv(crashFileEnv)
	if path == "" {
		t.Skip("writer child of TestCrashDurability; runs only when " + crashFileEnv + " is set")
	}
	c, err := memory.New(memory.Config{File: path})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	payload := strings.Repeat("x", 200)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				rec, err := c.Create(context.Background(), crashDef(), connector.Record{"payload": payload})
				if err != nil {
					fmt.Println("ERR", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintf(out, "ACK %d\n", rec["id"])
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestCrashDurability kills a writer process with SIGKILL at random
// moments and checks that the file always loads and holds every write the
// writer acknowledged.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns writer processes")
	}
	path := filepath.Join(t.TempDir(), "db.json")
	acked := map[int64]bool{}
	const rounds = 6
	for round := range rounds {
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
		// Wait for the first acknowledgement so that every round writes,
		// then let it run for a random while and kill it.
		first, ok := <-lines
		if !ok {
			cmd.Wait()
			t.Fatalf("round %d: writer exited without writing", round)
		}
		time.Sleep(time.Duration(20+rand.IntN(300)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, line := range append([]string{first}, drain(lines)...) {
			if rest, ok := strings.CutPrefix(line, "ACK "); ok {
				id, err := strconv.ParseInt(rest, 10, 64)
				if err != nil {
					t.Fatalf("round %d: bad line %q", round, line)
				}
				acked[id] = true
				n++
			} else if strings.HasPrefix(line, "ERR") {
				t.Fatalf("round %d: writer failed: %s", round, line)
			}
		}
		cmd.Wait()
		if n == 0 {
			t.Fatalf("round %d: no acknowledged writes", round)
		}

		c, err := memory.New(memory.Config{File: path})
		if err != nil {
			t.Fatalf("round %d: the file does not load after SIGKILL: %v", round, err)
		}
		recs, err := c.Find(context.Background(), crashDef(), &filter.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		stored := make(map[int64]bool, len(recs))
		for _, r := range recs {
			stored[r["id"].(int64)] = true
		}
		missing := 0
		for id := range acked {
			if !stored[id] {
				missing++
			}
		}
		if missing > 0 {
			t.Fatalf("round %d: %d of %d acknowledged writes are missing from the file", round, missing, len(acked))
		}
		c.Close()
		t.Logf("round %d: %d acknowledged so far, %d stored", round, len(acked), len(stored))
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
