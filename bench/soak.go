package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// soakResult is what a soak found on one backend.
type soakResult struct {
	Backend  string
	Duration time.Duration
	Rate     int // requested rate, requests/s
	Requests int64
	Status   map[int]int64 // responses by status code
	Errors   int64         // transport errors and timeouts
	// Unexpected counts answers other than the expected ones (200 or 404
	// for a GET by id, 200 for the list and POST, 204 for PATCH and DELETE).
	Unexpected int64
	RSS        []int64 // VmRSS sampled every second
	// SlopePct is the RSS slope after the first quarter of the run (at
	// most a minute), in % of the mean RSS per minute.
	SlopePct float64
	// Checked is the number of acknowledged writes checked at the end
	// (after a restart of the server); Lost those not found as written.
	Checked, Lost int
	LostDetail    []string
}

func (s soakResult) count5xx() int64 {
	var n int64
	for code, c := range s.Status {
		if code >= 500 {
			n += c
		}
	}
	return n
}

// soakState is what the load generator knows of the server's todos: the
// titles it wrote and got acknowledged, the ids it deleted and got
// acknowledged, and the ids whose state an unacknowledged write left
// unknown.
type soakState struct {
	mu      sync.Mutex
	live    map[int64]string // id -> title acknowledged last
	busy    map[int64]bool   // a PATCH or DELETE is in flight
	deleted map[int64]bool
	unknown map[int64]bool
	ids     []int64 // live ids, for random picks (may hold stale ids)
}

// pick returns a random live id; for a write (claim) it also marks it busy.
func (st *soakState) pick(rng *rand.Rand, claim bool) (int64, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for range 8 {
		if len(st.ids) == 0 {
			return 0, false
		}
		i := rng.IntN(len(st.ids))
		id := st.ids[i]
		if _, ok := st.live[id]; !ok {
			st.ids[i] = st.ids[len(st.ids)-1]
			st.ids = st.ids[:len(st.ids)-1]
			continue
		}
		if claim {
			if st.busy[id] {
				continue
			}
			st.busy[id] = true
		}
		return id, true
	}
	return 0, false
}

// soak runs t under a fixed-rate mix of GET by id (50 %), GET of a page of
// 10 (20 %), POST (10 %), PATCH (10 %) and DELETE (10 %) for d, samples its
// RSS every second, then restarts it and checks that every acknowledged
// write is there.
func soak(ctx context.Context, t target, d time.Duration, rate int) (soakResult, error) {
	res := soakResult{Duration: d, Rate: rate, Status: map[int]int64{}}
	srv, err := t.start(ctx, 10)
	if err != nil {
		return res, err
	}
	defer func() { srv.stop() }()
	st := &soakState{live: map[int64]string{}, busy: map[int64]bool{}, deleted: map[int64]bool{}, unknown: map[int64]bool{}}
	todos, err := listTodos(ctx, srv)
	if err != nil {
		return res, err
	}
	for id, title := range todos {
		st.live[id] = title
		st.ids = append(st.ids, id)
	}
	logf("soak: %s: %s at %d requests/s", t.Name, d, rate)

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex // guards res counters
	record := func(status int, err error, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		res.Requests++
		switch {
		case err != nil:
			res.Errors++
		default:
			res.Status[status]++
			if !ok {
				res.Unexpected++
			}
		}
	}
	do := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, method, srv.url+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	op := func(rng *rand.Rand, n int64) {
		switch k := n % 20; {
		case k < 10:
			id, ok := st.pick(rng, false)
			if !ok {
				return
			}
			status, _, err := do("GET", fmt.Sprintf("/todos/%d", id), "")
			record(status, err, status == 200 || status == 404)
		case k < 14:
			status, _, err := do("GET", `/todos?filter=%7B%22limit%22%3A10%7D`, "")
			record(status, err, status == 200)
		case k < 16:
			title := fmt.Sprintf("soak %d", n)
			status, b, err := do("POST", "/todos", fmt.Sprintf(`{"title":%q,"desc":"written by the soak"}`, title))
			record(status, err, status == 200)
			var created struct{ ID int64 }
			if err == nil && status == 200 && json.Unmarshal(b, &created) == nil && created.ID != 0 {
				st.mu.Lock()
				st.live[created.ID] = title
				st.ids = append(st.ids, created.ID)
				st.mu.Unlock()
			}
		case k < 18:
			id, ok := st.pick(rng, true)
			if !ok {
				return
			}
			title := fmt.Sprintf("patched %d", n)
			status, _, err := do("PATCH", fmt.Sprintf("/todos/%d", id), fmt.Sprintf(`{"title":%q}`, title))
			record(status, err, status == 204)
			st.mu.Lock()
			switch {
			case err == nil && status == 204:
				st.live[id] = title
			case err != nil || status >= 500:
				delete(st.live, id)
				st.unknown[id] = true
			}
			delete(st.busy, id)
			st.mu.Unlock()
		default:
			id, ok := st.pick(rng, true)
			if !ok {
				return
			}
			status, _, err := do("DELETE", fmt.Sprintf("/todos/%d", id), "")
			record(status, err, status == 204)
			st.mu.Lock()
			switch {
			case err == nil && status == 204:
				delete(st.live, id)
				st.deleted[id] = true
			case err != nil || status >= 500:
				delete(st.live, id)
				st.unknown[id] = true
			}
			delete(st.busy, id)
			st.mu.Unlock()
		}
	}

	// Fixed rate: a ticker hands out request numbers to a pool of workers;
	// a tick that finds every worker busy is dropped (and shows as a
	// lower request count).
	jobs := make(chan int64, 64)
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 17))
			for n := range jobs {
				op(rng, n)
			}
		}()
	}
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	sample := time.NewTicker(time.Second)
	defer sample.Stop()
	var n int64
