package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/fault"
)

// instance is one todo process.
type instance struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

var listenLine = regexp.MustCompile(`Todo API:\s+(http://\S+)/todos`)

// startInstance runs the todo binary and waits for its address.
func startInstance(t *testing.T, bin, dbURL string) *instance {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT=0", "ACCESS_LOG=off", "DRAIN_DELAY=400ms")
	if dbURL != "" {
		cmd.Env = append(cmd.Env, "DB_URL="+dbURL)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{cmd: cmd, done: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	go func() { in.done <- cmd.Wait() }()
	select {
	case in.url = <-found:
	case err := <-in.done:
		t.Fatalf("todo exited before listening: %v\n%s", err, stderr.String())
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("todo did not start in 20s\n%s", stderr.String())
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-in.done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
			}
		}
	})
	return in
}

// balancer is a round-robin reverse proxy over the instances whose /ready
// answers 200, polled every 50ms, as a load balancer does. A request whose
// connection cannot be made (nothing was sent) goes to the next instance.
type balancer struct {
	mu       sync.Mutex
	backends []string
	ready    map[string]bool
	next     atomic.Uint64
	client   *http.Client
}

func (b *balancer) set(backends []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.backends = append([]string(nil), backends...)
}

func (b *balancer) poll(ctx context.Context) {
	for ctx.Err() == nil {
		b.mu.Lock()
		list := append([]string(nil), b.backends...)
		b.mu.Unlock()
		ready := map[string]bool{}
		for _, u := range list {
			res, err := b.client.Get(u + "/ready")
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				ready[u] = res.StatusCode == 200
			}
		}
		b.mu.Lock()
		b.ready = ready
		b.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *balancer) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	var up []string
	for _, u := range b.backends {
		if b.ready[u] {
			up = append(up, u)
		}
	}
	b.mu.Unlock()
	if len(up) == 0 {
		return &http.Response{StatusCode: 503, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: r}, nil
	}
	start := int(b.next.Add(1))
	var err error
	for i := range up {
		target, _ := url.Parse(up[(start+i)%len(up)])
		r2 := r.Clone(r.Context())
		r2.URL.Scheme, r2.URL.Host = target.Scheme, target.Host
		var res *http.Response
		res, err = http.DefaultTransport.RoundTrip(r2)
		var op *net.OpError
		if err != nil && errors.As(err, &op) && op.Op == "dial" {
			continue // nothing was sent: try the next instance
		}
		return res, err
	}
	return nil, err
}

type ack struct {
	id    int64
	title string
}

