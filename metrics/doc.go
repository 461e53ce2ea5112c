// Package metrics serves Prometheus metrics for a REST server at /metrics,
// as @loopback/metrics does, with prometheus/client_golang:
//
//	m := metrics.Mount(srv, metrics.Config{})        // one line: /metrics
//	todos := repository.MustNew[Todo, int64](m.Connector(conn))
//	client := &http.Client{Transport: m.Transport("geocoder", nil)}
//
// # Metrics
//
//	http_requests_total{method,path,status}              counter
//	http_request_duration_seconds{method,path,status}    histogram
//	http_requests_in_flight                              gauge
//	lb_connector_call_duration_seconds{model,method,outcome}
//	lb_service_call_duration_seconds{service,method,status}
//	go_*, process_*                                      Go runtime and process
//
// Labels are bounded: path is the operation's path template
// ("/todos/{id}"), never the raw path, and [Unmatched] for requests no
// operation matched; status is the class ("2xx" … "5xx"); an unknown HTTP
// method is "OTHER"; model and method name repository calls. The endpoint
// answers before the router, is not in the OpenAPI document and does not
// measure itself.
package metrics
