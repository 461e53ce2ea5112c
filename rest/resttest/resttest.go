// Package resttest tests REST servers over real HTTP, the way
// net/http/httptest tests handlers: it starts the handler on a loopback
// httptest.Server, sends requests, and checks responses against LoopBack's
// contract (status, headers, JSON bodies, the error shape).
//
//	c := resttest.New(t, srv) // srv is a *rest.Server or any http.Handler
//	c.Get("/todos/1").Expect(200).ExpectJSON(`{"id":1,"title":"a"}`)
//	c.Post("/todos", map[string]any{"title": 1}).ExpectError(422, "VALIDATION_FAILED")
//
// Failures are reported with t.Errorf in the "got X; want Y" form, and the
// checks chain, so one request can be checked for several things.
package resttest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// Client sends requests to a test server. It is safe for concurrent use.
type Client struct {
	t      testing.TB
	srv    *httptest.Server
	header http.Header
}

// New starts h on a loopback test server that is closed when the test ends.
// When h has a Validate() error method (a *rest.Server does: it compiles
// the request validators that are otherwise compiled on first use), New
// calls it and reports its error, so that a test finds a schema that does
// not compile even when no request of the test needs it.
func New(t testing.TB, h http.Handler) *Client {
	t.Helper()
	if v, ok := h.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			t.Errorf("resttest: %v", err)
		}
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Client{t: t, srv: srv, header: http.Header{}}
}

// URL is the server's base URL ("http://127.0.0.1:port").
func (c *Client) URL() string { return c.srv.URL }

// WithHeader returns a client that adds the header to every request.
func (c *Client) WithHeader(key, value string) *Client {
	h := c.header.Clone()
	h.Set(key, value)
	return &Client{t: c.t, srv: c.srv, header: h}
}

// Get sends a GET request.
func (c *Client) Get(path string) *Response { return c.Do(http.MethodGet, path, nil) }

// Delete sends a DELETE request.
func (c *Client) Delete(path string) *Response { return c.Do(http.MethodDelete, path, nil) }

// Post sends a POST request with body; see Do.
func (c *Client) Post(path string, body any) *Response { return c.Do(http.MethodPost, path, body) }

// Put sends a PUT request with body; see Do.
func (c *Client) Put(path string, body any) *Response { return c.Do(http.MethodPut, path, body) }

// Patch sends a PATCH request with body; see Do.
func (c *Client) Patch(path string, body any) *Response { return c.Do(http.MethodPatch, path, body) }

// Do sends a request. A string or []byte body is sent as is (with
// Content-Type application/json unless the client sets another); nil sends
// no body; anything else is encoded as JSON. A transport error fails the
// test immediately.
func (c *Client) Do(method, path string, body any) *Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatalf("resttest: encode body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatalf("resttest: %s %s: %v", method, path, err)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	if rd != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatalf("resttest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("resttest: %s %s: read body: %v", method, path, err)
	}
	return &Response{t: c.t, what: method + " " + path, Status: res.StatusCode, Header: res.Header, Body: data}
}

// Response is a received response.
type Response struct {
	t      testing.TB
	what   string
	Status int
	Header http.Header
	Body   []byte
}

// Expect checks the status code.
func (r *Response) Expect(status int) *Response {
	r.t.Helper()
	if r.Status != status {
		r.t.Errorf("%s: status: got %d; want %d (body %s)", r.what, r.Status, status, r.Body)
	}
	return r
}

// ExpectHeader checks a header's value ("" checks that it is absent).
func (r *Response) ExpectHeader(key, want string) *Response {
	r.t.Helper()
	if got := r.Header.Get(key); got != want {
		r.t.Errorf("%s: header %s: got %q; want %q", r.what, key, got, want)
	}
	return r
}

// ExpectBody checks the body byte for byte.
func (r *Response) ExpectBody(want string) *Response {
	r.t.Helper()
	if string(r.Body) != want {
		r.t.Errorf("%s: body:\n got %s\nwant %s", r.what, r.Body, want)
	}
	return r
}

// ExpectJSON checks that the body is the JSON value want, ignoring key
// order and spacing.
func (r *Response) ExpectJSON(want string) *Response {
	r.t.Helper()
	var got, exp any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		r.t.Errorf("%s: body is not JSON: %v (%s)", r.what, err, r.Body)
		return r
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		r.t.Fatalf("resttest: ExpectJSON: want is not JSON: %v", err)
	}
	if !reflect.DeepEqual(got, exp) {
		r.t.Errorf("%s: body:\n got %s\nwant %s", r.what, r.Body, want)
	}
	return r
}

// Error is the LoopBack error body's "error" object.
type Error struct {
	StatusCode int             `json:"statusCode"`
	Name       string          `json:"name"`
	Message    string          `json:"message"`
	Code       string          `json:"code"`
	Details    json.RawMessage `json:"details"`
}

// ExpectError checks that the response is a LoopBack error with the status
// and code ("" for none), and returns it for further checks.
func (r *Response) ExpectError(status int, code string) Error {
	r.t.Helper()
	r.Expect(status)
	var body struct {
		Error *Error `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Error == nil {
		r.t.Errorf("%s: got %s; want a LoopBack error body", r.what, r.Body)
		return Error{}
	}
	e := *body.Error
	if e.StatusCode != status {
		r.t.Errorf("%s: error statusCode: got %d; want %d", r.what, e.StatusCode, status)
	}
	if e.Code != code {
		r.t.Errorf("%s: error code: got %q; want %q (message %q)", r.what, e.Code, code, e.Message)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		r.t.Errorf("%s: error Content-Type: got %q; want application/json; charset=utf-8", r.what, ct)
	}
	return e
}

// JSON decodes the body into v; a body that does not decode fails the test.
func (r *Response) JSON(v any) *Response {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Errorf("%s: decode body %s: %v", r.what, r.Body, err)
	}
	return r
}
