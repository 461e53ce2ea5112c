package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loopback-go/lb/di"
	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/restsvc"
)

// fakeGeocoder answers like the US Census geocoder's one-line-address
// endpoint: "1 Main St" is found, anything else is not; mode "fail" and
// "hang" make it fail or stop answering.
type fakeGeocoder struct {
	*httptest.Server
	mode atomic.Value // "", "fail", "hang"
	hits atomic.Int32
}

func newFakeGeocoder(t *testing.T) *fakeGeocoder {
	t.Helper()
	g := &fakeGeocoder{}
	g.mode.Store("")
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.hits.Add(1)
		switch g.mode.Load() {
		case "fail":
			http.Error(w, "geocoder exploded", 500)
			return
		case "hang":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		q := r.URL.Query()
		if r.URL.Path != "/geocoder/locations/onelineaddress" || q.Get("format") != "json" || q.Get("benchmark") != "Public_AR_Current" {
			http.Error(w, "unexpected request "+r.URL.String(), 400)
			return
		}
		matches := []any{}
		if strings.Contains(q.Get("address"), "1 Main St") {
			matches = append(matches, map[string]any{"matchedAddress": "1 MAIN ST, BOSTON, MA", "coordinates": map[string]any{"x": -71.0589, "y": 42.3601}})
		}
		json.NewEncoder(w).Encode(map[string]any{"result": map[string]any{"input": map[string]any{}, "addressMatches": matches}})
	}))
	t.Cleanup(g.Close)
	return g
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func postJSON(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func getTodo(t *testing.T, url string) map[string]any {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return out
}

func TestGeocoder(t *testing.T) {
	fake := newFakeGeocoder(t)
	var logs syncBuffer
	base := start(t, config{Host: "127.0.0.1", GeocoderURL: fake.URL, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	// Create with an address: remindAtGeo is "lat,lng".
	st, todo := postJSON(t, "POST", base+"/todos", `{"title":"buy milk","remindAtAddress":"1 Main St, Boston, MA"}`)
	if st != 200 || todo["remindAtGeo"] != "42.3601,-71.0589" {
		t.Fatalf("create: got %d %v; want 200 with remindAtGeo 42.3601,-71.0589", st, todo)
	}
	id := int(todo["id"].(float64))
	url := base + "/todos/" + strconv.Itoa(id)
	if got := getTodo(t, url)["remindAtGeo"]; got != "42.3601,-71.0589" {
		t.Errorf("stored remindAtGeo: got %v; want 42.3601,-71.0589", got)
	}

	// A given remindAtGeo is kept, and the geocoder is not asked.
	hits := fake.hits.Load()
	st, todo = postJSON(t, "POST", base+"/todos", `{"title":"t","remindAtAddress":"1 Main St","remindAtGeo":"1,2"}`)
	if st != 200 || todo["remindAtGeo"] != "1,2" || fake.hits.Load() != hits {
		t.Errorf("create with remindAtGeo: got %d %v, %d geocoder calls; want it kept and no call", st, todo, fake.hits.Load()-hits)
	}

	// Replace with a new address geocodes again; no match saves without.
	if st, _ := postJSON(t, "PUT", url, `{"title":"buy milk","remindAtAddress":"nowhere"}`); st != 204 {
		t.Fatalf("replace: got %d; want 204", st)
	}
	if got := getTodo(t, url); got["remindAtGeo"] != nil || got["remindAtAddress"] != "nowhere" {
		t.Errorf("after replace without a match: got %v; want remindAtAddress nowhere and no remindAtGeo", got)
	}
	if !strings.Contains(logs.String(), "found no match") {
		t.Errorf("log: got %q; want a no-match warning", logs.String())
	}
	if st, _ := postJSON(t, "PUT", url, `{"title":"buy milk","remindAtAddress":"1 Main St"}`); st != 204 {
		t.Fatalf("replace: got %d; want 204", st)
	}
	if got := getTodo(t, url)["remindAtGeo"]; got != "42.3601,-71.0589" {
		t.Errorf("after replace: remindAtGeo %v; want 42.3601,-71.0589", got)
	}

	// A failing geocoder never loses the write.
	fake.mode.Store("fail")
	st, todo = postJSON(t, "POST", base+"/todos", `{"title":"still saved","remindAtAddress":"1 Main St"}`)
	if st != 200 || todo["id"] == nil || todo["remindAtGeo"] != nil {
		t.Errorf("create with a failing geocoder: got %d %v; want 200, saved without remindAtGeo", st, todo)
	}
	if l := logs.String(); !strings.Contains(l, "the geocoder failed") || !strings.Contains(l, "service geocoder, operation geocode") {
		t.Errorf("log: got %q; want a warning naming the service and operation", l)
	}
}

func TestGeocoderHangingAndUnset(t *testing.T) {
	fake := newFakeGeocoder(t)
	fake.mode.Store("hang")
	var logs syncBuffer
	base := start(t, config{Host: "127.0.0.1", GeocoderURL: fake.URL, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	// The policy allows 2 × 2 s; the write completes without a location.
	begin := time.Now()
	st, todo := postJSON(t, "POST", base+"/todos", `{"title":"slow","remindAtAddress":"1 Main St"}`)
	if st != 200 || todo["remindAtGeo"] != nil {
		t.Errorf("create with a hanging geocoder: got %d %v; want 200 without remindAtGeo", st, todo)
	}
	if d := time.Since(begin); d > 6*time.Second {
		t.Errorf("create took %v; want the geocoder's timeouts to bound it", d)
	}
	if !strings.Contains(logs.String(), "no answer in time") {
		t.Errorf("log: got %q; want a timeout warning", logs.String())
	}

	// Unset: saved without remindAtGeo, with a warning.
	var logs2 syncBuffer
	base2 := start(t, config{Host: "127.0.0.1", Logger: slog.New(slog.NewTextHandler(&logs2, nil))})
	st, todo = postJSON(t, "POST", base2+"/todos", `{"title":"t","remindAtAddress":"1 Main St"}`)
	if st != 200 || todo["remindAtGeo"] != nil || !strings.Contains(logs2.String(), "GEOCODER_URL is not set") {
		t.Errorf("without GEOCODER_URL: got %d %v, log %q; want saved without remindAtGeo and a warning", st, todo, logs2.String())
	}
}

func TestGeocoderInContainer(t *testing.T) {
	fake := newFakeGeocoder(t)
	a, err := newApp(t.Context(), config{Host: "127.0.0.1", GeocoderURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	svc, err := di.Get(a.srv.Container(), service.Key[*restsvc.Service]("geocoder"))
	if err != nil {
		t.Fatalf("resolve services.geocoder: %v", err)
	}
	if got := svc.Functions(); len(got) != 1 || got[0] != "geocode" {
		t.Errorf("functions: got %v; want [geocode]", got)
	}
}
