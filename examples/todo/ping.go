package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// pingResponse is the body of GET /ping, in the shape of LoopBack's
// PingController: a greeting, the time, the request URL and its headers.
type pingResponse struct {
	Greeting string            `json:"greeting"`
	Date     string            `json:"date"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
}

// ping answers GET /ping. Header names are lower case and repeated headers
// are joined with ", ", as Node.js reports them.
func ping(w http.ResponseWriter, r *http.Request) {
	headers := make(map[string]string, len(r.Header)+1)
	headers["host"] = r.Host
	for name, values := range r.Header {
		headers[strings.ToLower(name)] = strings.Join(values, ", ")
	}
	body, err := json.Marshal(pingResponse{
		Greeting: "Hello from LoopBack",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		URL:      r.URL.RequestURI(),
		Headers:  headers,
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}
