package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	ReqPerSec float64
	P50, P99  time.Duration
	Requests  int64
	Non2xx    int64 // "Non-2xx or 3xx responses"
	SockErrs  int64 // connect + read + write + timeout errors
	// CPU is the server's CPU time (user + system) during the run, set
	// by the harness from /proc, not by wrk.
	CPU time.Duration
}

// cpuPerRequest is the server's CPU time per request served.
func (r wrkResult) cpuPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

// parseWrk reads the output of `wrk --latency`.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	var haveRate, haveP50, haveP99 bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Requests/sec:") && len(f) == 2:
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return r, fmt.Errorf("parse wrk requests/sec %q: %w", f[1], err)
			}
			r.ReqPerSec, haveRate = v, true
		case len(f) == 2 && (f[0] == "50%" || f[0] == "99%"):
			d, err := parseWrkDuration(f[1])
			if err != nil {
				return r, fmt.Errorf("parse wrk latency %q: %w", line, err)
			}
			if f[0] == "50%" {
				r.P50, haveP50 = d, true
			} else {
				r.P99, haveP99 = d, true
			}
		case strings.HasPrefix(line, "Non-2xx or 3xx responses:") && len(f) == 5:
			n, err := strconv.ParseInt(f[4], 10, 64)
			if err != nil {
				return r, fmt.Errorf("parse wrk non-2xx count %q: %w", line, err)
			}
			r.Non2xx = n
		case strings.HasPrefix(line, "Socket errors:"):
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for _, part := range strings.Split(strings.TrimPrefix(line, "Socket errors:"), ",") {
				kv := strings.Fields(part)
				if len(kv) != 2 {
					return r, fmt.Errorf("parse wrk socket errors %q", line)
				}
				n, err := strconv.ParseInt(kv[1], 10, 64)
				if err != nil {
					return r, fmt.Errorf("parse wrk socket errors %q: %w", line, err)
				}
				r.SockErrs += n
			}
		case len(f) >= 2 && f[1] == "requests" && strings.Contains(line, " in "):
			// 123456 requests in 10.00s, 45.67MB read
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err == nil {
				r.Requests = n
			}
		}
	}
	if !haveRate || !haveP50 || !haveP99 {
		return r, fmt.Errorf("wrk output lacks Requests/sec or the 50%%/99%% latency lines (was --latency given?):\n%s", out)
	}
	return r, nil
}

// parseWrkDuration reads wrk's latency figures: "812.00us", "1.23ms", "2.01s", "1.50m".
func parseWrkDuration(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"m", time.Minute}, {"h", time.Hour}, {"s", time.Second}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("bad duration %q", s)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("bad duration %q: unknown unit", s)
}

// scenario is one benchmarked request.
type scenario struct {
	Name   string // "GET /todos"
	Method string
	Path   string // may contain {id}
	Body   string
}

var scenarios = []scenario{
	{Name: "GET /todos (10 todos)", Method: "GET", Path: "/todos"},
	{Name: "GET /todos/{id}", Method: "GET", Path: "/todos/{id}"},
	{Name: "POST /todos", Method: "POST", Path: "/todos", Body: `{"title":"benchmark todo","desc":"created by the benchmark","isComplete":false}`},
}

// wrkArgs builds the wrk arguments for a scenario against url; script is
// the Lua script that sets the method and body of a non-GET scenario.
func wrkArgs(cfg config, sc scenario, url, script string, d time.Duration) []string {
	args := []string{"-t", strconv.Itoa(cfg.threads), "-c", strconv.Itoa(cfg.connections),
		"-d", fmt.Sprintf("%ds", max(1, int(d.Round(time.Second)/time.Second))), "--latency"}
	if sc.Method != "GET" {
		args = append(args, "-s", script)
	}
	return append(args, url)
}

// runWrk runs wrk once and parses its output; a POST scenario gets its Lua
// script written into dir.
func runWrk(ctx context.Context, cfg config, sc scenario, url, dir string, d time.Duration) (wrkResult, error) {
	script := filepath.Join(dir, "post.lua")
	if sc.Method != "GET" {
		lua := fmt.Sprintf("wrk.method = %q\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", sc.Method, sc.Body)
		if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
			return wrkResult{}, fmt.Errorf("write wrk script: %w", err)
		}
	}
	cmd := exec.CommandContext(ctx, "wrk", wrkArgs(cfg, sc, url, script, d)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("run %s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return parseWrk(string(out))
}

// ensureWrk finds wrk, installing it with apt-get when it is missing and we
// run as root.
func ensureWrk(logf func(string, ...any)) error {
	if _, err := exec.LookPath("wrk"); err == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("wrk not found: install it (Debian/Ubuntu: sudo apt-get install -y wrk)")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("wrk not found and apt-get is not available: install wrk")
	}
	logf("wrk not found; running apt-get install -y wrk")
	cmd := exec.Command("apt-get", "install", "-y", "wrk")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("apt-get install -y wrk: %w", err)
	}
	_, err := exec.LookPath("wrk")
	return err
}