// TestMultiInstance runs 3 todo processes on one PostgreSQL schema behind
// a reverse proxy, under concurrent creates, updates and deletes, while
// one instance is stopped with SIGTERM and started again. Every
// acknowledged create must be there exactly once (unless acknowledged as
// deleted), every instance must count the same, and no request may see a
// 5xx other than 503.
func TestMultiInstance(t *testing.T) {
	if os.Getenv("LB_TEST_MULTI_INSTANCE") == "" && os.Getenv("CI") != "true" {
		t.Skip("set LB_TEST_MULTI_INSTANCE=1 (CI=true runs it) to run 3 todo processes on PostgreSQL")
	}
	pgURL := os.Getenv("LB_TEST_POSTGRES_URL")
	if pgURL == "" {
		pgURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	schema := "lbmulti_" + sqltest.Suffix()
	admin, err := postgres.New(postgres.Config{URL: pgURL, Schema: schema})
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.DB().Exec(`DROP SCHEMA "` + schema + `" CASCADE`)
		admin.Close()
	})
	sep := "?"
	if strings.Contains(pgURL, "?") {
		sep = "&"
	}
	dbURL := pgURL + sep + "search_path=" + schema

	bin := filepath.Join(t.TempDir(), "todo")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	insts := []*instance{startInstance(t, bin, dbURL)} // the first one migrates and seeds
	insts = append(insts, startInstance(t, bin, dbURL), startInstance(t, bin, dbURL))
	lb := &balancer{client: &http.Client{Timeout: 2 * time.Second}}
	urls := func() []string {
		var out []string
		for _, in := range insts {
			out = append(out, in.url)
		}
		return out
	}
	lb.set(urls())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go lb.poll(ctx)
	proxy := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) {},
		Transport: lb,
	})
	defer proxy.Close()
	for deadline := time.Now().Add(5 * time.Second); ; {
		lb.mu.Lock()
		n := len(lb.ready)
		lb.mu.Unlock()
		if n == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	var (
		mu       sync.Mutex
		acked    []ack
		deleted  = map[int64]bool{}
		statuses = map[int]int{}
		bad      []string
	)
	client := &http.Client{Timeout: 10 * time.Second}
	call := func(method, path, body string) (int, []byte) {
		req, _ := http.NewRequest(method, proxy.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			mu.Lock()
			bad = append(bad, fmt.Sprintf("%s %s: %v", method, path, err))
			mu.Unlock()
			return 0, nil
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		mu.Lock()
		statuses[res.StatusCode]++
		if res.StatusCode >= 500 && res.StatusCode != 503 {
			bad = append(bad, fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, b))
		}
		mu.Unlock()
		return res.StatusCode, b
	}

	loadCtx, stopLoad := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []ack
			for i := 0; loadCtx.Err() == nil; i++ {
				title := fmt.Sprintf("w%d-%d-%s", w, i, schema)
				code, b := call("POST", "/todos", `{"title":"`+title+`"}`)
				if code == 200 {
					var got struct {
						ID    int64  `json:"id"`
						Title string `json:"title"`
					}
					if json.Unmarshal(b, &got) == nil && got.Title == title {
						mine = append(mine, ack{got.ID, title})
						mu.Lock()
						acked = append(acked, ack{got.ID, title})
						mu.Unlock()
					}
				}
				if len(mine) > 0 && i%3 == 1 {
					call("PATCH", fmt.Sprintf("/todos/%d", mine[len(mine)-1].id), `{"isComplete":true}`)
				}
				if len(mine) > 1 && i%5 == 4 {
					victim := mine[0]
					if code, _ := call("DELETE", fmt.Sprintf("/todos/%d", victim.id), ""); code == 204 {
						mine = mine[1:]
						mu.Lock()
						deleted[victim.id] = true
						mu.Unlock()
					}
				}
			}
		}()
	}

	time.Sleep(1500 * time.Millisecond)
	victim := insts[1]
	if err := victim.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-victim.done:
		if err != nil {
			t.Errorf("instance stopped with SIGTERM exited with %v; want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("instance did not stop within 15s of SIGTERM")
	}
	time.Sleep(500 * time.Millisecond)
	insts[1] = startInstance(t, bin, dbURL)
	lb.set(urls())
	time.Sleep(1500 * time.Millisecond)
	stopLoad()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	t.Logf("statuses: %v; acknowledged creates: %d, deletes: %d", statuses, len(acked), len(deleted))
	if len(bad) > 0 {
		t.Errorf("%d requests failed or got a 5xx other than 503; first: %v", len(bad), bad[:min(5, len(bad))])
	}
	if len(acked) < 50 {
		t.Errorf("acknowledged creates: got %d; want at least 50 under load", len(acked))
	}

	// Every instance sees the same data: each acknowledged, undeleted
	// create exactly once, no deleted one, and the same count.
	var counts []string
	for _, in := range insts {
		res, err := http.Get(in.url + "/todos")
		if err != nil {
			t.Fatal(err)
		}
		var all []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		}
		json.NewDecoder(res.Body).Decode(&all)
		res.Body.Close()
		byTitle := map[string]int{}
		byID := map[int64]bool{}
		for _, td := range all {
			byTitle[td.Title]++
			byID[td.ID] = true
		}
		for _, a := range acked {
			switch n := byTitle[a.title]; {
			case deleted[a.id] && byID[a.id]:
				t.Errorf("%s: deleted todo %d is still there", in.url, a.id)
			case !deleted[a.id] && n != 1:
				t.Errorf("%s: acknowledged todo %q found %d times; want 1", in.url, a.title, n)
			}
		}
		res, err = http.Get(in.url + "/todos/count")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		counts = append(counts, string(b))
	}
	if counts[0] != counts[1] || counts[1] != counts[2] {
		t.Errorf("counts differ between instances: %v", counts)
	}
}

// TestGracefulStopMemoryFile: one todo process on the memory connector
// with its file, stopped with SIGTERM under concurrent creates; started
// again on the same file, it has every acknowledged create exactly once.
func TestGracefulStopMemoryFile(t *testing.T) {
	if os.Getenv("LB_TEST_MULTI_INSTANCE") == "" && os.Getenv("CI") != "true" {
		t.Skip("set LB_TEST_MULTI_INSTANCE=1 (CI=true runs it) to run todo processes")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "todo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "db.json")
	startFile := func() *instance {
		t.Setenv("DB_FILE", file)
		return startInstance(t, bin, "")
	}
	in := startFile()
	var (
		mu    sync.Mutex
		acked []string
	)
	client := &http.Client{Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				title := fmt.Sprintf("m%d-%d", w, i)
				res, err := client.Post(in.url+"/todos", "application/json", strings.NewReader(`{"title":"`+title+`"}`))
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					mu.Lock()
					acked = append(acked, title)
					mu.Unlock()
				} else if res.StatusCode >= 500 && res.StatusCode != 503 {
					t.Errorf("create: got %d", res.StatusCode)
				}
			}
		}()
	}
	time.Sleep(time.Second)
	in.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-in.done; err != nil {
		t.Errorf("exit after SIGTERM: %v; want 0", err)
	}
	wg.Wait()
	again := startFile()
	res, err := http.Get(again.url + "/todos")
	if err != nil {
		t.Fatal(err)
	}
	var all []struct {
		Title string `json:"title"`
	}
	json.NewDecoder(res.Body).Decode(&all)
	res.Body.Close()
	n := map[string]int{}
	for _, td := range all {
		n[td.Title]++
	}
	if len(acked) < 20 {
		t.Errorf("acknowledged creates: got %d; want at least 20", len(acked))
	}
	for _, title := range acked {
		if n[title] != 1 {
			t.Errorf("acknowledged %q found %d times after restart; want 1", title, n[title])
		}
	}
	t.Logf("acknowledged creates: %d, all present once", len(acked))
}
