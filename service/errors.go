package service

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/loopback-go/lb/fault"
)

// Error describes a failed call of a service: which service and operation,
// and what the upstream did. Protocol packages return it (wrapped in a
// *fault.Error) from their calls; handlers that want to react to, say, an
// upstream 404 find it with [AsError]. Status, Code and Message come from
// the upstream and are not sent to clients.
type Error struct {
	Service   string // the service's name
	Operation string // the operation (function) called
	// Status is the upstream's HTTP status; 0 when there was no HTTP
	// answer (transport failure, timeout, another protocol).
	Status int
	// Code is a protocol code: a SOAP fault code, a gRPC status code name.
	Code string
	// Message is the upstream's own message (a SOAP fault string, a gRPC
	// status message), for logs.
	Message string
	// Timeout is set when no answer came in time.
	Timeout bool
	// Retryable is set by the protocol for answers another attempt may
	// change (HTTP 429, 502, 503, 504; gRPC UNAVAILABLE).
	Retryable bool
	// Malformed is set when the answer could not be decoded.
	Malformed bool
	// Blame is set when the upstream blamed the request rather than
	// itself (a SOAP Client or Sender fault): the failure does not count
	// against the circuit breaker. HTTP 4xx answers never count either.
	Blame bool
	// Err is the underlying error, if any.
	Err error
}

// Error describes the failure for logs.
func (e *Error) Error() string {
	s := fmt.Sprintf("service %s, operation %s: %s", e.Service, e.Operation, e.summary())
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// summary is the client-safe description of the failure.
func (e *Error) summary() string {
	switch {
	case e.Timeout:
		return "no answer in time"
	case e.Malformed:
		return "malformed answer"
	case e.Code != "":
		return "upstream answered " + e.Code
	case e.Status != 0:
		return fmt.Sprintf("upstream answered %d %s", e.Status, http.StatusText(e.Status))
	}
	return "upstream unreachable"
}

// fault wraps e in the *fault.Error a client sees: 504 for a timeout, 502
// otherwise, with a message that names the service and operation and
// carries no upstream or library text.
func (e *Error) fault() *fault.Error {
	kind, code := fault.BadGateway, "UPSTREAM_ERROR"
	if e.Timeout {
		kind, code = fault.GatewayTimeout, "UPSTREAM_TIMEOUT"
	}
	details := map[string]any{"service": e.Service, "operation": e.Operation}
	if e.Status != 0 {
		details["status"] = e.Status
	}
	if e.Code != "" {
		details["code"] = e.Code
	}
	return &fault.Error{Kind: kind, Code: code, Details: details, Err: e,
		Message: fmt.Sprintf("service %s, operation %s: %s", e.Service, e.Operation, e.summary())}
}

// AsError returns the [*Error] in err's chain.
func AsError(err error) (*Error, bool) {
	return errors.AsType[*Error](err)
}
