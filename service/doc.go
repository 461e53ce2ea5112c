// Package service is the common ground of outgoing integrations: calls
// from an app to REST, OpenAPI, SOAP or gRPC services, made as typed Go
// values (LoopBack's service proxies). The protocol packages build on it —
// service/restsvc for LoopBack's REST templates — and share its
// resilience and its errors.
//
// # Resilience
//
// A [Caller] runs every call of one service under a [Policy]:
//
//   - a timeout per attempt (Policy.Timeout, 30 s by default) on top of
//     the caller's ctx deadline;
//   - retries with exponential backoff and full jitter, for idempotent
//     calls only (GET, PUT, DELETE … — never a POST unless declared
//     idempotent), after transport failures, timeouts and answers another
//     attempt may change (HTTP 429, 502, 503, 504);
//   - one circuit breaker per service (sony/gobreaker): after
//     Policy.BreakerFailures consecutive failed attempts it opens and calls
//     fail at once for Policy.BreakerOpen, then one trial call decides.
//     Client errors (4xx answers, bad arguments) do not count.
//
// # Errors
//
// A failed call is a *fault.Error the REST layer answers in LoopBack's
// shape: 502 Bad Gateway (code UPSTREAM_ERROR) for an upstream error
// answer, an unreachable upstream or a malformed answer, 504 Gateway
// Timeout (UPSTREAM_TIMEOUT) when no answer came in time, 503 Service
// Unavailable (CIRCUIT_OPEN) while the breaker is open. The message names
// the service and operation ("service geocoder, operation geocode: no
// answer in time") and never carries upstream or library text; that stays
// in the wrapped [*Error] (Status, Code, Message), for logs and for
// handlers that want to react to an upstream 404 ([AsError]). A caller
// that gives up (ctx canceled) gets its ctx error back.
//
// # The container
//
// Services are bound in a di.Container under "services.<name>" ([Key],
// [Bind]) and resolved like repositories:
//
//	service.Bind(srv.Container(), "geocoder", geo)
//	geo, err := di.Get(c, service.Key[*restsvc.Service]("geocoder"))
package service
