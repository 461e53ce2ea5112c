package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		live, roots, floor uint64
		want               int
	}{
		{4 << 20, 0, 16 << 20, 300}, // goal 16 MiB: 4 MiB live + 300%
		{3 << 20, 1 << 20, 16 << 20, 325},
		{3 << 20, 0, 16 << 20, 400}, // bounded: 433
		{8 << 20, 0, 16 << 20, 100}, // twice the live heap reaches the floor
		{7 << 20, 2 << 20, 16 << 20, 100},
		{100 << 20, 0, 16 << 20, 100},
		{0, 0, 16 << 20, 100},                  // no collection yet: the live heap is not known
		{100 << 10, 0, 16 << 20, maxGCPercent}, // bounded
	} {
		if got := gcPercent(tt.live, tt.roots, tt.floor); got != tt.want {
			t.Errorf("gcPercent(%d, %d, %d) = %d; want %d", tt.live, tt.roots, tt.floor, got, tt.want)
		}
	}
}

// TestKeepHeapFloor checks that the tuner raises the GC percentage for a
// small live heap, keeps it up after collections, and gives it back
// (100) once stopped; with GOGC set it changes nothing.
func TestKeepHeapFloor(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	t.Setenv("GOGC", "100") // restored when the test ends
	keepHeapFloor(1 << 40)()
	if got := gogc(); got != 100 {
		t.Fatalf("with GOGC set: GC percent %d; want 100", got)
	}
	os.Unsetenv("GOGC")
	stop := keepHeapFloor(1 << 40) // far above the live heap of the test
	if got := gogc(); got != 100 {
		t.Fatalf("before a collection: GC percent %d; want 100", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for gogc() != maxGCPercent && time.Now().Before(deadline) {
		runtime.GC() // the finalizer runs after it, in its own goroutine
		time.Sleep(time.Millisecond)
	}
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if got := gogc(); got != maxGCPercent {
		t.Fatalf("after collections: GC percent %d; want %d", got, maxGCPercent)
	}
	stop()
	deadline = time.Now().Add(5 * time.Second)
	for gogc() != 100 {
		if time.Now().After(deadline) {
			t.Fatalf("stopped: GC percent %d; want 100", gogc())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// gogc reads the collector's percentage.
func gogc() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}
