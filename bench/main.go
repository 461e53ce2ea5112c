// Command bench measures the todo example against a bare net/http baseline
// and, when node and npm are installed, against LoopBack 4's own todo example,
// on LoopBack 4's benchmark scenarios. See README.md.
//
//	go run ./bench                       # the full run: 3 runs of 10 s per scenario
//	go run ./bench -duration 2s -runs 1  # a quick smoke run
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// config holds the command-line flags.
type config struct {
	duration    time.Duration
	warmup      time.Duration
	runs        int
	connections int
	threads     int
	todos       int
	out         string
	lb4         string // auto, on, off
	lb4Version  string
	lb4Dir      string
	pkg         string
	only        string
}

// measurement is the outcome of the runs of one scenario on one server.
type measurement struct {
	Runs    []wrkResult
	PeakRSS int64
}

// median returns the median of the runs of one figure.
func (m measurement) median(f func(wrkResult) float64) float64 {
	v := make([]float64, len(m.Runs))
	for i, r := range m.Runs {
		v[i] = f(r)
	}
	return medianOf(v)
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func main() {
	var cfg config
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each measured run (wrk -d), whole seconds")
	flag.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "warm-up load before the measured runs of each scenario (0 for none)")
	flag.IntVar(&cfg.runs, "runs", 3, "measured runs per scenario and server; the report gives the median")
	flag.IntVar(&cfg.connections, "connections", 50, "open connections (wrk -c)")
	flag.IntVar(&cfg.threads, "threads", 2, "wrk threads (wrk -t)")
	flag.IntVar(&cfg.todos, "todos", 10, "todos in the store during the GET scenarios")
	flag.StringVar(&cfg.out, "out", "bench/RESULTS.md", "report file, relative to the module root; empty: stdout only")
	flag.StringVar(&cfg.lb4, "lb4", "auto", "LoopBack 4 column: auto (when node and npm are installed), on, off")
	flag.StringVar(&cfg.lb4Version, "lb4-version", "6.0.0", "version of @loopback/example-todo to install from npm")
	flag.StringVar(&cfg.lb4Dir, "lb4-dir", "", "reuse this directory for the npm install (default: a new temporary directory, removed afterwards)")
	flag.StringVar(&cfg.pkg, "pkg", "./examples/todo", "main package of the framework app under test")
	flag.StringVar(&cfg.only, "only", "", "comma-separated subset of servers to run: lb-go, baseline, lb4")
	flag.Parse()
	if cfg.runs < 1 || cfg.duration < time.Second || cfg.connections < 1 || cfg.threads < 1 || cfg.threads > cfg.connections {
		fmt.Fprintln(os.Stderr, "bench: need -runs >= 1, -duration >= 1s, -connections >= -threads >= 1")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func run(ctx context.Context, cfg config, args []string) error {
	if err := ensureWrk(logf); err != nil {
		return err
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "lb-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	want := func(name string) bool {
		return cfg.only == "" || slices.Contains(strings.Split(cfg.only, ","), name)
	}
	var targets []target
	var commands []string
	if want("lb-go") {
		bin, err := goBuild(ctx, root, tmp, cfg.pkg, "todo")
		if err != nil {
			return err
		}
		commands = append(commands, "go build -o $TMP/todo "+cfg.pkg, "HOST=127.0.0.1 PORT=$PORT DB_FILE= $TMP/todo")
		// DB_FILE set to the empty string: memory connector, no file persistence.
		targets = append(targets, target{Name: "LoopBack for Go", Argv: []string{bin}, Env: []string{"DB_FILE="}, Dir: tmp})
	}
	if want("baseline") {
		bin, err := goBuild(ctx, root, tmp, "./bench/baseline", "baseline")
		if err != nil {
			return err
		}
		commands = append(commands, "go build -o $TMP/baseline ./bench/baseline", "HOST=127.0.0.1 PORT=$PORT $TMP/baseline")
		targets = append(targets, target{Name: "net/http baseline", Argv: []string{bin}, Dir: tmp})
	}
	nodeVersion := ""
	if want("lb4") && cfg.lb4 != "off" {
		_, errNode := exec.LookPath("node")
		_, errNpm := exec.LookPath("npm")
		switch {
		case errNode == nil && errNpm == nil:
			dir := cfg.lb4Dir
			if dir == "" {
				dir = filepath.Join(tmp, "lb4")
				if err := os.Mkdir(dir, 0o755); err != nil {
					return err
				}
			}
			logf("installing @loopback/example-todo@%s into %s", cfg.lb4Version, dir)
			t, err := setupLB4(ctx, dir, cfg.lb4Version)
			switch {
			case err != nil && cfg.lb4 == "on":
				return err
			case err != nil:
				logf("skipping the LoopBack 4 column: %v", err)
			default:
				if b, err := exec.Command("node", "--version").Output(); err == nil {
					nodeVersion = strings.TrimSpace(string(b))
				}
				commands = append(commands, "npm install @loopback/example-todo@"+cfg.lb4Version+" (in a temporary directory)",
					"HOST=127.0.0.1 PORT=$PORT NODE_ENV=production node server.js  # binds datasources.config.db to {connector: memory}, no file")
				targets = append(targets, t)
			}
		case cfg.lb4 == "on":
			return fmt.Errorf("-lb4 on: node and npm are required")
		default:
			logf("node or npm not found: skipping the LoopBack 4 column")
		}
	}
	if len(targets) == 0 {
		return fmt.Errorf("no server selected by -only %q", cfg.only)
	}

	loadBefore := loadAverage()
	results := make(map[string]map[string]measurement) // scenario -> server -> measurement
	for _, sc := range scenarios {
		ms, err := measure(ctx, cfg, targets, sc, tmp)
		if err != nil {
			return err
		}
		results[sc.Name] = ms
	}
	for _, sc := range scenarios {
		commands = append(commands, "wrk "+strings.Join(wrkArgs(cfg, sc, "http://127.0.0.1:$PORT"+sc.Path, "post.lua", cfg.duration), " ")+
			map[bool]string{true: "  # post.lua sets wrk.method, wrk.body = '" + sc.Body + "' and Content-Type: application/json"}[sc.Method != "GET"])
	}

	rep := report{cfg: cfg, args: args, targets: targets, results: results, commands: commands,
		machine: machineLine(ctx), node: nodeVersion, when: time.Now().UTC(),
		load: [2]string{loadBefore, loadAverage()}}
	text := rep.markdown()
	fmt.Print(text)
	if cfg.out != "" {
		path := cfg.out
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		logf("wrote %s", path)
	}
	return nil
}

// measure starts a fresh server of every target for one scenario, warms
// each up, then runs wrk cfg.runs times, the targets taking turns within
// each round (so that a change in the machine's background load falls on
// every target alike rather than on whichever ran then). The servers that
// wait for their turn are idle.
func measure(ctx context.Context, cfg config, targets []target, sc scenario, tmp string) (map[string]measurement, error) {
	servers := make([]*running, len(targets))
	defer func() {
		for _, r := range servers {
			if r != nil {
				r.stop()
			}
		}
	}()
	urls := make([]string, len(targets))
	for i, t := range targets {
		logf("%s: %s: starting", t.Name, sc.Name)
		r, err := t.start(ctx, cfg.todos)
		if err != nil {
			return nil, err
		}
		servers[i] = r
		if err := r.check(ctx, sc); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		urls[i] = r.url + r.path(sc)
		if cfg.warmup >= time.Second {
			if _, err := runWrk(ctx, cfg, sc, urls[i], tmp, cfg.warmup); err != nil {
				return nil, fmt.Errorf("%s: warm-up: %w", t.Name, err)
			}
		}
	}
	out := make(map[string]measurement, len(targets))
	for run := range cfg.runs {
		for i, t := range targets {
			res, err := runWrk(ctx, cfg, sc, urls[i], tmp, cfg.duration)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			logf("%s: %s: run %d: %.0f req/s, p50 %s, p99 %s, non-2xx %d, socket errors %d",
				t.Name, sc.Name, run+1, res.ReqPerSec, res.P50, res.P99, res.Non2xx, res.SockErrs)
			m := out[t.Name]
			m.Runs = append(m.Runs, res)
			out[t.Name] = m
		}
	}
	for i, t := range targets {
		m := out[t.Name]
		var err error
		if m.PeakRSS, err = servers[i].peakRSS(); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		out[t.Name] = m
	}
	return out, nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the benchmark from inside the module (go run ./bench)")
	}
	return filepath.Dir(gomod), nil
}

// loadAverage returns the 1, 5 and 15 minute load averages of the machine,
// which say how much other work competed with the benchmark.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// machineLine describes the machine: CPU model, cores, kernel, Go version.
func machineLine(ctx context.Context) string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := "unknown kernel"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = "Linux " + strings.TrimSpace(string(b))
	}
	gover := "unknown Go"
	if b, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		gover = strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%s, %d cores, %s, %s", cpu, numCPU(), kernel, gover)
}
