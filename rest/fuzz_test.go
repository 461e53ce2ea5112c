package rest_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/loopback-go/lb/rest"
)

// The fuzz targets send arbitrary input through the whole server and
// require an answer below 500 (and no panic). Seeds live in
// testdata/fuzz/<Target>.

func fuzzApp(f *testing.F) *rest.Server {
	f.Helper()
	return newTestApp(f, rest.Config{MaxBodySize: 4096, Logger: slog.New(slog.DiscardHandler)})
}

func serveFuzz(t *testing.T, s *rest.Server, r *http.Request) {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code >= 500 {
		t.Fatalf("%s %s: got %d %s", r.Method, r.URL, w.Code, w.Body)
	}
}

// FuzzRouter fuzzes request paths and methods.
func FuzzRouter(f *testing.F) {
	s := fuzzApp(f)
	f.Fuzz(func(t *testing.T, method, path string) {
		if !validMethod(method) {
			method = "GET"
		}
		u, err := url.Parse("http://x" + "/" + strings.TrimPrefix(path, "/"))
		if err != nil || strings.Trim(u.Path, "/") == "boom" {
			return
		}
		serveFuzz(t, s, &http.Request{Method: method, URL: u, Header: http.Header{}, Host: "x"})
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// FuzzParams fuzzes the raw query of an operation with scalar, array,
// date and byte parameters, and a path parameter.
func FuzzParams(f *testing.F) {
	s := fuzzApp(f)
	f.Fuzz(func(t *testing.T, id, query, header string) {
		u := &url.URL{Path: "/things/" + id, RawQuery: query}
		r := &http.Request{Method: "GET", URL: u, Header: http.Header{}, Host: "x"}
		if !strings.ContainsAny(header, "\r\n\x00") {
			r.Header.Set("X-Key", header)
			r.Header.Set("Cookie", "session="+header)
		}
		serveFuzz(t, s, r)
	})
}

// FuzzQueryObject fuzzes an object parameter, sent as JSON text and in the
// nested query-string form.
func FuzzQueryObject(f *testing.F) {
	s := fuzzApp(f)
	f.Fuzz(func(t *testing.T, filter, rawQuery string) {
		q := url.Values{"filter": {filter}}.Encode()
		for _, raw := range []string{q, rawQuery} {
			serveFuzz(t, s, &http.Request{Method: "GET", URL: &url.URL{Path: "/todos", RawQuery: raw}, Header: http.Header{}, Host: "x"})
		}
	})
}

// FuzzBody fuzzes request bodies of every media type the parsers handle.
func FuzzBody(f *testing.F) {
	s := fuzzApp(f)
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		for _, path := range []string{"/todos", "/echo"} {
			r := httptest.NewRequest("POST", path, strings.NewReader(string(body)))
			if !strings.ContainsAny(contentType, "\r\n\x00") {
				r.Header.Set("Content-Type", contentType)
			}
			serveFuzz(t, s, r)
		}
	})
}
