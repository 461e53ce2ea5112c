package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"

	"github.com/loopback-go/lb/connector/memory"
	"github.com/loopback-go/lb/crud"
	"github.com/loopback-go/lb/metrics"
	"github.com/loopback-go/lb/repository"
	"github.com/loopback-go/lb/rest"
)

type Note struct {
	ID    int64  `json:"id" lb:"id,generated"`
	Title string `json:"title" required:"true"`
}

// scrape fetches url+"/metrics" and parses it with Prometheus' text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET /metrics: got %d; want 200", res.StatusCode)
	}
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// find returns the metric of family name whose labels include want.
func find(fams map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

func do(t *testing.T, method, url, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func TestMetricsOverHTTP(t *testing.T) {
	srv := rest.New(rest.Config{})
	m := metrics.Mount(srv, metrics.Config{})
	conn, err := memory.New(memory.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	notes := repository.MustNew[Note, int64](m.Connector(conn))
	if err := crud.Mount(srv, notes, crud.Options{}); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	entered := make(chan struct{})
	rest.Get(srv, "/slow", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		close(entered)
		<-release
		return nil, nil
	})
	ts := httptest.NewServer(srv)
	defer ts.Close()

	if c := do(t, "POST", ts.URL+"/notes", `{"title":"a"}`); c != 200 {
		t.Fatalf("create: got %d; want 200", c)
	}
	for _, id := range []string{"1", "2", "3"} { // 1 exists, 2 and 3 do not
		do(t, "GET", ts.URL+"/notes/"+id, "")
	}
	do(t, "GET", ts.URL+"/no/such/path/42", "")
	do(t, "PROPFIND", ts.URL+"/notes", "")

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); do(t, "GET", ts.URL+"/slow", "") }()
	<-entered
	fams := scrape(t, ts.URL)
	if g := fams["http_requests_in_flight"]; g == nil || g.Metric[0].GetGauge().GetValue() != 1 {
		t.Errorf("http_requests_in_flight during /slow: got %v; want 1", g)
	}
	close(release)
	wg.Wait()

	fams = scrape(t, ts.URL)
	tests := []struct {
		labels map[string]string
		want   uint64
	}{
		{map[string]string{"method": "POST", "path": "/notes", "status": "2xx"}, 1},
		{map[string]string{"method": "GET", "path": "/notes/{id}", "status": "2xx"}, 1},
		{map[string]string{"method": "GET", "path": "/notes/{id}", "status": "4xx"}, 2},
		{map[string]string{"method": "GET", "path": metrics.Unmatched, "status": "4xx"}, 1},
		{map[string]string{"method": "OTHER", "path": metrics.Unmatched, "status": "4xx"}, 1},
		{map[string]string{"method": "GET", "path": "/slow", "status": "2xx"}, 1},
	}
	for _, tt := range tests {
		c := find(fams, "http_requests_total", tt.labels)
		if c == nil || uint64(c.GetCounter().GetValue()) != tt.want {
			t.Errorf("http_requests_total%v: got %v; want %d", tt.labels, c, tt.want)
		}
		h := find(fams, "http_request_duration_seconds", tt.labels)
		if h == nil || h.GetHistogram().GetSampleCount() != tt.want {
			t.Errorf("http_request_duration_seconds%v: got %v; want count %d", tt.labels, h, tt.want)
		}
	}
	// Bounded cardinality: no raw path or id is ever a label value.
	for _, name := range []string{"http_requests_total", "http_request_duration_seconds"} {
		for _, mt := range fams[name].Metric {
			for _, l := range mt.Label {
				if strings.Contains(l.GetValue(), "42") || strings.HasSuffix(l.GetValue(), "/1") {
					t.Errorf("%s has a raw path label %s=%q", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
	if h := find(fams, "lb_connector_call_duration_seconds", map[string]string{"model": "Note", "method": "Create", "outcome": "ok"}); h == nil || h.GetHistogram().GetSampleCount() != 1 {
		t.Errorf("connector Create of Note: got %v; want one sample; have %v", h, fams["lb_connector_call_duration_seconds"])
	}
	if h := find(fams, "lb_connector_call_duration_seconds", map[string]string{"model": "Note", "method": "Find"}); h == nil || h.GetHistogram().GetSampleCount() < 3 {
		t.Errorf("connector Find of Note: got %v; want at least 3 samples", h)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("%s missing: the Go and process collectors are not registered", name)
		}
	}
	// The metrics page measures nothing about itself and is not in the
	// OpenAPI document.
	if find(fams, "http_requests_total", map[string]string{"path": "/metrics"}) != nil {
		t.Errorf("/metrics requests are measured")
	}
	res, err := http.Get(ts.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(doc), "/metrics") {
		t.Errorf("/metrics is in the OpenAPI document")
	}
}

func TestTransport(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(502)
		}
	}))
	defer backend.Close()
	srv := rest.New(rest.Config{})
	m := metrics.Mount(srv, metrics.Config{Buckets: []float64{0.5, 1}})
	client := &http.Client{Transport: m.Transport("geocoder", nil), Timeout: 5 * time.Second}
	for _, p := range []string{"/ok", "/fail", "/ok"} {
		res, err := client.Get(backend.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	fams := scrape(t, ts.URL)
	for status, want := range map[string]uint64{"2xx": 2, "5xx": 1} {
		h := find(fams, "lb_service_call_duration_seconds", map[string]string{"service": "geocoder", "method": "GET", "status": status})
		if h == nil || h.GetHistogram().GetSampleCount() != want {
			t.Errorf("geocoder %s: got %v; want %d samples", status, h, want)
		}
		if h != nil && len(h.GetHistogram().GetBucket()) != 3 {
			t.Errorf("buckets: got %d; want the 2 configured and +Inf", len(h.GetHistogram().GetBucket()))
		}
	}
}
