package explorer

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzAcceptEncoding checks that any Accept-Encoding header parses without
// panicking, and that gzip is only chosen when the header names it or *.
func FuzzAcceptEncoding(f *testing.F) {
	for _, s := range []string{"", "gzip", "gzip;q=0", "br, gzip;q=0.5", "*", "identity;q=1, *;q=0", ";;,,", "GZip ; q=0.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := &http.Request{Header: http.Header{"Accept-Encoding": {header}}}
		got := acceptsGzip(r)
		lower := strings.ToLower(header)
		if got && !strings.Contains(lower, "gzip") && !strings.Contains(lower, "*") {
			t.Errorf("acceptsGzip(%q) = true without gzip or * in the header", header)
		}
	})
}

// FuzzHandler sends arbitrary paths and queries through the explorer
// mounted under a prefix: it must never panic, and only answer with the
// statuses the contract allows.
func FuzzHandler(f *testing.F) {
	for _, s := range []string{"/explorer", "/explorer/", "/explorer/openapi.json", "/explorer/swagger-ui.css", "/explorer/../x", "/explorer//a", "/explorer/%2e%2e/", "/explorer?x=%zz", "/"} {
		f.Add(s, "gzip")
	}
	mux := http.NewServeMux()
	Mount(mux, "/explorer", Config{Spec: func(*http.Request) ([]byte, error) { return []byte(`{}`), nil }})
	f.Fuzz(func(t *testing.T, target, acceptEncoding string) {
		p, q, _ := strings.Cut(target, "?")
		if !strings.HasPrefix(p, "/") {
			return // not an origin-form request target; net/http rejects it before any handler
		}
		r := &http.Request{
			Method:     http.MethodGet,
			URL:        &url.URL{Path: p, RawQuery: q},
			RequestURI: target,
			Header:     http.Header{"Accept-Encoding": {acceptEncoding}},
			Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, r)
		switch rec.Code {
		case http.StatusOK, http.StatusMovedPermanently, http.StatusNotFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		default:
			t.Errorf("GET %q: status %d", target, rec.Code)
		}
		if rec.Code == http.StatusMovedPermanently && strings.HasPrefix(p, "/explorer") && len(p) == len("/explorer") {
			if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "./") {
				t.Errorf("GET %q: Location %q is not relative", target, loc)
			}
		}
	})
}
