package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	// A command name with spaces and parentheses; utime 1234, stime 56.
	stat := "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 0 0 20 0 9 0 100 1000000 500 18446744073709551615"
	got, err := parseProcStat(stat)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1290 * 10 * time.Millisecond; got != want {
		t.Errorf("parseProcStat = %s; want %s", got, want)
	}
	for _, bad := range []string{"", "4242 (x", "4242 (x) S 1 2", "4242 (x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 abc 56 0", "4242 (x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 -5 56 0"} {
		if _, err := parseProcStat(bad); err == nil {
			t.Errorf("parseProcStat(%q): no error", bad)
		}
	}
}

func TestProcCPUOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	// Burn some CPU and check that the reading moves.
	before, err := procCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x := 0.0
	for start := time.Now(); time.Since(start) < 100*time.Millisecond; {
		x += math.Sqrt(x + 1)
	}
	after, err := procCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after <= before {
		t.Errorf("CPU time did not grow over 100 ms of work: %s -> %s (x=%v)", before, after, x > 0)
	}
}

// TestThreadsCPUOfSelf: the nanosecond reading grows with 5 ms of work,
// which the tick-based reading may not see, and parseSchedstat refuses
// what is not a count.
func TestThreadsCPUOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("no /proc on this system")
	}
	before, err := threadsCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x := 0.0
	for start := time.Now(); time.Since(start) < 5*time.Millisecond; {
		x += math.Sqrt(x + 1)
	}
	after, err := threadsCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after-before < time.Millisecond {
		t.Errorf("CPU time grew by %s over 5 ms of work; want at least 1 ms (x=%v)", after-before, x > 0)
	}
	if got, err := parseSchedstat("123456 789 3\n"); err != nil || got != 123456 {
		t.Errorf("parseSchedstat: got %v, %v; want 123456ns", got, err)
	}
	for _, bad := range []string{"", "x 1 2", "-5 1 2"} {
		if _, err := parseSchedstat(bad); err == nil {
			t.Errorf("parseSchedstat(%q): got no error", bad)
		}
	}
}

func TestParseStatusField(t *testing.T) {
	status := "Name:\ttodo\nVmHWM:\t   28672 kB\nVmRSS:\t   20480 kB\n"
	for field, want := range map[string]int64{"VmHWM": 28672 * 1024, "VmRSS": 20480 * 1024} {
		got, err := parseStatusField(status, field)
		if err != nil || got != want {
			t.Errorf("parseStatusField(%s) = %d, %v; want %d", field, got, err, want)
		}
	}
	for _, bad := range []string{"", "VmRSS:\t12 MB\n", "VmRSS:\tx kB\n", "VmRSS:\t-3 kB\n"} {
		if _, err := parseStatusField(bad, "VmRSS"); err == nil {
			t.Errorf("parseStatusField(%q): no error", bad)
		}
	}
}

func TestRSSSlope(t *testing.T) {
	// 100 MB growing by 1 MB a second after a jump in the first samples:
	// 60 MB a minute over a mean of ~130 MB.
	var s []int64
	for i := range 10 {
		s = append(s, int64(i)*50<<20)
	}
	for i := range 60 {
		s = append(s, 100<<20+int64(i)<<20)
	}
	got := rssSlope(s, 10)
	mean := 100 + 59.0/2
	if want := 60 / mean * 100; math.Abs(got-want) > 0.01 {
		t.Errorf("rssSlope = %.3f %%/min; want %.3f", got, want)
	}
	flat := []int64{5 << 20, 5 << 20, 5 << 20, 5 << 20}
	if got := rssSlope(flat, 1); got != 0 {
		t.Errorf("rssSlope(flat) = %v; want 0", got)
	}
	if got := rssSlope(flat, 3); got != 0 {
		t.Errorf("rssSlope(one sample) = %v; want 0", got)
	}
}

func TestDatabaseURLs(t *testing.T) {
	u, err := withDatabase("postgres://postgres:secret@127.0.0.1:5432/test?sslmode=disable", "lbbench_1_go")
	if err != nil || u != "postgres://postgres:secret@127.0.0.1:5432/lbbench_1_go?sslmode=disable" {
		t.Errorf("withDatabase = %q, %v", u, err)
	}
	if _, err := withDatabase("not a url", "x"); err == nil {
		t.Error("withDatabase(not a url): no error")
	}
	if got := redactURL("mysql://root:secret@h:3306/db"); strings.Contains(got, "secret") {
		t.Errorf("redactURL kept the password: %q", got)
	}
	dsn, err := mysqlDSN("mysql://root:pw@127.0.0.1:3306/lbbench_1_bare")
	if err != nil || !strings.HasPrefix(dsn, "root:pw@tcp(127.0.0.1:3306)/lbbench_1_bare") {
		t.Errorf("mysqlDSN = %q, %v", dsn, err)
	}
	ds, err := lb4DataSource("postgres", "postgres://postgres@127.0.0.1:5432/lbbench_1_lb4")
	for _, want := range []string{`"connector":"postgresql"`, `"database":"lbbench_1_lb4"`, `"max":10`, `"port":5432`} {
		if err != nil || !strings.Contains(ds, want) {
			t.Errorf("lb4DataSource = %s, %v; want it to contain %s", ds, err, want)
		}
	}
	ds, err = lb4DataSource("mysql", "mysql://root@127.0.0.1:3306/lbbench_1_lb4")
	if err != nil || !strings.Contains(ds, `"connectionLimit":10`) || !strings.Contains(ds, `"connector":"mysql"`) {
		t.Errorf("lb4DataSource(mysql) = %s, %v", ds, err)
	}
}

