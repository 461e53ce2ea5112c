package memory

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/loopback-go/lb/fault"
)

// Durability
//
// A write changes the store under the write lock, recording how to undo
// each change in c.pending, and then waits until a file write that
// includes it succeeds. Until then it is pending: a read that sees a
// pending change waits for the same file write before it answers. When a
// file write fails, every pending change is undone (in reverse order,
// under the write lock), every writer waiting for one of them gets the
// error, and the reads that saw them run again: what a client is told, by
// a write's result or by a read, is what a restart finds.
//
// Versions: c.version counts changes. p.durable is the version of the last
// state known to be on disk, p.epoch counts rollbacks. A read of version v
// in epoch e is durable when p.epoch is still e and p.durable >= v (a
// successful file write in epoch e took its snapshot after state v). A
// writer registers a waiter with its version, which the file writer marks
// done (durable) or failed (rolled back) precisely.

// persister writes the store to its file with group commit: a writer
// waits until a file write that includes its change is durable; one
// writer at a time writes the whole store, and that write covers every
// change made before it took its snapshot.
type persister struct {
	path string
	// write replaces the file with data; renamed reports whether the file
	// may hold data even though err is set. writeAtomic, except in tests.
	write func(path string, data []byte) (renamed bool, err error)

	durable atomic.Uint64 // the state of this version is on disk
	epoch   atomic.Uint64 // incremented by every rollback (under c.mu and mu)

	mu      sync.Mutex
	cond    *sync.Cond
	running bool      // a file write (and its rollback, if it fails) is under way
	waiters []*waiter // writers whose change is pending, by version
	waiting int       // callers waiting for another caller's file write
	flushes int       // file writes attempted (rewrites of a stale file aside)
	lastErr error     // the error of the last failed file write
	stale   bool      // the file may hold undone changes (see rollback)

	beforeWrite   func() // test hook: runs after the snapshot, before the write
	beforeRewrite func() // test hook: runs before a stale file is written again
}

// waiter is a writer waiting for its change (version v) to be durable or
// rolled back.
type waiter struct {
	v    uint64
	done bool
	err  error
}

