package rest

import (
	"io"
	"sync"
	"time"
)

// LogBufferConfig configures [NewLogBuffer].
type LogBufferConfig struct {
	// Size is how many bytes are held before they are written out; zero
	// means 32 KiB. A single write of Size bytes or more goes out at once.
	Size int
	// Interval is the longest a byte waits in the buffer; zero means
	// 100 ms.
	Interval time.Duration
}

// LogBuffer is an io.Writer for logs, such as the access log's, that
// gathers the records written to it and passes them on to the underlying
// writer in batches: when Size bytes are held, at most Interval after the
// first byte was written, and on Flush and Close. Each Write is passed on
// whole and in order, so a record written with one Write (as slog handlers
// write them) is never split. A server that logs every request to a pipe
// (stderr under a supervisor or a container runtime) then pays one system
// call per batch rather than per request. What is still held when the
// process dies without Close is lost: at most Interval of records.
//
//	out := rest.NewLogBuffer(os.Stderr, rest.LogBufferConfig{})
//	defer out.Close()
//	logger := slog.New(rest.LogHandler(slog.NewJSONHandler(out, nil)))
//
// It is safe for concurrent use.
type LogBuffer struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte
	size   int
	every  time.Duration
	timer  *time.Timer
	armed  bool // the timer will flush what is held
	closed bool
}

// NewLogBuffer returns a LogBuffer in front of w.
func NewLogBuffer(w io.Writer, cfg LogBufferConfig) *LogBuffer {
	b := &LogBuffer{w: w, size: cfg.Size, every: cfg.Interval}
	if b.size <= 0 {
		b.size = 32 << 10
	}
	if b.every <= 0 {
		b.every = 100 * time.Millisecond
	}
	b.buf = make([]byte, 0, b.size)
	b.timer = time.AfterFunc(time.Hour, b.tick)
	b.timer.Stop()
	return b
}

// Write holds p, passing on what is held first when p does not fit. After
// Close it writes p through. A failure of the underlying writer is
// returned by the Write (or Flush) that passes the bytes on.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.w.Write(p)
	}
	if len(b.buf)+len(p) > b.size {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		if len(p) >= b.size {
			return b.w.Write(p)
		}
	}
	b.buf = append(b.buf, p...)
	if !b.armed {
		b.armed = true
		b.timer.Reset(b.every)
	}
	return len(p), nil
}

// Flush passes on what is held.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

// Close passes on what is held and stops buffering: later writes go
// straight to the underlying writer. It does not close that writer.
func (b *LogBuffer) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.timer.Stop()
	return b.flushLocked()
}

func (b *LogBuffer) tick() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed = false
	b.flushLocked() //nolint:errcheck // nobody to tell; the next Write or Flush tries again
}

func (b *LogBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0] // a failed write is dropped, not retried forever
	return err
}
