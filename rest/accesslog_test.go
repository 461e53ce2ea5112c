package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/loopback-go/lb/rest"
)

type greetOut struct {
	Greeting string `json:"greeting"`
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// greetServer serves GET /ping/{name} through mw; the handler logs
// "handler ran" with the request's context.
func greetServer(t *testing.T, logger *slog.Logger, mw ...rest.Middleware) *httptest.Server {
	t.Helper()
	srv := rest.New(rest.Config{Logger: logger})
	srv.Use(mw...)
	rest.Get(srv, "/ping/{name}", func(ctx context.Context, in *struct {
		Name string `path:"name"`
	}) (*greetOut, error) {
		logger.InfoContext(ctx, "handler ran")
		return &greetOut{Greeting: "hi " + in.Name}, nil
	})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

func getWith(t *testing.T, url string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func logRecords(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestRequestIDAndStructuredAccessLog(t *testing.T) {
	var buf lockedBuffer
	lg := slog.New(rest.LogHandler(slog.NewJSONHandler(&buf, nil)))
	ts := greetServer(t, lg, rest.RequestID(), rest.AccessLog(rest.AccessLogConfig{Logger: lg}))

	tests := []struct {
		name, sent string
		keep       bool
	}{
		{"given", "abc-123", true},
		{"none", "", false},
		{"space", "bad id", false},
		{"too long", strings.Repeat("x", 129), false},
	}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(logRecords(t, buf.String()))
			hdr := map[string]string{}
			if tt.sent != "" {
				hdr["X-Request-Id"] = tt.sent
			}
			res := getWith(t, ts.URL+"/ping/ann?x=secret", hdr)
			id := res.Header.Get("X-Request-Id")
			if tt.keep && id != tt.sent {
				t.Fatalf("X-Request-Id: got %q; want %q", id, tt.sent)
			}
			if !tt.keep && !hex32.MatchString(id) {
				t.Fatalf("X-Request-Id: got %q; want 32 hex digits", id)
			}
			recs := logRecords(t, buf.String())[before:]
			if len(recs) != 2 {
				t.Fatalf("got %d log records; want 2 (handler, access): %v", len(recs), recs)
			}
			for _, r := range recs {
				if r["request_id"] != id {
					t.Errorf("record %v: request_id got %v; want %q", r["msg"], r["request_id"], id)
				}
			}
			acc := recs[1]
			if acc["msg"] != "request" || acc["method"] != "GET" || acc["path"] != "/ping/ann" ||
				acc["status"] != float64(200) || acc["bytes"] != float64(len(`{"greeting":"hi ann"}`)) {
				t.Errorf("access record: got %v", acc)
			}
		})
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if n := strings.Count(line, `"request_id"`); n != 1 {
			t.Errorf("record has request_id %d times; want once: %s", n, line)
		}
	}
	// Without LogHandler the access log still carries the id.
	var plain lockedBuffer
	pl := slog.New(slog.NewJSONHandler(&plain, nil))
	ts2 := greetServer(t, pl, rest.RequestID(), rest.AccessLog(rest.AccessLogConfig{Logger: pl}))
	getWith(t, ts2.URL+"/ping/x", map[string]string{"X-Request-Id": "plain-1"})
	if recs := logRecords(t, plain.String()); len(recs) != 2 || recs[1]["request_id"] != "plain-1" || recs[0]["request_id"] != nil {
		t.Errorf("plain logger: got %v; want the id on the access record only", recs)
	}
	res := getWith(t, ts.URL+"/nowhere", nil)
	recs := logRecords(t, buf.String())
	last := recs[len(recs)-1]
	if res.StatusCode != 404 || last["status"] != float64(404) {
		t.Errorf("404: got response %d, logged %v", res.StatusCode, last["status"])
	}
}

func TestAccessLogCommonFormats(t *testing.T) {
	for _, format := range []string{rest.LogCommon, rest.LogCombined} {
		t.Run(format, func(t *testing.T) {
			var out lockedBuffer
			ts := greetServer(t, slog.New(slog.DiscardHandler), rest.AccessLog(rest.AccessLogConfig{Format: format, Writer: &out}))
			getWith(t, ts.URL+"/ping/bob?q=1", map[string]string{"User-Agent": `evil"agent` + "\tx", "Referer": "http://x/"})
			line := strings.TrimSuffix(out.String(), "\n")
			want := `^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /ping/bob\?q=1 HTTP/1\.1" 200 21`
			if format == rest.LogCombined {
				want += ` "http://x/" "evil\\"agent\\x09x"$`
			} else {
				want += `$`
			}
			if !regexp.MustCompile(want).MatchString(line) {
				t.Errorf("line: got %q; want match of %s", line, want)
			}
			if strings.Count(out.String(), "\n") != 1 {
				t.Errorf("got %d lines; want 1", strings.Count(out.String(), "\n"))
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("AccessLog with an unknown format did not panic")
		}
	}()
	rest.AccessLog(rest.AccessLogConfig{Format: "fancy"})
}

// TestRequestIDInServerLog: the server's own log records of a request (a
// handler that panics is logged as a 500) carry its request id.
func TestRequestIDInServerLog(t *testing.T) {
	var buf lockedBuffer
	lg := slog.New(rest.LogHandler(slog.NewJSONHandler(&buf, nil)))
	srv := rest.New(rest.Config{Logger: lg})
	srv.Use(rest.RequestID())
	rest.Get(srv, "/boom", func(ctx context.Context, _ *struct{}) (*greetOut, error) { panic("boom") })
	ts := httptest.NewServer(srv)
	defer ts.Close()
	res := getWith(t, ts.URL+"/boom", map[string]string{"X-Request-Id": "req-500"})
	if res.StatusCode != 500 || res.Header.Get("X-Request-Id") != "req-500" {
		t.Fatalf("GET /boom: got %d, id %q; want 500, req-500", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	recs := logRecords(t, buf.String())
	if len(recs) == 0 || recs[len(recs)-1]["request_id"] != "req-500" {
		t.Errorf("server log: got %v; want a record with request_id req-500", recs)
	}
}
