package crud_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/loopback-go/lb/crud"
)

// FuzzUpdateAllNeverWidens sends PATCH /todos with a where on title, in
// the nested and the JSON form, each escaped properly, carelessly (a raw
// "%") or with a malformed escape, and checks that the update reached
// exactly the instances whose title is the where's value as received (its
// escapes decoded when they decode, else as sent), or that it was refused
// with a 4xx and reached none.
func FuzzUpdateAllNeverWidens(f *testing.F) {
	titles := []string{"100%", "a%zz", "a b", "a+b", "x", "é", "%E2%82", "{"}
	_, ts := serve(f, newRepo[Todo](f), crud.Options{})
	for _, title := range titles {
		b, _ := json.Marshal(map[string]string{"title": title})
		if status, body := call(f, ts, "POST", "/todos", string(b)); status != 200 {
			f.Fatalf("create %q: %d %s", title, status, body)
		}
	}
	for _, seed := range []string{"100%", "a%zz", "a b", "a+b", "%E2%82", "é"} {
		f.Add(seed, byte(0))
		f.Add(seed, byte(1))
		f.Add(seed, byte(2))
		f.Add(seed, byte(3))
	}
	marker := 0
	f.Fuzz(func(t *testing.T, value string, mode byte) {
		if !utf8.ValidString(value) {
			return
		}
		marker++
		var query, expect string
		refused := false
		if mode&4 == 0 {
			sent := escapeAs(value, int(mode&3))
			query, expect = "where[title]="+sent, receivedAs(sent)
		} else {
			js, _ := json.Marshal(map[string]string{"title": value})
			sent := escapeAs(string(js), int(mode&3))
			query = "where=" + sent
			var w map[string]any
			title, ok := "", false
			if json.Unmarshal([]byte(receivedAs(sent)), &w) == nil && len(w) == 1 {
				title, ok = w["title"].(string)
			}
			expect, refused = title, !ok
		}
		desc := "m" + strconv.Itoa(marker)
		req, err := http.NewRequest("PATCH", ts.URL+"/todos?"+query, strings.NewReader(`{"desc":"`+desc+`"}`))
		if err != nil {
			t.Skip("the client refuses the URL:", err)
		}
		req.Header.Set("Content-Type", "application/json")
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Skip("the client refuses the URL:", err)
		}
		var body struct{ Count int }
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		changed := updated(t, ts, desc)
		switch {
		case res.StatusCode >= 400 && res.StatusCode < 500:
			if len(changed) != 0 {
				t.Fatalf("%s: refused with %d but changed %v", query, res.StatusCode, changed)
			}
			return
		case res.StatusCode != 200 || refused:
			t.Fatalf("%s: got %d; want a 4xx", query, res.StatusCode)
		}
		want := 0
		for _, title := range titles {
			if title == expect {
				want++
			}
		}
		if body.Count != want || len(changed) != want {
			t.Fatalf("%s: count %d, changed %v; want %d instances titled %q", query, body.Count, changed, want, expect)
		}
		for _, title := range changed {
			if title != expect {
				t.Fatalf("%s: changed %q; want only %q", query, title, expect)
			}
		}
	})
}

// updated returns the titles of the instances whose desc is desc.
func updated(t *testing.T, ts *httptest.Server, desc string) []string {
	t.Helper()
	status, body := call(t, ts, "GET", "/todos?filter[where][desc]="+url.QueryEscape(desc), "")
	if status != 200 {
		t.Fatalf("find by desc: %d %s", status, body)
	}
	var rows []struct{ Title string }
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Title
	}
	return out
}

// escapeAs sends s properly escaped (mode 0), carelessly with only the
// query's own syntax escaped (1), with a stray "%" appended (2), or with
// "%zz" in the middle (3).
func escapeAs(s string, mode int) string {
	switch mode {
	case 1:
		return strings.NewReplacer("&", "%26", "=", "%3D", "+", "%2B", "#", "%23", " ", "%20").Replace(s)
	case 2:
		return url.QueryEscape(s) + "%"
	case 3:
		e := url.QueryEscape(s)
		return e[:len(e)/2] + "%zz" + e[len(e)/2:]
	}
	return url.QueryEscape(s)
}

// receivedAs is what a value sent as sent must arrive as: decoded when its
// escapes decode to UTF-8 (net/url as an independent decoder), else as
// sent with "+" as a space.
func receivedAs(sent string) string {
	if d, err := url.QueryUnescape(sent); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ReplaceAll(sent, "+", " ")
}
