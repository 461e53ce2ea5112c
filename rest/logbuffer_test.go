package rest_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loopback-go/lb/rest"
)

// countingWriter records what reaches it and in how many writes.
type countingWriter struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	return c.b.Write(p)
}

func (c *countingWriter) get() (string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String(), c.writes
}

// waitLogged polls until out holds want, or fails.
func waitLogged(t *testing.T, out *countingWriter, want string) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, n := out.get()
		if s == want {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("the underlying writer got %q in %d writes; want %q", s, n, want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestLogBufferBatches(t *testing.T) {
	out := &countingWriter{}
	b := rest.NewLogBuffer(out, rest.LogBufferConfig{Size: 16, Interval: time.Hour})
	b.Write([]byte("0123456789"))
	time.Sleep(20 * time.Millisecond)
	if s, n := out.get(); s != "" || n != 0 {
		t.Fatalf("after a small write: %q in %d writes; want it held", s, n)
	}
	b.Write([]byte("abcdefghij")) // Size reached: the buffer's goroutine writes both
	if n := waitLogged(t, out, "0123456789abcdefghij"); n != 1 {
		t.Errorf("%d writes for the first batch; want 1", n)
	}
	big := strings.Repeat("x", 70) // four times Size: the writer waits for the write
	b.Write([]byte(big))
	if s, _ := out.get(); s != "0123456789abcdefghij"+big {
		t.Fatalf("after a write of 4×Size: %q; want it written before Write returns", s)
	}
	b.Write([]byte("tail"))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if s, _ := out.get(); !strings.HasSuffix(s, "xtail") {
		t.Fatalf("Close did not flush: %q", s)
	}
	b.Write([]byte("after"))
	if s, _ := out.get(); !strings.HasSuffix(s, "tailafter") {
		t.Fatalf("a write after Close was held: %q", s)
	}
	if err := b.Close(); err != nil { // a second Close is harmless
		t.Fatal(err)
	}
}

func TestLogBufferFlushesWithinInterval(t *testing.T) {
	out := &countingWriter{}
	b := rest.NewLogBuffer(out, rest.LogBufferConfig{Interval: 20 * time.Millisecond})
	defer b.Close()
	b.Write([]byte("record\n"))
	if n := waitLogged(t, out, "record\n"); n != 1 {
		t.Errorf("%d writes for one record; want 1", n)
	}
	b.Write([]byte("second\n"))
	waitLogged(t, out, "record\nsecond\n")
}

// TestLogBufferConcurrentRecords logs from many goroutines through a JSON
// handler: every record arrives whole, none is lost.
func TestLogBufferConcurrentRecords(t *testing.T) {
	out := &countingWriter{}
	b := rest.NewLogBuffer(out, rest.LogBufferConfig{Size: 1024, Interval: time.Millisecond})
	logger := slog.New(slog.NewJSONHandler(b, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				logger.Info("request", "g", g, "i", i)
			}
		}()
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	s, n := out.get()
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if !strings.HasPrefix(line, `{"time":`) || !strings.HasSuffix(line, "}") {
			t.Fatalf("broken record %q", line)
		}
		seen[line[strings.Index(line, `"g":`):]] = true
	}
	for g := range 8 {
		for i := range 500 {
			if k := fmt.Sprintf(`"g":%d,"i":%d}`, g, i); !seen[k] {
				t.Fatalf("record %s lost", k)
			}
		}
	}
	if n >= 4000 {
		t.Errorf("%d writes for 4000 records; want them batched", n)
	}
}
