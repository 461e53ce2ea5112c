package main

import (
	"strings"
	"testing"
	"time"
)

const wrkSample = `Running 10s test @ http://127.0.0.1:3000/todos
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.42ms    1.71ms  40.12ms   91.07%
    Req/Sec    19.21k     2.30k   24.88k    70.50%
  Latency Distribution
     50%  812.00us
     75%    1.52ms
     90%    3.01ms
     99%    8.47ms
  382331 requests in 10.00s, 401.58MB read
  Socket errors: connect 0, read 2, write 1, timeout 4
  Non-2xx or 3xx responses: 17
Requests/sec:  38223.15
Transfer/sec:     40.15MB
`

func TestParseWrk(t *testing.T) {
	got, err := parseWrk(wrkSample)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{ReqPerSec: 38223.15, P50: 812 * time.Microsecond, P99: 8470 * time.Microsecond,
		Requests: 382331, Non2xx: 17, SockErrs: 7}
	if got != want {
		t.Errorf("parseWrk: got %+v; want %+v", got, want)
	}
}

func TestParseWrkErrors(t *testing.T) {
	tests := []struct {
		name, out, wantErr string
	}{
		{"no latency distribution", strings.Replace(wrkSample, "     99%    8.47ms\n", "", 1), "lacks"},
		{"no rate", strings.Replace(wrkSample, "Requests/sec:  38223.15\n", "", 1), "lacks"},
		{"bad rate", strings.Replace(wrkSample, "38223.15", "fast", 1), "requests/sec"},
		{"bad unit", strings.Replace(wrkSample, "8.47ms", "8.47xs", 1), "latency"},
		{"empty", "", "lacks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseWrk(tt.out)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseWrk: got error %v; want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseWrkDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"812.00us", 812 * time.Microsecond},
		{"1.52ms", 1520 * time.Microsecond},
		{"2.00s", 2 * time.Second},
		{"1.50m", 90 * time.Second},
		{"1.00h", time.Hour},
	}
	for _, tt := range tests {
		got, err := parseWrkDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseWrkDuration(%q): got %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "ms", "-1ms", "1.0", "abcus"} {
		if _, err := parseWrkDuration(bad); err == nil {
			t.Errorf("parseWrkDuration(%q): got no error; want one", bad)
		}
	}
}

func TestMedianOf(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := medianOf(tt.in); got != tt.want {
			t.Errorf("medianOf(%v): got %v; want %v", tt.in, got, tt.want)
		}
	}
}
