package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// defaultHeapFloor is the heap the collector lets the example grow to
// before it collects, however small the live heap: 16 MiB.
const defaultHeapFloor = 16 << 20

// keepHeapFloor tunes the garbage collector so that it runs once the heap
// reaches floor bytes, or twice the live heap when that is more (GOGC=100,
// the default). With GOGC alone, a server whose live heap is a few
// megabytes (the libraries' tables, parsed at start) collects every few
// megabytes of allocation: hundreds of times a second under load, each
// collection marking the same live heap again. It does nothing when the
// environment sets GOGC, which then rules. After every collection the
// percentage is set from the live heap; the stop function ends that.
func keepHeapFloor(floor uint64) (stop func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	t := &heapTuner{floor: floor, sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}, pct: 100}
	// The first tuning follows the next collection: the live heap of the
	// last one (during package initialization, if any) says little of the
	// app's.
	t.arm()
	return func() { t.stopped.Store(true) }
}

type heapTuner struct {
	floor   uint64
	sample  []metrics.Sample
	pct     int
	stopped atomic.Bool
}

// arm makes tune run after the next collection: the finalizer of an
// unreachable object runs once a cycle has found it unreachable.
func (t *heapTuner) arm() {
	runtime.SetFinalizer(new(sentinel), func(*sentinel) {
		if t.stopped.Load() {
			debug.SetGCPercent(100)
			return
		}
		t.tune()
		t.arm()
	})
}

// sentinel is the object whose finalizer tells of a collection; it holds
// a pointer so that the allocator does not pack it with others.
type sentinel struct {
	_ *byte
	_ [16]byte
}

// tune sets the GC percentage that puts the next collection at the floor,
// or at twice the live heap when that is higher.
func (t *heapTuner) tune() {
	metrics.Read(t.sample)
	live := t.sample[0].Value.Uint64()
	roots := t.sample[1].Value.Uint64() + t.sample[2].Value.Uint64()
	pct := gcPercent(live, roots, t.floor)
	// Move only on a change of more than a tenth: SetGCPercent takes the
	// heap lock.
	if d := pct - t.pct; d > t.pct/10 || -d > t.pct/10 {
		debug.SetGCPercent(pct)
		t.pct = pct
	}
}

// gcPercent is the GOGC that puts the heap goal at floor for a live heap
// and the stacks and globals the collector scans (roots): the runtime's
// goal is live + (live+roots)×GOGC/100. It is 100 when that gives a
// goal above floor, or the live heap is not known yet (0: before the
// first collection), and at most maxGCPercent.
func gcPercent(live, roots, floor uint64) int {
	if live == 0 || 2*live+roots >= floor {
		return 100
	}
	return int(min((floor-live)*100/(live+roots), maxGCPercent))
}

// maxGCPercent bounds the percentage: a live heap of a megabyte (before
// the example has built its app) is no reason for a goal of sixteen times
// it.
const maxGCPercent = 400
