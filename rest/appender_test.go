package rest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/loopback-go/lb/fault"
	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// numbers appends a JSON array of n numbers, or fails with err.
type numbers struct {
	n   int
	err error
}

func (x numbers) AppendJSON(b []byte) ([]byte, error) {
	if x.err != nil {
		return nil, x.err
	}
	b = append(b, '[')
	for i := range x.n {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(i), 10)
	}
	return append(b, ']'), nil
}

func numbersJSON(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strconv.Itoa(i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// TestJSONAppender checks that a JSONAppender result is written as JSON,
// small and large ones alike (the pooled buffer grows and is reused), with
// the status and headers of a *Response around it, and that its error is
// written like a handler's.
func TestJSONAppender(t *testing.T) {
	s := rest.New(rest.Config{Logger: discard()})
	s.Route("GET", "/numbers", &openapi.Operation{}, func(ctx context.Context, req *rest.Request) (any, error) {
		n, _ := strconv.Atoi(req.HTTP.URL.Query().Get("n"))
		return numbers{n: n}, nil
	})
	s.Route("GET", "/created", &openapi.Operation{}, func(ctx context.Context, req *rest.Request) (any, error) {
		return &rest.Response{Status: http.StatusCreated, Header: http.Header{"X-Kind": {"numbers"}}, Body: numbers{n: 2}}, nil
	})
	s.Route("GET", "/fails", &openapi.Operation{}, func(ctx context.Context, req *rest.Request) (any, error) {
		return numbers{err: fault.New(fault.NotFound, "ENTITY_NOT_FOUND", "nothing here")}, nil
	})
	tests := []struct {
		path   string
		status int
		body   string
		header string // X-Kind
	}{
		{"/numbers?n=0", 200, "[]", ""},
		{"/numbers?n=3", 200, "[0,1,2]", ""},
		{"/numbers?n=5000", 200, numbersJSON(5000), ""},
		{"/numbers?n=4", 200, "[0,1,2,3]", ""},
		{"/created", 201, "[0,1]", "numbers"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
		if w.Code != tt.status || w.Body.String() != tt.body {
			t.Errorf("GET %s: got %d %.80s; want %d %.80s", tt.path, w.Code, w.Body, tt.status, tt.body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("GET %s: got Content-Type %q; want application/json", tt.path, ct)
		}
		if got := w.Header().Get("X-Kind"); got != tt.header {
			t.Errorf("GET %s: got X-Kind %q; want %q", tt.path, got, tt.header)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/fails", nil))
	if w.Code != 404 || !strings.Contains(w.Body.String(), `"code":"ENTITY_NOT_FOUND"`) {
		t.Errorf("GET /fails: got %d %s; want 404 with ENTITY_NOT_FOUND", w.Code, w.Body)
	}
}

// TestBodyLimitWithContentLength checks the body limit whatever the
// Content-Length says: within the limit, over it, absent (chunked), and
// understating the body (possible for in-process callers only).
func TestBodyLimitWithContentLength(t *testing.T) {
	s := rest.New(rest.Config{Logger: discard(), MaxBodySize: 16})
	s.Route("POST", "/echo", &openapi.Operation{RequestBody: &openapi.RequestBody{Content: map[string]*openapi.MediaType{
		"application/json": {Schema: &openapi.Schema{}}}}}, func(ctx context.Context, req *rest.Request) (any, error) {
		return req.Body, nil
	})
	tests := []struct {
		body   string
		length int64
		status int
	}{
		{`"short"`, 7, 200},
		{`"longer than sixteen bytes"`, 27, 413},
		{`"longer than sixteen bytes"`, -1, 413},
		{`"short"`, -1, 200},
		{`"longer than sixteen bytes"`, 7, 413},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/echo", strings.NewReader(tt.body))
		r.Header.Set("Content-Type", "application/json")
		r.ContentLength = tt.length
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != tt.status {
			t.Errorf("%s with Content-Length %d: got %d %s; want %d", tt.body, tt.length, w.Code, w.Body, tt.status)
		}
	}
}