func newPersister(path string) *persister {
	p := &persister{path: path, write: writeAtomic}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// persistError is what every caller whose change a failed file write
// rolled back gets: a fault.Unavailable (503) whose message names neither
// the file nor the operating system's error, which only the wrapping
// error's text (for logs) and its chain (errors.Is(err, syscall.ENOSPC))
// carry.
func persistError(path string, err error) error {
	fe := &fault.Error{
		Kind:    fault.Unavailable,
		Message: "The data could not be saved; the change was not applied.",
		Err:     err,
	}
	return fmt.Errorf("memory: persist %s: %v: %w", path, err, fe)
}

// trimPending forgets the undo entries of durable changes. It runs with
// the write lock.
func (c *Connector) trimPending() {
	if c.p == nil || len(c.pending) == 0 {
		return
	}
	d := c.p.durable.Load()
	i := 0
	for i < len(c.pending) && c.pending[i].v <= d {
		i++
	}
	switch {
	case i == len(c.pending):
		clear(c.pending)
		c.pending = c.pending[:0]
	case i > 0:
		clear(c.pending[:i])
		c.pending = c.pending[i:]
	}
}

// registerPending tags the undo entries recorded since start with the
// current version and registers a waiter for it. It runs with the write
// lock.
func (c *Connector) registerPending(start int) *waiter {
	for i := start; i < len(c.pending); i++ {
		c.pending[i].v = c.version
	}
	w := &waiter{v: c.version}
	c.p.mu.Lock()
	c.p.waiters = append(c.p.waiters, w)
	c.p.mu.Unlock()
	return w
}

// awaitWriter waits until w's change is durable (nil) or rolled back (the
// file write's error).
func (c *Connector) awaitWriter(w *waiter) error {
	p := c.p
	p.mu.Lock()
	defer p.mu.Unlock()
	for !w.done {
		c.flushOrWait()
	}
	return w.err
}

// awaitState waits until the state of version v seen in epoch e is
// durable, and reports whether it is; false means it was rolled back, with
// the file write's error.
func (c *Connector) awaitState(v, e uint64) (bool, error) {
	p := c.p
	if p == nil {
		return true, nil
	}
	// durable before epoch: a rollback stores epoch first, then durable.
	if d := p.durable.Load(); p.epoch.Load() == e && d >= v {
		return true, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if p.epoch.Load() != e {
			return false, p.lastErr
		}
		if p.durable.Load() >= v {
			return true, nil
		}
		c.flushOrWait()
	}
}

// flushOrWait writes the store when no one else is, or waits for the
// current writer. It runs with p.mu held and returns with it held.
func (c *Connector) flushOrWait() {
	p := c.p
	if p.running {
		p.waiting++
		p.cond.Wait()
		p.waiting--
		return
	}
	p.running = true
	p.mu.Unlock()
	snap, err := c.snapshot()
	if p.beforeWrite != nil {
		p.beforeWrite()
	}
	renamed := false
	if err == nil {
		renamed, err = p.write(p.path, snap.data)
	}
	if err != nil {
		c.rollback(persistError(p.path, err), renamed)
	}
	p.mu.Lock()
	p.flushes++
	if err == nil {
		p.stale = false
		p.madeDurable(snap.version)
	}
	p.running = false
	p.cond.Broadcast()
}

// madeDurable records that the state of version v is on disk: the writers
// of changes up to v are done. It runs with p.mu held.
func (p *persister) madeDurable(v uint64) {
	if v > p.durable.Load() {
		p.durable.Store(v)
	}
	n := 0
	for n < len(p.waiters) && p.waiters[n].v <= v {
		p.waiters[n].done = true
		n++
	}
	clear(p.waiters[:n])
	p.waiters = p.waiters[n:]
}

// rollback undoes every pending change after a failed file write, fails
// their writers with err and starts a new epoch. When the failed write may
// have replaced the file anyway (renamed), the file is stale: it is
// written again from the rolled-back state at once and, should that fail
// too, by every later file write until one succeeds. It runs as the file
// writer (p.running), without locks.
func (c *Connector) rollback(err error, renamed bool) {
	p := c.p
	c.mu.Lock()
	d := p.durable.Load()
	i := len(c.pending)
	for i > 0 && c.pending[i-1].v > d {
		i--
	}
	c.undo(c.pending[i:])
	clear(c.pending)
	c.pending = c.pending[:0]
	c.version++
	p.mu.Lock()
	p.epoch.Add(1)
	for _, w := range p.waiters {
		// Every waiter is past d: those up to it were done when it was
		// written.
		w.done, w.err = true, err
	}
	clear(p.waiters)
	p.waiters = p.waiters[:0]
	p.lastErr = err
	if renamed {
		p.stale = true
	} else if !p.stale {
		// The file holds the state of version d, which the store is again.
		p.durable.Store(c.version)
	}
	stale := p.stale
	p.mu.Unlock()
	c.mu.Unlock()
	if !stale {
		return
	}
	// Writers may have made changes since the lock was released: the
	// snapshot has them, and they are done if it is written.
	if p.beforeRewrite != nil {
		p.beforeRewrite()
	}
	if snap, err := c.snapshot(); err == nil {
		if _, err := p.write(p.path, snap.data); err == nil {
			p.mu.Lock()
			p.stale = false
			p.madeDurable(snap.version)
			p.mu.Unlock()
		}
	}
}

// read runs fn, which reads the store, with the read lock (or inside
// ctx's transaction). When fn saw changes that are not yet on disk, read
// waits until they are, and runs fn again if they were rolled back
// instead (at most a few times; then the file write's error is returned),
// so that no one reads a change a restart would not find.
func (c *Connector) read(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		mode, tx, err := c.acquire(ctx, false)
		if err != nil {
			return err
		}
		err = fn()
		check := mode == lockRead && c.p != nil && err == nil
		var v, e uint64
		if check {
			v, e = c.version, c.p.epoch.Load()
		}
		c.release(mode, tx)
		if !check {
			return err
		}
		ok, err := c.awaitState(v, e)
		if ok {
			return nil
		}
		if attempt == 2 {
			return err
		}
	}
}

// sync waits until every change made so far is on disk; it fails with the
// file write's error when they were rolled back instead.
func (c *Connector) sync() error {
	if c.p == nil {
		return nil
	}
	c.mu.RLock()
	v, e := c.version, c.p.epoch.Load()
	c.mu.RUnlock()
	ok, err := c.awaitState(v, e)
	if !ok {
		return err
	}
	return nil
}

type snapshot struct {
	version uint64
	data    []byte
}

func (c *Connector) snapshot() (snapshot, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	data, err := c.encodeDB()
	return snapshot{version: c.version, data: data}, err
}

// tempPattern is the name pattern of writeAtomic's temporary files.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// removeStaleTemps removes the temporary files a process killed while
// writing path left in its directory: regular files named by tempPattern
// (os.CreateTemp puts digits where the star is). Nothing else is touched.
// A file that cannot be removed is left alone: it only takes space.
func removeStaleTemps(path string) error {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	prefix, _, _ := strings.Cut(tempPattern(path), "*")
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
	return nil
}

// writeAtomic replaces path with data: a temporary file in the same
// directory is written and synced, renamed over path, and the directory is
// synced, so that a crash leaves either the old or the new file. renamed
// is true once the rename is done: a later error (syncing the directory)
// leaves the new file in place, though not known to be durable.
func writeAtomic(path string, data []byte) (renamed bool, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	defer func() {
		if err != nil && !renamed {
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(mode); err != nil {
		f.Close()
		return false, err
	}
	if _, err = f.Write(data); err != nil {
		f.Close()
		return false, err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return false, err
	}
	if err = f.Close(); err != nil {
		return false, err
	}
	if err = os.Rename(tmp, path); err != nil {
		return false, err
	}
	d, err := os.Open(dir)
	if err != nil {
		return true, err
	}
	defer d.Close()
	return true, d.Sync()
}
