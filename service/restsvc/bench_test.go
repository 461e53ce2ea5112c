package restsvc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/loopback-go/lb/service"
	"github.com/loopback-go/lb/service/restsvc"
)

type benchIn struct {
	ID    int64  `json:"id"`
	Units string `json:"units,omitempty"`
}

type benchOut struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Celsius float64  `json:"celsius"`
	Tags    []string `json:"tags"`
}

var benchBody = []byte(`{"id":42,"name":"Oslo","celsius":21.5,"tags":["a","b","c"]}`)

// inproc answers every request in memory, so that a benchmark measures
// the client side only.
type inproc struct{}

func (inproc) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(benchBody)), ContentLength: int64(len(benchBody)), Request: r}, nil
}

// BenchmarkCall compares a typed proxy call with the same call written
// by hand with net/http and encoding/json, over a real socket to a local
// upstream and in memory (client CPU only).
func BenchmarkCall(b *testing.B) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchBody)
	}))
	defer up.Close()
	for _, tr := range []struct {
		name   string
		client *http.Client
	}{{"socket", up.Client()}, {"inproc", &http.Client{Transport: inproc{}}}} {
		svc, err := restsvc.New(restsvc.Config{Name: "weather", BaseURL: up.URL, Client: tr.client,
			Policy: service.Policy{Timeout: 0},
			Operations: []restsvc.Operation{{Template: restsvc.Template{URL: "/cities/{!id:integer}", Query: map[string]any{"units": "{units=metric}"}},
				Functions: map[string][]string{"city": {"id", "units"}}}}})
		if err != nil {
			b.Fatal(err)
		}
		call := restsvc.MustBind[benchIn, benchOut](svc, "city")
		ctx := context.Background()
		for range 500 { // warm up the connection, the pools and the CPU for both
			call(ctx, benchIn{ID: 42})
			handwritten(ctx, tr.client, up.URL, benchIn{ID: 42})
		}
		b.Run(tr.name+"/proxy", func(b *testing.B) {
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				out, err := call(ctx, benchIn{ID: 42})
				if err != nil || out.ID != 42 {
					b.Fatal(out, err)
				}
			}
		})
		b.Run(tr.name+"/handwritten", func(b *testing.B) {
			b.ReportAllocs()
			defer cpuPerOp(b)()
			for b.Loop() {
				out, err := handwritten(ctx, tr.client, up.URL, benchIn{ID: 42})
				if err != nil || out.ID != 42 {
					b.Fatal(out, err)
				}
			}
		})
	}
}

// cpuPerOp starts measuring the process's CPU time (user + system: the
// client and, over a socket, the local upstream); the function it returns
// reports it per operation as cpu-ns/op, a figure that other processes on
// a busy machine disturb less than the wall time.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// handwritten is the call as one would write it without the framework.
func handwritten(ctx context.Context, c *http.Client, base string, in benchIn) (benchOut, error) {
	var out benchOut
	units := in.Units
	if units == "" {
		units = "metric"
	}
	u := fmt.Sprintf("%s/cities/%d?%s", base, in.ID, url.Values{"units": {units}}.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return out, err
	}
	req.Header.Set("Accept", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return out, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return out, fmt.Errorf("status %d", res.StatusCode)
	}
	err = json.NewDecoder(res.Body).Decode(&out)
	return out, err
}
