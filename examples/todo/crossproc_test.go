package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/loopback-go/lb/connector/postgres"
	"github.com/loopback-go/lb/connector/sqlconn/sqltest"
	"github.com/loopback-go/lb/fault"
)

// sseEvent is one event of GET /todos/changes.
type sseEvent struct {
	id, event string
	data      struct {
		Seq      uint64         `json:"seq"`
		Model    string         `json:"model"`
		Kind     string         `json:"kind"`
		ID       int64          `json:"id"`
		Instance map[string]any `json:"instance"`
		After    uint64         `json:"after"`
	}
}

// followSSE opens GET /todos/changes on base and returns its events.
func followSSE(t *testing.T, base, lastID string) (<-chan sseEvent, *http.Response) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/todos/changes", nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	out := make(chan sseEvent, 64)
	if resp.StatusCode != 200 {
		close(out)
		return out, resp
	}
	connected := make(chan struct{})
	go func() {
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			l := sc.Text()
			switch {
			case l == ": connected":
				close(connected)
			case l == "":
				if ev.event != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(l, "id: "):
				ev.id = l[4:]
			case strings.HasPrefix(l, "event: "):
				ev.event = l[7:]
			case strings.HasPrefix(l, "data: "):
				if err := json.Unmarshal([]byte(l[6:]), &ev.data); err != nil {
					t.Errorf("data %s: %v", l[6:], err)
				}
			}
		}
	}()
	select {
	case <-connected:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream did not open within 5s")
	}
	return out, resp
}

func nextSSE(t *testing.T, c <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return sseEvent{}
}

// TestChangesAcrossProcesses runs two todo processes on one PostgreSQL
// schema: clients of process A (SSE and WebSocket) see every change made
// through process B, under the same event ids (the outbox's); a client
// that reconnects with Last-Event-ID to a process started after the
// changes is replayed them from the outbox, then follows the live ones.
func TestChangesAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example and runs it three times")
	}
	pgURL := os.Getenv("LB_TEST_POSTGRES_URL")
	if pgURL == "" {
		pgURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	schema := "lbxproc_" + sqltest.Suffix() // not todo_example: runs beside the acceptance tests
	admin, err := postgres.Open(pgURL)
	if errors.Is(err, fault.Unavailable) {
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL+": "+err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.DB().Exec(`CREATE SCHEMA "` + schema + `"`); err != nil {
		admin.Close()
		sqltest.SkipOrFail(t, "PostgreSQL is not available at "+pgURL+": "+err.Error())
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
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	a := startInstance(t, bin, dbURL) // migrates and seeds
	b := startInstance(t, bin, dbURL)

	sse, _ := followSSE(t, a.url, "")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	wsc, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(a.url, "http")+"/todos/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer wsc.CloseNow()

	// Through B: create, update, delete.
	status, _, body := do(t, b.url, step{method: "POST", path: "/todos", body: `{"title":"across processes"}`})
	if status != 200 {
		t.Fatalf("POST via B: %d %s", status, body)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(body, &created)
	path := "/todos/" + strconv.FormatInt(created.ID, 10)
	if s, _, b := do(t, b.url, step{method: "PATCH", path: path, body: `{"isComplete":true}`}); s != 204 {
		t.Fatalf("PATCH via B: %d %s", s, b)
	}
	if s, _, b := do(t, b.url, step{method: "DELETE", path: path}); s != 204 {
		t.Fatalf("DELETE via B: %d %s", s, b)
	}
	var ids []string
	for _, kind := range []string{"create", "update", "delete"} {
		ev := nextSSE(t, sse)
		d := ev.data
		if ev.event != kind || d.Kind != kind || d.Model != "Todo" || d.ID != created.ID || d.Instance["title"] != "across processes" ||
			ev.id != strconv.FormatUint(d.Seq, 10) {
			t.Fatalf("A's SSE client got %s %+v, want the %s of todo %d", ev.event, d, kind, created.ID)
		}
		if kind == "update" && d.Instance["isComplete"] != true {
			t.Fatalf("the update's instance %v", d.Instance)
		}
		if len(ids) > 0 && d.Seq <= mustUint(ids[len(ids)-1]) {
			t.Fatalf("ids not increasing: %v then %d", ids, d.Seq)
		}
		ids = append(ids, ev.id)

		_, msg, err := wsc.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Seq  uint64 `json:"seq"`
			Kind string `json:"kind"`
			ID   int64  `json:"id"`
		}
		if err := json.Unmarshal(msg, &m); err != nil || m.Kind != kind || m.ID != created.ID || strconv.FormatUint(m.Seq, 10) != ev.id {
			t.Fatalf("A's WebSocket client got %s, want the %s of todo %d with id %s", msg, kind, created.ID, ev.id)
		}
	}

	// While nobody follows, two more todos through A; then B stops and a
	// third process starts: its bus has seen none of these changes.
	for _, title := range []string{"missed 1", "missed 2"} {
		if s, _, body := do(t, a.url, step{method: "POST", path: "/todos", body: `{"title":"` + title + `"}`}); s != 200 {
			t.Fatalf("POST via A: %d %s", s, body)
		}
	}
	b.cmd.Process.Signal(syscall.SIGTERM)
	<-b.done
	c := startInstance(t, bin, dbURL)
	resumed, _ := followSSE(t, c.url, ids[0])
	for i, want := range []string{"update", "delete", "create", "create"} {
		ev := nextSSE(t, resumed)
		if ev.event != want || (i < 2 && ev.id != ids[i+1]) || (i >= 2 && ev.data.Instance["title"] != "missed "+strconv.Itoa(i-1)) {
			t.Fatalf("replay %d on C: %s %s %+v, want %s", i, ev.id, ev.event, ev.data, want)
		}
	}
	if s, _, body := do(t, a.url, step{method: "POST", path: "/todos", body: `{"title":"live"}`}); s != 200 {
		t.Fatalf("POST via A: %d %s", s, body)
	}
	if ev := nextSSE(t, resumed); ev.event != "create" || ev.data.Instance["title"] != "live" {
		t.Fatalf("after the replay: %+v", ev)
	}

	// An id the outbox does not hold: a reset event; not a number: a 400.
	reset, _ := followSSE(t, c.url, "99999999")
	if ev := nextSSE(t, reset); ev.event != "reset" || ev.data.After != 99999999 || ev.id != "" {
		t.Fatalf("resume from an unknown id began with %+v, want a reset", ev)
	}
	_, resp := followSSE(t, c.url, "12abc")
	var e struct {
		Error struct {
			StatusCode int    `json:"statusCode"`
			Code       string `json:"code"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 400 || e.Error.StatusCode != 400 || e.Error.Code != "INVALID_PARAMETER_VALUE" {
		t.Fatalf("Last-Event-ID 12abc: %d %+v (%v)", resp.StatusCode, e, err)
	}
}

func mustUint(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}
