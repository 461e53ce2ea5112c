package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/loopback-go/lb/fault"
)

// HTTPRequest is one HTTP call of an HTTP-based service (REST templates,
// OpenAPI operations, SOAP), ready to be sent any number of times.
type HTTPRequest struct {
	Method string
	URL    string
	// Header is sent as a copy, so it may be shared between calls.
	Header http.Header
	Body   []byte
	// AnyStatus hands every answer to decode, whatever its status (SOAP
	// faults come with a 500); decode reports an upstream failure by
	// returning an [*Error].
	AnyStatus bool
}

// HTTPAttempt returns the attempt function for [Caller.Call] that sends r
// with client and hands a 2xx answer's body to decode; a decode error
// makes the answer malformed. Answers outside 2xx become an [*Error] with
// the status (retryable for 429, 502, 503 and 504) and the start of the
// body as Message; a body longer than max bytes is malformed.
func HTTPAttempt(client *http.Client, r *HTTPRequest, max int64, decode func(status int, body []byte) error) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		var body io.Reader
		if r.Body != nil {
			body = bytes.NewReader(r.Body)
		}
		req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
		if err != nil { // a request the proxy built badly: local, never retried
			return fault.Wrap(fault.Internal, fmt.Errorf("build the request: %w", err))
		}
		req.Header = r.Header.Clone()
		if req.Header == nil {
			req.Header = http.Header{}
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		data, err := readBody(resp, max)
		if err != nil {
			return err
		}
		if int64(len(data)) > max {
			return &Error{Status: resp.StatusCode, Malformed: true, Message: fmt.Sprintf("answer larger than %d bytes", max)}
		}
		if st := resp.StatusCode; !r.AnyStatus && (st < 200 || st > 299) {
			return &Error{Status: st, Message: snippet(data),
				Retryable: st == http.StatusTooManyRequests || st == http.StatusBadGateway || st == http.StatusServiceUnavailable || st == http.StatusGatewayTimeout}
		}
		if err := decode(resp.StatusCode, data); err != nil {
			if e, ok := errors.AsType[*Error](err); ok {
				return e
			}
			return &Error{Status: resp.StatusCode, Malformed: true, Err: err}
		}
		return nil
	}
}

// readBody reads up to max+1 bytes of an answer's body (max+1 tells the
// caller it is too long), in one allocation when its length is known.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= max {
		data := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, data); err != nil {
			return nil, err
		}
		var one [1]byte
		if k, _ := resp.Body.Read(one[:]); k > 0 { // more than announced
			return append(data, one[0]), nil
		}
		return data, nil
	}
	return io.ReadAll(io.LimitReader(resp.Body, max+1))
}

// snippet is the start of an error answer, for logs.
func snippet(b []byte) string {
	const n = 200
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