loop:
	for {
		select {
		case <-runCtx.Done():
			break loop
		case <-tick.C:
			select {
			case jobs <- n:
				n++
			default:
			}
		case <-sample.C:
			if rss, err := procRSS(srv.cmd.Process.Pid, "VmRSS"); err == nil {
				res.RSS = append(res.RSS, rss)
			}
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.SlopePct = rssSlope(res.RSS, min(60, len(res.RSS)/4))

	// Restart: the acknowledged writes must have reached the store.
	srv.stop()
	if srv, err = t.start(ctx, -1); err != nil {
		return res, fmt.Errorf("restart: %w", err)
	}
	got, err := listTodos(ctx, srv)
	if err != nil {
		return res, err
	}
	for id, title := range st.live {
		res.Checked++
		if g, ok := got[id]; !ok || g != title {
			res.Lost++
			if len(res.LostDetail) < 5 {
				res.LostDetail = append(res.LostDetail, fmt.Sprintf("todo %d: want title %q, found %q (present: %v)", id, title, g, ok))
			}
		}
	}
	for id := range st.deleted {
		res.Checked++
		if _, ok := got[id]; ok {
			res.Lost++
			if len(res.LostDetail) < 5 {
				res.LostDetail = append(res.LostDetail, fmt.Sprintf("todo %d: deleted (204) but present", id))
			}
		}
	}
	logf("soak: %s: %d requests, %d 5xx, %d transport errors, RSS slope %.2f %%/min, %d acknowledged writes checked, %d lost",
		t.Name, res.Requests, res.count5xx(), res.Errors, res.SlopePct, res.Checked, res.Lost)
	return res, nil
}

// listTodos returns the id and title of every todo of the server.
func listTodos(ctx context.Context, r *running) (map[int64]string, error) {
	status, b, err := r.do(ctx, "GET", "/todos", "")
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET /todos: status %d", status)
	}
	var todos []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(b, &todos); err != nil {
		return nil, fmt.Errorf("GET /todos: %w", err)
	}
	out := make(map[int64]string, len(todos))
	for _, t := range todos {
		out[t.ID] = t.Title
	}
	return out, nil
}

// rssSlope fits a line to the samples (one a second) after the first skip
// and returns its slope in % of their mean per minute.
func rssSlope(samples []int64, skip int) float64 {
	if skip < 0 || len(samples)-skip < 2 {
		return 0
	}
	s := samples[skip:]
	var sx, sy, sxx, sxy float64
	for i, v := range s {
		x, y := float64(i), float64(v)
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	n := float64(len(s))
	den := n*sxx - sx*sx
	if den == 0 || sy == 0 {
		return 0
	}
	slope := (n*sxy - sx*sy) / den // bytes per second
	return slope * 60 / (sy / n) * 100
}
