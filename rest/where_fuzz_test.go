package rest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loopback-go/lb/openapi"
	"github.com/loopback-go/lb/rest"
)

// FuzzWhereRoundTrip sends a where object of up to three conditions to an
// operation, in the nested form (where[title]=…) and as JSON text, each
// value escaped properly, carelessly (a raw "%") or with a malformed
// escape, and requires the operation to receive exactly what was sent, or
// the request to be refused with a 4xx: never a where with a condition
// missing. A value's escapes that do not decode leave it as sent.
func FuzzWhereRoundTrip(f *testing.F) {
	s := rest.New(rest.Config{Logger: discard()})
	op := &openapi.Operation{OperationID: "count", Parameters: []*openapi.Parameter{{
		Name: "where", In: "query",
		Content: map[string]*openapi.MediaType{"application/json": {Schema: &openapi.Schema{
			Type: openapi.Types{"object"}, AdditionalProperties: openapi.BoolSchema(true)}}},
	}}}
	s.Route("GET", "/count", op, func(_ context.Context, req *rest.Request) (any, error) {
		return map[string]any{"where": req.Params["where"]}, nil
	})
	for _, seed := range [][4]string{
		{"title", "100%", "desc", "a%zz"},
		{"title", "a b+c", "x;y", "%E2%82"},
		{"é", "%C3%A9", "and", "é%"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], byte(0x1b))
	}
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string, modes byte) {
		want := map[string]any{}
		var parts []string
		var keys []string
		for i, kv := range [][2]string{{k1, v1}, {k2, v2}} {
			k, v := kv[0], kv[1]
			if k == "" || strings.ContainsAny(k, "[]") || !utf8.ValidString(k) || !utf8.ValidString(v) || want[k] != nil ||
				k == "__proto__" || k == "constructor" {
				continue
			}
			sent := escape(v, int(modes>>(2*i))&3)
			parts = append(parts, "where["+url.QueryEscape(k)+"]="+sent)
			want[k] = received(sent)
			keys = append(keys, k)
		}
		if len(parts) == 0 {
			return
		}
		// The nested form.
		check(t, s, strings.Join(parts, "&"), want)
		// The JSON form.
		js, _ := json.Marshal(map[string]any{keys[0]: v1})
		sent := escape(string(js), int(modes>>4)&3)
		var jsonWant map[string]any
		if json.Unmarshal([]byte(received(sent)), &jsonWant) != nil {
			jsonWant = nil // not JSON once received: must be refused
		}
		check(t, s, "where="+sent, jsonWant)
	})
}

// check sends query and requires the where received to equal want, or a
// 4xx when want is nil.
func check(t *testing.T, s *rest.Server, query string, want map[string]any) {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, &http.Request{Method: "GET", URL: &url.URL{Path: "/count", RawQuery: query}, Header: http.Header{}, Host: "x"})
	if w.Code >= 400 && w.Code < 500 {
		return // refused: never smaller
	}
	if w.Code != 200 {
		t.Fatalf("%s: got %d %s", query, w.Code, w.Body)
	}
	var got struct {
		Where map[string]any `json:"where"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if want == nil || !reflect.DeepEqual(got.Where, want) {
		t.Fatalf("%s:\n got %v\nwant %v", query, got.Where, want)
	}
}

// escape sends s properly escaped (mode 0), carelessly with only the
// query's own syntax escaped (1), with a stray "%" appended (2), or with
// "%zz" in the middle (3).
func escape(s string, mode int) string {
	switch mode {
	case 1:
		return strings.NewReplacer("&", "%26", "=", "%3D", "+", "%2B", "#", "%23").Replace(s)
	case 2:
		return url.QueryEscape(s) + "%"
	case 3:
		e := url.QueryEscape(s)
		return e[:len(e)/2] + "%zz" + e[len(e)/2:]
	}
	return url.QueryEscape(s)
}

// received is what a value sent as sent must arrive as: decoded when its
// escapes decode to UTF-8 (net/url as an independent decoder), else as
// sent with "+" as a space.
func received(sent string) string {
	if d, err := url.QueryUnescape(sent); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ReplaceAll(sent, "+", " ")
}
