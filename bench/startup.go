package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// startupResult is what the start-up measurement found for one server.
type startupResult struct {
	Samples []time.Duration
	// CPU is the CPU time the process had used when it answered: less
	// sensitive than the wall time to the other work on the machine.
	CPU []time.Duration
	// Inits are the package initialisations before main, from runs with
	// GODEBUG=inittrace=1: the wall time of each start's inits in all,
	// and the package whose init took longest in the median start.
	Inits        []time.Duration
	TopInit      string
	TopInitClock time.Duration
}

func medianDuration(v []time.Duration) time.Duration {
	f := make([]float64, len(v))
	for i, d := range v {
		f[i] = float64(d)
	}
	return time.Duration(medianOf(f))
}

// median is the median start-up time.
func (s startupResult) median() time.Duration { return medianDuration(s.Samples) }

// measureStartup starts every server of b n times, in turns, and times
// each start from exec to the first 200 on GET /todos.
func measureStartup(ctx context.Context, b backend, n int) (map[string]startupResult, error) {
	out := map[string]startupResult{}
	for i := range n {
		for _, t := range b.Targets {
			d, cpu, err := startOnce(ctx, t, nil, nil)
			if err != nil {
				return nil, fmt.Errorf("start-up of %s on %s: %w", t.Name, b.Name, err)
			}
			r := out[t.Role]
			r.Samples = append(r.Samples, d)
			r.CPU = append(r.CPU, cpu)
			out[t.Role] = r
			if i == 0 || i == n-1 {
				logf("%s on %s: start %d: %s to the first 200 on /todos", t.Name, b.Name, i+1, d.Round(100*time.Microsecond))
			}
		}
	}
	// Package initialisation: a few more starts of each Go program with
	// the runtime's init trace (which slows the start itself a little,
	// so these starts are not among the samples above).
	for _, t := range b.Targets {
		if t.Role == roleLB4 {
			continue
		}
		type trace struct {
			total time.Duration
			top   string
			topD  time.Duration
		}
		var traces []trace
		for range min(n, 5) {
			var stderr strings.Builder
			if _, _, err := startOnce(ctx, t, []string{"GODEBUG=inittrace=1"}, &stderr); err != nil {
				return nil, fmt.Errorf("init trace of %s on %s: %w", t.Name, b.Name, err)
			}
			total, per := parseInittrace(stderr.String())
			tr := trace{total: total}
			for pkg, d := range per {
				if d > tr.topD || (d == tr.topD && pkg < tr.top) {
					tr.top, tr.topD = pkg, d
				}
			}
			traces = append(traces, tr)
		}
		slices.SortFunc(traces, func(a, b trace) int { return cmp.Compare(a.total, b.total) })
		if len(traces) > 0 {
			mid := traces[len(traces)/2]
			r := out[t.Role]
			for _, tr := range traces {
				r.Inits = append(r.Inits, tr.total)
			}
			r.TopInit, r.TopInitClock = mid.top, mid.topD
			out[t.Role] = r
		}
	}
	return out, nil
}

// parseInittrace reads the lines GODEBUG=inittrace=1 writes,
//
//	init github.com/x/y @1.2 ms, 0.31 ms clock, 5120 bytes, 40 allocs
//
// and returns the clock time of all of them and of each package.
func parseInittrace(s string) (time.Duration, map[string]time.Duration) {
	per := map[string]time.Duration{}
	var total time.Duration
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
			continue
		}
		ms, err := strconv.ParseFloat(f[4], 64)
		if err != nil || ms < 0 {
			continue
		}
		d := time.Duration(ms * float64(time.Millisecond))
		per[f[1]] += d
		total += d
	}
	return total, per
}

// startOnce execs t on a free port and polls GET /todos (every
// millisecond, on a new connection each time) until it answers 200; it
// returns the time since exec and the CPU time the server had used, and
// stops the server.
func startOnce(ctx context.Context, t target, env []string, stderr io.Writer) (time.Duration, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return 0, 0, err
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/todos"
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	cmd := exec.Command(t.Argv[0], t.Argv[1:]...)
	cmd.Dir = t.Dir
	cmd.Env = append(append(append(os.Environ(), "HOST=127.0.0.1", "PORT="+strconv.Itoa(port)), t.Env...), env...)
	cmd.Stderr = stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("start: %w", err)
	}
	r := &running{cmd: cmd, done: make(chan error, 1)}
	go func() { r.done <- cmd.Wait() }()
	defer r.stop()
	for {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		select {
		case err := <-r.done:
			r.done <- err
			return 0, 0, fmt.Errorf("server exited before it answered: %v", err)
		default:
		}
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				d := time.Since(start)
				cpu, err := threadsCPU(cmd.Process.Pid)
				return d, cpu, err
			}
		}
		if time.Since(start) > 60*time.Second {
			return 0, 0, fmt.Errorf("no 200 on /todos after 60 s (last: %v)", err)
		}
		time.Sleep(time.Millisecond)
	}
}

// threadsCPU returns the CPU time the threads of process pid have run, in
// nanoseconds, from /proc/<pid>/task/*/schedstat: /proc/<pid>/stat counts
// in clock ticks (10 ms), coarser than a whole start-up. A thread that has
// exited is not counted (a Go program rarely ends a thread). Without
// schedstat (a kernel without CONFIG_SCHED_INFO) it falls back to
// procCPU.
func threadsCPU(pid int) (time.Duration, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return procCPU(pid)
	}
	var total time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "schedstat"))
		if err != nil {
			return procCPU(pid)
		}
		ns, err := parseSchedstat(string(b))
		if err != nil {
			return 0, err
		}
		total += ns
	}
	return total, nil
}

// parseSchedstat reads the first field of a schedstat file: the time the
// thread has run on a CPU, in nanoseconds.
func parseSchedstat(s string) (time.Duration, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, fmt.Errorf("read CPU time: empty schedstat")
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("read CPU time: bad schedstat %q", s)
	}
	return time.Duration(n), nil
}
