package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/rest"
)

// TestPersistErrorOverHTTP checks what a client and the log see of a
// failed file write: a LoopBack 503 whose body names neither the file nor
// the system's error (with and without rest's Debug), while the log has
// both.
func TestPersistErrorOverHTTP(t *testing.T) {
	c, err := New(Config{File: filepath.Join(t.TempDir(), "db.json")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	failWrites(c)
	_, err = c.Create(context.Background(), todoDef(), connector.Record{"title": "lost"})
	if err == nil {
		t.Fatal("Create: got nil error; want the failed file write's")
	}
	for _, debug := range []bool{false, true} {
		var log bytes.Buffer
		srv := rest.New(rest.Config{Debug: debug, Logger: slog.New(slog.NewTextHandler(&log, nil))})
		rec := httptest.NewRecorder()
		srv.WriteError(rec, httptest.NewRequest(http.MethodPost, "/todos", strings.NewReader(`{"title":"lost"}`)), err)
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("debug %v: got status %d; want 503", debug, rec.Code)
		}
		var body struct {
			Error struct {
				StatusCode int    `json:"statusCode"`
				Message    string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.StatusCode != 503 {
			t.Errorf("debug %v: got body %s (%v); want a LoopBack error with statusCode 503", debug, rec.Body, err)
		}
		for _, leak := range []string{"secret", "db.json", "space", "memory:"} {
			if strings.Contains(rec.Body.String(), leak) {
				t.Errorf("debug %v: body %s contains %q", debug, rec.Body, leak)
			}
		}
		if debug && !strings.Contains(body.Error.Message, "not applied") {
			t.Errorf("debug: got message %q; want the connector's", body.Error.Message)
		}
		if !strings.Contains(log.String(), "no space left on device") || !strings.Contains(log.String(), "db.json") {
			t.Errorf("debug %v: the log does not have the cause: %s", debug, log.String())
		}
	}
}
