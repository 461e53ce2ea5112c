package service

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"time"

	"github.com/loopback-go/lb/fault"
	"github.com/sony/gobreaker/v2"
)

// Policy says how a service's calls are made resilient. The zero value is
// a sensible default: 30 s per attempt, 3 attempts for idempotent calls
// with 100 ms–2 s of jittered exponential backoff, and a breaker that opens
// after 5 consecutive failures for 30 s.
type Policy struct {
	// Timeout bounds each attempt; 0 means 30 s. The caller's ctx deadline
	// applies too: the earlier wins.
	Timeout time.Duration
	// Attempts is how many times an idempotent call is tried in all
	// (0 means 3, 1 means no retries). Calls that are not idempotent are
	// tried once.
	Attempts int
	// Backoff is the base of the exponential backoff between attempts
	// (0 means 100 ms); each wait is a random duration from 0 to
	// min(MaxBackoff, Backoff·2^n) ("full jitter").
	Backoff time.Duration
	// MaxBackoff caps one wait; 0 means 2 s.
	MaxBackoff time.Duration
	// BreakerFailures is how many consecutive failed attempts (transport
	// errors, timeouts, 5xx answers) open the circuit breaker; 0 means 5
	// and a negative value disables the breaker.
	BreakerFailures int
	// BreakerOpen is how long the breaker stays open, failing calls at
	// once with a 503, before it lets one trial call through; 0 means 30 s.
	BreakerOpen time.Duration
}

func (p Policy) withDefaults() Policy {
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
	if p.Attempts <= 0 {
		p.Attempts = 3
	}
	if p.Backoff <= 0 {
		p.Backoff = 100 * time.Millisecond
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 2 * time.Second
	}
	if p.BreakerFailures == 0 {
		p.BreakerFailures = 5
	}
	if p.BreakerOpen <= 0 {
		p.BreakerOpen = 30 * time.Second
	}
	return p
}

// Caller runs the calls of one service under a [Policy]: per-attempt
// timeouts, retries of idempotent calls, one circuit breaker for the
// service, and the mapping of failures to LoopBack-shaped errors. Protocol
// packages (service/restsvc and others) build on it. It is safe for
// concurrent use.
type Caller struct {
	name    string
	policy  Policy
	breaker *gobreaker.CircuitBreaker[struct{}]
}

// NewCaller returns the caller of the service called name.
func NewCaller(name string, p Policy) *Caller {
	p = p.withDefaults()
	c := &Caller{name: name, policy: p}
	if p.BreakerFailures > 0 {
		n := uint32(p.BreakerFailures)
		c.breaker = gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{
			Name:         name,
			Timeout:      p.BreakerOpen,
			ReadyToTrip:  func(cn gobreaker.Counts) bool { return cn.ConsecutiveFailures >= n },
			IsSuccessful: func(err error) bool { return !countsAsFailure(err) },
			IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
		})
	}
	return c
}

// Name returns the service's name.
func (c *Caller) Name() string { return c.name }

// Policy returns the caller's policy with its defaults filled in.
func (c *Caller) Policy() Policy { return c.policy }

// BreakerOpen reports whether the circuit breaker is open (calls fail at
// once).
func (c *Caller) BreakerOpen() bool {
	return c.breaker != nil && c.breaker.State() == gobreaker.StateOpen
}

// Call runs attempt, the operation op of the service, under the policy.
// Each attempt gets a ctx bounded by Policy.Timeout. attempt reports an
// upstream failure as an [*Error] (Status, Code, Retryable, Malformed),
// a local problem (bad arguments) as a *fault.Error, which is returned as
// is and never retried, and a transport failure as any other error.
//
// Call returns nil, a *fault.Error of the attempt, ctx's error when the
// caller gave up, or a *fault.Error of kind BadGateway (502, code
// UPSTREAM_ERROR), GatewayTimeout (504, UPSTREAM_TIMEOUT) or Unavailable
// (503, CIRCUIT_OPEN) that names the service and operation and wraps the
// [*Error] (see [AsError]). Upstream and library error text is kept in the
// chain for logs; it is not in the message.
func (c *Caller) Call(ctx context.Context, op string, idempotent bool, attempt func(ctx context.Context) error) error {
	tries := 1
	if idempotent {
		tries = c.policy.Attempts
	}
	var err error
	for n := 0; n < tries; n++ {
		if n > 0 {
			if werr := c.wait(ctx, n); werr != nil {
				break // the caller's ctx ended while waiting: report the last failure
			}
		}
		err = c.once(ctx, attempt)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || !retryable(err) {
			break
		}
	}
	return c.mapError(ctx, op, err)
}

// once runs one attempt through the breaker with the attempt timeout.
func (c *Caller) once(ctx context.Context, attempt func(ctx context.Context) error) error {
	run := func() (struct{}, error) {
		actx, cancel := context.WithTimeout(ctx, c.policy.Timeout)
		defer cancel()
		err := attempt(actx)
		if err != nil && actx.Err() != nil && ctx.Err() == nil && !isLocal(err) {
			// The attempt's own deadline ran out: a timeout, whatever
			// the transport made of it.
			err = &Error{Timeout: true, Err: err}
		}
		return struct{}{}, err
	}
	if c.breaker == nil {
		_, err := run()
		return err
	}
	_, err := c.breaker.Execute(run)
	return err
}

// wait sleeps before retry n (1-based) with full jitter.
func (c *Caller) wait(ctx context.Context, n int) error {
	limit := c.policy.Backoff << min(n-1, 30)
	if limit <= 0 || limit > c.policy.MaxBackoff {
		limit = c.policy.MaxBackoff
	}
	d := rand.N(limit + 1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// mapError turns the last attempt's error into the error Call returns.
func (c *Caller) mapError(ctx context.Context, op string, err error) error {
	if isLocal(err) {
		return err
	}
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		e := &Error{Service: c.name, Operation: op, Err: err}
		return &fault.Error{Kind: fault.Unavailable, Code: "CIRCUIT_OPEN", Err: e,
			Message: fmt.Sprintf("service %s, operation %s: circuit breaker open, the service failed repeatedly", c.name, op)}
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Err: err}
		if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
			e.Timeout = true
		}
	}
	e.Service, e.Operation = c.name, op
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			return fmt.Errorf("service %s, operation %s: %w", c.name, op, ctx.Err())
		}
		e.Timeout = true // the caller's deadline ran out
	}
	return e.fault()
}

// isLocal reports an error the attempt made before reaching the service.
func isLocal(err error) bool {
	_, ok := errors.AsType[*fault.Error](err)
	return ok
}

// retryable reports whether another attempt may succeed.
func retryable(err error) bool {
	if isLocal(err) || errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return false
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Timeout || e.Retryable
	}
	return true // transport failure: connection refused, reset, …
}

// countsAsFailure reports whether err counts against the breaker: the
// service failed (transport, timeout, a retryable answer such as 5xx), not
// the request (4xx) or the caller.
func countsAsFailure(err error) bool {
	if err == nil || isLocal(err) || errors.Is(err, context.Canceled) {
		return false
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return !e.Blame && (e.Timeout || e.Retryable || e.Status >= 500)
	}
	return true
}