func TestPlotIsWellFormedSVG(t *testing.T) {
	mem := backend{Key: "memory", Name: "memory <&>", Targets: []target{{Name: "LoopBack for Go", Role: roleGo}, {Name: "net/http baseline", Role: roleBare}}}
	run := func(rate float64, p99 time.Duration) measurement {
		return measurement{Runs: []wrkResult{{ReqPerSec: rate, P99: p99, Requests: 1000, CPU: time.Second}}}
	}
	rep := &report{backends: []backend{mem}, results: map[string]map[string]map[string]measurement{"memory": {}}}
	for _, sc := range scenarios {
		// Ours at 5× the baseline: the bar is cut at the scale's end.
		rep.results["memory"][sc.Name] = map[string]measurement{roleGo: run(50000, 2*time.Millisecond), roleBare: run(10000, 4*time.Millisecond)}
	}
	svg := rep.plot()
	dec := xml.NewDecoder(strings.NewReader(svg))
	rects := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("plot is not well-formed XML: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			rects++
		}
	}
	// One background, and per scenario two servers × two bars.
	if want := 1 + len(scenarios)*2*2; rects != want {
		t.Errorf("plot has %d rects; want %d", rects, want)
	}
	for _, want := range []string{"50000 req/s", "memory &lt;&amp;&gt;", "▶", "2.00 ms"} {
		if !strings.Contains(svg, want) {
			t.Errorf("plot lacks %q", want)
		}
	}
	if !bytes.HasPrefix([]byte(svg), []byte("<svg ")) {
		t.Error("plot does not start with <svg")
	}
}

func FuzzParseProcStat(f *testing.F) {
	f.Add("1 (a b) S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 1 1")
	f.Add("1 (x)")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseProcStat(s)
		if err == nil && d < 0 {
			t.Errorf("negative CPU time %s from %q", d, s)
		}
	})
}

func TestParseBenchMetric(t *testing.T) {
	out := "goos: linux\nBenchmarkFindTodos/create-2   \t  100000\t     12345 ns/op\t        70.25 heap-B/todo\t    2048 B/op\t      20 allocs/op\nPASS\n"
	if v, err := parseBenchMetric(out, "heap-B/todo"); err != nil || v != 70.25 {
		t.Errorf("parseBenchMetric = %v, %v; want 70.25", v, err)
	}
	if _, err := parseBenchMetric("PASS\n", "heap-B/todo"); err == nil {
		t.Error("parseBenchMetric without the metric: no error")
	}
	if _, err := parseBenchMetric("BenchmarkX-2 1 2 ns/op x heap-B/todo\n", "heap-B/todo"); err == nil {
		t.Error("parseBenchMetric with a bad value: no error")
	}
}

func TestReportTargets(t *testing.T) {
	pg := backend{Key: "postgres", Name: "PostgreSQL", Targets: []target{
		{Name: "LoopBack for Go", Role: roleGo}, {Name: "net/http + pgx", Role: roleBare}, {Name: "LoopBack 4", Role: roleLB4}}}
	run := func(rate float64, p99 time.Duration, cpuPerReq time.Duration) measurement {
		return measurement{Runs: []wrkResult{{ReqPerSec: rate, P99: p99, Requests: 10000, CPU: 10000 * cpuPerReq}}}
	}
	rep := &report{backends: []backend{pg}, results: map[string]map[string]map[string]measurement{"postgres": {}},
		startup: map[string]map[string]startupResult{"postgres": {
			roleGo:   {Samples: []time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}},
			roleBare: {Samples: []time.Duration{5 * time.Millisecond, 8 * time.Millisecond, 9 * time.Millisecond}},
			roleLB4:  {Samples: []time.Duration{2 * time.Second, 2 * time.Second, 2 * time.Second}}}}}
	for _, sc := range scenarios {
		rep.results["postgres"][sc.Name] = map[string]measurement{
			roleGo:   run(9500, 12*time.Millisecond, 60*time.Microsecond),
			roleBare: run(10000, 10*time.Millisecond, 50*time.Microsecond),
			roleLB4:  run(500, 900*time.Millisecond, 900*time.Microsecond)}
	}
	md := rep.markdown()
	// req/s 0.95× (met), p99 1.20× (met), CPU 1.20× (missed), LoopBack 4 CPU 15× (met).
	for _, want := range []string{"| GET /todos/{id} | 0.95× (met) | 1.20× (met) | 1.20× (**missed**) | 15.0× (met) | 19.0× |",
		"| PostgreSQL | LoopBack for Go | 20.00 ms | 10.00 ms | 30.00 ms |", "2.50× (**missed**)", "100× (met)", "| 60 µs |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
