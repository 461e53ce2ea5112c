package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestChangesStream follows GET /todos/changes (Server-Sent Events) while
// todos are written through the REST API: only the changes its where
// filter selects arrive, each with the todo after the change.
func TestChangesStream(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	resp, err := http.Get(base + "/todos/changes?where=" + url.QueryEscape(`{"isComplete":true}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET /todos/changes: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	read := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(2 * time.Second):
			t.Fatal("no line from the stream within 2s")
		}
		return ""
	}
	for read() != ": connected" {
	}
	if s, _, b := do(t, base, step{method: "POST", path: "/todos", body: `{"title":"open"}`}); s != 200 {
		t.Fatalf("POST: %d %s", s, b)
	}
	if s, _, b := do(t, base, step{method: "PATCH", path: "/todos/5", body: `{"isComplete":true}`}); s != 204 {
		t.Fatalf("PATCH: %d %s", s, b)
	}
	var event, data string
	for data == "" {
		l := read()
		if v, ok := strings.CutPrefix(l, "event: "); ok {
			event = v
		}
		if v, ok := strings.CutPrefix(l, "data: "); ok {
			data = v
		}
	}
	var ev struct {
		Kind     string          `json:"kind"`
		ID       int64           `json:"id"`
		Instance map[string]any  `json:"instance"`
		Changed  []string        `json:"changed"`
		Model    string          `json:"model"`
		Seq      json.RawMessage `json:"seq"`
	}
	if err := json.Unmarshal([]byte(data), &ev); err != nil {
		t.Fatal(err)
	}
	if event != "update" || ev.Kind != "update" || ev.ID != 5 || ev.Model != "Todo" || ev.Instance["title"] != "open" || ev.Instance["isComplete"] != true {
		t.Fatalf("event %s %s", event, data)
	}
	// The document describes the stream.
	_, _, doc := do(t, base, step{method: "GET", path: "/openapi.json"})
	if !strings.Contains(string(doc), `"TodoController.changes"`) || !strings.Contains(string(doc), `"text/event-stream"`) {
		t.Error("GET /todos/changes is not in the OpenAPI document")
	}
}

// TestChangesSocket follows GET /todos/ws (WebSocket).
func TestChangesSocket(t *testing.T) {
	base := start(t, config{Host: "127.0.0.1"})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/todos/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	// The subscription starts right after the upgrade: write until the
	// first change arrives.
	got := make(chan []byte, 1)
	go func() {
		_, b, err := c.Read(ctx)
		if err == nil {
			got <- b
		}
		close(got)
	}()
	for i := 0; ; i++ {
		if s, _, b := do(t, base, step{method: "PATCH", path: "/todos/1", body: `{"desc":"x"}`}); s != 204 {
			t.Fatalf("PATCH: %d %s", s, b)
		}
		select {
		case b := <-got:
			if !strings.Contains(string(b), `"kind":"update"`) || !strings.Contains(string(b), `"id":1`) {
				t.Fatalf("message %s", b)
			}
			return
		case <-time.After(20 * time.Millisecond):
		}
		if i > 100 {
			t.Fatal("no message on the socket")
		}
	}
}
