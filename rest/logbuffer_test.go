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

func TestLogBufferBatches(t *testing.T) {
	out := &countingWriter{}
	b := rest.NewLogBuffer(out, rest.LogBufferConfig{Size: 16, Interval: time.Hour})
	b.Write([]byte("0123456789"))
	if s, n := out.get(); s != "" || n != 0 {
		t.Fatalf("after a small write: %q in %d writes; want it held", s, n)
	}
	b.Write([]byte("abcdefghij")) // does not fit: the first goes out
	if s, n := out.get(); s != "0123456789" || n != 1 {
		t.Fatalf("after a write that does not fit: %q in %d writes; want the first record in 1", s, n)
	}
	b.Write([]byte(strings.Repeat("x", 20))) // larger than the buffer: passed on whole
	if s, n := out.get(); s != "0123456789abcdefghij"+strings.Repeat("x", 20) || n != 3 {
		t.Fatalf("after a large write: %q in %d writes", s, n)
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
}

func TestLogBufferFlushesWithinInterval(t *testing.T) {
	out := &countingWriter{}
	b := rest.NewLogBuffer(out, rest.LogBufferConfig{Interval: 20 * time.Millisecond})
	defer b.Close()
	b.Write([]byte("record\n"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if s, n := out.get(); s == "record\n" && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			s, n := out.get()
			t.Fatalf("not flushed by the timer: %q in %d writes", s, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Write([]byte("second\n")) // the timer is armed again
	for {
		if s, _ := out.get(); s == "record\nsecond\n" {
			break
		}
		if time.Now().After(deadline) {
			s, _ := out.get()
			t.Fatalf("second record not flushed by the timer: %q", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
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
