package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// rateResult is what one fixed-rate run measured.
type rateResult struct {
	Offered  float64 // requests per second asked for
	Achieved float64 // requests completed per second
	Requests int
	P50, P99 time.Duration
	P999     time.Duration
	Non2xx   int
	Errors   int
}

// openLoop sends requests of sc to url at a fixed rate for d, over at most
// conns keep-alive connections, and measures each request's latency from
// the moment it was due to be sent, not from when a connection became free.
// wrk waits for a response before it sends the next request on a connection
// (a closed loop), so at saturation its percentiles measure the server's
// queue as much as its service time; an open loop below saturation
// measures the latency a client sees at a steady load, including a request
// held up behind a slow one (no coordinated omission).
func openLoop(ctx context.Context, url string, sc scenario, rate float64, d time.Duration, conns int) (rateResult, error) {
	if rate <= 0 || d <= 0 {
		return rateResult{}, fmt.Errorf("open loop: rate %v and duration %v must be positive", rate, d)
	}
	total := int(rate * d.Seconds())
	if total < 1 {
		total = 1
	}
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	due := make(chan time.Time, total)
	lat := make([]time.Duration, total)
	var (
		mu     sync.Mutex
		next   int
		non2xx int
		errs   int
		wg     sync.WaitGroup
	)
	worker := func() {
		defer wg.Done()
		for t := range due {
			var body io.Reader
			if sc.Body != "" {
				body = strings.NewReader(sc.Body)
			}
			req, err := http.NewRequestWithContext(ctx, sc.Method, url, body)
			if err != nil {
				mu.Lock()
				errs++
				mu.Unlock()
				continue
			}
			if sc.Body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := client.Do(req)
			ok := err == nil
			status := 0
			if ok {
				status = resp.StatusCode
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				ok = err == nil
			}
			elapsed := time.Since(t)
			mu.Lock()
			switch {
			case !ok:
				errs++
			case status < 200 || status > 299:
				non2xx++
			}
			lat[next] = elapsed
			next++
			mu.Unlock()
		}
	}
	wg.Add(conns)
	for range conns {
		go worker()
	}

	// The schedule: request i is due at start + i/rate. The loop wakes
	// about every millisecond and hands out every request that is due.
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	sent := 0
	for sent < total && ctx.Err() == nil {
		now := time.Now()
		for sent < total {
			at := start.Add(time.Duration(sent) * interval)
			if at.After(now) {
				break
			}
			due <- at
			sent++
		}
		time.Sleep(time.Millisecond)
	}
	close(due)
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return rateResult{}, err
	}
	lat = lat[:next]
	slices.Sort(lat)
	r := rateResult{Offered: rate, Requests: next, Achieved: float64(next) / elapsed.Seconds(), Non2xx: non2xx, Errors: errs,
		P50: percentile(lat, 0.50), P99: percentile(lat, 0.99), P999: percentile(lat, 0.999)}
	return r, nil
}

// percentile returns the q-quantile of sorted (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// fixedRate chooses the rate of the fixed-rate runs of a scenario: frac of
// the bare program's median req/s under wrk, rounded down to a hundred and
// capped at limit (the load generator shares the machine's cores with the
// server, so it cannot offer much more than that).
func fixedRate(bareRate, frac float64, limit int) float64 {
	r := bareRate * frac
	if limit > 0 && r > float64(limit) {
		r = float64(limit)
	}
	r = float64(int(r/100) * 100)
	return max(r, 100)
}
