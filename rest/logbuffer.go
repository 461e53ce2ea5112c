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
// call per batch rather than per request, made by a goroutine of the
// buffer's own, so requests do not wait for it (unless the underlying
// writer falls behind by four times Size, when writers wait for it). What
// is still held when the process dies without Close is lost: at most
// Interval of records.
//
//	out := rest.NewLogBuffer(os.Stderr, rest.LogBufferConfig{})
//	defer out.Close()
//	logger := slog.New(rest.LogHandler(slog.NewJSONHandler(out, nil)))
//
// It is safe for concurrent use.
type LogBuffer struct {
	mu     sync.Mutex
	buf    []byte
	spare  []byte // the other buffer, while buf fills
	closed bool

	wmu   sync.Mutex // serializes writes to w, in the order buffers were taken
	w     io.Writer
	size  int
	kick  chan struct{} // buf holds Size bytes: the flusher is to run now
	done  chan struct{}
	ended chan struct{}
}

// NewLogBuffer returns a LogBuffer in front of w. It starts a goroutine,
// which Close ends.
func NewLogBuffer(w io.Writer, cfg LogBufferConfig) *LogBuffer {
	b := &LogBuffer{w: w, size: cfg.Size, kick: make(chan struct{}, 1), done: make(chan struct{}), ended: make(chan struct{})}
	if b.size <= 0 {
		b.size = 32 << 10
	}
	every := cfg.Interval
	if every <= 0 {
		every = 100 * time.Millisecond
	}
	b.buf = make([]byte, 0, b.size)
	b.spare = make([]byte, 0, b.size)
	go b.flusher(every)
	return b
}

func (b *LogBuffer) flusher(every time.Duration) {
	defer close(b.ended)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-b.kick:
		case <-t.C:
		case <-b.done:
			return
		}
		b.Flush() //nolint:errcheck // nobody to tell; the next flush tries again
	}
}

// Write holds p and returns len(p). After Close it writes p through.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.wmu.Lock()
		defer b.wmu.Unlock()
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	n := len(b.buf)
	b.mu.Unlock()
	if n >= b.size {
		select {
		case b.kick <- struct{}{}:
		default:
		}
		if n >= 4*b.size { // the writer is behind: wait for it
			return len(p), b.Flush()
		}
	}
	return len(p), nil
}

// Flush passes on what is held and returns the underlying writer's error.
func (b *LogBuffer) Flush() error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.Lock()
	out := b.buf
	b.buf, b.spare = b.spare[:0], nil
	b.mu.Unlock()
	var err error
	if len(out) > 0 {
		_, err = b.w.Write(out) // a failed write is dropped, not retried forever
	}
	if cap(out) > 4*b.size {
		out = make([]byte, 0, b.size) // do not keep a buffer a burst grew
	}
	b.mu.Lock()
	b.spare = out[:0]
	b.mu.Unlock()
	return err
}

// Close passes on what is held, ends the buffer's goroutine and stops
// buffering: later writes go straight to the underlying writer. It does
// not close that writer. Calling it again only flushes.
func (b *LogBuffer) Close() error {
	b.mu.Lock()
	already := b.closed
	b.closed = true
	b.mu.Unlock()
	if !already {
		close(b.done)
		<-b.ended
	}
	return b.Flush()
}
