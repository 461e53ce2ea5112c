package main

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// heapBench is a Go benchmark that reports the live heap per stored todo.
type heapBench struct {
	Name, Pkg, Bench string
}

// heapBenches are the two sides of the live-heap target: the todo example
// through its whole stack on the memory connector, and the bare baseline.
var heapBenches = []heapBench{
	{"LoopBack for Go (memory connector)", "./examples/todo", "^BenchmarkFindTodos$/^create$"},
	{"net/http baseline (map of structs)", "./bench/baseline", "^BenchmarkCreate$"},
}

// measureHeap runs each benchmark creating n todos and returns the live
// heap per todo (after a collection), in bytes.
func measureHeap(ctx context.Context, root string, n int) (map[string]float64, []string, error) {
	out := map[string]float64{}
	var cmds []string
	for _, h := range heapBenches {
		args := []string{"test", "-run", "^$", "-bench", h.Bench, "-benchtime", strconv.Itoa(n) + "x", h.Pkg}
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		b, err := cmd.CombinedOutput()
		if err != nil {
			return nil, nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, b)
		}
		v, err := parseBenchMetric(string(b), "heap-B/todo")
		if err != nil {
			return nil, nil, fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
		}
		out[h.Name] = v
		cmds = append(cmds, "go "+strings.Join(args, " "))
		logf("live heap per todo, %s: %.1f B", h.Name, v)
	}
	return out, cmds, nil
}

// parseBenchMetric finds the value of a custom metric (reported with
// b.ReportMetric) in the output of go test -bench:
//
//	BenchmarkCreate-2   100000   36799 ns/op   186.9 heap-B/todo   8678 B/op
func parseBenchMetric(out, unit string) (float64, error) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		for i := 3; i < len(f); i++ {
			if f[i] == unit {
				v, err := strconv.ParseFloat(f[i-1], 64)
				if err != nil {
					return 0, fmt.Errorf("bad %s value %q", unit, f[i-1])
				}
				return v, nil
			}
		}
	}
	return 0, fmt.Errorf("no %s metric in the benchmark output", unit)
}
