package rest_test

import (
	"mime"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loopback-go/lb/rest"
)

// FuzzJSONBodyEncoding sends JSON bodies of any bytes under any charset
// parameter: a body is accepted only when its charset is UTF-8 (or none)
// and its bytes are valid UTF-8; another charset is 415 and invalid UTF-8
// is 400, and so is a \u escape of half a surrogate pair, so no byte is
// ever silently replaced by U+FFFD. Seeds live in
// testdata/fuzz/FuzzJSONBodyEncoding.
func FuzzJSONBodyEncoding(f *testing.F) {
	s := fuzzApp(f)
	f.Fuzz(func(t *testing.T, charset string, body []byte) {
		if strings.ContainsAny(charset, "\r\n\x00") {
			return
		}
		ct := mime.FormatMediaType("application/json", map[string]string{"charset": charset})
		if ct == "" || charset == "" {
			ct = "application/json"
		}
		r := httptest.NewRequest("POST", "/echo", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		utf8Charset := charset == "" || strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8")
		switch {
		case w.Code >= 500:
			t.Fatalf("charset %q body %q: got %d %s", charset, body, w.Code, w.Body)
		case len(body) > 4096:
			// over MaxBodySize: 413 or 415, judged by the contract tests
		case !utf8Charset && w.Code != 415:
			t.Fatalf("charset %q: got %d %s; want 415", charset, w.Code, w.Body)
		case utf8Charset && len(body) > 0 && !utf8.Valid(body) && w.Code != 400:
			t.Fatalf("invalid UTF-8 %q: got %d %s; want 400", body, w.Code, w.Body)
		case w.Code == 200 && strings.ContainsRune(w.Body.String(), utf8.RuneError) && !strings.ContainsRune(string(body), utf8.RuneError):
			t.Fatalf("body %q: got %s with U+FFFD", body, w.Body)
		}
	})
}

func TestNoContentTypeIsNotRead(t *testing.T) {
	// LoopBack's JSON parser leaves a body without Content-Type unread, so
	// the operation sees {} (or no body when the request has none).
	s := newTestApp(t, rest.Config{Logger: discard()})
	tests := []struct {
		name, body string
		chunked    bool
		status     int
		want       string
	}{
		{"json text", `{"title":"a"}`, false, 422, `{"error":{"statusCode":422,"name":"UnprocessableEntityError","message":"The request body is invalid. See error object ` + "`details`" + ` property for more info.","code":"VALIDATION_FAILED","details":[{"path":"","code":"required","message":"must have required property 'title'","info":{"missingProperty":"title"}}]}}`},
		{"chunked", `{"title":"a"}`, true, 422, `"missingProperty":"title"`},
		{"not even json", `title=a`, false, 422, `"missingProperty":"title"`},
		{"empty", ``, false, 400, `{"error":{"statusCode":400,"name":"BadRequestError","message":"Request body is required","code":"MISSING_REQUIRED_PARAMETER"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/todos", strings.NewReader(tc.body))
			if tc.chunked {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
				t.Errorf("got %d %s; want %d with %s", w.Code, w.Body, tc.status, tc.want)
			}
		})
	}
}

func TestLoneSurrogateEscapes(t *testing.T) {
	s := newTestApp(t, rest.Config{Logger: discard()})
	tests := []struct {
		body   string
		status int
		want   string
	}{
		{`["\"\ud800"]`, 400, `"message":"Lone surrogate in JSON at position 4"`},
		{`["\\\ud800"]`, 400, `"message":"Lone surrogate in JSON at position 4"`},
		{`"\ud800\u0041"`, 400, `"message":"Lone surrogate in JSON at position 1"`},
		{`"\ud800"`, 400, `"message":"Lone surrogate in JSON at position 1"`},
		{`"\uD83D\uDE00 \\ud800 \u00e9"`, 200, `text:😀 \ud800 é`}, // /echo answers a string body as text
		{`{"\ud83d\ude00":"\\udc00"}`, 200, `{"body":{"😀":"\\udc00"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/echo", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
				t.Errorf("got %d %s; want %d with %s", w.Code, w.Body, tc.status, tc.want)
			}
		})
	}
}
