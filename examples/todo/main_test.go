package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain_FreshDirectory builds the example, runs it in an empty working
// directory as `go run ./examples/todo` would, and checks what it prints,
// what it serves and the data file it creates.
func TestMainFreshDirectory(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "todo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PORT=0", "HOST=127.0.0.1")
	cmd.Env = slicesWithout(cmd.Env, "DB_FILE=", "DB_URL=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	urls := map[string]string{}
	sc := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	for len(urls) < 2 && sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ":"); ok && (k == "Todo API" || k == "API explorer") {
			urls[k] = strings.TrimSpace(v)
		}
	}
	deadline.Stop()
	go io.Copy(io.Discard, stdout)
	api, explorer := urls["Todo API"], urls["API explorer"]
	if !strings.HasPrefix(api, "http://127.0.0.1:") || !strings.HasSuffix(api, "/todos") || explorer != strings.TrimSuffix(api, "todos")+"explorer/" {
		t.Fatalf("printed URLs %v; want the API at http://127.0.0.1:<port>/todos and the explorer next to it", urls)
	}

	resp, err := http.Get(api)
	if err != nil {
		t.Fatal(err)
	}
	var todos []map[string]any
	err = json.NewDecoder(resp.Body).Decode(&todos)
	resp.Body.Close()
	if err != nil || len(todos) != 4 || todos[0]["title"] != "Take over the galaxy" {
		t.Errorf("GET %s: got %v, %v; want the four seeded todos", api, todos, err)
	}
	resp, err = http.Get(explorer)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET %s: status %d", explorer, resp.StatusCode)
	}

	// The store is data/db.json under the working directory, in LoopBack's
	// format, with the next id 5.
	raw, err := os.ReadFile(filepath.Join(work, "data", "db.json"))
	if err != nil {
		t.Fatalf("data/db.json was not created: %v", err)
	}
	var db struct {
		IDs    map[string]int               `json:"ids"`
		Models map[string]map[string]string `json:"models"`
	}
	if err := json.Unmarshal(raw, &db); err != nil || db.IDs["Todo"] != 5 || len(db.Models["Todo"]) != 4 {
		t.Errorf("data/db.json: got next id %d, %d todos, %v; want 5 and 4:\n%s", db.IDs["Todo"], len(db.Models["Todo"]), err, raw)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if waitErr != nil {
			t.Errorf("exit after SIGTERM: %v", waitErr)
		}
	case <-time.After(30 * time.Second):
		t.Error("did not stop within 30 s of SIGTERM")
	}
}

// slicesWithout drops the variables with the given prefixes from env.
func slicesWithout(env []string, prefixes ...string) []string {
	out := env[:0:0]
	for _, e := range env {
		keep := true
		for _, p := range prefixes {
			if strings.HasPrefix(e, p) {
				keep = false
			}
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}
