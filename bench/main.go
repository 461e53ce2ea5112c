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
	backends    string
	starts      int
	soak        time.Duration
	soakRate    int
	heapTodos   int
	scenarios   string // all or none
	fixedFrac   float64
	fixedMax    int
}

// measurement is the outcome of the runs of one scenario on one server.
type measurement struct {
	Runs    []wrkResult
	PeakRSS int64
	// Fixed are the fixed-rate (open loop) runs, when -fixed-rate is set.
	Fixed []rateResult
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
	flag.StringVar(&cfg.backends, "backends", "memory,postgres,mysql", "comma-separated backends: memory, postgres (BENCH_POSTGRES_URL, default "+defaultPostgresURL+"), mysql (BENCH_MYSQL_URL, default "+defaultMySQLURL+"); an unreachable database is skipped with a message")
	flag.IntVar(&cfg.starts, "starts", 20, "start-up measurement: starts per server (exec to the first 200 on /todos), the report gives the median; 0 skips it")
	flag.DurationVar(&cfg.soak, "soak", 60*time.Second, "soak length per backend (memory with DB_FILE, PostgreSQL); 0 skips it")
	flag.IntVar(&cfg.soakRate, "soak-rate", 200, "requests per second during the soak")
	flag.IntVar(&cfg.heapTodos, "heap-todos", 100000, "live heap per stored todo: todos created by the in-process benchmarks of ./examples/todo and ./bench/baseline; 0 skips it")
	flag.StringVar(&cfg.scenarios, "scenarios", "all", "load scenarios (wrk runs): all, or none to measure only start-up, heap and soak")
	flag.Float64Var(&cfg.fixedFrac, "fixed-rate", 0.4, "fixed-rate (open loop) runs after the wrk runs of each scenario, at this fraction of the bare program's req/s; 0 skips them")
	flag.IntVar(&cfg.fixedMax, "fixed-rate-max", 4000, "upper bound of the fixed rate, requests per second (the load generator shares the cores)")
	flag.Parse()
	if cfg.runs < 1 || cfg.duration < time.Second || cfg.connections < 1 || cfg.threads < 1 || cfg.threads > cfg.connections || cfg.starts < 0 || cfg.soak < 0 || cfg.soakRate < 1 || cfg.heapTodos < 0 {
		fmt.Fprintln(os.Stderr, "bench: need -runs >= 1, -duration >= 1s, -connections >= -threads >= 1, -starts >= 0, -soak >= 0, -soak-rate >= 1")
		os.Exit(2)
	}
	if cfg.scenarios != "all" && cfg.scenarios != "none" {
		fmt.Fprintf(os.Stderr, "bench: -scenarios %q: want all or none\n", cfg.scenarios)
		os.Exit(2)
	}
	for _, b := range strings.Split(cfg.backends, ",") {
		if !slices.Contains([]string{"memory", "postgres", "mysql"}, b) {
			fmt.Fprintf(os.Stderr, "bench: -backends: unknown backend %q (want memory, postgres, mysql)\n", b)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// loadScenarios returns the scenarios -scenarios selects.
func loadScenarios(cfg config) []scenario {
	if cfg.scenarios == "none" {
		return nil
	}
	return scenarios
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func run(ctx context.Context, cfg config, args []string) error {
	if cfg.scenarios == "all" {
		if err := ensureWrk(logf); err != nil {
			return err
		}
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
	wantBackend := func(key string) bool { return slices.Contains(strings.Split(cfg.backends, ","), key) }
	rep := &report{cfg: cfg, args: args, when: time.Now().UTC(), sizes: map[string]int64{},
		results: map[string]map[string]map[string]measurement{}, startup: map[string]map[string]startupResult{}}

	// Every Go program is built with CGO_ENABLED=0: the binary measured is
	// the one whose size the report gives.
	bins := map[string]string{}
	build := func(key, pkg, name string) error {
		bin, err := goBuild(ctx, root, tmp, pkg, name)
		if err != nil {
			return err
		}
		bins[key] = bin
		if fi, err := os.Stat(bin); err == nil {
			rep.sizes[name] = fi.Size()
		}
		rep.commands = append(rep.commands, "CGO_ENABLED=0 go build -o $TMP/"+name+" "+pkg)
		return nil
	}
	if want(roleGo) {
		if err := build("todo", cfg.pkg, "todo"); err != nil {
			return err
		}
	}
	if want(roleBare) {
		for _, b := range []struct{ backend, pkg, name string }{
			{"memory", "./bench/baseline", "baseline"},
			{"postgres", "./bench/pgbaseline", "pgbaseline"},
			{"mysql", "./bench/mysqlbaseline", "mysqlbaseline"},
		} {
			if wantBackend(b.backend) {
				if err := build(b.name, b.pkg, b.name); err != nil {
					return err
				}
			}
		}
	}
	var lb4 *target
	if want(roleLB4) && cfg.lb4 != "off" {
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
			logf("installing @loopback/example-todo@%s and %s into %s", cfg.lb4Version, strings.Join(lb4Packages, ", "), dir)
			t, err := setupLB4(ctx, dir, cfg.lb4Version)
			switch {
			case err != nil && cfg.lb4 == "on":
				return err
			case err != nil:
				logf("skipping the LoopBack 4 column: %v", err)
				rep.notes = append(rep.notes, "LoopBack 4 column skipped: npm install failed.")
			default:
				if b, err := exec.Command("node", "--version").Output(); err == nil {
					rep.node = strings.TrimSpace(string(b))
				}
				rep.commands = append(rep.commands, "npm install @loopback/example-todo@"+cfg.lb4Version+" "+strings.Join(lb4Packages, " ")+"  # in a temporary directory",
					"HOST=127.0.0.1 PORT=$PORT NODE_ENV=production [LB4_DS='{\"connector\":\"postgresql\",...,\"max\":10}' LB4_MIGRATE=1] node server.js  # see lb4Server in bench/server.go")
				lb4 = &t
			}
		case cfg.lb4 == "on":
			return fmt.Errorf("-lb4 on: node and npm are required")
		default:
			logf("node or npm not found: skipping the LoopBack 4 column")
			rep.notes = append(rep.notes, "LoopBack 4 column skipped: node or npm not found.")
		}
	}

	var backends []backend
	for _, key := range strings.Split(cfg.backends, ",") {
		b := backend{Key: key}
		// The bare programs log nothing and publish no change events: the
		// example runs without its access log and, on PostgreSQL, with its
		// change streams kept in process (no outbox row per write), so
		// that both serve the same work with the same SQL.
		goEnv := []string{"DB_FILE=", "ACCESS_LOG=off", "CHANGES=local"}
		var bareEnv, lb4Env []string
		switch key {
		case "memory":
			b.Name = "memory"
			lb4Env = nil
		case "postgres", "mysql":
			b.Name = map[string]string{"postgres": "PostgreSQL", "mysql": "MySQL"}[key]
			admin := envOr(map[string]string{"postgres": "BENCH_POSTGRES_URL", "mysql": "BENCH_MYSQL_URL"}[key],
				map[string]string{"postgres": defaultPostgresURL, "mysql": defaultMySQLURL}[key])
			prefix := fmt.Sprintf("lbbench_%d_", os.Getpid())
			urls, cleanup, err := databases(ctx, key, admin, []string{prefix + "go", prefix + "bare", prefix + "lb4"})
			if err != nil {
				logf("skipping %s: %v", b.Name, err)
				rep.notes = append(rep.notes, fmt.Sprintf("%s skipped: its server was not reachable at %s.", b.Name, redactURL(admin)))
				continue
			}
			defer cleanup()
			goEnv = append(goEnv, "DB_URL="+urls[prefix+"go"])
			bareEnv = []string{"DB_URL=" + urls[prefix+"bare"]}
			ds, err := lb4DataSource(key, urls[prefix+"lb4"])
			if err != nil {
				return err
			}
			lb4Env = []string{"LB4_DS=" + ds, "LB4_MIGRATE=1", "LB4_SQL=" + lb4IDSQL[key]}
			rep.commands = append(rep.commands, fmt.Sprintf("CREATE DATABASE %sgo, %sbare, %slb4  # on %s; dropped at the end", prefix, prefix, prefix, redactURL(admin)),
				"HOST=127.0.0.1 PORT=$PORT DB_FILE= ACCESS_LOG=off CHANGES=local DB_URL="+redactURL(urls[prefix+"go"])+" $TMP/todo")
		default:
			return fmt.Errorf("-backends: unknown backend %q (want memory, postgres, mysql)", key)
		}
		if bin, ok := bins["todo"]; ok {
			b.Targets = append(b.Targets, target{Name: "LoopBack for Go", Role: roleGo, Argv: []string{bin}, Env: goEnv, Dir: tmp})
		}
		bareName := map[string]string{"memory": "baseline", "postgres": "pgbaseline", "mysql": "mysqlbaseline"}[key]
		if bin, ok := bins[bareName]; ok {
			name := map[string]string{"memory": "net/http baseline", "postgres": "net/http + pgx", "mysql": "net/http + go-sql-driver/mysql"}[key]
			b.Targets = append(b.Targets, target{Name: name, Role: roleBare, Argv: []string{bin}, Env: bareEnv, Dir: tmp})
		}
		if lb4 != nil {
			t := *lb4
			t.Env = append(slices.Clone(t.Env), lb4Env...)
			b.Targets = append(b.Targets, t)
		}
		if len(b.Targets) == 0 {
			return fmt.Errorf("no server selected by -only %q", cfg.only)
		}
		backends = append(backends, b)
	}
	rep.backends = backends

	rep.machine = machineLine(ctx)
	rep.load[0] = loadAverage()
	for _, b := range backends {
		rep.results[b.Key] = map[string]map[string]measurement{}
		if cfg.scenarios == "none" {
			continue
		}
		for _, sc := range scenarios {
			ms, err := measure(ctx, cfg, b, sc, tmp)
			if err != nil {
				return err
			}
			rep.results[b.Key][sc.Name] = ms
		}
	}
	for _, sc := range loadScenarios(cfg) {
		rep.commands = append(rep.commands, "wrk "+strings.Join(wrkArgs(cfg, sc, "http://127.0.0.1:$PORT"+sc.Path, "post.lua", cfg.duration), " ")+
			map[bool]string{true: "  # post.lua sets wrk.method, wrk.body = '" + sc.Body + "' and Content-Type: application/json"}[sc.Method != "GET"])
	}
	if cfg.starts > 0 {
		for _, b := range backends {
			res, err := measureStartup(ctx, b, cfg.starts)
			if err != nil {
				return err
			}
			rep.startup[b.Key] = res
		}
	}
	if cfg.soak > 0 {
		for _, b := range backends {
			if b.Key == "mysql" {
				continue // the issue asks for memory-with-file and PostgreSQL
			}
			t, ok := b.target(roleGo)
			if !ok {
				continue
			}
			if b.Key == "memory" {
				// The memory connector with its file.
				t.Env = []string{"DB_FILE=" + filepath.Join(tmp, "soak-db.json")}
			}
			res, err := soak(ctx, t, cfg.soak, cfg.soakRate)
			if err != nil {
				return fmt.Errorf("soak on %s: %w", b.Name, err)
			}
			res.Backend = b.Name
			if b.Key == "memory" {
				res.Backend = "memory with DB_FILE"
			}
			rep.soaks = append(rep.soaks, res)
		}
	}
	if cfg.heapTodos > 0 && want(roleGo) && want(roleBare) && cfg.pkg == "./examples/todo" {
		heap, cmds, err := measureHeap(ctx, root, cfg.heapTodos)
		if err != nil {
			return err
		}
		rep.heap = heap
		rep.commands = append(rep.commands, cmds...)
	}
	rep.load[1] = loadAverage()

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
		svg := filepath.Join(filepath.Dir(path), "results.svg")
		if err := os.WriteFile(svg, []byte(rep.plot()), 0o644); err != nil {
			return fmt.Errorf("write plot: %w", err)
		}
		logf("wrote %s", svg)
	}
	return nil
}

// measure starts a fresh server of every target of b for one scenario,
// warms each up, then runs wrk cfg.runs times, the targets taking turns
// within each round (so that a change in the machine's background load
// falls on every target alike rather than on whichever ran then). The
// servers that wait for their turn are idle. The server's CPU time is read
// from /proc before and after each run.
func measure(ctx context.Context, cfg config, b backend, sc scenario, tmp string) (map[string]measurement, error) {
	targets := b.Targets
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
		logf("%s on %s: %s: starting", t.Name, b.Name, sc.Name)
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
			before, err := servers[i].cpu()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			res, err := runWrk(ctx, cfg, sc, urls[i], tmp, cfg.duration)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			after, err := servers[i].cpu()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			res.CPU = after - before
			logf("%s on %s: %s: run %d: %.0f req/s, p50 %s, p99 %s, CPU/req %s, non-2xx %d, socket errors %d",
				t.Name, b.Name, sc.Name, run+1, res.ReqPerSec, res.P50, res.P99, res.cpuPerRequest(), res.Non2xx, res.SockErrs)
			m := out[t.Role]
			m.Runs = append(m.Runs, res)
			out[t.Role] = m
		}
	}
	if err := measureFixed(ctx, cfg, b, sc, targets, urls, out); err != nil {
		return nil, err
	}
	for i, t := range targets {
		m := out[t.Role]
		var err error
		if m.PeakRSS, err = servers[i].peakRSS(); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		out[t.Role] = m
	}
	return out, nil
}

// measureFixed runs the fixed-rate (open loop) runs of one scenario on the
// servers measure started, at a rate set from the bare program's req/s
// under wrk; LoopBack 4 is left out (it serves a few thousand requests per
// second, far below the rate offered to the Go servers).
func measureFixed(ctx context.Context, cfg config, b backend, sc scenario, targets []target, urls []string, out map[string]measurement) error {
	bare, ok := out[roleBare]
	if cfg.fixedFrac <= 0 || !ok || len(bare.Runs) == 0 {
		return nil
	}
	rate := fixedRate(bare.median(func(x wrkResult) float64 { return x.ReqPerSec }), cfg.fixedFrac, cfg.fixedMax)
	for run := range cfg.runs {
		for i, t := range targets {
			if t.Role == roleLB4 {
				continue
			}
			res, err := openLoop(ctx, urls[i], sc, rate, cfg.duration, cfg.connections)
			if err != nil {
				return fmt.Errorf("%s: fixed rate: %w", t.Name, err)
			}
			logf("%s on %s: %s: fixed rate %.0f/s, run %d: %.0f req/s, p50 %s, p99 %s, p99.9 %s, non-2xx %d, errors %d",
				t.Name, b.Name, sc.Name, rate, run+1, res.Achieved, res.P50, res.P99, res.P999, res.Non2xx, res.Errors)
			m := out[t.Role]
			m.Fixed = append(m.Fixed, res)
			out[t.Role] = m
		}
	}
	return nil
}

// moduleRoot returns the directory of the main module.
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
