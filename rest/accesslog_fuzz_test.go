package rest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzCommonLine: whatever a client sends as path, user agent, referer or
// user name, the common and combined lines stay one line whose quoted
// fields cannot be closed early.
func FuzzCommonLine(f *testing.F) {
	f.Add("/todos?filter=x", "curl/8", "http://x/", "ann")
	f.Add("/\"injected", "a\"b\\c", "\x00\n\r", "\x7f")
	f.Fuzz(func(t *testing.T, uri, ua, ref, user string) {
		r := &http.Request{Method: "GET", RequestURI: uri, Proto: "HTTP/1.1", RemoteAddr: "127.0.0.1:1",
			Header: http.Header{"User-Agent": {ua}, "Referer": {ref}}}
		r.SetBasicAuth(user, "pw")
		line := commonLine(r, 200, 5, time.Unix(0, 0), true)
		if strings.ContainsAny(line, "\n\r") {
			t.Fatalf("line break in %q", line)
		}
		// Unescaped quotes: exactly the six that delimit the three quoted fields.
		n := 0
		for i := 0; i < len(line); i++ {
			if line[i] == '\\' {
				i++
				continue
			}
			if line[i] == '"' {
				n++
			}
		}
		if n != 6 {
			t.Fatalf("got %d unescaped quotes in %q; want 6", n, line)
		}
		if !validRequestID(ua) && len(ua) > 0 && len(ua) <= maxRequestID && !strings.ContainsFunc(ua, func(c rune) bool { return c <= ' ' || c > '~' }) {
			t.Fatalf("validRequestID(%q) = false for visible ASCII", ua)
		}
	})
}
