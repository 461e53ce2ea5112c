package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is one server under test.
type target struct {
	Name string   // column name in the report
	Role string   // roleGo, roleBare or roleLB4
	Argv []string // command to start it
	Env  []string // extra environment, on top of HOST and PORT
	Dir  string   // working directory
}

// running is a started server.
type running struct {
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:port
	id   string // id of one of its todos, for GET /todos/{id}
	done chan error
	log  *bytes.Buffer
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// start starts t on a free port, waits until GET /todos answers 200 and
// leaves exactly todos todos in it (todos < 0: as it finds them).
func (t target) start(ctx context.Context, todos int) (*running, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(t.Argv[0], t.Argv[1:]...)
	cmd.Dir = t.Dir
	cmd.Env = append(append(os.Environ(), "HOST=127.0.0.1", "PORT="+strconv.Itoa(port)), t.Env...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", t.Name, err)
	}
	r := &running{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan error, 1), log: &log}
	go func() { r.done <- cmd.Wait() }()
	if err := r.waitReady(ctx, 60*time.Second); err != nil {
		r.stop()
		return nil, fmt.Errorf("%s: %w\n%s", t.Name, err, log.String())
	}
	if todos < 0 {
		return r, nil
	}
	if err := r.seed(ctx, todos); err != nil {
		r.stop()
		return nil, fmt.Errorf("%s: seed %d todos: %w", t.Name, todos, err)
	}
	return r, nil
}

func (r *running) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case err := <-r.done:
			return fmt.Errorf("server exited before it was ready: %v", err)
		default:
		}
		status, _, err := r.do(ctx, "GET", "/todos", "")
		if err == nil && status == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %s (last: status %d, %v)", limit, status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *running) do(ctx context.Context, method, path, body string) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, r.url+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// seed makes the server hold exactly n todos, creating or deleting some, and
// remembers the id of the first.
func (r *running) seed(ctx context.Context, n int) error {
	list := func() ([]map[string]any, error) {
		status, b, err := r.do(ctx, "GET", "/todos", "")
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("GET /todos: status %d: %s", status, b)
		}
		var todos []map[string]any
		if err := json.Unmarshal(b, &todos); err != nil {
			return nil, fmt.Errorf("GET /todos: %w", err)
		}
		return todos, nil
	}
	todos, err := list()
	if err != nil {
		return err
	}
	for i := len(todos); i < n; i++ {
		body := fmt.Sprintf(`{"title":"todo %d","desc":"seeded by the benchmark"}`, i+1)
		status, b, err := r.do(ctx, "POST", "/todos", body)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("POST /todos: status %d: %s", status, b)
		}
	}
	for _, t := range todos[min(n, len(todos)):] {
		status, b, err := r.do(ctx, "DELETE", fmt.Sprintf("/todos/%v", t["id"]), "")
		if err != nil {
			return err
		}
		if status != http.StatusNoContent {
			return fmt.Errorf("DELETE /todos/%v: status %d: %s", t["id"], status, b)
		}
	}
	if todos, err = list(); err != nil {
		return err
	}
	if len(todos) != n {
		return fmt.Errorf("GET /todos returned %d todos after seeding; want %d", len(todos), n)
	}
	r.id = fmt.Sprint(todos[0]["id"])
	return nil
}

// check sends the scenario's request once and requires a 200.
func (r *running) check(ctx context.Context, sc scenario) error {
	status, b, err := r.do(ctx, sc.Method, r.path(sc), sc.Body)
	if err != nil {
		return fmt.Errorf("%s: %w", sc.Name, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("%s: status %d; want 200: %s", sc.Name, status, b)
	}
	return nil
}

func (r *running) path(sc scenario) string { return strings.ReplaceAll(sc.Path, "{id}", r.id) }

// peakRSS returns the server's peak resident set size (VmHWM) in bytes.
func (r *running) peakRSS() (int64, error) { return procRSS(r.cmd.Process.Pid, "VmHWM") }

// cpu returns the CPU time the server has used so far.
func (r *running) cpu() (time.Duration, error) { return procCPU(r.cmd.Process.Pid) }

// stop ends the server: SIGTERM, then SIGKILL after 10 s.
func (r *running) stop() {
	if r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.done
	}
}

// goBuild builds the main package pkg of the module at root into dir,
// with CGO_ENABLED=0.
func goBuild(ctx context.Context, root, dir, pkg, name string) (string, error) {
	out := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build -o %s %s: %w\n%s", out, pkg, err, b)
	}
	return out, nil
}

// lb4Server is the script that runs LoopBack 4's todo example. LB4_DS is
// the datasource config in JSON (default: the memory connector without a
// file); it is bound before boot, as the example's DbDataSource allows.
// With LB4_MIGRATE set, the schema is migrated before the server starts,
// then the SQL statements of LB4_SQL (a JSON array) run: the example's
// Todo id is not generated (the memory connector numbers it anyway), so on
// SQL the harness gives the id column a sequence or AUTO_INCREMENT.
const lb4Server = `const {TodoListApplication} = require('@loopback/example-todo');
async function main() {
  const app = new TodoListApplication({rest: {port: +process.env.PORT, host: process.env.HOST}});
  const ds = process.env.LB4_DS ? JSON.parse(process.env.LB4_DS) : {name: 'db', connector: 'memory'};
  app.bind('datasources.config.db').to(ds);
  await app.boot();
  if (process.env.LB4_MIGRATE) await app.migrateSchema();
  if (process.env.LB4_SQL) {
    const db = await app.get('datasources.db');
    for (const stmt of JSON.parse(process.env.LB4_SQL)) await db.execute(stmt);
  }
  await app.start();
  console.log('Server is running at ' + app.restServer.url);
}
main().catch(err => { console.error(err); process.exit(1); });
`

// lb4Packages are the npm packages of the LoopBack 4 columns besides the
// example: its SQL connectors.
var lb4Packages = []string{"loopback-connector-postgresql@8", "loopback-connector-mysql@8"}

// setupLB4 installs @loopback/example-todo@version and lb4Packages into dir (a temporary
// directory, never the repository) and writes the server script.
func setupLB4(ctx context.Context, dir, version string) (target, error) {
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"lb4-bench","private":true}`+"\n"), 0o644); err != nil {
		return target{}, fmt.Errorf("lb4: %w", err)
	}
	args := append([]string{"install", "--no-audit", "--no-fund", "--loglevel=error", "@loopback/example-todo@" + version}, lb4Packages...)
	cmd := exec.CommandContext(ctx, "npm", args...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return target{}, fmt.Errorf("npm install @loopback/example-todo@%s: %w\n%s", version, err, b)
	}
	if err := os.WriteFile(filepath.Join(dir, "server.js"), []byte(lb4Server), 0o644); err != nil {
		return target{}, fmt.Errorf("lb4: %w", err)
	}
	return target{Name: "LoopBack 4", Role: roleLB4, Argv: []string{"node", "server.js"}, Dir: dir, Env: []string{"NODE_ENV=production"}}, nil
}
